from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from people import homes, persondata
        from people.handover import MedicationProblemProvider
        from teams import handover

        handover.register(MedicationProblemProvider())
        persondata.register()
        homes.register()
