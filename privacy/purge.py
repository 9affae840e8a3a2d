"""The purge: remove or anonymise what is past its retention period (docs/privacy.md).

Which rows belong to which kind of record in the rules (privacy/retention.toml) is the person-data
registry's to say (core.persondata): each app registers its models with their retention kind and
outcome, and the purge counts and removes a kind's rows for a set of person ids from that alone.
A kind whose rule says "keep" is never touched; the access log's kind always keeps. One
transaction per person, one audit row per person purged (which kinds, how many rows, under which
rule).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from audit import services as audit
from audit.services import SystemActor
from core import persondata
from core.actions import Action
from core.persondata import PersonData
from people.models import Person
from privacy.models import Closure, RetentionRule
from privacy.retention import add_period, subtract_period

ACTION = Action.PRIVACY_PURGED
ACTOR = SystemActor("purge_expired")


def _querysets(found: list[PersonData], ids: list[int]) -> list[models.QuerySet]:
    """The kind's rows, then their history rows: deleting a row makes simple-history write a
    "deleted" history row, which goes with the rest."""
    rows = [data.rows(ids) for data in found]
    history = [data.history_rows(ids) for data in found]
    return rows + [qs for qs in history if qs is not None]


def _not_anonymised(data: PersonData, ids: list[int]) -> models.QuerySet:
    assert data.purge.anonymised is not None
    return data.rows(ids).exclude(**data.purge.anonymised)


@dataclass(frozen=True)
class Handler:
    outcome: str
    count: Callable[[list[int]], int]
    apply: Callable[[list[int]], int]


def _handler(found: list[PersonData]) -> Handler:
    outcome = found[0].purge.outcome
    if outcome == "anonymise":

        def count(ids: list[int]) -> int:
            return sum(_not_anonymised(data, ids).count() for data in found)

        def anonymise(ids: list[int]) -> int:
            return sum(_not_anonymised(data, ids).update(**data.purge.anonymised or {}) for data in found)

        return Handler(outcome, count, anonymise)

    def count_rows(ids: list[int]) -> int:
        return sum(qs.count() for qs in _querysets(found, ids))

    def delete(ids: list[int]) -> int:
        """Returns the rows and history rows there were; the "deleted" history rows that the
        deletion itself writes are removed with the rest and not counted."""
        there = count_rows(ids)
        for qs in _querysets(found, ids):  # dependants first (core.persondata.purge_kinds)
            qs.delete()
        return there

    return Handler(outcome, count_rows, delete)


def handlers() -> dict[str, Handler]:
    """The kinds counted from the closing of the dossier. Kinds that keep have none."""
    return {
        kind: _handler(found)
        for kind, found in persondata.purge_kinds().items()
        if found[0].purge.outcome != "keep" and not found[0].purge.last_change_field
    }


def by_last_change() -> dict[str, tuple[type[models.Model], str]]:
    """Kinds counted from each record's own last change, whatever the dossier's state: the model
    and the field that holds that moment."""
    found = {}
    for kind, registered in persondata.purge_kinds().items():
        field_name = registered[0].purge.last_change_field
        if field_name and registered[0].purge.outcome != "keep":
            if len(registered) != 1:
                raise ValueError(f"{kind}: a kind counted from the last change has one model")
            found[kind] = (registered[0].model, field_name)
    return found


def purgeable_kinds() -> frozenset[str]:
    return frozenset(handlers()) | frozenset(by_last_change())


@dataclass
class Purged:
    """What one person's purge removed (or, in a dry run, would remove)."""

    person_id: int | None
    kinds: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(int(k["rows"]) for k in self.kinds.values())  # type: ignore[call-overload]  # the report's counts are ints


@dataclass
class Summary:
    dry_run: bool
    persons: list[Purged] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for purged in self.persons:
            for kind, info in purged.kinds.items():
                totals[kind] += int(info["rows"])  # type: ignore[call-overload]  # the report's counts are ints
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
    closure_handlers = handlers()
    closure_rules = [
        r for r in rules if r.counts_from == RetentionRule.CountsFrom.CLOSURE and r.kind in closure_handlers
    ]
    for closure in Closure.objects.filter(reopened_at=None).order_by("closed_at", "pk"):
        due = [
            r
            for r in closure_rules
            if r.kind not in closure.purged_kinds and add_period(closure.closed_at, r.years, r.months) <= now
        ]
        if due:
            purged = _purge_closure(closure, due, closure_handlers, dry_run=dry_run, now=now)
            if purged.kinds:
                summary.persons.append(purged)
    last_change = by_last_change()
    for rule in rules:
        if rule.counts_from == RetentionRule.CountsFrom.LAST_CHANGE and rule.kind in last_change:
            model, field_name = last_change[rule.kind]
            summary.persons += _purge_by_last_change(rule, model, field_name, dry_run=dry_run, now=now)
    return summary


def _purge_closure(
    closure: Closure, due: list[RetentionRule], handlers: dict[str, Handler], *, dry_run: bool, now: datetime
) -> Purged:
    ids = _person_ids(closure.person_id)
    purged = Purged(closure.person_id)
    if dry_run:
        for rule in due:
            purged.kinds[rule.kind] = {"rows": handlers[rule.kind].count(ids), "rule": _rule_ref(rule)}
        return purged
    with transaction.atomic():
        # Lock the closure: a reopening at the same moment either happens first (and nothing is
        # purged) or waits and then finds purged_at set.
        row = Closure.objects.select_for_update().filter(pk=closure.pk, reopened_at=None).first()
        if row is None:
            return purged
        for rule in due:
            handler = handlers[rule.kind]
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


def _purge_by_last_change(
    rule: RetentionRule, model: type[models.Model], field_name: str, *, dry_run: bool, now: datetime
) -> list[Purged]:
    cutoff = subtract_period(now, rule.years, rule.months)
    expired = model._default_manager.filter(**{f"{field_name}__lte": cutoff})
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
