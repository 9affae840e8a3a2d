"""Every route declares its scope; every person-scoped route refuses an outsider with the same
404 as a random id, leaks nothing and audits the refusal; a team member is let through."""

import json
import uuid
from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Category, Profile
from people.models import Person
from people.tests.factories import PersonFactory, join_team, medication_problem, section_row
from plans.models import EarlySignal, Goal, LifeGoal, PlanAction
from privacy.models import Closure
from schakel.routes import (
    CLOSURE,
    EARLY_SIGNAL,
    GOAL,
    HANDOVER_ITEM,
    LIFE_GOAL,
    MEDICATION_PROBLEM,
    MEETING,
    MEMBERSHIP,
    PLAN_ACTION,
    POSSIBLE_DUPLICATE,
    SECTION_ENTRY,
)
from teams.models import HandoverItem
from tests.routes import all_routes

ROUTES = all_routes()
PERSON_ROUTES = [
    pytest.param(route, method, id=f"{route.name}-{method}")
    for route in ROUTES
    if route.scope == "person"
    for method in route.methods
]


def test_every_route_declares_its_scope():
    undeclared = [f"{route.name} ({route.pattern})" for route in ROUTES if route.scope is None]
    assert undeclared == []


def test_there_are_person_routes_to_check():
    assert len(PERSON_ROUTES) >= 3


def test_no_person_model_is_in_the_django_admin():
    person_apps = {"people", "teams", "access", "audit", "notifications"}
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered & person_apps == set()


def _meeting_of(person):
    from meetings.models import Meeting

    starts = timezone.now() + timedelta(days=7)
    organiser = person.registered_by or UserFactory(profile=Profile.GP)
    return Meeting.objects.create(
        person=person, organiser=organiser, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )


def _goal_of(person):
    return Goal.objects.create(person=person, title="Veilig de trap op en af")


# Path parameters that name one of the person's things rather than the person: the test makes a
# real one of the person's, so that only the actor can be what refuses (a random id stays random;
# another person's thing: the app's own tests).
PATH_THINGS = {"meeting_id": _meeting_of, "goal_id": _goal_of}


def _ids(route, person) -> dict:
    if not isinstance(person, Person):
        return dict.fromkeys(route.params, person.public_id)
    return {
        param: PATH_THINGS[param](person).public_id if param in PATH_THINGS else person.public_id
        for param in route.params
    }


def _url(route, person, things=None) -> str:
    """The route's URL for the person; `things`: the ids of the person's things that the path
    takes besides the person's (an action's page), by parameter."""
    ids = {**_ids(route, person), **(things or {})}
    if route.pattern.startswith("api/"):
        path = route.pattern
        for param in route.params:
            path = path.replace("{" + f"{param}" + "}", str(ids[param]))
            path = path.replace("{uuid:" + f"{param}" + "}", str(ids[param]))
        return "/" + path
    return reverse(route.name, kwargs=ids)


def _path_things(route, person, member) -> dict:
    """A thing of the person for each of the route's path parameters that names one."""
    return {
        field: _thing_of(kind, route, person, member).public_id
        for field, kind in route.objects
        if field in route.params
    }


def _send(client, method, url):
    return getattr(client, method.lower())(url, content_type="application/json") if method != "GET" else client.get(url)


@pytest.mark.parametrize(("route", "method"), PERSON_ROUTES)
def test_outsider_gets_the_same_404_as_a_random_id(route, method, person, gp, outsider, outsider_client, person_client):
    things = _path_things(route, person, gp)
    before = AuditEntry.objects.filter(actor_id=outsider.pk, allowed=False).count()
    response = _send(outsider_client, method, _url(route, person, things))
    assert response.status_code == 404
    body = response.content.decode()
    assert person.family_name not in body and person.insz not in body
    assert AuditEntry.objects.filter(actor_id=outsider.pk, allowed=False).count() == before + 1

    class Random:
        public_id = uuid.uuid4()

    random_response = _send(outsider_client, method, _url(route, Random))
    assert random_response.status_code == 404
    assert random_response.content == response.content

    # The ids are real: the person themself is not refused.
    assert _send(person_client, method, _url(route, person, things)).status_code != 404


# ── A thing of one person reached through another person's URL ────────────────────────────────


def _section_of(route):
    """The dossier section a section route is about, from its name (people:section-<slug>,
    api:dossier-<slug>[-change|-remove], and people:medication-stop, api:dossier-medication-stop)."""
    from people import sections

    slug = route.name.split(":", 1)[1].removeprefix("section-").removeprefix("dossier-")
    slug = slug.removesuffix("-change").removesuffix("-remove").removesuffix("-stop")
    return next(kind for kind in sections.SECTIONS.values() if kind.slug == slug)


def _objects_of(route):
    for field, kind in route.objects:
        if kind == SECTION_ENTRY and _section_of(route).singleton:
            continue  # one row per person, never chosen by id
        yield field, kind


OBJECT_ROUTES = [
    pytest.param(route, method, field, kind, id=f"{route.name}-{method}-{field}")
    for route in ROUTES
    if route.scope == "person"
    for method in route.methods
    if method in route.object_methods
    for field, kind in _objects_of(route)
]


def _thing_of(kind, route, someone, reporter):
    if kind == SECTION_ENTRY:
        return section_row(someone, _section_of(route).code)
    if kind == MEDICATION_PROBLEM:
        return medication_problem(someone, reporter)
    if kind == MEMBERSHIP:
        return join_team(someone, UserFactory(profile=Profile.NURSE))
    if kind == HANDOVER_ITEM:
        return HandoverItem.objects.create(
            person=someone,
            from_user=reporter,
            kind="teams.message",
            app_label="teams",
            item_id=uuid.uuid4(),
            category=Category.TEAM,
            title="Call the pharmacy",
        )
    if kind == CLOSURE:
        return Closure.objects.create(
            person=someone, reason=Closure.Reason.DEATH, event_date=date.today(), closed_by=reporter
        )
    if kind == POSSIBLE_DUPLICATE:
        return PersonFactory(insz=None, claimed_insz=someone.insz or "", possible_duplicate_of=someone)
    if kind == PLAN_ACTION:
        # Straight on the row: the reporter must not join the other person's team to make it.
        owner = join_team(someone, UserFactory(profile=Profile.NURSE))
        return PlanAction.objects.create(
            person=someone, title="Trapleuning laten plaatsen", owner=owner, status=PlanAction.Status.DONE
        )
    if kind == MEETING:
        from meetings.models import Meeting

        start = timezone.now() - timedelta(hours=1)
        return Meeting.objects.create(
            person=someone, starts_at=start, ends_at=start + timedelta(hours=1), organiser=reporter
        )
    if kind == GOAL:
        return Goal.objects.create(person=someone, title="Veilig de trap op en af")
    if kind == LIFE_GOAL:
        return LifeGoal.objects.create(person=someone, text="Naar de markt", written_by="person")
    if kind == EARLY_SIGNAL:
        return EarlySignal.objects.create(person=someone, kind="fall", category=Category.MEDICAL, noted_by=reporter)
    raise AssertionError(f"No test object for {kind}; add one here.")


# Who may act on the route, so that only the id can be what refuses: the GP coordinates this
# person's team; only the zone admin reopens a dossier.
ACTING = {CLOSURE: "zone_admin"}


def _send_with(client, method, url, field, value, route, thing):
    """The id in the path (a route's own parameter, already in `url`), the query (GET, and the
    API's item parameter) or in the posted form; a section route's form carries the thing's values."""
    if field in route.params:
        return _send(client, method, url) if method == "GET" or route.pattern.startswith("api/") else client.post(url)
    if route.pattern.startswith("api/") or method == "GET":
        query = f"{url}?{field}={value}"
        if method == "GET":
            return client.get(query)
        body = json.dumps({field: str(value)})
        return getattr(client, method.lower())(query, body, content_type="application/json", HTTP_IF_MATCH='W/"1"')
    form = {
        field: str(value),
        "version": "1",
        "owner": "",
        "action": "handle" if route.name.endswith("problems") else "change",
        "note": "Closed by mistake.",
    }
    if any(kind == SECTION_ENTRY for _field, kind in route.objects):
        # A valid change, so that only the id can be what refuses it: the entry's own values.
        section = _section_of(route)
        values = model_to_dict(thing, fields=section.fields)
        form.update({name: v if isinstance(v, list) else str(v) for name, v in values.items() if v is not None})
    return client.post(url, form)


def test_there_are_routes_taking_a_persons_things_by_id():
    assert len(OBJECT_ROUTES) >= 10


@pytest.mark.parametrize(("route", "method", "field", "kind"), OBJECT_ROUTES)
def test_a_thing_of_another_person_is_not_found_through_this_persons_url(
    route, method, field, kind, person, gp, outsider_client, request
):
    """The GP coordinates this person's team and may change the dossier and the team (the zone
    admin reopens it); a thing of another person, whose team the GP is not on, is a 404 through
    this person's URL, stays as it was, and answers exactly as an id that exists nowhere: both
    leave a refused row in the access log.
    An outsider gets the 404 too."""
    actor = request.getfixturevalue(ACTING.get(kind, "gp"))
    client = client_for(actor)
    if kind == CLOSURE:
        Closure.objects.create(person=person, reason=Closure.Reason.DEATH, event_date=date.today(), closed_by=gp)
    someone_else = PersonFactory()
    thing = _thing_of(kind, route, someone_else, gp)
    refused = AuditEntry.objects.filter(actor_id=actor.pk, allowed=False)
    # The route's other path parameters name things of this person; the one tested, the other's.
    things = _path_things(route, person, gp)

    def url(value):
        return _url(route, person, {**things, field: value} if field in route.params else things)

    before = refused.count()
    response = _send_with(client, method, url(thing.public_id), field, thing.public_id, route, thing)
    assert response.status_code == 404
    assert model_to_dict(type(thing).objects.get(pk=thing.pk)) == model_to_dict(thing)
    assert refused.count() == before + 1

    # An id that exists nowhere gets the very same answer, audited alike. (A section route's
    # form is filled with the thing's values, so only the id differs.)
    unknown = uuid.uuid4()
    unknown_response = _send_with(client, method, url(unknown), field, unknown, route, thing)
    assert (unknown_response.status_code, unknown_response.content) == (404, response.content)
    assert refused.count() == before + 2
    outsider_response = _send_with(outsider_client, method, url(thing.public_id), field, thing.public_id, route, thing)
    assert outsider_response.status_code == 404
