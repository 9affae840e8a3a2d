from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Care teams")

    def ready(self) -> None:
        from access import relationships
        from accounts.services import register_deactivation_hook
        from teams import handover, persondata
        from teams.kinds import TeamKind
        from teams.services import MessageProvider, hand_over_all

        relationships.register(TeamKind())
        handover.register(MessageProvider())
        register_deactivation_hook(hand_over_all)
        persondata.register()
