"""Which address a rate limit counts: REMOTE_ADDR, and X-Forwarded-For only as far as
TRUSTED_PROXIES says (each trusted proxy appends the address it was reached from)."""

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from directory.search.ratelimit import client_address, client_key


def request(forwarded: str | None, remote: str = "10.0.0.1") -> HttpRequest:
    made = RequestFactory().get("/hsds/services", REMOTE_ADDR=remote)
    if forwarded is not None:
        made.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return made


@pytest.mark.parametrize(
    ("trusted_proxies", "forwarded", "client"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy: the header is the client's own words
        (0, None, "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the client wrote the left entry
        (2, "192.0.2.66, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the first one appended
        (1, None, "10.0.0.1"),  # no header reached us: the connection's address
    ],
)
def test_the_client_address(settings, trusted_proxies, forwarded, client):
    settings.TRUSTED_PROXIES = trusted_proxies
    assert client_address(request(forwarded)) == client


def test_the_key_is_a_keyed_hash_not_the_address(settings):
    key = client_key(request(None, remote="198.51.100.23"))
    assert "198.51.100.23" not in key and len(key) == 24
    assert key == client_key(request("203.0.113.9", remote="198.51.100.23"))
    assert key != client_key(request(None, remote="198.51.100.24"))
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert key != client_key(request(None, remote="198.51.100.23"))
