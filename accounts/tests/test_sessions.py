import os
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.conftest import log_in


def test_sessions_expire_after_idle_time_not_after_login():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    idle_seconds = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
    assert idle_seconds == settings.SESSION_COOKIE_AGE


def test_each_request_pushes_the_expiry_forward(gp):
    client = Client()
    log_in(client, gp.email)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=60))
    before = timezone.now()

    assert client.get("/").status_code == 200

    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry >= before + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_idle_session_is_sent_to_the_login_page(gp):
    client = Client()
    log_in(client, gp.email)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/account/settings/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/account/settings/"
