import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import presenters
from accounts.tests.conftest import log_in
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.vocab import Profile

pytestmark = pytest.mark.django_db

WRONG_CODE = "This code is not right. Check that the time on your phone is correct and enter the newest code."


def current_code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


@pytest.fixture
def require_2fa():
    with override_settings(SCHAKEL_REQUIRE_2FA=True):
        yield


@pytest.mark.usefixtures("require_2fa")
@pytest.mark.parametrize("page", ["/", "/account/settings/", "/account/tokens/"])
def test_a_professional_without_a_device_is_sent_to_setup_from_any_page(gp_client, page):
    response = gp_client.get(page, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor-setup") + "?next=")
    assert response.status_code == 200
    assert response.context["next"] == page


@pytest.mark.usefixtures("require_2fa")
def test_setting_up_with_a_valid_code_lets_the_professional_through(gp, gp_client):
    setup = gp_client.get(reverse("accounts:second-factor-setup") + "?next=/")
    device = TOTPDevice.objects.get(user=gp)
    assert device.confirmed is False
    body = setup.content.decode()
    assert '<svg width="' in body and "<style" not in body and "<script" not in body.split("</head>")[1]
    assert presenters.totp_secret(device) in body

    response = gp_client.post(reverse("accounts:second-factor-setup"), {"code": current_code(device), "next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert gp_client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.second_factor_set_up", actor_id=gp.pk).count() == 1


@pytest.mark.usefixtures("require_2fa")
def test_a_professional_with_a_device_enters_a_code_after_logging_in(gp):
    device = TOTPDevice.objects.create(user=gp, name="phone", confirmed=True)
    browser = Client()
    log_in(browser, gp.email)

    asked = browser.get("/account/settings/")
    assert asked.status_code == 302
    assert asked["Location"] == reverse("accounts:second-factor") + "?next=%2Faccount%2Fsettings%2F"
    # The setup page does not let a password alone replace the app.
    setup = browser.get(reverse("accounts:second-factor-setup"))
    assert setup["Location"].startswith(reverse("accounts:second-factor"))

    response = browser.post(asked["Location"], {"code": current_code(device), "next": "/account/settings/"})

    assert response.status_code == 302 and response["Location"] == "/account/settings/"
    assert browser.get("/account/settings/").status_code == 200


@pytest.mark.usefixtures("require_2fa")
def test_a_wrong_code_shows_a_translated_error_and_lets_nobody_through(db):
    doctor = UserFactory(profile=Profile.GP, language="fr")
    device = TOTPDevice.objects.create(user=doctor, name="phone", confirmed=True)
    wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)
    browser = Client()
    browser.force_login(doctor)

    response = browser.post(reverse("accounts:second-factor"), {"code": wrong, "next": "/"})

    assert response.status_code == 200
    with translation.override("fr"):
        expected = gettext(WRONG_CODE)
    assert response.context["form"].errors["code"] == [expected]
    assert '<html lang="fr">' in response.content.decode()
    assert browser.get("/").status_code == 302
    entry = AuditEntry.objects.get(action="accounts.second_factor_failed")
    assert (entry.actor_id, entry.allowed, entry.reason) == (doctor.pk, False, "wrong_code")


@pytest.mark.usefixtures("require_2fa")
def test_a_wrong_code_does_not_confirm_a_new_device(gp, gp_client):
    gp_client.get(reverse("accounts:second-factor-setup"))
    device = TOTPDevice.objects.get(user=gp)
    response = gp_client.post(reverse("accounts:second-factor-setup"), {"code": "abcdef"})
    with translation.override("nl"):  # the GP reads Dutch
        assert response.context["form"].errors["code"] == [gettext(WRONG_CODE)]
    device.refresh_from_db()
    assert device.confirmed is False


@pytest.mark.usefixtures("require_2fa")
@pytest.mark.parametrize("profile", [Profile.PERSON, Profile.INFORMAL_CAREGIVER])
def test_the_person_and_their_circle_are_not_asked(db, profile):
    browser = Client()
    browser.force_login(UserFactory(profile=profile))
    assert browser.get("/").status_code == 200


@pytest.mark.usefixtures("require_2fa")
def test_an_unverified_professional_cannot_use_the_api_with_the_session(gp_client, person):
    assert gp_client.get(f"/api/persons/{person.public_id}").status_code == 401


def test_without_the_setting_a_professional_is_not_asked(gp_client):
    assert gp_client.get("/").status_code == 200


def test_a_zone_admin_resets_a_lost_second_factor(zone_admin, zone_admin_client, gp):
    TOTPDevice.objects.create(user=gp, name="lost phone", confirmed=True)
    browser = Client()
    log_in(browser, gp.email)

    response = zone_admin_client.post(reverse("accounts:user-reset-second-factor", args=[gp.public_id]))

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=gp).count() == 0
    assert browser.get("/").status_code == 302  # the session verified with the lost phone ended
    assert AuditEntry.objects.filter(action="accounts.second_factor_reset", actor_id=zone_admin.pk).count() == 1


@pytest.mark.usefixtures("require_2fa")
def test_after_many_wrong_codes_even_the_right_code_waits(gp, gp_client):
    # Five failures just now: django-otp refuses any code for 2**4 seconds.
    device = TOTPDevice.objects.create(
        user=gp, name="phone", confirmed=True, throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )

    response = gp_client.post(reverse("accounts:second-factor"), {"code": current_code(device), "next": "/"})

    assert response.status_code == 200
    with translation.override("nl"):  # the GP reads Dutch
        assert response.context["form"].errors["code"] == [
            gettext("Too many wrong codes in a row. Wait a minute, then enter the newest code.")
        ]
    assert gp_client.get("/").status_code == 302
