"""The public HSDS 3.1 read API under /hsds/: every path of the 3.1 openapi.json, responses valid
against the 3.1 schemas, paging, filters, public (no contact for professionals), rate-limited."""

import base64
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils.http import urlencode

from directory import models as m
from directory.hsds_api import hsds_api
from interop.hsds import schema
from interop.tests import samples

PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
SERVICE = samples.uid("service", 1)


def get(client, path: str, **params: Any):
    response = client.get(f"/hsds{path}" + (f"?{urlencode(params)}" if params else ""))
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response.json()


def assert_page(body: dict, obj: str, total: int) -> list[dict]:
    assert set(body) == PAGE_KEYS
    assert body["total_items"] == total
    for item in body["contents"]:
        assert schema.validate("3.1", obj, item) == [], item
    return body["contents"]


def test_every_path_of_the_31_openapi_is_served(client, published):
    spec = json.loads((Path(schema.SCHEMA_DIR) / "3.1" / "openapi.json").read_text())
    examples = {
        "/services/{id}": SERVICE,
        "/organizations/{id}": samples.uid("organization", 1),
        "/taxonomies/{id}": samples.uid("taxonomy", 0),
        "/taxonomy_terms/{id}": samples.uid("term", 0),
        "/service_at_locations/{id}": samples.uid("sal", 1),
    }
    for path, operations in spec["paths"].items():
        assert "get" in operations
        url = path.replace("{id}", examples.get(path, ""))
        response = client.get(f"/hsds{url}")
        assert response.status_code == 200, path


def test_the_root_says_the_version(client, published):
    body = get(client, "/")
    assert body["version"] == "3.1"
    assert body["openapi_url"] == "http://testserver/hsds/openapi.json"
    assert client.get("/hsds/openapi.json").status_code == 200


def test_services_are_paged(client, published):
    first = get(client, "/services", per_page=2)
    assert_page(first, "service", 3)
    assert (first["total_pages"], first["page_number"], first["size"], first["first_page"], first["last_page"]) == (
        2,
        1,
        2,
        True,
        False,
    )
    second = get(client, "/services", per_page=2, page=2)
    assert (second["size"], second["last_page"], second["empty"]) == (1, True, False)
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert ids == sorted(samples.uid("service", n) for n in (1, 2, 3))
    assert "phones" not in first["contents"][0]  # one-to-one fields only


def test_full_services_are_nested_and_valid(client, published):
    services = assert_page(get(client, "/services", full="true", lang="fr"), "service", 3)
    assert {s["name"] for s in services} == {f"Soins infirmiers à domicile {n}" for n in (1, 2, 3)}
    assert services[0]["capacities"][0]["unit"]["name"] == "patients"


def test_minimal_and_ndjson(client, published):
    minimal = get(client, "/services", minimal="true")["contents"]
    assert sorted(minimal[0]) == ["id", "last_modified"]
    response = client.get("/hsds/services?format=ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["Content-Type"] == "application/x-ndjson"
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(samples.uid("service", n) for n in (1, 2, 3))


def test_service_filters(client, published):
    assert get(client, "/services", taxonomy_term_id=samples.uid("term", 0))["total_items"] == 3
    assert get(client, "/services", taxonomy_id=samples.uid("taxonomy", 0))["total_items"] == 3
    assert get(client, "/services", taxonomy_term_id=samples.uid("term", 9))["total_items"] == 0
    by_organization = get(client, "/services", organization_id=samples.uid("organization", 2))
    assert [s["id"] for s in by_organization["contents"]] == [samples.uid("service", 2)]
    assert [s["id"] for s in get(client, "/services", search="domicile 3")["contents"]] == [samples.uid("service", 3)]
    assert get(client, "/services", modified_after="2999-01-01T00:00:00Z")["empty"] is True


def test_one_service_in_each_language(client, published):
    dutch = get(client, f"/services/{SERVICE}", lang="nl")
    french = get(client, f"/services/{SERVICE}", lang="fr")
    assert schema.validate("3.1", "service", dutch) == []
    assert (dutch["id"], dutch["name"], french["name"]) == (
        SERVICE,
        "Thuisverpleging 1",
        "Soins infirmiers à domicile 1",
    )
    assert client.get(f"/hsds/services/{samples.uid('service', 99)}").status_code == 404


def test_organizations(client, published):
    organizations = assert_page(get(client, "/organizations"), "organization", 3)
    assert organizations[0]["organization_identifiers"][0]["identifier_type"] == "KBO"
    one = get(client, f"/organizations/{samples.uid('organization', 1)}")
    assert schema.validate("3.1", "organization", one) == []
    assert one["services"] == [{"id": SERVICE}]
    full = get(client, f"/organizations/{samples.uid('organization', 1)}", full_service="true")
    assert schema.validate("3.1", "service", full["services"][0]) == []
    assert get(client, "/organizations", taxonomy_term_id=samples.uid("term", 0))["total_items"] == 3
    assert client.get(f"/hsds/organizations/{samples.uid('organization', 99)}").status_code == 404


def test_taxonomies_and_terms(client, published):
    taxonomies = assert_page(get(client, "/taxonomies"), "taxonomy", 1)
    assert taxonomies[0]["name"] == "Schakel needs"
    assert schema.validate("3.1", "taxonomy", get(client, f"/taxonomies/{samples.uid('taxonomy', 0)}")) == []
    terms = assert_page(get(client, "/taxonomy_terms", lang="fr"), "taxonomy_term", 2)
    codes = {t["code"]: t for t in terms}
    assert codes["home-nursing"]["name"] == "Soins infirmiers à domicile"
    assert get(client, "/taxonomy_terms", taxonomy_id=samples.uid("taxonomy", 0))["total_items"] == 1
    assert get(client, "/taxonomy_terms", top_only="true")["total_items"] == 2
    term = get(client, f"/taxonomy_terms/{samples.uid('term', 0)}", lang="nl")
    assert (term["name"], term["language"]) == ("Thuisverpleging", "nl")


def test_service_at_locations(client, published):
    links = assert_page(get(client, "/service_at_locations"), "service_at_location", 3)
    assert links[0]["service_id"] in {samples.uid("service", n) for n in (1, 2, 3)}
    assert get(client, "/service_at_locations", postcode="1030")["total_items"] == 3
    assert get(client, "/service_at_locations", postcode="2440")["total_items"] == 0
    full = get(client, "/service_at_locations", full="true")["contents"][0]
    assert schema.validate("3.1", "service_at_location", full) == []
    one = get(client, f"/service_at_locations/{samples.uid('sal', 1)}")
    assert schema.validate("3.1", "service_at_location", one) == []
    assert one["location"]["addresses"][0]["postal_code"] == "1030"


def test_nothing_for_professionals_only_is_ever_served(client, published):
    """A named contact (staff), its phone and the priority number are in the database, and in no answer."""
    assert m.Contact.objects.filter(name="Greet Staff").exists()
    responses = [
        client.get(f"/hsds{path}")
        for path in (
            f"/services/{SERVICE}",
            "/services?full=true",
            "/services?format=ndjson",
            f"/organizations/{samples.uid('organization', 1)}?full_service=true",
            "/organizations?full=true",
            "/service_at_locations?full=true",
            f"/service_at_locations/{samples.uid('sal', 1)}",
        )
    ]
    text = " ".join((b"".join(r.streaming_content) if r.streaming else r.content).decode() for r in responses)
    for secret in ("Greet Staff", "+3225550199", "+3225550177", "greet1@example.org", "coordinator"):
        assert secret not in text
    assert "+3225550100" in text


def test_every_operation_is_declared_public():
    operations = [
        operation.view_func
        for _prefix, router in hsds_api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]
    assert len(operations) == 11
    assert {getattr(view, "route_scope", None) for view in operations} == {"public"}


def test_the_api_is_rate_limited(client, published, settings):
    settings.DIRECTORY_HSDS_RATE = 3
    assert [client.get("/hsds/services").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_without_a_published_directory_lists_are_404(client, db):
    assert client.get("/hsds/services").status_code == 404


def test_a_new_forwarded_for_header_each_time_does_not_escape_the_limit(client, published, settings):
    settings.DIRECTORY_HSDS_RATE = 3
    answers = [client.get("/hsds/services", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1]["Retry-After"] == "60"


def test_the_export_pages_count_in_the_same_limit_whatever_the_header_says(client, published, settings):
    settings.DIRECTORY_HSDS_RATE = 2
    client.get("/hsds/services", HTTP_X_FORWARDED_FOR="203.0.113.1")
    client.get("/hsds/export/services.json?lang=nl", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert client.get("/hsds/export/datapackage.zip?lang=nl", HTTP_X_FORWARDED_FOR="203.0.113.3").status_code == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_appended(client, published, settings):
    settings.DIRECTORY_HSDS_RATE = 2
    settings.TRUSTED_PROXIES = 1

    def status(written_by_the_client: str, seen_by_the_proxy: str) -> int:
        forwarded = f"{written_by_the_client}, {seen_by_the_proxy}"
        return client.get("/hsds/services", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1").status_code

    assert [status(f"203.0.113.{n}", "198.51.100.7") for n in range(3)] == [200, 200, 429]
    assert status("203.0.113.9", "198.51.100.8") == 200  # another client behind the same proxy


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_the_cache_never_holds_a_client_address(client, published, settings, trusted_proxies):
    settings.TRUSTED_PROXIES = trusted_proxies
    addresses = {"REMOTE_ADDR": "198.51.100.23", "HTTP_X_FORWARDED_FOR": "203.0.113.77, 192.0.2.45"}
    assert client.get("/hsds/services", **addresses).status_code == 200
    assert client.get("/hsds/export/services.json?lang=nl", **addresses).status_code == 200
    assert client.get("/api/map/search", {"q": "thuisverpleging"}, **addresses).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {connection.ops.quote_name('schakel_cache')}")  # noqa: S608
        rows = cursor.fetchall()
    assert rows, "the requests were counted in the cache"
    stored = " ".join(key + " " + repr(pickle.loads(base64.b64decode(value))) for key, value in rows)  # noqa: S301
    for address in ("198.51.100.23", "203.0.113.77", "192.0.2.45"):
        assert address not in stored
