import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import UserSession
from accounts.tests.conftest import log_in
from audit.models import AuditEntry


def _person_api_url(person) -> str:
    return f"/api/persons/{person.public_id}"


def test_deactivating_ends_sessions_and_tokens_at_once(zone_admin, gp, person):
    browser = Client()
    assert log_in(browser, gp.email).status_code == 302
    assert browser.get("/").status_code == 200
    _token, key = services.create_token(gp, "practice software")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get(_person_api_url(person)).status_code == 200
    session_key = browser.session.session_key
    assert UserSession.objects.filter(user=gp, session_key=session_key).exists()

    services.deactivate_account(zone_admin, gp)

    gp.refresh_from_db()
    assert (gp.is_active, gp.deactivated_at is not None) == (False, True)
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=gp).exists()
    assert gp.api_tokens.filter(revoked_at=None).count() == 0
    response = browser.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert api.get(_person_api_url(person)).status_code == 401
    entry = AuditEntry.objects.get(action="accounts.account_deactivated")
    assert (entry.actor_id, entry.event, entry.allowed, entry.reason) == (zone_admin.pk, "account", True, "granted")
    assert entry.detail == {"user": str(gp.public_id)}


def test_a_deactivated_account_cannot_log_in(zone_admin, gp):
    services.deactivate_account(zone_admin, gp)
    response = log_in(Client(), gp.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def test_other_users_sessions_survive(zone_admin, gp, nurse):
    nurse_browser = Client()
    log_in(nurse_browser, nurse.email)
    services.deactivate_account(zone_admin, gp)
    assert nurse_browser.get("/").status_code == 200


def test_logging_out_forgets_the_session(gp):
    browser = Client()
    log_in(browser, gp.email)
    assert UserSession.objects.filter(user=gp).count() == 1
    browser.post(reverse("accounts:logout"))
    assert UserSession.objects.filter(user=gp).count() == 0


def test_a_new_login_forgets_ended_sessions(gp):
    first = Client()
    log_in(first, gp.email)
    Session.objects.all().delete()  # e.g. expired and cleared
    log_in(Client(), gp.email)
    assert UserSession.objects.filter(user=gp).count() == 1


def test_only_the_zone_admin_deactivates(gp, nurse):
    with pytest.raises(Http404):
        services.deactivate_account(gp, nurse)
    nurse.refresh_from_db()
    assert nurse.is_active is True


def test_the_zone_admin_cannot_deactivate_themself(zone_admin):
    with pytest.raises(ValidationError) as raised:
        services.deactivate_account(zone_admin, zone_admin)
    assert raised.value.code == "own_account"
    zone_admin.refresh_from_db()
    assert zone_admin.is_active is True


def test_reactivating_lets_the_user_log_in_again_but_tokens_stay_revoked(zone_admin, gp):
    services.create_token(gp, "script")
    services.deactivate_account(zone_admin, gp)

    services.reactivate_account(zone_admin, gp)

    gp.refresh_from_db()
    assert (gp.is_active, gp.deactivated_at) == (True, None)
    assert gp.api_tokens.filter(revoked_at=None).count() == 0
    assert log_in(Client(), gp.email).status_code == 302
    assert AuditEntry.objects.filter(action="accounts.account_reactivated", actor_id=zone_admin.pk).count() == 1


def test_the_accounts_page_deactivates_and_reactivates(zone_admin_client, gp):
    page = zone_admin_client.get(reverse("accounts:users"), {"q": "peeters"})
    assert [account.pk for account in page.context["page"].object_list] == [gp.pk]

    response = zone_admin_client.post(reverse("accounts:user-deactivate", args=[gp.public_id]))
    assert response.status_code == 302
    gp.refresh_from_db()
    assert gp.is_active is False

    zone_admin_client.post(reverse("accounts:user-reactivate", args=[gp.public_id]))
    gp.refresh_from_db()
    assert gp.is_active is True


def test_deactivating_twice_shows_a_message_and_changes_nothing(zone_admin, zone_admin_client, gp):
    services.deactivate_account(zone_admin, gp)
    gp.refresh_from_db()
    before = gp.deactivated_at
    response = zone_admin_client.post(reverse("accounts:user-deactivate", args=[gp.public_id]), follow=True)
    assert "This account is already deactivated." in response.content.decode()
    gp.refresh_from_db()
    assert gp.deactivated_at == before


def test_a_gp_cannot_use_the_deactivate_page(gp_client, nurse):
    response = gp_client.post(reverse("accounts:user-deactivate", args=[nurse.public_id]))
    assert response.status_code == 404
    nurse.refresh_from_db()
    assert nurse.is_active is True
