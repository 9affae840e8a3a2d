"""The purge: remove or anonymise what is past its retention period (docs/privacy.md).

Each kind of record in the rules (privacy/retention.toml) maps to one handler here that counts
and removes that kind's rows for a set of person ids. A kind whose rule says "keep" has no
handler and is never touched; the access log has none at all. One transaction per person, one
audit row per person purged (which kinds, how many rows, under which rule).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from access.models import BreakGlassAccess, Consent, Exclusion, Mandate, Representation
from audit import services as audit
from audit.services import SystemActor
from notifications.models import Notification
from people import sections
from people.models import Person
from privacy.models import Closure, RetentionRule
from privacy.retention import add_period, subtract_period
from teams.models import HandoverItem, Membership, MessageRead, TeamMessage

ACTION = "privacy.purged"
ACTOR = SystemActor("purge_expired")


def _count(*querysets: models.QuerySet) -> int:
    return sum(qs.count() for qs in querysets)


def _delete(*querysets: models.QuerySet) -> int:
    """Delete in the order given (dependants first); returns the rows removed, cascades included."""
    return sum(qs.delete()[0] for qs in querysets)


def _section_querysets(ids: list[int]) -> list[models.QuerySet]:
    # The rows first (simple-history writes a "deleted" history row for each), then every
    # history row, those included.
    models_ = [kind.model for kind in sections.SECTIONS.values()]
    unique = list(dict.fromkeys(models_))
    return [m.objects.filter(person_id__in=ids) for m in unique] + [
        m.history.model.objects.filter(person_id__in=ids) for m in unique
    ]


def _section_count(ids: list[int]) -> int:
    return _count(*_section_querysets(ids))


def _delete_sections(ids: list[int]) -> int:
    """Returns the rows and history rows there were; the "deleted" history rows that the
    deletion itself writes are removed with the rest and not counted."""
    there = _section_count(ids)
    _delete(*_section_querysets(ids))
    return there


def _team_messages(ids: list[int]) -> list[models.QuerySet]:
    return [
        MessageRead.objects.filter(message__person_id__in=ids),
        TeamMessage.addressees.through.objects.filter(teammessage__person_id__in=ids),
        TeamMessage.objects.filter(person_id__in=ids),
    ]


def _access_rights(ids: list[int]) -> list[models.QuerySet]:
    return [
        Exclusion.objects.filter(person_id__in=ids),
        Mandate.objects.filter(person_id__in=ids),
        Representation.objects.filter(person_id__in=ids),
    ]


def _identified(ids: list[int]) -> models.QuerySet:
    return Person.objects.filter(pk__in=ids).exclude(given_name="", family_name=ANONYMISED, insz=None)


ANONYMISED = "—"


def _anonymise(ids: list[int]) -> int:
    """Clear everything that identifies the person; the row and its random local id stay, so the
    access log keeps pointing at something. The person's own login is unlinked, not deleted."""
    return _identified(ids).update(
        insz=None, given_name="", family_name=ANONYMISED, birth_date=None, municipality=None, account=None
    )


@dataclass(frozen=True)
class Handler:
    outcome: str
    count: Callable[[list[int]], int]
    apply: Callable[[list[int]], int]


# Closure-based kinds. The access log ("audit_log") and the closure ("closures") are never here.
HANDLERS: dict[str, Handler] = {
    "team_messages": Handler(
        "delete", lambda ids: _count(*_team_messages(ids)), lambda ids: _delete(*_team_messages(ids))
    ),
    "handover_items": Handler(
        "delete",
        lambda ids: HandoverItem.objects.filter(person_id__in=ids).count(),
        lambda ids: _delete(HandoverItem.objects.filter(person_id__in=ids)),
    ),
    "dossier_sections": Handler("delete", _section_count, _delete_sections),
    "team_memberships": Handler(
        "delete",
        lambda ids: Membership.objects.filter(person_id__in=ids).count(),
        lambda ids: _delete(Membership.objects.filter(person_id__in=ids)),
    ),
    "consents": Handler(
        "delete",
        lambda ids: Consent.objects.filter(person_id__in=ids).count(),
        lambda ids: _delete(Consent.objects.filter(person_id__in=ids)),
    ),
    "access_rights": Handler(
        "delete", lambda ids: _count(*_access_rights(ids)), lambda ids: _delete(*_access_rights(ids))
    ),
    "break_glass": Handler(
        "delete",
        lambda ids: BreakGlassAccess.objects.filter(person_id__in=ids).count(),
        lambda ids: _delete(BreakGlassAccess.objects.filter(person_id__in=ids)),
    ),
    "identity": Handler("anonymise", lambda ids: _identified(ids).count(), _anonymise),
}

# Kinds counted from each record's own last change, whatever the dossier's state: the model and
# the field that holds that moment.
BY_LAST_CHANGE: dict[str, tuple[type[Notification], str]] = {
    "notifications": (Notification, "created_at"),
}

PURGEABLE_KINDS = frozenset(HANDLERS) | frozenset(BY_LAST_CHANGE)


@dataclass
class Purged:
    """What one person's purge removed (or, in a dry run, would remove)."""

    person_id: int | None
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(int(k["rows"]) for k in self.kinds.values())


@dataclass
class Summary:
    dry_run: bool
    persons: list[Purged] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for purged in self.persons:
            for kind, info in purged.kinds.items():
                totals[kind] += int(info["rows"])
        return dict(sorted(totals.items()))


def _rule_ref(rule: RetentionRule) -> str:
    return f"{rule.kind}@{rule.version}"


def _person_ids(person_id: int) -> list[int]:
    """The person and every record merged into them: their rows go together."""
    return [person_id, *Person.objects.filter(merged_into_id=person_id).values_list("pk", flat=True)]


def purge_expired(*, dry_run: bool = False, now: datetime | None = None) -> Summary:
    """Apply every rule whose period has run out. A dry run counts and changes nothing."""
    now = now or timezone.now()
    rules = list(RetentionRule.objects.exclude(outcome=RetentionRule.Outcome.KEEP).order_by("position", "kind"))
    summary = Summary(dry_run=dry_run)
    closure_rules = [r for r in rules if r.counts_from == RetentionRule.CountsFrom.CLOSURE and r.kind in HANDLERS]
    for closure in Closure.objects.filter(reopened_at=None).order_by("closed_at", "pk"):
        due = [
            r
            for r in closure_rules
            if r.kind not in closure.purged_kinds and add_period(closure.closed_at, r.years, r.months) <= now
        ]
        if due:
            purged = _purge_closure(closure, due, dry_run=dry_run, now=now)
            if purged.kinds:
                summary.persons.append(purged)
    for rule in rules:
        if rule.counts_from == RetentionRule.CountsFrom.LAST_CHANGE and rule.kind in BY_LAST_CHANGE:
            summary.persons += _purge_by_last_change(rule, dry_run=dry_run, now=now)
    return summary


def _purge_closure(closure: Closure, due: list[RetentionRule], *, dry_run: bool, now: datetime) -> Purged:
    ids = _person_ids(closure.person_id)
    purged = Purged(closure.person_id)
    if dry_run:
        for rule in due:
            purged.kinds[rule.kind] = {"rows": HANDLERS[rule.kind].count(ids), "rule": _rule_ref(rule)}
        return purged
    with transaction.atomic():
        # Lock the closure: a reopening at the same moment either happens first (and nothing is
        # purged) or waits and then finds purged_at set.
        row = Closure.objects.select_for_update().filter(pk=closure.pk, reopened_at=None).first()
        if row is None:
            return purged
        for rule in due:
            handler = HANDLERS[rule.kind]
            if handler.outcome != rule.outcome:  # the loader's check makes this impossible
                raise ValueError(f"{rule.kind}: the purge can {handler.outcome}, the rule says {rule.outcome}")
            purged.kinds[rule.kind] = {"rows": handler.apply(ids), "rule": _rule_ref(rule), "outcome": rule.outcome}
        row.purged_kinds = sorted({*row.purged_kinds, *purged.kinds})
        row.purged_at = row.purged_at or now
        row.save(update_fields=["purged_kinds", "purged_at"])
        audit.log_change(
            ACTOR,
            Person(pk=closure.person_id),
            ACTION,
            detail={"closure": str(closure.public_id), "kinds": purged.kinds},
        )
    return purged


def _purge_by_last_change(rule: RetentionRule, *, dry_run: bool, now: datetime) -> list[Purged]:
    model, field_name = BY_LAST_CHANGE[rule.kind]
    cutoff = subtract_period(now, rule.years, rule.months)
    expired = model.objects.filter(**{f"{field_name}__lte": cutoff})
    found = []
    for person_id in sorted(set(expired.values_list("person_id", flat=True)), key=lambda pk: (pk is None, pk)):
        rows = expired.filter(person_id=person_id)
        purged = Purged(person_id)
        if dry_run:
            purged.kinds[rule.kind] = {"rows": rows.count(), "rule": _rule_ref(rule)}
        else:
            with transaction.atomic():
                purged.kinds[rule.kind] = {"rows": rows.delete()[0], "rule": _rule_ref(rule), "outcome": rule.outcome}
                audit.log_change(
                    ACTOR,
                    Person(pk=person_id) if person_id else None,
                    ACTION,
                    detail={"kinds": purged.kinds, "before": cutoff.isoformat()},
                )
        found.append(purged)
    return found
