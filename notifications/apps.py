from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from access.signals import break_glass_opened
        from notifications import persondata
        from notifications.services import notify_break_glass

        persondata.register()
        break_glass_opened.connect(notify_break_glass, dispatch_uid="notifications.break_glass")
