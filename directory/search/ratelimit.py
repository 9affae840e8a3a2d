"""The public search is rate-limited per client address (DIRECTORY_SEARCH_RATE a minute), in the
cache. The address itself is never stored: the cache key holds a keyed hash of it, kept one minute."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:24]


def allow(request: HttpRequest, scope: str = "search") -> bool:
    """Count this request; False once the client made more than the limit this minute."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"directory:{scope}:{client_key(request)}:{minute}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=60)
        count = 1
    return count <= settings.DIRECTORY_SEARCH_RATE
