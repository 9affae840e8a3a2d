"""Every page and API route declares its scope, and a test fails on any that does not:

- ``person``: takes a person (or something of theirs) and passes the access gate; outsiders
  get a 404 identical to a random id; answers are never cached.
- ``own_account``: the logged-in user's own things (home page, settings, tokens).
- ``public``: no login (login page, password reset, the public social map).

``methods`` lists the HTTP methods the generated outsider test sends to a person route.
``objects`` (person routes) names the request fields (query or body) that hold the id of one of
the person's things, with the kind of thing: the generated test sends the id of another
person's thing through this person's URL and expects the outsider's 404.
"""

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])


# The kinds of a person's things a route can take by id (tests/test_routes.py makes each).
SECTION_ENTRY = "section_entry"  # an entry of the section the route is about
MEDICATION_PROBLEM = "medication_problem"
MEMBERSHIP = "membership"  # a membership of the person's care team
HANDOVER_ITEM = "handover_item"
CLOSURE = "closure"  # a closing of the person's dossier (reopened by the zone admin)
POSSIBLE_DUPLICATE = "possible_duplicate"  # a record registered with the person's INSZ by someone else
MEETING = "meeting"  # a meeting about the person (meetings.Meeting)
EARLY_SIGNAL = "early_signal"  # an early signal recorded in the person's plan
LIFE_GOAL = "life_goal"  # a life goal of the person's care plan
GOAL = "goal"  # a care or support goal of the person's plan
PLAN_ACTION = "plan_action"  # an action of the person's plan (in the query, the body or the path)


def _mark(
    scope: str, methods: tuple[str, ...], objects: dict[str, str] | None = None, objects_with: tuple[str, ...] = ()
) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        view.route_scope = scope  # type: ignore[attr-defined]  # marks on the view, read by the route tests
        view.route_methods = methods  # type: ignore[attr-defined]  # marks on the view, read by the route tests
        view.route_objects = dict(objects or {})  # type: ignore[attr-defined]  # marks on the view, read by the route tests
        view.route_object_methods = objects_with or methods  # type: ignore[attr-defined]  # marks on the view, read by the route tests
        return view

    return decorate


def person_route(
    *methods: str, objects: dict[str, str] | None = None, objects_with: tuple[str, ...] = ()
) -> Callable[[F], F]:
    """`objects_with`: the methods that take the objects' ids (default: all of `methods`)."""
    return _mark("person", methods or ("GET",), objects, objects_with)


def own_account_route(*methods: str) -> Callable[[F], F]:
    return _mark("own_account", methods or ("GET",))


def public_route(*methods: str) -> Callable[[F], F]:
    return _mark("public", methods or ("GET",))


# Routes from Django and libraries that we mount but do not write, declared by URL prefix.
LIBRARY_ROUTE_SCOPES: dict[str, str] = {
    "django-admin/": "own_account",  # staff only; holds no person models (tested)
    "api/docs": "own_account",  # the OpenAPI page
    "api/openapi.json": "own_account",
    # The public HSDS API, a second NinjaAPI; each endpoint is @public_route (directory tests).
    "hsds/": "public",
}
