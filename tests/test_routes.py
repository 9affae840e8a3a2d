"""Every route declares its scope; every person-scoped route refuses an outsider with the same
404 as a random id, leaks nothing and audits the refusal; a team member is let through."""

import uuid

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditEntry
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


def _url(route, person) -> str:  # type: ignore[no-untyped-def]
    if route.pattern.startswith("api/"):
        path = route.pattern
        for param in route.params:
            path = path.replace("{" + f"{param}" + "}", str(person.public_id))
            path = path.replace("{uuid:" + f"{param}" + "}", str(person.public_id))
        return "/" + path
    return reverse(route.name, kwargs=dict.fromkeys(route.params, person.public_id))


def _send(client, method, url):  # type: ignore[no-untyped-def]
    return getattr(client, method.lower())(url, content_type="application/json") if method != "GET" else client.get(url)


@pytest.mark.parametrize(("route", "method"), PERSON_ROUTES)
def test_outsider_gets_the_same_404_as_a_random_id(route, method, person, outsider, outsider_client, person_client):
    before = AuditEntry.objects.filter(actor_id=outsider.pk, allowed=False).count()
    response = _send(outsider_client, method, _url(route, person))
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
    assert _send(person_client, method, _url(route, person)).status_code != 404
