"""Gated reads of persons and their dossier."""

import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, relationships
from access.models import Consent
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.errors import Conflict
from core.vocab import Category, Level
from people import presenters, sections
from people.models import MedicationIntake, MedicationProblem, Person, SectionRecord, Visit


def get_person(actor: User, public_id: uuid.UUID | str, category: str, level: str, *, action: str) -> Person:
    person = resolve_person(actor, public_id, action)
    gate.check(actor, person, category, level, action=action)
    return person


def persons_for(actor: User) -> list[Person]:
    """The persons the actor has an active relationship with (home page)."""
    ids = relationships.related_person_ids(actor, timezone.now())
    return list(Person.objects.filter(pk__in=ids, merged_into=None).order_by("family_name", "given_name"))


def aliases_of(person: Person) -> list[Person]:
    """Records merged into this one (read with the person, who is already gated)."""
    return list(person.aliases.order_by("merged_at"))


# ── The dossier (DOS) ────────────────────────────────────────────────────────────────────────
#
# Every section is read through the gate with its own category (people.sections). The page
# shows only what the reader may read: a hidden category leaves no heading, no count, no gap.

PERSON_VIEWED = Action.PEOPLE_PERSON_VIEWED
DOSSIER_VIEWED = Action.PEOPLE_DOSSIER_VIEWED
SECTION_VIEWED = Action.PEOPLE_SECTION_VIEWED


def get_section_person(actor: User, public_id: uuid.UUID | str, code: str) -> Person:
    """The person, gated for reading the section (an outsider gets the usual 404)."""
    return get_person(actor, public_id, sections.kind(code).category, Level.READ, action=SECTION_VIEWED)


def may_write(actor: User, person: Person, category: str) -> bool:
    """Whether to offer editing; the change itself passes the gate again, audited."""
    return gate.decide(actor, person, category, Level.WRITE).allowed


def require_write(actor: User, person: Person, category: str, action: str) -> None:
    """Before a change: someone who may not write the category gets the gate's audited refusal
    (a 403 for a reader, who already knows the dossier exists; the gate decides so). A granted
    write is not logged here: the service audits the change itself."""
    if not may_write(actor, person, category):
        gate.check(actor, person, category, Level.WRITE, action=action)


def _entries(person: Person, kind: sections.SectionKind) -> list[SectionRecord]:
    """A section's rows for a person the caller has already gated."""
    rows: QuerySet[Any] = kind.model.objects.filter(person=person)  # the related fields differ per section
    if kind.model is MedicationIntake:
        # The schedule is the active lines; stopped ones are listed apart (stopped_medication).
        rows = rows.filter(stopped_on__isnull=True).select_related("updated_by")
    elif kind.model is MedicationProblem:
        rows = rows.select_related("reported_by", "owner", "handled_by", "updated_by")
    else:
        rows = rows.select_related("updated_by")
    result = list(rows)
    for row in result:
        row.person = person  # already loaded; saves a query per row in the services
    return result


def section_entries(person: Person, code: str) -> list[SectionRecord]:
    """A section's rows for a person the caller has gated for the section's category (for the
    medication schedule: its active lines)."""
    return _entries(person, sections.kind(code))


def stopped_medication(person: Person) -> list[MedicationIntake]:
    """The stopped lines of the medication schedule, newest stop first, for a person the caller
    has gated for the medication category."""
    return list(
        MedicationIntake.objects.filter(person=person, stopped_on__isnull=False)
        .select_related("updated_by")
        .order_by("-stopped_on", "-updated_at", "pk")
    )


def get_entry(
    actor: User, person: Person, code: str, public_id: uuid.UUID | str | None, *, action: str
) -> SectionRecord:
    """One row of a section, for a person the caller has gated. An id that is not one of this
    person's entries, unknown or another person's, is the same audited refusal (the outsider's
    404): the answer never tells whether the id exists elsewhere."""
    entry = _own_entry(person, code, public_id)
    if entry is None:
        gate.refuse(actor, action, {"item": str(public_id), "section": code})
    return entry


def entry_to_change(
    actor: User, person: Person, code: str, public_id: uuid.UUID | str | None, *, action: str
) -> SectionRecord:
    """The entry a page changes or removes. One that this person's section held and someone
    removed meanwhile is a Conflict that says so; any other id is refused as get_entry() does."""
    entry = _own_entry(person, code, public_id)
    if entry is None and _was_in_section(person, code, public_id):
        raise Conflict(_("Someone else removed this entry in the meantime."))
    return get_entry(actor, person, code, public_id, action=action)


def _own_entry(person: Person, code: str, public_id: uuid.UUID | str | None) -> SectionRecord | None:
    if not public_id:
        return None
    try:
        entry = (
            sections.kind(code)
            .model.objects.select_related("updated_by")
            .filter(person=person, public_id=public_id)
            .first()
        )
    except (ValueError, TypeError, ValidationError):
        return None  # a malformed id: unknown, like any other
    if entry is not None:
        entry.person = person
    return entry


def _was_in_section(person: Person, code: str, public_id: uuid.UUID | str | None) -> bool:
    """Whether the id is in this person's own section history (an entry since removed): only
    then may the answer say so, since the person's readers know that history already."""
    if not public_id:
        return False
    try:
        history = sections.kind(code).model.history  # simple-history's manager is untyped
        return bool(history.filter(person_id=person.pk, public_id=public_id).exists())
    except (ValueError, TypeError, ValidationError):
        return False


def get_singleton(person: Person, code: str) -> SectionRecord | None:
    kind = sections.kind(code)
    entry = kind.model.objects.select_related("updated_by").filter(person=person).first()
    if entry is not None:
        entry.person = person
    return entry


@dataclass(frozen=True)
class GroupView:
    code: str
    heading: str
    category: str
    category_label: str
    may_write: bool
    sections: list[presenters.SectionView]


@dataclass(frozen=True)
class Dossier:
    groups: list[GroupView]
    weekly: presenters.WeeklyView | None  # None: the reader may not read the situation
    problems: list[presenters.ProblemView]  # the open ones
    consent: str  # the consent on file, beside advance care planning ("" if acp is hidden)


def open_dossier(actor: User, public_id: uuid.UUID | str, *, with_write: bool = False) -> tuple[Person, Dossier]:
    """The person and their dossier (the dossier page, the API's overview): identity gated as
    get_person() gates it, its read audited in the same batch as the dossier's categories."""
    person = resolve_person(actor, public_id, PERSON_VIEWED)
    identity = gate.decide(actor, person, Category.IDENTITY, Level.READ)
    if not identity.allowed:
        gate.enforce(actor, person, identity, action=PERSON_VIEWED)  # audits the refusal, raises
    return person, dossier(actor, person, with_write=with_write, also_audited=[(identity, PERSON_VIEWED)])


def dossier(
    actor: User,
    person: Person,
    *,
    with_write: bool = False,
    also_audited: list[tuple[gate.Decision, str]] | None = None,
) -> Dossier:
    """The sections the actor may read, each category asked once and its read audited. The
    number of queries is fixed: the gate reads what it needs once (core.memo), the reads are
    audited in one batch (a row per category, after `also_audited`, in one transaction), then
    one query per section.

    The page links every section to its own page, which offers editing to those who may; so
    the write rights are asked only with `with_write` (the API's overview), which saves the
    dossier page a second gate decision per category."""
    readable: dict[str, bool] = {}
    granted = list(also_audited or [])
    for category in sections.DOSSIER_CATEGORIES:
        decision = gate.decide(actor, person, category, Level.READ)
        if decision.allowed:
            granted.append((decision, DOSSIER_VIEWED))
            readable[category] = with_write and may_write(actor, person, category)
    # Committed before any section is read, as one check() per category would have been.
    gate.audit_reads(actor, person, granted)
    groups = []
    weekly = None
    problems: list[presenters.ProblemView] = []
    for group in sections.GROUPS:
        if group.category not in readable:
            continue
        views = []
        for code in group.sections:
            kind = sections.kind(code)
            entries = _entries(person, kind)
            if code == "visits":
                weekly = presenters.weekly_view(cast(list[Visit], entries))
            if code == "medication_problems":
                problems = [presenters.problem_view(p) for p in cast(list[MedicationProblem], entries) if p.is_open]
            stopped = stopped_medication(person) if code == "medication" else []
            views.append(
                presenters.section_view(
                    kind, entries, person.public_id, may_write=readable[group.category], stopped=stopped
                )
            )
        groups.append(
            GroupView(
                group.code,
                str(group.heading),
                group.category,
                str(Category(group.category).label),
                readable[group.category],
                views,
            )
        )
    consent = ""
    if Category.ACP in readable:
        # DOS-11: the consent record shown beside capacity, read with the acp category.
        on_file = Consent.objects.active().filter(person=person, basis=Consent.Basis.CONSENT).order_by("-since")
        consent = presenters.consent_line(on_file.first())
    return Dossier(groups, weekly, problems, consent)


def weekly_visits(actor: User, person: Person) -> presenters.WeeklyView:
    """Who comes to the house when (DOS-05), for the team page: gated and audited as a read of
    the person's situation, so a reader without it gets Refused (404)."""
    gate.check(actor, person, sections.kind("visits").category, Level.READ, action=Action.PEOPLE_WEEKLY_VISITS_VIEWED)
    return presenters.weekly_view(Visit.objects.filter(person=person))


def section_history(person: Person, code: str) -> list[presenters.HistoryRow]:
    """Every change to a section of a person the caller has gated, newest first."""
    kind = sections.kind(code)
    records = list(kind.model.history.filter(person_id=person.pk).order_by("history_date", "history_id"))
    return presenters.history_rows(kind, records)
