"""Display values for the access pages, so templates hold no logic."""

from dataclasses import dataclass

from django.utils import translation

from access.models import MatrixCell
from access.vocab import Category, Level, Profile


@dataclass(frozen=True)
class MatrixRow:
    profile: str
    label: str
    health_professional: bool
    cells: list[MatrixCell]


def rationale(cell: MatrixCell) -> str:
    language = translation.get_language() or "nl"
    return getattr(cell, f"rationale_{language[:2]}", "") or cell.rationale_en


def matrix_rows() -> tuple[list[tuple[str, str]], list[MatrixRow]]:
    from access.models import MatrixProfile

    cells = {(c.profile, c.category): c for c in MatrixCell.objects.all()}
    health = set(MatrixProfile.objects.filter(health_professional=True).values_list("code", flat=True))
    columns = [(c.value, str(c.label)) for c in Category]
    rows = []
    for profile in Profile:
        row_cells = [cells[(profile.value, c.value)] for c in Category if (profile.value, c.value) in cells]
        for cell in row_cells:
            cell.rationale_text = rationale(cell)  # type: ignore[attr-defined]
            cell.level_label = str(Level(cell.level).label)  # type: ignore[attr-defined]
        rows.append(MatrixRow(profile.value, str(profile.label), profile.value in health, row_cells))
    return columns, rows
