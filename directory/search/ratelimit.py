"""The public search and the HSDS API are rate-limited per client address, in the shared cache.
The address itself is never stored: the cache key holds a keyed hash of it.

Each client's count lives under one key for a window of WINDOW_SECONDS from its first request
(the key's expiry, which the cache's atomic `incr` keeps), so concurrent requests from several
server processes are all counted and a client cannot escape the count by sending other headers."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The address the request came from. X-Forwarded-For is believed only as far as
    TRUSTED_PROXIES says: each trusted proxy appends the address it was reached from, so the
    client is that many entries from the right; entries further left are the client's own words."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))] or "unknown"
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address: stable enough to count by, useless to read back."""
    address = client_address(request)
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:24]


def count(request: HttpRequest, scope: str) -> int:
    """Count this request in the client's current window and return the count so far."""
    key = f"directory:{scope}:{client_key(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)  # starts a window unless one is running
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr: start the next one
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        return cache.incr(key)


def allow(request: HttpRequest, scope: str = "search") -> bool:
    """Count this request; False once the client made more than DIRECTORY_SEARCH_RATE in its window."""
    return count(request, scope) <= settings.DIRECTORY_SEARCH_RATE
