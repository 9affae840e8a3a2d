"""{% team_alerts %}: on a professional's home page, their teams without a care coordinator and
the handover queues waiting for them (teams.queries.home_alerts)."""

from typing import Any

from django import template

from teams import queries

register = template.Library()


@register.inclusion_tag("teams/_home_alerts.html", takes_context=True)
def team_alerts(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"alerts": []}
    return {"alerts": queries.home_alerts(user)}
