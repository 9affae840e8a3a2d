"""Creating and reading in-app notifications."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Notification
from people.models import Person


def notify(recipient: User, kind: str, *, person: Person | None = None, params: dict | None = None) -> Notification:
    return Notification.objects.create(recipient=recipient, kind=kind, person=person, params=params or {})


@dataclass(frozen=True)
class NotificationView:
    text: str
    created_at: object
    unread: bool


def render_text(item: Notification) -> str:
    """The sentence in the reader's language (the active one)."""
    if item.kind == Notification.Kind.BREAK_GLASS:
        return _("%(actor)s (%(profile)s) used emergency access to a dossier. Reason given: %(reason)s") % item.params
    if item.kind == Notification.Kind.PERSONS_MERGED:
        return _("Two records of one person were merged.")
    return str(item.get_kind_display())


def for_user(user: User) -> list[NotificationView]:
    items = list(user.notifications.all()[:100])
    views = [NotificationView(render_text(item), item.created_at, item.read_at is None) for item in items]
    user.notifications.filter(read_at=None).update(read_at=timezone.now())
    return views
