"""Creating and reading in-app notifications."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from access import relationships
from access.models import BreakGlassAccess
from accounts.models import User
from core.vocab import Profile
from notifications.models import Notification
from people.models import MedicationProblem, Person


def notify(recipient: User, kind: str, *, person: Person | None = None, params: dict | None = None) -> Notification:
    return Notification.objects.create(recipient=recipient, kind=kind, person=person, params=params or {})


def notify_break_glass(
    sender: object, *, person: Person, actor: User, grant: BreakGlassAccess, recipients: list[User], **_: object
) -> None:
    """Receiver of access.signals.break_glass_opened: tell the coordinator (or the zone admin),
    the person and their representatives, inside the grant's transaction."""
    params = {"actor": str(actor), "profile": actor.profile, "reason": grant.reason, "until": grant.until.isoformat()}
    for recipient in recipients:
        notify(recipient, Notification.Kind.BREAK_GLASS, person=person, params=params)


@dataclass(frozen=True)
class NotificationView:
    text: str
    created_at: datetime
    unread: bool
    person_name: str = ""  # only for a reader who has a relationship with the person
    person_url: str = ""


def _profile_label(code: str) -> str:
    return str(Profile(code).label) if code in Profile.values else code


def render_text(item: Notification) -> str:
    """The sentence in the reader's language (the active one): rows hold codes, not sentences."""
    if item.kind == Notification.Kind.BREAK_GLASS:
        params = {
            "actor": item.params.get("actor", ""),
            "profile": _profile_label(item.params.get("profile", "")),
            "reason": item.params.get("reason", ""),
        }
        text = _("%(actor)s (%(profile)s) used emergency access to a dossier. Reason given: %(reason)s") % params
        until = parse_datetime(item.params.get("until", "") or "")
        if until:
            text += " " + _("The access ends on %(when)s.") % {
                "when": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
            }
        return text
    if item.kind == Notification.Kind.PERSONS_MERGED:
        return _("Two records of one person were merged.")
    if item.kind == Notification.Kind.MEDICATION_PROBLEM:
        kind = item.params.get("kind", "")
        label = MedicationProblem.Kind(kind).label if kind in MedicationProblem.Kind.values else kind
        return _("%(reporter)s reported a medication problem (%(kind)s). Open the dossier to follow it up.") % {
            "reporter": item.params.get("reporter", ""),
            "kind": label,
        }
    if item.kind == Notification.Kind.TEAM_MESSAGE:
        # No sender, category or text: the thread shows them to those who may read them.
        return _("There is a new message for you in a care team's thread.")
    if item.kind == Notification.Kind.HANDOVER:
        return _("A team member left: their open items wait in the handover queue.")
    if item.kind == Notification.Kind.COORDINATION_PROPOSED:
        return _("%(name)s proposes you as care coordinator. Open the care team to accept or decline.") % {
            "name": item.params.get("by", "")
        }
    if item.kind == Notification.Kind.COORDINATION_ANSWERED:
        return _coordination_answer(item.params.get("outcome", ""), item.params.get("name", ""))
    if item.kind == Notification.Kind.POSSIBLE_DUPLICATE:
        return _(
            "A professional registered a separate record with the INSZ of a person already in Schakel. "
            "The person's care coordinator opens the person's dossier to merge that record into it or dismiss it."
        )
    return _PLAN_TEXTS.get(item.kind, lambda: str(item.get_kind_display()))()


# The care plan's and meetings' notifications say what to do, never whose plan or which action:
# the link to the page says the rest, to those the gate lets through.
_PLAN_TEXTS: dict[str, Callable[[], str]] = {
    Notification.Kind.ACTION_PROPOSED: lambda: _(
        "An action in a care plan is proposed to you. Open it to accept or decline."
    ),
    Notification.Kind.ACTION_DECLINED: lambda: _(
        "A proposed action was declined and comes back to you as coordinator."
    ),
    Notification.Kind.ACTION_HANDED_BACK: lambda: _("An action of a care plan is now yours to follow up."),
    Notification.Kind.HELP_QUESTION: lambda: _("An action in your care plan is done. Did it help? Tell the team."),
    Notification.Kind.PLAN_REVIEW_DUE: lambda: _("A care plan is due for review."),
    Notification.Kind.EARLY_SIGNAL: lambda: _("An early signal was recorded in a care plan. Open it to follow it up."),
    Notification.Kind.MEETING_INVITED: lambda: _("You are invited to a meeting."),
    Notification.Kind.MEETING_CHANGED: lambda: _("A meeting you are invited to was changed."),
    Notification.Kind.MEETING_CANCELLED: lambda: _("A meeting you were invited to was cancelled."),
}


def _coordination_answer(outcome: str, name: str) -> str:
    if outcome == "accepted":
        return _("%(name)s accepted to coordinate care and is the care coordinator now.") % {"name": name}
    if outcome == "declined":
        return _("%(name)s declined to coordinate care. Nothing changed.") % {"name": name}
    if outcome == "cancelled":
        return _("%(name)s cancelled the proposal that you coordinate care.") % {"name": name}
    if outcome == "withdrawn":
        return _("The proposal to coordinate care was withdrawn: %(name)s left the team.") % {"name": name}
    return _("A proposal to coordinate care was answered.")


def for_user(user: User) -> list[NotificationView]:
    """The newest notifications, marked read. A notification names and links its person only
    for a reader with an active relationship with them: a zone admin told of an emergency
    access reads who used it and why, not whose dossier it was."""
    items = list(user.notifications.select_related("person").all()[:100])
    related = relationships.related_person_ids(user, timezone.now()) if any(i.person_id for i in items) else set()
    views = []
    for item in items:
        name = url = ""
        if item.person_id and item.person_id in related:
            name = str(item.person)
            url = reverse("people:detail", args=[item.person.public_id])  # type: ignore[union-attr]  # person_id is set
        views.append(NotificationView(render_text(item), item.created_at, item.read_at is None, name, url))
    user.notifications.filter(read_at=None).update(read_at=timezone.now())
    return views
