from django import template

from people.models import Person
from privacy.services import open_closure

register = template.Library()


@register.inclusion_tag("privacy/_closed_banner.html")
def closed_banner(person: Person) -> dict[str, object]:
    """The banner on a closed dossier: closed, when, why (shown to whoever may read the page)."""
    return {"closure": open_closure(person), "person": person}
