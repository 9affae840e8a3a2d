from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The person's rights over their dossier: the subject-access export, closing a dossier,
    retention periods as data and the purge that applies them (GDPR art. 15, 17; patient rights)."""

    name = "privacy"

    def ready(self) -> None:
        from access import gate
        from privacy import homes, persondata
        from privacy.services import write_lock

        # A closed dossier is read-only for everyone: the gate refuses every write.
        gate.register_write_lock(write_lock)
        persondata.register()
        homes.register()
