from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from accounts.services import register_deactivation_hook
        from meetings import persondata
        from meetings.calendar import services as calendar
        from teams import handover

        persondata.register()
        # A private calendar feed stops with the account and with any of its memberships.
        register_deactivation_hook(calendar.revoke_on_deactivation)
        handover.register_membership_end_hook(calendar.revoke_on_membership_end)
