"""The access matrix file: parse, check, load, and compare a newer file with the zone's edits.

The file is the shipped default; the database holds the matrix in force. Loading a newer file
changes only cells the zone has not edited; a cell the zone edited whose shipped value changed is
reported as a conflict and kept as the zone set it.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from access.models import MatrixCategory, MatrixCell, MatrixProfile
from core.vocab import Category, Level, Profile

LANGUAGES = ("en", "nl", "fr")


@dataclass(frozen=True)
class ShippedCell:
    profile: str
    category: str
    level: str
    source: str
    rationale: dict[str, str]


@dataclass(frozen=True)
class RegisterRule:
    """A profile's `may_register`: whether it may register a person, with source and rationale."""

    profile: str
    allowed: bool
    source: str
    rationale: dict[str, str]


@dataclass(frozen=True)
class MatrixFile:
    version: str
    health_professionals: frozenset[str]
    emergency_categories: frozenset[str]
    cells: dict[tuple[str, str], ShippedCell]
    registering: dict[str, RegisterRule]


def _register_rule(profile: str, row: dict[str, Any], problems: list[str]) -> RegisterRule:
    rule = row.get("may_register")
    if not isinstance(rule, dict):
        problems.append(f"{profile}: may_register is missing")
        return RegisterRule(profile, False, "", {})
    if not isinstance(rule.get("allowed"), bool):
        problems.append(f"{profile}.may_register: allowed must be true or false")
    if not rule.get("source"):
        problems.append(f"{profile}.may_register: source is missing")
    rationale = rule.get("rationale", {})
    if any(not rationale.get(lang) for lang in LANGUAGES):
        problems.append(f"{profile}.may_register: rationale needs en, nl and fr")
    return RegisterRule(profile, rule.get("allowed") is True, rule.get("source", ""), rationale)


def parse(data: dict[str, Any]) -> MatrixFile:
    """Check a parsed file: every profile and category code, every cell with level, source and
    rationale in three languages. Raises ValidationError naming what is wrong."""
    problems: list[str] = []
    profiles, categories = data.get("profiles", {}), data.get("categories", {})
    if set(profiles) != set(Profile.values):
        problems.append(f"profiles differ from the canonical list: {sorted(set(profiles) ^ set(Profile.values))}")
    if set(categories) != set(Category.values):
        problems.append(f"categories differ from the canonical list: {sorted(set(categories) ^ set(Category.values))}")
    cells: dict[tuple[str, str], ShippedCell] = {}
    registering: dict[str, RegisterRule] = {}
    for profile, row in profiles.items():
        registering[profile] = _register_rule(profile, row, problems)
        for category, cell in row.get("cells", {}).items():
            if cell.get("level") not in Level.values:
                problems.append(f"{profile}.{category}: level must be one of {Level.values}")
            if not cell.get("source"):
                problems.append(f"{profile}.{category}: source is missing")
            rationale = cell.get("rationale", {})
            if any(not rationale.get(lang) for lang in LANGUAGES):
                problems.append(f"{profile}.{category}: rationale needs en, nl and fr")
            cells[(profile, category)] = ShippedCell(
                profile, category, cell.get("level", ""), cell.get("source", ""), rationale
            )
        missing = set(Category.values) - set(row.get("cells", {}))
        if missing:
            problems.append(f"{profile}: cells missing for {sorted(missing)}")
    if not data.get("version"):
        problems.append("version is missing")
    if problems:
        raise ValidationError(problems, code="invalid_matrix_file")
    return MatrixFile(
        version=str(data["version"]),
        health_professionals=frozenset(code for code, row in profiles.items() if row.get("health_professional")),
        emergency_categories=frozenset(code for code, col in categories.items() if col.get("emergency")),
        cells=cells,
        registering=registering,
    )


def read_file(path: Path | None = None) -> MatrixFile:
    with open(path or settings.ACCESS_MATRIX_FILE, "rb") as handle:
        return parse(tomllib.load(handle))


@dataclass(frozen=True)
class CellChange:
    profile: str
    category: str
    current: str  # level in force now ("" for a new cell)
    shipped_before: str
    shipped_now: str
    zone_edited: bool

    @property
    def conflict(self) -> bool:
        """The zone edited the cell and the file changed it too: the zone's value is kept."""
        return self.zone_edited and self.shipped_before != self.shipped_now and self.current != self.shipped_now


def plan_reload(shipped: MatrixFile) -> list[CellChange]:
    """What loading this file would change (or refuse to change), cell by cell."""
    existing = {(c.profile, c.category): c for c in MatrixCell.objects.all()}
    changes = []
    for key, cell in sorted(shipped.cells.items()):
        row = existing.get(key)
        if row is None:
            changes.append(CellChange(*key, "", "", cell.level, False))
        elif row.shipped_level != cell.level or (not row.edited_by_zone and row.level != cell.level):
            changes.append(CellChange(*key, row.level, row.shipped_level, cell.level, row.edited_by_zone))
    return changes


def _load_flags(model: Any, codes: list[str], flagged: frozenset[str], field: str) -> None:
    """Create the rows of the matrix's profiles or categories, and set their flag from the file."""
    rows = {row.code: row for row in model.objects.all()}
    model.objects.bulk_create([model(code=code, **{field: code in flagged}) for code in codes if code not in rows])
    for code, row in rows.items():
        if getattr(row, field) != (code in flagged):
            setattr(row, field, code in flagged)
            row.save(update_fields=[field])


def _load_registering(registering: dict[str, RegisterRule]) -> None:
    """Set each profile's `may_register`, its source and rationale from the file (the zone does not
    edit them in the app; a profile the file leaves out may not register)."""
    for row in MatrixProfile.objects.all():
        rule = registering.get(row.code) or RegisterRule(row.code, False, "", {})
        wanted = {
            "may_register": rule.allowed,
            "register_source": rule.source,
            **{f"register_rationale_{lang}": rule.rationale.get(lang, "") for lang in LANGUAGES},
        }
        if any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.save(update_fields=list(wanted))


def load(shipped: MatrixFile, *, actor: Any = None) -> list[CellChange]:
    """Load the file: new cells are created, unedited cells follow the file, the zone's edits stay.
    Rationale and source always follow the file. Returns the changes (conflicts included).

    Only cells that change are saved, so the history (who, when, before -> after) holds real
    changes; `actor` is recorded as the history's user (None for `manage.py load_matrix`).
    """
    changes = plan_reload(shipped)
    with transaction.atomic():
        _load_flags(MatrixProfile, Profile.values, shipped.health_professionals, "health_professional")
        _load_flags(MatrixCategory, Category.values, shipped.emergency_categories, "emergency")
        _load_registering(shipped.registering)
        existing = {(c.profile, c.category): c for c in MatrixCell.objects.select_for_update()}
        new_rows = []
        for key, cell in shipped.cells.items():
            row = existing.get(key)
            text = {f"rationale_{lang}": cell.rationale[lang] for lang in LANGUAGES}
            if row is None:
                new_rows.append(
                    MatrixCell(
                        profile=cell.profile,
                        category=cell.category,
                        level=cell.level,
                        source=cell.source,
                        shipped_level=cell.level,
                        shipped_version=shipped.version,
                        **text,
                    )
                )
                continue
            wanted = {
                "level": row.level if row.edited_by_zone else cell.level,
                "shipped_level": cell.level,
                "source": cell.source,
                **text,
            }
            if all(getattr(row, name) == value for name, value in wanted.items()):
                continue
            for name, value in wanted.items():
                setattr(row, name, value)
            row.shipped_version = shipped.version
            row.version += 1  # an edit form opened before the reload must not overwrite it
            row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's hook
            row.save()
        # A first load creates every cell: in bulk, with their history rows.
        if new_rows:
            bulk_create_with_history(new_rows, MatrixCell, default_user=actor)
        # Unchanged cells now also come from this file; no history row is needed for that.
        MatrixCell.objects.exclude(shipped_version=shipped.version).update(shipped_version=shipped.version)
    return changes
