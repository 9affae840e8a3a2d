from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Care plans")

    def ready(self) -> None:
        from plans import persondata
        from plans.handover import ActionProvider
        from plans.inbox import homes
        from teams import handover

        handover.register(ActionProvider())
        persondata.register()
        homes.register()
