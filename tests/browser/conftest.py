"""Playwright in Debian's Chromium against pytest-django's live server (STYLE.md section 10).

One browser for the whole session; a fresh context (cookies, viewport) per user in each test.
Nothing here imports Playwright at collection time, so `-m "not browser"` runs need neither
Playwright's driver nor Chromium.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import User

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def t(message: str, language: str, **params: str) -> str:
    """A UI string as the server renders it in `language`: the catalogues are the lead's, so a
    journey keeps passing before and after they are compiled."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the browser journeys: apt-get install chromium")
        pytest.skip("the browser journeys need Debian's chromium (apt-get install chromium)")
    # Playwright's sync API keeps an event loop running in this thread, so Django would refuse
    # ORM calls made by the test itself (SynchronousOnlyOperation). The test thread and the live
    # server never share a connection, so the documented escape hatch is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable[..., object]]:
    """Open a browser context, logged in as `user` (a session cookie from Django's test client,
    as NHS does) or anonymous with a language cookie."""
    contexts = []

    def open_context(user: User | None = None, *, language: str | None = None, viewport: dict | None = None):
        context = browser.new_context(base_url=live_server.url, viewport=viewport or WIDE, locale="nl-BE")
        context.set_default_timeout(10_000)
        cookies = []
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
        if language is not None:
            cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url})
        if cookies:
            context.add_cookies(cookies)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def demo(transactional_db):
    """The demo care zone, loaded into the test database; users by profile, and Jozef."""
    from demo import zone
    from people.models import Person

    zone.load()
    users = {user.profile: user for user in User.objects.filter(email__endswith="@" + zone.DEMO_DOMAIN)}
    jozef = Person.objects.get(account=users["person"])
    return users, jozef


@pytest.fixture
def demo_without_plans(demo):
    """The demo zone with Jozef's care plan and meetings taken away, for the journeys that build
    them from the start; removed kind by kind in the purge's order (core.persondata)."""
    from core import persondata

    _users, jozef = demo
    kinds = persondata.purge_kinds()
    for kind in ("meetings", "care_plan"):
        for data in kinds[kind]:
            data.rows([jozef.pk]).delete()
    return demo
