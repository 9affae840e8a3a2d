import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken
from audit.models import AuditEntry


def _url(person) -> str:
    return f"/api/persons/{person.public_id}"


def test_a_token_acts_as_its_user_and_is_audited(gp, person):
    _token, key = services.create_token(gp, "practice software")

    response = Client().get(_url(person), headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200
    assert response.json()["family_name"] == "Wouters"
    entry = AuditEntry.objects.filter(action="people.person_viewed").get()
    assert (entry.actor_id, entry.person_id, entry.allowed) == (gp.pk, person.pk, True)
    assert ApiToken.objects.get(user=gp).last_used_at is not None


def test_a_token_of_an_outsider_gets_the_gates_404(outsider, person):
    _token, key = services.create_token(outsider, "script")
    response = Client().get(_url(person), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404
    assert AuditEntry.objects.get(actor_id=outsider.pk, action="people.person_viewed").allowed is False


def test_a_revoked_token_and_no_credentials_get_401(gp, person):
    token, key = services.create_token(gp, "old laptop")
    services.revoke_token(gp, token.public_id)

    assert Client().get(_url(person), headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert Client().get(_url(person)).status_code == 401
    assert Client().get(_url(person), headers={"Authorization": "Bearer sk_made_up"}).status_code == 401
    assert AuditEntry.objects.filter(action="people.person_viewed").count() == 0


def test_only_the_hash_of_the_key_is_stored(gp):
    token, key = services.create_token(gp, "script")
    assert token.key_hash == ApiToken.hash_key(key)
    assert key.startswith(token.prefix) and len(token.prefix) == 8
    assert key not in {token.key_hash, token.prefix, token.name}


def test_someone_elses_token_cannot_be_revoked(gp, nurse):
    token, _key = services.create_token(gp, "script")
    with pytest.raises(Http404):
        services.revoke_token(nurse, token.public_id)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_session_api_post_without_csrf_is_refused(gp):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(gp)

    refused = browser.post("/api/account/language", {"language": "fr"}, content_type="application/json")

    assert refused.status_code == 403
    gp.refresh_from_db()
    assert gp.language == "nl"

    browser.get(reverse("accounts:tokens"))  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/account/language", {"language": "fr"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 200
    gp.refresh_from_db()
    assert gp.language == "fr"


def test_a_token_post_needs_no_csrf(gp):
    _token, key = services.create_token(gp, "script")
    response = Client(enforce_csrf_checks=True).post(
        "/api/account/language",
        {"language": "en"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en"


def test_the_tokens_page_shows_a_new_key_once_then_only_its_prefix(gp_client, gp):
    created = gp_client.post(reverse("accounts:tokens"), {"name": "practice software"})

    assert created.status_code == 200
    key = created.context["new_key"]
    token = ApiToken.objects.get(user=gp)
    assert token.key_hash == ApiToken.hash_key(key)
    assert key in created.content.decode()
    listed = gp_client.get(reverse("accounts:tokens")).content.decode()
    assert key not in listed
    assert token.prefix in listed and "practice software" in listed


def test_the_tokens_page_refuses_a_token_without_a_name(gp_client, gp):
    response = gp_client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["new_key"] is None
    assert ApiToken.objects.filter(user=gp).count() == 0


def test_the_tokens_page_revokes_a_token(gp_client, gp):
    token, _key = services.create_token(gp, "script")

    response = gp_client.post(reverse("accounts:token-revoke", args=[token.public_id]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.token_revoked", actor_id=gp.pk).count() == 1


def test_revoking_another_users_token_through_the_page_is_a_404(gp, outsider_client):
    token, _key = services.create_token(gp, "script")
    response = outsider_client.post(reverse("accounts:token-revoke", args=[token.public_id]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_me_answers_who_the_token_acts_as(gp):
    _token, key = services.create_token(gp, "script")
    response = Client().get("/api/account/me", headers={"Authorization": f"Bearer {key}"})
    assert response.json() == {
        "id": str(gp.public_id),
        "email": gp.email,
        "full_name": "Dr. An Peeters",
        "profile": "gp",
        "language": "nl",
    }
