"""Reads for the privacy pages."""

from dataclasses import dataclass

from django.http import Http404

from access import rules
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core.actions import Action
from people.models import Person
from privacy import retention
from privacy.models import Closure, RetentionRule


def closures_of(person: Person) -> list[Closure]:
    """Earlier closings and reopenings of this dossier, newest first (shown with the person, who
    is already gated)."""
    return list(Closure.objects.filter(person_id=person.pk).select_related("closed_by", "reopened_by"))


def require_zone_staff(actor: User) -> None:
    """The list of closed dossiers is the zone admin's and the DPO's; anyone else gets a 404
    (audited), as for the DPO's log search."""
    if rules.lists_closed_dossiers(actor):
        return
    audit.log_event(
        actor, Action.PRIVACY_CLOSURES_LISTED, allowed=False, reason="not_zone_staff", event=AuditEntry.Event.ACCESS
    )
    raise Http404


def open_closures(actor: User) -> list[Closure]:
    """Every dossier closed now, oldest first; the listing is audited (it names persons)."""
    rows = list(Closure.objects.filter(reopened_at=None).select_related("person", "closed_by").order_by("closed_at"))
    audit.log_event(
        actor,
        Action.PRIVACY_CLOSURES_LISTED,
        allowed=True,
        reason="granted",
        event=AuditEntry.Event.ACCESS,
        detail={"closures": len(rows)},
    )
    return rows


@dataclass(frozen=True)
class RuleRow:
    kind: str
    label: str
    period: str
    counts_from: str
    outcome: str
    outcome_code: str
    legal_source: str
    reasoning: str
    version: str


def rules_for_display() -> list[RuleRow]:
    return [
        RuleRow(
            kind=rule.kind,
            label=retention.in_language(rule.label),
            period=rule.period_label,
            counts_from=rule.get_counts_from_display(),
            outcome=rule.get_outcome_display(),
            outcome_code=rule.outcome,
            legal_source=retention.in_language(rule.legal_source),
            reasoning=retention.in_language(rule.reasoning),
            version=rule.version,
        )
        for rule in RetentionRule.objects.order_by("position", "kind")
    ]
