"""django-axes locks a username out from one address (AXES_LOCKOUT_PARAMETERS) for a cool-off."""

from django.conf import settings
from django.test import Client

from accounts.tests.conftest import PASSWORD, log_in

ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.7"


def _fail(client: Client, email: str, times: int, address: str = ADDRESS) -> None:
    for _attempt in range(times):
        response = log_in(client, email, "wrong password", REMOTE_ADDR=address)
        assert response.status_code in (200, 429)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_the_settings_lock_per_username_and_address_with_a_cool_off():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_four_failures_still_let_the_right_password_in(gp):
    client = Client()
    _fail(client, gp.email, 4)
    assert _logged_in(log_in(client, gp.email, PASSWORD, REMOTE_ADDR=ADDRESS))


def test_five_failures_lock_the_username_at_that_address_even_with_the_right_password(gp):
    client = Client()
    _fail(client, gp.email, 5)

    response = log_in(client, gp.email, PASSWORD, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 429
    assert "accounts/locked_out.html" in [template.name for template in response.templates]
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_still_logs_in(gp):
    _fail(Client(), gp.email, 5)
    assert _logged_in(log_in(Client(), gp.email, PASSWORD, REMOTE_ADDR=OTHER_ADDRESS))


def test_another_username_from_the_same_address_still_logs_in(gp, nurse):
    _fail(Client(), gp.email, 5)
    assert _logged_in(log_in(Client(), nurse.email, PASSWORD, REMOTE_ADDR=ADDRESS))


def test_the_username_is_matched_whatever_its_case(gp):
    # The form lowercases the address, so changing case does not reset the count.
    client = Client()
    _fail(client, gp.email.upper(), 5)
    assert log_in(client, gp.email, PASSWORD, REMOTE_ADDR=ADDRESS).status_code == 429
