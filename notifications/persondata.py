"""The notifications app's person data in the registry (core.persondata). Registered by
NotificationsConfig.ready()."""

from core import persondata
from core.persondata import PersonData
from notifications.models import Notification


def register() -> None:
    persondata.register(
        PersonData(
            Notification,
            # The link follows the person: it opens the surviving record.
            merge=persondata.move(),
            # Counted from each notification's creation, whatever the dossier's state.
            purge=persondata.Purge("notifications", "delete", last_change_field="created_at"),
            export=persondata.not_exported(
                "addressed to a team member, not to the person; it holds no dossier data, only that "
                "something happened, which the access log and the dossier record"
            ),
            not_printed="a message to a user, not part of the dossier",
        )
    )
