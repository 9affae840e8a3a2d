"""Local development and the demo care zone (`make run`).

DEBUG is off by default so the demo shows what users see (the real "not found" page, for
instance); set DEBUG=true for Django's debug pages. Static files are served by whitenoise
straight from the apps, as in production but without collectstatic.
"""

from schakel.settings.base import *  # noqa: F403 - settings modules extend the base by design
from schakel.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", False)
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]  # whitenoise serves from the finders

# The demo zone's data protection officer (synthetic), shown on "Who looked at your dossier".
DPO_CONTACT_NAME = env_str("DPO_CONTACT_NAME", "Data Protection Officer, Zorgzone (demo)")
DPO_CONTACT_EMAIL = env_str("DPO_CONTACT_EMAIL", "dpo@demo.schakel.example")
DPO_CONTACT_PHONE = env_str("DPO_CONTACT_PHONE", "+3214000099")
