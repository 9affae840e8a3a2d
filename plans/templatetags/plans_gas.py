"""Display helpers for the Goal Attainment Scaling templates."""

from django import template

from plans.gas.chart import signed as signed_level

register = template.Library()


@register.filter
def signed(level: int | None) -> str:
    """A level as people read it: +2, +1, 0, -1, -2 (with a true minus sign)."""
    return "" if level is None else signed_level(int(level))


@register.filter
def level_text(scale: object, level: int) -> str:
    """The scale's own words for a level."""
    return str(scale.text_for(int(level)))  # type: ignore[attr-defined]  # a GoalScale
