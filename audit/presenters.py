"""Display values for the access-log pages, so templates hold no logic."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from core.vocab import Category, Level, Profile

# Why the gate answered as it did, in words (access.gate.Decision.reason and the log's own).
REASONS = {
    "granted": _("allowed"),
    "no_relationship": _("no care relationship"),
    "matrix": _("not allowed for this role"),
    "no_consent": _("no consent on file"),
    "excluded": _("excluded by the person"),
    "inactive": _("account deactivated"),
    "not_found": _("unknown record"),
    "not_person_or_representative": _("only for the person and their representative"),
    "not_dpo": _("only for the data protection officer"),
    "closed": _("the dossier is closed"),
    "not_coordinator_or_person": _("only the care coordinator, the person or their representative"),
    "reason_not_allowed": _("not for this reason"),
    "not_zone_admin": _("only for the zone administrator"),
    # Registering a person and emergency access (issue 11): attempts that named the person.
    "duplicate_insz": _("tried to register a person who is already registered"),
    "not_registering_profile": _("this role does not register persons"),
    "rate_limited": _("too many attempts"),
    "reason_too_short": _("no reason given"),
    "not_health_professional": _("not a health professional"),
    "no_match": _("no person with this number"),
}


@dataclass(frozen=True)
class LogRow:
    when: datetime
    who: str
    acting_for: str  # the responsible user a mandate holder acted for (NEN 7513), or ""
    role: str
    what: str
    emergency: bool  # break the glass
    allowed: bool
    reason: str
    person: str  # "85.07.30-033.28 Jozef Wouters", or "" for rows about no person


def _label(choices: type[Profile] | type[Category] | type[Level], code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def log_row(entry: AuditEntry, *, with_person: bool = False) -> LogRow:
    if entry.category:
        what = _label(Category, entry.category)
        if entry.level:
            what = f"{what} ({_label(Level, entry.level)})"
    else:
        what = str(AuditEntry.Event(entry.event).label) if entry.event in AuditEntry.Event.values else entry.event
    person = ""
    if with_person and entry.person_id is not None:
        subject = entry.person
        person = f"{subject.display_id} {subject}" if subject else str(entry.person_id)
    return LogRow(
        when=entry.created_at,
        who=entry.actor_label,
        acting_for=str(entry.acting_for) if entry.acting_for_id and entry.acting_for else "",
        role=_label(Profile, entry.actor_profile) if entry.actor_profile else "",
        what=what,
        emergency=entry.event == AuditEntry.Event.BREAK_GLASS,
        allowed=entry.allowed,
        reason=str(REASONS.get(entry.reason, entry.reason)),
        person=person,
    )
