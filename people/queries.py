"""Gated reads of persons and their dossier."""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import CharField, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, relationships, rules
from access.models import BreakGlassAccess, Consent, Exclusion
from access.queries import resolve_person
from accounts.models import User
from audit.models import AuditEntry
from core.actions import Action
from core.errors import Conflict
from core.vocab import Category, Level
from people import presenters, sections
from people.models import (
    Allergy,
    CapacityAssessment,
    CarePlanning,
    MedicationIntake,
    MedicationProblem,
    Person,
    SectionRecord,
    Vaccination,
    Visit,
)
from teams.models import Membership


def get_person(actor: User, public_id: uuid.UUID | str, category: str, level: str, *, action: str) -> Person:
    person = resolve_person(actor, public_id, action)
    gate.check(actor, person, category, level, action=action)
    return person


def possible_duplicates_of(actor: User, person: Person) -> list[Person]:
    """The records registered with this person's INSZ that wait for review, for their care
    coordinator only (read with the person, who is already gated)."""
    if not rules.is_coordinator(actor, person):
        return []
    waiting = person.possible_duplicates.filter(merged_into=None).select_related("registered_by")
    return list(waiting.order_by("registered_at", "pk"))


def duplicates_to_review(actor: User, person: Person) -> list[Person]:
    """possible_duplicates_of(), with the coordinator's read of each record audited on it (the
    review is the relationship)."""
    records = possible_duplicates_of(actor, person)
    review = gate.Decision(True, "granted", Category.IDENTITY, Level.READ, "duplicate_review", actor.profile)
    for record in records:
        gate.audit_reads(actor, record, [(review, Action.PEOPLE_DUPLICATE_VIEWED)])
    return records


def possible_duplicate(actor: User, person: Person, record_id: uuid.UUID | str) -> Person:
    """One of the records waiting for this person's coordinator, by id; any other id gets the
    outsider's 404, audited (the service audits the change itself)."""
    record = next((r for r in possible_duplicates_of(actor, person) if str(r.public_id) == str(record_id)), None)
    if record is None:
        gate.refuse(actor, Action.PEOPLE_DUPLICATE_VIEWED, {"record": str(record_id)})
    record.possible_duplicate_of = person
    return record


PERSON_LISTED = Action.PEOPLE_PERSON_LISTED
HOME_PAGE_SIZE = 25


@dataclass(frozen=True)
class PersonList:
    """One page of the persons a user sees listed on their home page."""

    persons: list[Person]
    page: Page[Person]


def persons_for(actor: User, page_number: str | int | None = 1) -> PersonList:
    """The persons listed on the actor's home page, by name, a page at a time: those the gate
    lets the actor read the identity of now (an active relationship, the matrix, consent or a
    legal basis, no exclusion), as the dossier page asks it. Each listed person's identity read
    is audited, a row in their log per listing; a person the gate refuses is not listed, and
    leaves no row (docs/access.md, "The home page")."""
    now = timezone.now()
    ids = relationships.related_person_ids(actor, now)
    # Narrowed before paging so that pages stay full; the gate below decides all the same.
    excluded = Exclusion.objects.active(now).filter(excluded=actor).values_list("person_id", flat=True)
    candidates = Person.objects.filter(pk__in=ids, merged_into=None).exclude(pk__in=excluded)
    page = Paginator(candidates.order_by("family_name", "given_name", "pk"), HOME_PAGE_SIZE).get_page(page_number)
    listed = []
    for person in page.object_list:
        decision = gate.decide(actor, person, Category.IDENTITY, Level.READ)
        if decision.allowed:
            listed.append((person, decision))
    gate.audit_listed(actor, listed, action=PERSON_LISTED)
    return PersonList([person for person, _decision in listed], page)


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


def may_follow_up_problems(actor: User, person: Person) -> bool:
    """Whether to offer marking a medication problem handled (access.rules); the change itself
    passes the rule again, audited."""
    return rules.follows_up_medication_problems(actor, person).allowed


def require_problem_follow_up(actor: User, person: Person, action: str) -> None:
    """Before marking a problem handled: who may not gets the rule's audited refusal (a 403 for
    a reader of the schedule). A granted change is logged by the service."""
    gate.enforce(actor, person, rules.follows_up_medication_problems(actor, person), action=action, audit_granted=False)


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
    is_open: bool = True  # the dossier page shows it unfolded
    last_change: str = ""  # the newest of its sections' "last changed by … on …"


@dataclass(frozen=True)
class Dossier:
    groups: list[GroupView]
    weekly: presenters.WeeklyView | None  # None: the reader may not read the situation
    problems: list[presenters.ProblemView]  # the open ones
    consent: str  # the consent on file, beside advance care planning ("" if acp is hidden)
    # The rows read, by section code: only the sections of the categories the reader may read.
    entries: dict[str, list[SectionRecord]] = field(default_factory=dict)
    consent_record: Consent | None = None  # the newest consent, withdrawn or not (None if acp is hidden)


def open_dossier(actor: User, public_id: uuid.UUID | str, *, with_write: bool = False) -> tuple[Person, Dossier]:
    """The person and their dossier (the API's overview): identity gated as get_person() gates
    it, its read audited in the same batch as the dossier's categories."""
    person, identity = _identity(actor, public_id)
    return person, dossier(actor, person, with_write=with_write, also_audited=[(identity, PERSON_VIEWED)])


def _identity(actor: User, public_id: uuid.UUID | str) -> tuple[Person, gate.Decision]:
    """The person and the granted decision to read their identity; a refusal is audited and raised."""
    person = resolve_person(actor, public_id, PERSON_VIEWED)
    identity = gate.decide(actor, person, Category.IDENTITY, Level.READ)
    if not identity.allowed:
        gate.enforce(actor, person, identity, action=PERSON_VIEWED)  # audits the refusal, raises
    return person, identity


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
    read: dict[str, list[SectionRecord]] = {}
    for group in sections.GROUPS:
        if group.category not in readable:
            continue
        views = []
        for code in group.sections:
            kind = sections.kind(code)
            entries = _entries(person, kind)
            read[code] = entries
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
    record = None
    if Category.ACP in readable:
        # DOS-11: the consent record shown beside capacity, read with the acp category. The
        # newest one, so that a withdrawal shows as such.
        now = timezone.now()
        record = (
            Consent.objects.filter(person=person, basis=Consent.Basis.CONSENT, since__lte=now)
            .order_by("-since", "-pk")
            .first()
        )
        consent = presenters.consent_status(record, you=False, url="", now=now).text
    return Dossier(groups, weekly, problems, consent, read, record)


# ── The dossier page: the summary on top, the sections below (issue 11) ──────────────────────


@dataclass(frozen=True)
class DossierPage:
    person: Person
    dossier: Dossier
    summary: presenters.Summary
    flags: rules.PersonPageFlags


def dossier_page(actor: User, public_id: uuid.UUID | str) -> DossierPage:
    """The person, their dossier as open_dossier() reads and audits it, and the summary on top:
    the alerts, the consent, the coordinator and what changed since the reader's last visit.
    Everything in the summary comes from a category the reader may read, read with it; the
    sections come folded, but for those with an alert, each with its last change."""
    person, identity = _identity(actor, public_id)
    flags = rules.person_page_flags(actor, person)
    # Before this visit is audited: the reader's previous opening of the dossier.
    last_visit = _last_visit(actor, person)
    content = dossier(actor, person, also_audited=[(identity, PERSON_VIEWED)])
    readable = [code for group in content.groups for code in sections.group(group.code).sections]
    log_url = reverse("audit:person-log", args=[person.public_id]) if flags.manages_own_rights else ""
    alerts = dossier_alerts(actor, person, content, log_url=log_url)
    changes: list[dict[str, Any]] = []
    if last_visit is not None:
        changes = [row for row in _history(person, readable, since=last_visit) if row["user"] != actor.pk]
    open_groups = frozenset(sections.group_of(alert.section).code for alert in alerts if alert.section)
    summary = presenters.Summary(
        alerts=alerts,
        consent=_consent_status(actor, person, content, flags),
        coordinators=_coordinators(actor, person) if _reads(content, Category.TEAM) else None,
        team_url=reverse("teams:team", args=[person.public_id]),
        last_visit=presenters.when(last_visit),
        changes=_changes_since(person, changes),
        open_groups=open_groups,
    )
    content = _with_last_changes(content, _history(person, readable, newest_only=True), open_groups)
    return DossierPage(person, content, summary, flags)


def _reads(content: Dossier, category: str) -> bool:
    return any(group.category == category for group in content.groups)


def _last_visit(actor: User, person: Person) -> datetime | None:
    """When the reader last opened this dossier: their newest granted read of it in the access
    log (docs/decisions.md, issue 11)."""
    visits = AuditEntry.objects.filter(person=person, actor=actor, action=PERSON_VIEWED, allowed=True)
    return visits.order_by("-created_at").values_list("created_at", flat=True).first()


def _history(
    person: Person, codes: list[str], *, since: datetime | None = None, newest_only: bool = False
) -> list[dict[str, Any]]:
    """Changes to the person's sections `codes` (those the reader may read), newest first, as
    {section, when, user, name}, removals included: one query for all the sections (a UNION of
    their history tables). `since`: the changes after that moment; `newest_only`: each
    section's newest change."""
    parts = []
    for code in codes:
        history = sections.kind(code).model.history
        rows = history.filter(person_id=person.pk)
        if since is not None:
            rows = rows.filter(history_date__gt=since)
        if newest_only:
            newest = history.filter(person_id=person.pk).order_by("-history_date").values("history_date")[:1]
            rows = rows.filter(history_date=Subquery(newest))
        parts.append(
            rows.annotate(section=Value(code, output_field=CharField()))
            .values("section", "history_date", "history_user_id", "history_user__full_name", "history_user__email")
            .order_by()  # the history's default ordering is not allowed in a UNION's parts
        )
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return [
        {
            "section": row["section"],
            "when": row["history_date"],
            "user": row["history_user_id"],
            "name": row["history_user__full_name"] or row["history_user__email"] or _("the system"),
        }
        for row in sorted(union, key=lambda row: row["history_date"], reverse=True)
    ]


def _section_url(person: Person, code: str) -> str:
    return presenters.section_urls(sections.kind(code), person.public_id)[0]


def dossier_alerts(
    actor: User, person: Person, content: Dossier, *, log_url: str = "", with_emergency: bool = True
) -> list[presenters.Alert]:
    """What the reader must not miss, from the sections of the dossier they may read (only those
    were read, so a category they may not read gives no alert, and no trace of one): severe
    allergies, open medication problems, overdue vaccinations, the advance directive and the
    agreements about care, impaired decision-making capacity; then any emergency access open
    now that the reader may know of (access.rules.sees_open_emergency_accesses), linked to
    `log_url` (the person's access log, for those who may read it) or to "why can I see this?"."""
    entries = content.entries
    alerts: list[presenters.Alert] = []
    for grant in _emergency_accesses(actor, person) if with_emergency else []:
        own = grant.actor_id == actor.pk
        url = log_url or reverse("access:explain", args=[person.public_id])
        alerts.append(presenters.emergency_alert(grant, own=own, url=url))
    for allergy in cast(list[Allergy], entries.get("allergies", [])):
        if allergy.severity == Allergy.Severity.SEVERE:
            alerts.append(presenters.allergy_alert(allergy, _section_url(person, "allergies"), "allergies"))
    if "medication_problems" in entries:
        url = _section_url(person, "medication_problems")
        problems = cast(list[MedicationProblem], entries["medication_problems"])
        alerts.extend(presenters.problem_alert(p, url, "medication_problems") for p in problems if p.is_open)
    today = timezone.localdate()
    for vaccination in overdue_vaccinations(cast(list[Vaccination], entries.get("vaccinations", [])), today):
        alerts.append(presenters.overdue_alert(vaccination, _section_url(person, "vaccinations"), "vaccinations"))
    for planning in cast(list[CarePlanning], entries.get("care_planning", [])):
        alerts.extend(presenters.directive_alerts(planning, _section_url(person, "care_planning"), "care_planning"))
    assessments = cast(list[CapacityAssessment], entries.get("capacity", []))
    if assessments:
        newest = max(assessments, key=lambda a: (a.assessed_on, a.pk))
        if newest.outcome == CapacityAssessment.Outcome.IMPAIRED:
            alerts.append(presenters.capacity_alert(newest, _section_url(person, "capacity"), "capacity"))
    return alerts


def overdue_vaccinations(vaccinations: list[Vaccination], today: date) -> list[Vaccination]:
    """The vaccines whose newest dose set a next one due before today: a dose given since then,
    recorded as a new row, means it is not overdue."""
    newest: dict[str, Vaccination] = {}
    for vaccination in vaccinations:
        key = vaccination.vaccine.strip().casefold()
        if key not in newest or (vaccination.given_on, vaccination.pk) > (newest[key].given_on, newest[key].pk):
            newest[key] = vaccination
    due = [v for v in newest.values() if v.next_due is not None and v.next_due < today]
    return sorted(due, key=lambda v: cast(date, v.next_due))


def _emergency_accesses(actor: User, person: Person) -> list[BreakGlassAccess]:
    """The emergency accesses open now: all of them for those who are told of each
    (access.rules.sees_open_emergency_accesses), otherwise only the reader's own."""
    grants = BreakGlassAccess.objects.active().filter(person=person).select_related("actor").order_by("since")
    if not rules.sees_open_emergency_accesses(actor, person):
        grants = grants.filter(actor=actor)
    return list(grants)


def _consent_status(
    actor: User, person: Person, content: Dossier, flags: rules.PersonPageFlags
) -> presenters.Alert | None:
    """The consent status, with the way to the consent page for those who may go there; None
    when the reader may not read advance care planning and consent (acp)."""
    if not _reads(content, Category.ACP):
        return None
    now = timezone.now()
    record = content.consent_record
    given = record is not None and (record.until is None or record.until > now)
    url = ""
    if flags.manages_own_rights:
        url = reverse("access:consent", args=[person.public_id])
    elif flags.may_record_consent and not given:  # the way to record it, while there is none
        url = reverse("access:consent-record", args=[person.public_id])
    you = any(rel.kind == "self" for rel in gate.relationships_at(actor, person, None))
    return presenters.consent_status(record, you=you, url=url, now=now)


def _coordinators(actor: User, person: Person) -> list[presenters.CoordinatorView]:
    """The care coordinator(s) and how to reach them, for a reader of the team: the priority
    number and e-mail only for a professional (access.rules.sees_professional_contacts)."""
    professional = rules.sees_professional_contacts(actor, person)
    members = Membership.objects.active().filter(person=person, is_coordinator=True).select_related("user")
    # One user may hold two memberships after two records were merged; name them once.
    unique = {m.user_id: m for m in members.order_by("since", "pk")}
    return [presenters.coordinator_view(m, professional=professional) for m in unique.values()]


def _changes_since(person: Person, changes: list[dict[str, Any]]) -> list[presenters.SectionChange]:
    """Per section, newest first: who changed it since the reader's last visit, and when last."""
    by_section: dict[str, list[dict[str, Any]]] = {}
    for row in changes:  # newest first
        by_section.setdefault(row["section"], []).append(row)
    return [
        presenters.section_change(
            str(sections.kind(code).title),
            list(dict.fromkeys(row["name"] for row in rows)),
            rows[0]["when"],
            _section_url(person, code),
        )
        for code, rows in by_section.items()
    ]


def _with_last_changes(content: Dossier, newest: list[dict[str, Any]], open_groups: frozenset[str]) -> Dossier:
    """The dossier with each section's and group's "last changed by … on …", and the groups
    with an alert shown open (the others folded)."""
    last: dict[str, dict[str, Any]] = {}
    for row in newest:  # newest first: a section's first row is its newest change
        last.setdefault(row["section"], row)
    groups = []
    for group in content.groups:
        views = [
            replace(view, last_change=presenters.last_change(last[view.code]["name"], last[view.code]["when"]))
            if view.code in last
            else view
            for view in group.sections
        ]
        rows = [last[view.code] for view in group.sections if view.code in last]
        newest_row = max(rows, key=lambda row: row["when"]) if rows else None
        groups.append(
            replace(
                group,
                sections=views,
                is_open=group.code in open_groups,
                last_change=presenters.last_change(newest_row["name"], newest_row["when"]) if newest_row else "",
            )
        )
    return replace(content, groups=groups)


def weekly_visits(actor: User, person: Person) -> presenters.WeeklyView:
    """Who comes to the house when (DOS-05), for the team page: gated and audited as a read of
    the person's situation, so a reader without it gets Refused (404)."""
    gate.check(actor, person, sections.kind("visits").category, Level.READ, action=Action.PEOPLE_WEEKLY_VISITS_VIEWED)
    return presenters.weekly_view(Visit.objects.filter(person=person))


def weekly_visits_for_reader(actor: User, person: Person) -> presenters.WeeklyView | None:
    """The weekly view for a page that shows it beside other things (the team page, assigning an
    action): asked first without a trace, so that a reader without the situation (family, a
    neighbour) leaves no refusal in the person's log each time; then read gated and audited."""
    category = sections.kind("visits").category
    if not gate.decide(actor, person, category, Level.READ).allowed:
        return None
    try:
        return weekly_visits(actor, person)
    except gate.Refused:
        return None


def section_history(person: Person, code: str) -> list[presenters.HistoryRow]:
    """Every change to a section of a person the caller has gated, newest first."""
    kind = sections.kind(code)
    records = list(kind.model.history.filter(person_id=person.pk).order_by("history_date", "history_id"))
    return presenters.history_rows(kind, records)
