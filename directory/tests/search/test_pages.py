"""The public social-map pages (no login), the JSON search API, rate limiting, aggregated search
words, and the zone admin's taxonomy pages."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from core.models import CareZone
from directory.search.index import rebuild_index
from directory.search.models import NeedTerm, SearchTermCount, TermSuggestion
from directory.tests.search.conftest import make_service
from schakel.api import api


@pytest.fixture
def offer(needs, dataset):
    stale = timezone.now() - timedelta(days=200)
    services = {
        "cleaning": make_service(
            dataset, name_nl="Poetsdienst Proper", name_fr="Aide ménagère Propre", needs=(needs["cleaning-help"],),
            postcodes=("1030",), languages=("nl", "fr"), capacity={"available": 0, "waiting_weeks": 6},
            public_phone="+3221234567", professional_phone="+3229999999",
        ),
        "meals": make_service(
            dataset, name_nl="Maaltijden aan huis Smaak", name_fr="Repas à domicile Saveur", needs=(needs["meals-at-home"],),
            postcodes=("1070",), capacity={"available": 3, "updated": stale},
        ),
        "welcome": make_service(
            dataset, name_nl="Welzijnsonthaal Noord", needs=(needs["welfare-reception"],),
            zone=CareZone.objects.get(name="bassin Nord-Est"),
        ),
        "grocery": make_service(dataset, name_nl="Sociale kruidenier Evere", needs=(needs["social-grocery"],), postcodes=("1140",)),
    }  # fmt: skip
    rebuild_index(dataset)
    return services


def _text(response) -> str:
    return response.content.decode()


def test_a_caregiver_searches_without_logging_in_and_sees_the_waiting_list(client, offer):
    response = client.get(reverse("directory:search"), {"q": "poetsvrouw", "place": "Schaarbeek"})
    assert response.status_code == 200
    body = _text(response)
    assert "Poetsdienst Proper" in body
    with translation.override(response["Content-Language"]):
        assert gettext("Waiting list") in body
        assert (
            ngettext("expected wait: about %(weeks)d week", "expected wait: about %(weeks)d weeks", 6) % {"weeks": 6}
            in body
        )
        assert gettext("last confirmed on %(date)s").split("%")[0].strip() in body
    assert "Maaltijden" not in body
    assert "no-store" not in response.get("Cache-Control", "")  # a public page


def test_stale_availability_is_flagged(client, offer):
    body = _text(client.get(reverse("directory:search"), {"q": "repas à domicile anderlecht"}))
    assert "Repas à domicile Saveur" in body or "Maaltijden aan huis Smaak" in body
    assert gettext("This information may be out of date: check by phone.") in body
    assert gettext("Availability not known") in body  # places free, but not confirmed recently


def test_professional_only_numbers_are_never_on_the_public_page(client, nurse, offer):
    url = reverse("directory:service", args=[offer["cleaning"].hsds_id])
    public = _text(client.get(url))
    assert "+3221234567" in public and "+3229999999" not in public
    client.force_login(nurse)
    assert "+3229999999" in _text(client.get(url))


def test_the_public_api_returns_ranked_services_with_hsds_ids_and_availability(client, offer):
    response = client.get("/api/map/search", {"q": "aide menagere schaerbeek", "language": "fr"})
    assert response.status_code == 200
    data = response.json()
    assert data["needs"][0]["code"] == "cleaning-help"
    assert data["place"]["nis_code"] == "21015"
    first = data["results"][0]
    assert first["id"] == offer["cleaning"].hsds_id
    assert first["availability"] == {
        "status": "waiting_list", "waiting_weeks": 6, "confirmed_at": first["availability"]["confirmed_at"], "stale": False
    }  # fmt: skip
    assert "+3229999999" not in response.content.decode()


def test_the_api_refuses_bad_input_and_is_in_the_openapi_page(client, offer):
    assert client.get("/api/map/search", {"q": "x", "language": "de"}).status_code == 422
    schema = api.get_openapi_schema()
    assert "/api/map/search" in schema["paths"]
    assert client.get("/api/map/needs").json()[0]["code"] == "home-nursing"


def test_the_public_search_is_rate_limited(client, offer, settings, monkeypatch):
    settings.DIRECTORY_SEARCH_RATE = 2
    # The count runs for a minute from the first request; a frozen clock keeps the pages' own time still.
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    url = reverse("directory:search")
    assert client.get(url, {"q": "poetshulp"}).status_code == 200
    assert client.get(url, {"q": "poetshulp"}).status_code == 200
    assert client.get(url, {"q": "poetshulp"}).status_code == 429
    assert client.get("/api/map/search", {"q": "poetshulp"}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(url, {"q": "poetshulp"}).status_code == 200


def test_only_aggregated_words_are_kept_without_the_query_or_the_address(client, offer):
    client.get(reverse("directory:search"), {"q": "Poetsvrouw voor mijn moeder 0471234567"}, REMOTE_ADDR="10.1.2.3")
    client.get(reverse("directory:search"), {"q": "poetsvrouw"})
    rows = {row.term: row.count for row in SearchTermCount.objects.all()}
    assert rows == {"poetsvrouw": 2}
    stored = " ".join(str(value) for row in SearchTermCount.objects.values() for value in row.values())
    assert "10.1.2.3" not in stored and "0471234567" not in stored


def test_old_search_words_are_purged(db, settings):
    settings.DIRECTORY_SEARCH_TERMS_DAYS = 30
    today = timezone.localdate()
    SearchTermCount.objects.create(day=today - timedelta(days=31), term="oud", count=3)
    SearchTermCount.objects.create(day=today - timedelta(days=30), term="recent", count=1)
    call_command("purge_search_terms", verbosity=0)
    assert list(SearchTermCount.objects.values_list("term", flat=True)) == ["recent"]


def test_where_do_i_start_lists_first_points_of_contact_near_the_place(client, offer):
    body = _text(client.get(reverse("directory:start"), {"place": "1030"}))
    assert "Welzijnsonthaal Noord" in body  # covers Schaarbeek through its care zone
    for need in NeedTerm.objects.filter(first_contact=True):
        assert need.name_nl in body  # anonymous visitors read Dutch unless they choose


def test_the_local_offer_of_a_municipality(client, offer):
    response = client.get(reverse("directory:municipality", args=["21006", "1140"]))
    assert response.status_code == 200
    assert "Sociale kruidenier Evere" in _text(response)
    assert client.get(reverse("directory:municipality", args=["99999", "0000"])).status_code == 404


@pytest.mark.parametrize("name", ["search", "start", "municipalities", "accessibility"])
def test_public_pages_open_without_login_in_each_language(client, offer, name):
    for language in ("nl", "fr", "en"):
        response = client.get(reverse(f"directory:{name}"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200


def test_an_unknown_service_is_not_found(client, offer):
    assert client.get(reverse("directory:service", args=["no-such-id"])).status_code == 404


def test_the_zone_admin_edits_a_need_and_sees_its_history(zone_admin_client, needs):
    need = needs["cleaning-help"]
    url = reverse("directory:need", args=["cleaning-help"])
    data = {name: getattr(need, name) for name in ("name_nl", "name_fr", "name_en", "description_nl", "description_fr",
                                                     "description_en", "everyday_words_nl", "everyday_words_fr", "jargon")}  # fmt: skip
    data |= {"everyday_words_nl": need.everyday_words_nl + "\nmenagere", "version": need.version}
    response = zone_admin_client.post(url, data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.lines("everyday_words_nl")[-1] == "menagere" and need.edited_fields == ["everyday_words_nl"]
    body = _text(zone_admin_client.get(url))
    assert "Karin Zonebeheer" in body


def test_others_cannot_edit_the_taxonomy(client, caregiver, helpdesk_client, needs):
    url = reverse("directory:need", args=["cleaning-help"])
    assert helpdesk_client.get(url).status_code == 200  # the helpdesk reads it
    assert helpdesk_client.post(url, {"name_nl": "X", "version": 1}).status_code == 403
    client.force_login(caregiver)
    assert client.get(reverse("directory:taxonomy")).status_code == 403
    assert NeedTerm.objects.get(code="cleaning-help").name_nl == "Poetshulp"


def test_a_curator_confirms_a_suggested_need_on_the_page(helpdesk_client, needs, dataset):
    service = make_service(dataset, name_nl="Minder Mobielen Centrale Jette", postcodes=("1090",))
    rebuild_index(dataset)
    assert helpdesk_client.post(reverse("directory:suggestions")).status_code == 302
    suggestion = TermSuggestion.objects.get(service=service)
    assert suggestion.term.code == "adapted-transport"
    assert "Minder Mobielen Centrale Jette" in _text(helpdesk_client.get(reverse("directory:suggestions")))
    response = helpdesk_client.post(
        reverse("directory:suggestion-decide", args=[suggestion.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    assert list(service.terms.values_list("code", flat=True)) == ["adapted-transport"]
