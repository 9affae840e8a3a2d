from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from access import kinds, persondata, relationships

        for kind in (kinds.SelfKind(), kinds.RepresentativeKind(), kinds.MandateKind(), kinds.BreakGlassKind()):
            relationships.register(kind)
        persondata.register()
