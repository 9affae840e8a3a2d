from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.conftest import log_in
from accounts.tests.factories import UserFactory


def test_choosing_a_language_is_kept_on_the_account(gp, gp_client):
    response = gp_client.post(reverse("accounts:set-language"), {"language": "fr", "next": "/account/settings/"})

    assert response.status_code == 302 and response["Location"] == "/account/settings/"
    gp.refresh_from_db()
    assert gp.language == "fr"
    assert '<html lang="fr">' in gp_client.get("/account/settings/").content.decode()


def test_the_kept_language_wins_over_a_stale_cookie(gp, gp_client):
    gp_client.post(reverse("accounts:set-language"), {"language": "en"})
    gp_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="en">' in gp_client.get("/").content.decode()


def test_logging_in_switches_to_the_accounts_language(db):
    user = UserFactory(language="fr")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert '<html lang="nl">' in client.get(reverse("accounts:login")).content.decode()

    response = log_in(client, user.email)

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_an_anonymous_choice_sets_only_the_cookie(db, client):
    response = client.post(reverse("accounts:set-language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"  # no open redirect
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()


def test_an_unknown_language_changes_nothing(gp, gp_client):
    gp_client.post(reverse("accounts:set-language"), {"language": "de"})
    gp.refresh_from_db()
    assert gp.language == "nl"
