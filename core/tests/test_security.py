"""Security headers and production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from demo import zone

ROOT = Path(settings.BASE_DIR)


def test_content_security_policy_allows_only_this_site(client):
    response = client.get("/account/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "http" not in policy  # no CDN or other origin
    assert "unsafe-inline" not in policy


def test_person_pages_and_api_answers_are_never_cached(gp_client, person):
    page = gp_client.get(f"/persons/{person.public_id}/")
    api = gp_client.get(f"/api/persons/{person.public_id}")
    assert page.status_code == 200 and api.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "no-store" in api["Cache-Control"]


def test_api_without_credentials_gets_401(client, person):
    assert client.get(f"/api/persons/{person.public_id}").status_code == 401


def _production_env() -> dict[str, str]:
    # Browser tests in the same run allow async-unsafe calls; a production check must not inherit that.
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "schakel.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-" + "x9Y8z7W6v5" * 3,
        "ALLOWED_HOSTS": "schakel.example.org",
    }


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_secure_cookies_and_require_a_second_factor():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SCHAKEL_REQUIRE_2FA, s.DEBUG, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "False", "True"], result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


@pytest.mark.django_db
def test_demo_loader_refuses_under_production_settings():
    from accounts.models import User

    with override_settings(SCHAKEL_ENVIRONMENT="production"), pytest.raises(ImproperlyConfigured):
        zone.load()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_demo_loader_runs_twice_without_change():
    from people.models import Person

    zone.load()
    counts = Person.objects.count()
    zone.load()
    assert Person.objects.count() == counts == len(zone.DEMO_PERSONS) + 1
