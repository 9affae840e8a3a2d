"""The team's communication agreement (PLAN-07): one current agreement per person, every earlier
version kept (django-simple-history). Needs `plan` write; a stale version is refused (Conflict)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate
from accounts.models import User
from audit import services as audit
from core.actions import Action
from core.errors import Conflict
from core.vocab import Level
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import CommunicationAgreement
from plans.services import choosable_member_ids
from teams.models import Membership

AGREEMENT_CHANGED = Action.PLANS_AGREEMENT_CHANGED
MAX_STEPS = 5
MAX_MINUTES = 24 * 60
REMARKS_MAX = 2000


@dataclass(frozen=True)
class Step:
    """One escalation step: without an answer within `after_minutes`, call `member`."""

    member: Membership
    after_minutes: int


def _check(person: Person, channel: str, first: Membership | None, line: Membership | None, steps: list[Step]) -> None:
    errors: dict[str, list[str]] = {}
    active = choosable_member_ids(person)
    if channel not in CommunicationAgreement.Channel.values:
        errors.setdefault("channel", []).append(_("Choose how the first contact is reached."))
    if first is not None and first.pk not in active:
        errors.setdefault("first_contact", []).append(_("Choose someone who is on the care team now."))
    if line is not None and line.pk not in active:
        errors.setdefault("line_24_7", []).append(_("Choose someone who is on the care team now."))
    elif line is not None and not line.phone_24_7:
        errors.setdefault("line_24_7", []).append(
            _("%(name)s has no 24/7 number: they add it under their reachability first.") % {"name": line.user}
        )
    if len(steps) > MAX_STEPS:
        errors.setdefault("escalation", []).append(_("Give at most %(n)d steps.") % {"n": MAX_STEPS})
    for step in steps:
        if step.member.pk not in active:
            errors.setdefault("escalation", []).append(_("Choose each next contact among the care team."))
        if not 1 <= step.after_minutes <= MAX_MINUTES:
            errors.setdefault("escalation", []).append(
                _("Wait between 1 minute and 24 hours before calling the next one.")
            )
    if errors:
        raise ValidationError({field: list(dict.fromkeys(messages)) for field, messages in errors.items()})


def save_agreement(
    actor: User,
    person: Person,
    *,
    version: int,
    channel: str,
    first_contact: Membership | None = None,
    line_24_7: Membership | None = None,
    escalation: list[Step] | None = None,
    remarks: str = "",
) -> CommunicationAgreement:
    """Make or change the person's agreement. `version` is the version read: 0 when there was
    none yet. Members are active members of the person's team; the 24/7 line is a member with a
    24/7 number (teams' reachability)."""
    decision = gate.check(actor, person, PLAN_CATEGORIES["agreements"], Level.WRITE, action=AGREEMENT_CHANGED)
    steps = list(escalation or [])
    remarks = remarks.strip()
    _check(person, channel, first_contact, line_24_7, steps)
    if len(remarks) > REMARKS_MAX:
        raise ValidationError({"remarks": _("Keep it to %(n)d characters.") % {"n": REMARKS_MAX}}, code="too_long")
    stale = _("Someone else changed the agreement. Reload the page to see their change.")
    try:
        with transaction.atomic():
            row = CommunicationAgreement.objects.select_for_update().filter(person=person).first()
            if row is None:
                if version != 0:
                    raise Conflict(stale)
                row = CommunicationAgreement(person=person, version=0)
            elif row.version != version:
                raise Conflict(stale)
            row.channel = channel
            row.first_contact = first_contact
            row.line_24_7 = line_24_7
            row.escalation = [{"member": str(s.member.public_id), "after_minutes": s.after_minutes} for s in steps]
            row.remarks = remarks
            row.version += 1
            row.updated_at = timezone.now()
            row.updated_by = actor
            row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
            row.save()
            audit.log_change(actor, person, AGREEMENT_CHANGED, decision=decision, detail={"version": str(row.version)})
    except IntegrityError as error:
        # Two first agreements at once: the one-per-person constraint lets one in.
        raise Conflict(stale) from error
    return row
