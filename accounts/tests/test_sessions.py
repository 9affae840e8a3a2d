import os
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.conftest import log_in


def test_sessions_expire_after_idle_time_not_after_login():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    idle_seconds = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
    assert idle_seconds == settings.SESSION_COOKIE_AGE


def test_use_after_a_minute_pushes_the_expiry_forward(gp):
    client = Client()
    log_in(client, gp.email)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=60))
    session = client.session
    session["_renewed_at"] -= settings.SESSION_RENEW_SECONDS  # the last renewal was a minute ago
    session.save()
    before = timezone.now()

    assert client.get("/").status_code == 200

    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry >= before + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_use_within_the_minute_writes_no_session(gp):
    client = Client()
    log_in(client, gp.email)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date

    assert client.get("/").status_code == 200

    assert Session.objects.get(session_key=key).expire_date == first


def test_an_idle_session_is_sent_to_the_login_page(gp):
    client = Client()
    log_in(client, gp.email)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/account/settings/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/account/settings/"
