"""Display values for the access-log pages, so templates hold no logic."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as __
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.queries import PersonVisits, VisitRows
from core import phones
from core.actions import Action
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
    "emergency_read_only": _("emergency access is read-only"),
    "read_only": _("this relationship is read-only"),
    "outside_scope": _("outside what the relationship covers"),
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


# ── "Who looked at your dossier": the person's log, grouped per visit ────────────────────────
#
# The page speaks to the person ("you"), also when their legal representative reads it for them
# (docs/decisions.md). Categories and refusals are said in plain words.

YOUR_CATEGORIES: dict[str, Promise] = {
    Category.IDENTITY: _("your personal details"),
    Category.TEAM: _("your care team"),
    Category.SITUATION: _("your situation at home"),
    Category.WISHES: _("your wishes and life goals"),
    Category.PLAN: _("your care plan"),
    Category.MEDICAL: _("your medical information"),
    Category.MEDICATION: _("your medication"),
    Category.ACP: _("your advance care planning and consent"),
    Category.HOSPITAL: _("your hospital stays"),
    Category.ASSESSMENTS: _("your assessments"),
    Category.MENTAL_HEALTH: _("your mental health"),
    Category.CAREGIVER: _("how your caregiver is coping"),
}
# What was opened, for the rows whose action says more than their category (or that have none).
YOUR_PAGES: dict[str, Promise] = {
    Action.AUDIT_PERSON_LOG_VIEWED: _("this list of who looked at your dossier"),
    Action.ACCESS_CONSENT_VIEWED: _("your consent and exclusions"),
    Action.ACCESS_EXPLAINED: _("why they can or cannot see your information"),
    Action.ACCESS_BREAK_GLASS: _("emergency access to your dossier"),
    Action.PRIVACY_YOUR_DATA_VIEWED: _("the copy of all your data"),
    Action.PRIVACY_SUBJECT_ACCESS_EXPORTED: _("the copy of all your data"),
    Action.ACCESS_CONSENT_RECORDED: _("your consent"),
    Action.ACCESS_CONSENT_WITHDRAWN: _("your consent"),
    Action.ACCESS_USER_EXCLUDED: _("the people you excluded"),
    Action.ACCESS_EXCLUSION_LIFTED: _("the people you excluded"),
    Action.ACCESS_MANDATE_GRANTED: _("the mandates you gave"),
    Action.ACCESS_MANDATE_REVOKED: _("the mandates you gave"),
    Action.ACCESS_REPRESENTATION_RECORDED: _("your legal representative"),
    Action.ACCESS_REPRESENTATION_ENDED: _("your legal representative"),
    Action.PRIVACY_CLOSURE_VIEWED: _("the closing of your dossier"),
    Action.PRIVACY_DOSSIER_CLOSED: _("the closing of your dossier"),
    Action.PRIVACY_DOSSIER_REOPENED: _("the closing of your dossier"),
}
YOUR_DOSSIER = _("your dossier")
SCHAKEL_ITSELF = _("Schakel itself (an automatic task)")  # a job such as the daily purge

# Why something was refused, in plain words, as the end of the sentence "..., because ...".
YOUR_REASONS: dict[str, Promise] = {
    "no_relationship": _("they are not in your care team and have no other tie with you"),
    "matrix": _("the access rules do not allow this to someone in their role"),
    "no_consent": _("you have not given your consent to share it with your care team"),
    "excluded": _("you have excluded them"),
    "inactive": _("their account has been switched off"),
    "not_person_or_representative": _("only you and your legal representative may do this"),
    "not_coordinator_or_person": _("only your care coordinator, you or your legal representative may do this"),
    "closed": _("your dossier is closed"),
    "emergency_read_only": _("emergency access only lets them read, never change anything"),
    "read_only": _("their access only lets them read, not change anything"),
    "outside_scope:mandate": _("the mandate you gave them does not cover it"),
    "outside_scope:break_glass": _("emergency access does not open this kind of information"),
    "not_health_professional": _("only health professionals may use emergency access"),
    "rate_limited": _("they had already used emergency access too often that day"),
}
OTHER_REASON = _("it was not allowed")


def _your_reason(entry: AuditEntry) -> str:
    reason = YOUR_REASONS.get(f"{entry.reason}:{entry.relationship}") or YOUR_REASONS.get(entry.reason) or OTHER_REASON
    return str(reason)


def _your_what(entry: AuditEntry) -> str:
    what = YOUR_PAGES.get(entry.action) or YOUR_CATEGORIES.get(entry.category) or YOUR_DOSSIER
    return str(what)


def _refusal(entry: AuditEntry) -> str:
    values = {"what": _your_what(entry), "reason": _your_reason(entry)}
    if entry.action == Action.ACCESS_BREAK_GLASS or not entry.category:
        return __("Tried to open %(what)s. Refused, because %(reason)s.") % values
    if entry.level == Level.WRITE:
        return __("Tried to change %(what)s. Refused, because %(reason)s.") % values
    return __("Tried to see %(what)s. Refused, because %(reason)s.") % values


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Visit:
    """One visit: someone, in one role, over a short time, and what they saw, changed, or were refused."""

    start: datetime
    end: datetime
    who: str
    role: str
    acting_for: str  # the user a mandate holder acted for, or ""
    on_your_behalf: bool  # acting for the person themself (a mandate, a representative)
    own: bool
    emergency: bool
    emergency_reason: str  # the reason the professional gave when opening emergency access
    saw: list[str]
    changed: list[str]
    refusals: list[str]

    @property
    def same_minute(self) -> bool:
        return (self.end - self.start).total_seconds() < 60


def visit(rows: VisitRows, entries: dict[int, AuditEntry], person_account_id: int | None = None) -> Visit:
    found = [entries[row_id] for row_id in reversed(rows.row_ids) if row_id in entries]  # oldest first
    first = found[0]
    saw, changed, refusals, emergency_reason = [], [], [], ""
    for entry in found:
        if not entry.allowed:
            refusals.append(_refusal(entry))
        elif entry.action == Action.ACCESS_BREAK_GLASS:
            emergency_reason = str(entry.detail.get("reason", ""))
            saw.append(_your_what(entry))
        elif entry.level == Level.WRITE:
            changed.append(_your_what(entry))
        else:
            saw.append(_your_what(entry))
    profile = next((entry.actor_profile for entry in found if entry.actor_profile), "")
    return Visit(
        start=rows.oldest,
        end=rows.newest,
        who=str(SCHAKEL_ITSELF) if first.actor_id is None else first.actor_label,
        role=_label(Profile, profile) if profile else "",
        acting_for=str(first.acting_for) if first.acting_for_id and first.acting_for else "",
        on_your_behalf=first.acting_for_id is not None and first.acting_for_id == person_account_id,
        own=rows.own,
        emergency=rows.emergency,
        emergency_reason=emergency_reason,
        saw=_unique(saw),
        changed=_unique(changed),
        refusals=_unique(refusals),
    )


def visits(grouped: PersonVisits, person_account_id: int | None = None) -> list[Visit]:
    return [visit(rows, grouped.rows, person_account_id) for rows in grouped.page]


@dataclass(frozen=True)
class DpoContact:
    name: str
    email: str
    phone: str  # as people write it: +32 14 00 00 99
    phone_link: str  # tel:+3214000099, or "" when the setting is not a number one can dial


def dpo_contact() -> DpoContact | None:
    """The zone's data protection officer (settings DPO_CONTACT_*), or None when not set."""
    name, email, phone = settings.DPO_CONTACT_NAME, settings.DPO_CONTACT_EMAIL, settings.DPO_CONTACT_PHONE
    if not (name or email or phone):
        return None
    number = phones.read(phone)
    return DpoContact(name=name, email=email, phone=number.display, phone_link=number.uri)
