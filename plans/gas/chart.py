"""The progress charts' geometry, for a server-rendered inline SVG (plans/gas/_chart.html): no
script and no style attribute (the CSP allows neither), only SVG presentation attributes. The
pages put the same figures in a table next to each chart, so the chart is never the only way to
read them.

Review dates are spaced evenly rather than by calendar distance: the person reads "the next
review", and points weeks apart stay readable at 360 px.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats

WIDTH, HEIGHT = 320, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 14, 12, 34
MAX_DATE_LABELS = 4  # more would overlap at 360 px


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the value as the table shows it


@dataclass(frozen=True)
class Line:
    y: float
    label: str
    emphasis: bool = False  # the line of "as expected" (T 50, level 0)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    points: list[Point]
    grid: list[Line]
    dates: list[tuple[float, str]]
    baseline: float | None = None  # y of the dashed "at the start" line
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 18
    polyline: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "polyline", " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points))


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + span / 2
    return LEFT + span * index / (count - 1)


def _y(value: float, low: float, high: float) -> float:
    clamped = min(max(value, low), high)
    return TOP + (HEIGHT - TOP - BOTTOM) * (high - clamped) / (high - low)


def _date_labels(days: Sequence[date]) -> list[tuple[float, str]]:
    count = len(days)
    if count == 0:
        return []
    step = max(1, -(-(count - 1) // (MAX_DATE_LABELS - 1))) if count > MAX_DATE_LABELS else 1
    shown = sorted({*range(0, count, step), count - 1})
    return [(_x(i, count), formats.date_format(days[i], "SHORT_DATE_FORMAT")) for i in shown]


def signed(level: int) -> str:
    """A level as people read it: +2, +1, 0, and -1, -2 with a true minus sign (U+2212), which
    screen readers read aloud as "minus"."""
    return f"+{level}" if level > 0 else (f"−{-level}" if level < 0 else "0")


# T-scores run from about 13 to 87; the chart shows 20 to 80 and pins a rarer value to its edge.
T_LOW, T_HIGH = 20.0, 80.0


def t_chart(
    reviews: Sequence[tuple[date, Decimal]], *, title: str, description: str, baseline: Decimal | None = None
) -> Chart:
    days = [on for on, _t in reviews]
    points = [
        Point(_x(i, len(reviews)), _y(float(t), T_LOW, T_HIGH), formats.number_format(t, 2))
        for i, (_on, t) in enumerate(reviews)
    ]
    grid = [Line(_y(v, T_LOW, T_HIGH), str(v), emphasis=v == 50) for v in (30, 40, 50, 60, 70)]
    return Chart(
        title,
        description,
        points,
        grid,
        _date_labels(days),
        _y(float(baseline), T_LOW, T_HIGH) if baseline is not None else None,
    )


def level_chart(
    scores: Sequence[tuple[date, int]], *, title: str, description: str, baseline: int | None = None
) -> Chart:
    days = [on for on, _level in scores]
    points = [Point(_x(i, len(scores)), _y(level, -2, 2), signed(level)) for i, (_on, level) in enumerate(scores)]
    grid = [Line(_y(level, -2, 2), signed(level), emphasis=level == 0) for level in range(2, -3, -1)]
    return Chart(
        title, description, points, grid, _date_labels(days), _y(baseline, -2, 2) if baseline is not None else None
    )
