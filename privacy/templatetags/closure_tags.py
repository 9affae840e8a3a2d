from django import template

from people.models import Person
from privacy.services import closing_decision, open_closure

register = template.Library()


@register.inclusion_tag("privacy/_closed_banner.html")
def closed_banner(person: Person) -> dict[str, object]:
    """The banner on a closed dossier: closed, when, why (shown to whoever may read the page)."""
    return {"closure": open_closure(person), "person": person}


@register.simple_tag(takes_context=True)
def may_close_dossier(context: template.Context, person: Person) -> bool:
    """Whether to offer the closing page's link (the page checks again, audited)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or open_closure(person) is not None:
        return False
    return closing_decision(user, person).allowed
