"""Display values for the access pages, so templates hold no logic."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access.models import Consent, MatrixCell, MatrixProfile
from core.i18n import pick
from core.vocab import Category, Level, Profile

if TYPE_CHECKING:
    from access.matrix import CellChange
    from access.queries import ConsentOverview

HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True)
class MatrixCellView:
    """One cell of the matrix page, in the reader's language."""

    profile: str
    category: str
    category_label: str
    level: str
    level_label: str
    rationale: str
    source: str
    edited_by_zone: bool


@dataclass(frozen=True)
class MatrixRow:
    profile: str
    label: str
    health_professional: bool
    cells: list[MatrixCellView]
    may_register: bool = False
    register_rationale: str = ""
    register_source: str = ""


def when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def day(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT") if value else ""


def source_label(source: str, *, internal: bool = False) -> str:
    """Where a matrix rule comes from, in the reader's language. The note that an assumption is
    still to be reviewed is internal (access.rules.reads_internal_notes)."""
    if source == "assumption":
        if internal:
            return _("our own choice, to be reviewed by the care zone")
        return _("a choice of the care zone, where the official rules say nothing")
    if source.startswith("seed 004"):
        return _("what the care councils of the Kempen asked for (report of 21 October 2025)")
    if source.startswith("REFERENCE.md"):
        return _("the access rules of the Belgian health hubs (%(reference)s)") % {"reference": source}
    return source


def level_label(code: str) -> str:
    return str(Level(code).label) if code in Level.values else "—"


def profile_label(code: str) -> str:
    return str(Profile(code).label) if code in Profile.values else code


def category_label(code: str) -> str:
    return str(Category(code).label) if code in Category.values else code


def category_labels(codes: Iterable[str]) -> str:
    return ", ".join(category_label(code) for code in sorted(codes))


def rationale(cell: MatrixCell) -> str:
    return pick(cell, "rationale")


def matrix_rows(*, internal: bool = False) -> tuple[list[tuple[str, str]], list[MatrixRow]]:
    cells = {(c.profile, c.category): c for c in MatrixCell.objects.all()}
    profiles = {row.code: row for row in MatrixProfile.objects.all()}
    columns = [(c.value, str(c.label)) for c in Category]
    rows = []
    for profile in Profile:
        row_cells = [
            MatrixCellView(
                profile=cell.profile,
                category=cell.category,
                category_label=category_label(cell.category),
                level=cell.level,
                level_label=level_label(cell.level),
                rationale=rationale(cell),
                source=source_label(cell.source, internal=internal),
                edited_by_zone=cell.edited_by_zone,
            )
            for c in Category
            if (cell := cells.get((profile.value, c.value))) is not None
        ]
        facts = profiles.get(profile.value)
        rows.append(
            MatrixRow(
                profile.value,
                str(profile.label),
                bool(facts and facts.health_professional),
                row_cells,
                may_register=bool(facts and facts.may_register),
                register_rationale=pick(facts, "register_rationale") if facts else "",
                register_source=source_label(facts.register_source) if facts else "",
            )
        )
    return columns, rows


@dataclass(frozen=True)
class CellView:
    profile: str
    category: str
    profile_label: str
    category_label: str
    level: str
    level_label: str
    shipped_level_label: str
    shipped_version: str
    rationale: str
    source: str
    edited: str  # "by whom, when" or ""
    version: int


def cell_view(cell: MatrixCell, *, internal: bool = False) -> CellView:
    edited = ""
    if cell.edited_by_zone:
        edited = _("%(name)s, %(when)s") % {"name": cell.edited_by or "—", "when": when(cell.edited_at)}
    return CellView(
        profile=cell.profile,
        category=cell.category,
        profile_label=profile_label(cell.profile),
        category_label=category_label(cell.category),
        level=cell.level,
        level_label=level_label(cell.level),
        shipped_level_label=level_label(cell.shipped_level),
        shipped_version=cell.shipped_version,
        rationale=rationale(cell),
        source=source_label(cell.source, internal=internal),
        edited=edited,
        version=cell.version,
    )


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    profile: str
    category: str
    profile_label: str
    category_label: str
    before: str
    after: str
    what: str


def history_page(number: str | int | None) -> Page[Any]:
    rows = MatrixCell.history.select_related("history_user").order_by("-history_date", "-history_id")
    return Paginator(rows, HISTORY_PAGE_SIZE).get_page(number)


def history_rows(records: Iterable[Any]) -> list[HistoryRow]:
    """Who changed which rule when, from what to what. The previous version of each record is
    looked up once per row (a page holds at most HISTORY_PAGE_SIZE)."""
    rows = []
    for record in records:
        previous = record.prev_record
        if record.history_type == "+":
            what = _("loaded from the shipped file")
        elif previous is not None and previous.level != record.level:
            what = _("level changed")
        else:
            what = _("reason, source or shipped level updated")
        rows.append(
            HistoryRow(
                when=when(record.history_date),
                who=str(record.history_user) if record.history_user else _("the shipped file (command line)"),
                profile=record.profile,
                category=record.category,
                profile_label=profile_label(record.profile),
                category_label=category_label(record.category),
                before=level_label(previous.level) if previous is not None else "—",
                after=level_label(record.level),
                what=str(what),
            )
        )
    return rows


@dataclass(frozen=True)
class ReloadLine:
    profile_label: str
    category_label: str
    current: str
    shipped_before: str
    shipped_now: str


@dataclass(frozen=True)
class ReloadPlan:
    new: list[ReloadLine]
    changed: list[ReloadLine]  # unedited cells that follow the file
    conflicts: list[ReloadLine]  # the zone's edit is kept
    agreed: list[ReloadLine]  # the zone's edit, which the file now also says

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.conflicts or self.agreed)


def reload_plan(changes: list["CellChange"]) -> ReloadPlan:
    plan = ReloadPlan([], [], [], [])
    for change in changes:
        line = ReloadLine(
            profile_label(change.profile),
            category_label(change.category),
            level_label(change.current),
            level_label(change.shipped_before),
            level_label(change.shipped_now),
        )
        if not change.current:
            plan.new.append(line)
        elif change.conflict:
            plan.conflicts.append(line)
        elif change.zone_edited:
            plan.agreed.append(line)
        else:
            plan.changed.append(line)
    return plan


@dataclass(frozen=True)
class ConsentLine:
    text: str
    since: str
    until: str
    active: bool


@dataclass(frozen=True)
class PersonLine:
    public_id: str
    name: str
    role: str
    since: str
    until: str
    scope: str = ""


@dataclass(frozen=True)
class ConsentView:
    consents: list[ConsentLine]
    exclusions: list[PersonLine]
    mandates: list[PersonLine]
    representatives: list[PersonLine]


def consent_text(consent: Consent) -> str:
    if consent.basis == Consent.Basis.LEGAL_BASIS:
        return _("Legal basis for %(holder)s (%(categories)s): %(basis)s") % {
            "holder": consent.holder or _("the care team"),
            "categories": category_labels(consent.categories) if consent.categories else _("everything"),
            "basis": consent.legal_basis,
        }
    if consent.given_by == "representative":
        return _("Consent given by the legal representative, recorded by %(name)s") % {"name": consent.recorded_by}
    return _("Consent given by the person, recorded by %(name)s") % {"name": consent.recorded_by}


def consent_view(overview: "ConsentOverview") -> ConsentView:
    now = timezone.now()
    return ConsentView(
        consents=[
            ConsentLine(consent_text(c), day(c.since), day(c.until), c.until is None or c.until > now)
            for c in overview.consents
        ],
        exclusions=[
            PersonLine(str(e.excluded.public_id), str(e.excluded), e.excluded.profile_label, day(e.since), "")
            for e in overview.exclusions
        ],
        mandates=[
            PersonLine(
                str(m.holder.public_id),
                str(m.holder),
                m.holder.profile_label,
                day(m.since),
                day(m.until),
                category_labels(m.categories),
            )
            for m in overview.mandates
        ],
        representatives=[
            PersonLine(
                str(r.representative.public_id), str(r.representative), r.legal_ground, day(r.since), day(r.until)
            )
            for r in overview.representations
        ],
    )
