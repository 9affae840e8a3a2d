from django.http import HttpRequest

from access import rules


def access_flags(request: HttpRequest) -> dict[str, object]:
    """The menu entries of the zone roles, decided by access.rules (templates/base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": rules.navigation_flags(user)}
