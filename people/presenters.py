"""Display values for the dossier pages, so templates hold no logic: each section's entries as
labelled values, the weekly view of who comes when, and the history of a section."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from access.models import BreakGlassAccess, Consent
from accounts.models import User
from core import phones
from people.models import (
    Allergy,
    CapacityAssessment,
    CarePlanning,
    ChoiceListField,
    MedicationIntake,
    MedicationProblem,
    SectionRecord,
    Vaccination,
    Visit,
)
from people.sections import SectionKind
from teams.models import Membership

PHONE_FIELDS = frozenset({"phone", "mobile"})
EMPTY = "—"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    phone: str = ""  # a phone field's stored number: templates render it with {% phone_link %}


@dataclass(frozen=True)
class EntryView:
    id: uuid.UUID
    version: int
    title: str
    facts: list[Fact]
    changed: str  # "Sofie Janssens, 3 March 2026 10:12"


@dataclass(frozen=True)
class SectionView:
    code: str
    title: str
    singleton: bool
    may_write: bool
    columns: list[str]
    entries: list[EntryView]
    url: str
    history_url: str
    last_change: str = ""  # "Last changed by … on …." (the dossier page)
    # Medication lines that were stopped, newest first: kept in view, apart from the schedule.
    stopped: list["StoppedView"] = field(default_factory=list)

    @property
    def entry(self) -> EntryView | None:
        """The one entry of a one-per-person section, if saved yet."""
        return self.entries[0] if self.entries else None


def label(model: type[models.Model], name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]  # a section's fields are concrete fields


def when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def display(model: type[models.Model], name: str, value: Any, users: dict[int, str] | None = None) -> str:
    """One field's value as a reader reads it, in the active language."""
    field = model._meta.get_field(name)
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(field, ChoiceListField):
        labels = dict(field.item_choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(field, models.Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.ForeignKey):
        return (users or {}).get(value, EMPTY) if isinstance(value, int) else str(value)
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if name in PHONE_FIELDS:
        return phones.display(value)
    return str(value)


def changed_by(entry: SectionRecord) -> str:
    if entry.updated_by_id is None:
        return when(entry.updated_at)
    return _("%(name)s, %(when)s") % {"name": entry.updated_by, "when": when(entry.updated_at)}


def entry_view(kind: SectionKind, entry: SectionRecord) -> EntryView:
    return EntryView(
        id=entry.public_id,
        version=entry.version,
        title=str(entry),
        facts=[
            Fact(
                label(kind.model, name),
                display(kind.model, name, getattr(entry, name)),
                phone=(getattr(entry, name) or "") if name in PHONE_FIELDS else "",
            )
            for name in kind.fields
        ],
        changed=changed_by(entry),
    )


def section_urls(kind: SectionKind, person_public_id: uuid.UUID) -> tuple[str, str]:
    if kind.code == "medication_problems":
        url = reverse("people:medication-problems", args=[person_public_id])
    else:
        url = reverse(f"people:section-{kind.slug}", args=[person_public_id])
    return url, reverse(f"people:history-{kind.slug}", args=[person_public_id])


@dataclass(frozen=True)
class StoppedView:
    """A stopped medication line: what it was, when and why it was stopped, and by whom."""

    title: str
    dose: str
    time: str
    stopped_on: str
    reason: str
    changed: str


def stopped_view(line: MedicationIntake) -> StoppedView:
    return StoppedView(
        title=line.medication,
        dose=line.dose,
        time=display(MedicationIntake, "time_of_day", line.time_of_day),
        stopped_on=formats.date_format(line.stopped_on, "DATE_FORMAT") if line.stopped_on else "",
        reason=line.stop_reason,
        changed=changed_by(line),
    )


def section_view(
    kind: SectionKind,
    entries: Sequence[SectionRecord],
    person_public_id: uuid.UUID,
    *,
    may_write: bool,
    stopped: Sequence[MedicationIntake] = (),
) -> SectionView:
    url, history_url = section_urls(kind, person_public_id)
    return SectionView(
        code=kind.code,
        title=str(kind.title),
        singleton=kind.singleton,
        may_write=may_write,
        columns=[label(kind.model, name) for name in kind.fields],
        entries=[entry_view(kind, entry) for entry in entries],
        url=url,
        history_url=history_url,
        stopped=[stopped_view(line) for line in stopped],
    )


def consent_line(consent: Any) -> str:
    """The person's consent to share with the care team, in one sentence."""
    if consent is None:
        return _("No consent to share with the care team is on file.")
    if consent.given_by == "representative":
        text = _("The legal representative consented to sharing with the care team on %(date)s.")
    else:
        text = _("The person consented to sharing with the care team on %(date)s.")
    return text % {"date": formats.date_format(timezone.localtime(consent.since), "DATE_FORMAT")}


# ── Medication problems ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ProblemView:
    id: uuid.UUID
    version: int
    kind: str
    medication: str
    description: str
    reported: str  # by whom, when
    owner: str
    is_open: bool
    handled: str  # by whom, when, how


def problem_view(problem: MedicationProblem) -> ProblemView:
    handled = ""
    if not problem.is_open:
        handled = _("%(name)s, %(when)s") % {"name": problem.handled_by, "when": when(problem.handled_at)}
        if problem.handled_note:
            handled += ": " + problem.handled_note
    return ProblemView(
        id=problem.public_id,
        version=problem.version,
        kind=problem.get_kind_display(),
        medication=problem.medication or EMPTY,
        description=problem.description,
        reported=_("%(name)s, %(when)s") % {"name": problem.reported_by, "when": when(problem.reported_at)},
        owner=str(problem.owner) if problem.owner_id else EMPTY,
        is_open=problem.is_open,
        handled=handled,
    )


# ── Who comes when (DOS-05) ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class VisitLine:
    start: str
    end: str
    who: str
    service: str
    tasks: str


@dataclass(frozen=True)
class Day:
    label: str
    visits: list[VisitLine]


@dataclass(frozen=True)
class WeeklyView:
    days: list[Day]
    count: int


def weekly_view(visits: Iterable[Visit]) -> WeeklyView:
    """Monday to Sunday, each day's visits in order of time; days without a visit stay, so a
    reader sees at a glance when nobody comes."""
    by_day: dict[int, list[VisitLine]] = {day: [] for day in range(7)}
    count = 0
    for visit in sorted(visits, key=lambda v: (v.weekday, v.start_time, v.pk)):
        by_day[visit.weekday].append(
            VisitLine(
                visit.start_time.strftime("%H:%M"),
                visit.end_time.strftime("%H:%M"),
                visit.who,
                visit.service,
                visit.tasks,
            )
        )
        count += 1
    return WeeklyView([Day(str(WEEKDAYS[day]), by_day[day]) for day in range(7)], count)


# ── History ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    what: str
    entry: str
    changes: list[Change]


def history_fields(kind: SectionKind) -> tuple[str, ...]:
    if kind.model is MedicationProblem:
        return (*kind.fields, "owner", "handled_at", "handled_by", "handled_note")
    if kind.model is MedicationIntake:
        return (*kind.fields, "stopped_on", "stop_reason")
    return kind.fields


def _raw(record: Any, name: str, model: type[models.Model]) -> Any:
    field = model._meta.get_field(name)
    return getattr(record, field.attname)  # type: ignore[union-attr]  # a section's fields are concrete fields


def history_rows(kind: SectionKind, records: Sequence[Any]) -> list[HistoryRow]:
    """Who changed what, when, before and after, newest first. `records` are the section's
    history rows for one person, oldest first; the previous version of each row is found in
    that same list, so the page costs one query however long the history."""
    fields = history_fields(kind)
    model = kind.model
    user_ids = {record.history_user_id for record in records if record.history_user_id}
    for record in records:
        for name in fields:
            if isinstance(model._meta.get_field(name), models.ForeignKey) and _raw(record, name, model):
                user_ids.add(_raw(record, name, model))
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}
    previous: dict[int, Any] = {}
    rows = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in fields:
            old = _raw(before, name, model) if before is not None else None
            new = _raw(record, name, model)
            if record.history_type == "-":
                continue
            if before is not None and old == new:
                continue
            if before is None and new in (None, "", []):
                continue
            changes.append(
                Change(
                    label(model, name),
                    display(model, name, old, users) if before is not None else EMPTY,
                    display(model, name, new, users),
                )
            )
        what = {"+": _("added"), "~": _("changed"), "-": _("removed")}[record.history_type]
        who = users.get(record.history_user_id, _("the system"))
        rows.append(HistoryRow(when(record.history_date), who, str(what), str(record.instance), changes))
        previous[record.id] = record
    rows.reverse()
    return rows


# ── The summary on top of the dossier page ───────────────────────────────────────────────────


@dataclass(frozen=True)
class Alert:
    level: str  # "danger", "warning" or "info": the style; the sentence says it in words too
    text: str
    url: str  # the page of the section it comes from
    section: str = ""  # that section's code


@dataclass(frozen=True)
class CoordinatorView:
    name: str
    role: str
    hours: str
    phone: str  # E.164 as stored; the template shows it with {% phone_link %}
    phone_24_7: str  # the whole team sees both numbers, the person's circle included
    priority_phone: str  # empty unless the reader is a professional
    priority_email: str  # empty unless the reader is a professional


@dataclass(frozen=True)
class SectionChange:
    section: str
    text: str  # "Medication schedule: changed by Sofie Janssens, last on 3 March 2026 10:12."
    url: str


@dataclass(frozen=True)
class Summary:
    alerts: list[Alert]
    consent: Alert | None  # None: the reader may not read the consent (acp)
    coordinators: list[CoordinatorView] | None  # None: the reader may not read the team
    team_url: str
    last_visit: str  # "" on the reader's first visit
    changes: list[SectionChange]
    open_groups: frozenset[str]  # the groups shown open: those with an alert


def day(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def allergy_alert(allergy: Allergy, url: str, section: str) -> Alert:
    params = {"substance": allergy.substance, "reaction": allergy.reaction}
    if allergy.reaction:
        return Alert("danger", _("Severe allergy to %(substance)s: %(reaction)s.") % params, url, section)
    return Alert("danger", _("Severe allergy to %(substance)s.") % params, url, section)


def problem_alert(problem: MedicationProblem, url: str, section: str) -> Alert:
    params = {
        "date": day(timezone.localtime(problem.reported_at).date()),
        "kind": problem.get_kind_display(),
        "medication": problem.medication,
    }
    if problem.medication:
        text = _("Open medication problem, reported on %(date)s: %(kind)s (%(medication)s).") % params
    else:
        text = _("Open medication problem, reported on %(date)s: %(kind)s.") % params
    return Alert("warning", text, url, section)


def overdue_alert(vaccination: Vaccination, url: str, section: str) -> Alert:
    params = {"vaccine": vaccination.vaccine, "date": day(vaccination.next_due)}
    return Alert("warning", _("Vaccination overdue: %(vaccine)s was due on %(date)s.") % params, url, section)


def directive_alerts(planning: CarePlanning, url: str, section: str) -> list[Alert]:
    """The advance directive and the agreements about care (a DNR code, no more hospital
    stays...), where a reader in an emergency looks first."""
    alerts = []
    if planning.has_directive:
        params = {"date": day(planning.directive_date), "where": planning.directive_kept}
        if planning.directive_date and planning.directive_kept:
            text = _("Advance directive of %(date)s, kept: %(where)s.") % params
        elif planning.directive_date:
            text = _("Advance directive of %(date)s.") % params
        elif planning.directive_kept:
            text = _("There is an advance directive, kept: %(where)s.") % params
        else:
            text = _("There is an advance directive.")
        alerts.append(Alert("info", text, url, section))
    if planning.remarks:
        alerts.append(
            Alert("info", _("Agreements about care: %(agreements)s") % {"agreements": planning.remarks}, url, section)
        )
    return alerts


def capacity_alert(assessment: CapacityAssessment, url: str, section: str) -> Alert:
    params = {
        "decisions": assessment.decisions,
        "date": day(assessment.assessed_on),
        "who": assessment.decides_when_impaired,
    }
    if assessment.decides_when_impaired:
        text = _("Not able to decide about %(decisions)s (assessed on %(date)s). Who decides: %(who)s.") % params
    else:
        text = _("Not able to decide about %(decisions)s (assessed on %(date)s).") % params
    return Alert("warning", text, url, section)


def consent_status(consent: Consent | None, *, you: bool, url: str, now: datetime) -> Alert:
    """The person's consent to share with the care team: none on file, given, or withdrawn.
    `you`: the reader is the person themself, addressed as "you"."""
    if consent is None:
        if you:
            return Alert("warning", _("You have not given consent to share with your care team."), url)
        return Alert("warning", _("No consent to share with the care team is on file."), url)
    if consent.until is not None and consent.until <= now:
        params = {"date": day(timezone.localtime(consent.until).date())}
        if you:
            return Alert(
                "warning", _("You withdrew your consent to share with your care team on %(date)s.") % params, url
            )
        return Alert("warning", _("Consent to share with the care team was withdrawn on %(date)s.") % params, url)
    if you:
        params = {"date": day(timezone.localtime(consent.since).date())}
        return Alert("info", _("You consented to sharing with your care team on %(date)s.") % params, url)
    return Alert("info", consent_line(consent), url)


def emergency_alert(grant: BreakGlassAccess, *, own: bool, url: str) -> Alert:
    params = {"name": grant.actor, "until": when(grant.until), "reason": grant.reason}
    if own:
        text = _("You are reading under emergency access until %(until)s. You cannot change anything.") % params
    else:
        text = _("%(name)s opened emergency access (until %(until)s). Reason given: %(reason)s") % params
    return Alert("danger", text, url)


def coordinator_view(membership: Membership, *, professional: bool) -> CoordinatorView:
    # The priority number and e-mail are for professionals only (TEAM-04), as on the team page.
    return CoordinatorView(
        name=str(membership.user),
        role=membership.profile_label,
        hours=membership.hours,
        phone=membership.phone,
        phone_24_7=membership.phone_24_7,
        priority_phone=membership.priority_phone if professional else "",
        priority_email=membership.priority_email if professional else "",
    )


def section_change(title: str, names: Sequence[str], last: datetime, url: str) -> SectionChange:
    params = {"section": title, "names": ", ".join(names), "when": when(last)}
    return SectionChange(title, _("%(section)s: changed by %(names)s, last on %(when)s.") % params, url)


def last_change(name: str, at: datetime) -> str:
    """A section's "last changed by … on …"."""
    return _("Last changed by %(name)s on %(when)s.") % {"name": name, "when": when(at)}
