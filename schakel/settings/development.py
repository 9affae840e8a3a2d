"""Local development and the demo care zone (`make run`)."""

from schakel.settings.base import *  # noqa: F403 - settings modules extend the base by design
from schakel.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
