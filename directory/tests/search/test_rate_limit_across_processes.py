"""The public search's rate limit counts in the shared cache, so it is one limit for every server
process: two separate processes (each its own Django, as two gunicorn workers) count together,
and concurrent requests are never lost from the count (the database cache's incr holds the row;
Redis increments atomically)."""

import json
import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)

# One process: its own Django on the test database, at a fixed instant (both processes count in
# the same window), waits for the start signal, then searches (or calls the HSDS API) `calls` times
# from one address.
PROCESS = """
import json, os, sys, time
from datetime import datetime

import django
import time_machine

django.setup()
from django.test import RequestFactory

from directory.hsds_api import HsdsThrottle
from directory.search import ratelimit

start, calls, address, instant, scope = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
allow = HsdsThrottle().allow_request if scope == "hsds" else ratelimit.allow
while not os.path.exists(start):
    time.sleep(0.01)
request = RequestFactory().get("/map/", REMOTE_ADDR=address)
with time_machine.travel(instant, tick=False):
    print(json.dumps([allow(request) for _ in range(calls)]))
"""


def database_environment() -> dict[str, str]:
    """The environment that points a new process at this test's database."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(db["NAME"]), "DATABASE_URL": ""}
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {"DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}


@pytest.fixture
def client_address() -> str:
    return f"198.51.100.{random.randint(1, 254)}"  # a fresh client for each test (TEST-NET-2)


@pytest.fixture
def instant() -> float:
    """One instant for every process of a test, so that all of them count in one window."""
    return timezone.now().replace(second=1, microsecond=0).timestamp()


def search_in_processes(
    folder: Path,
    calls: list[int],
    *,
    address: str,
    instant: float,
    limit: int,
    cache_url: str = "",
    scope: str = "search",
) -> list[list[bool]]:
    """Start one process per entry of `calls`, let them search at the same time, and return what
    each was answered."""
    folder.mkdir(parents=True, exist_ok=True)
    start = folder / "start"
    environment = {
        **os.environ,
        **database_environment(),
        "DJANGO_SETTINGS_MODULE": "schakel.settings.test",
        "DIRECTORY_SEARCH_RATE": str(limit),
        "DIRECTORY_HSDS_RATE": str(limit),
        "CACHE_URL": cache_url,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS, str(start), str(count), address, str(instant), scope],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for count in calls
    ]
    start.touch()  # each process waits for it after its (slow) start, so they search together
    answers = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        answers.append(json.loads(out))
    return answers


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_a_second_process_is_refused_once_the_first_used_the_limit(tmp_path, client_address, instant):
    same_client = {"address": client_address, "instant": instant, "limit": 5}
    [first] = search_in_processes(tmp_path / "first", [5], **same_client)
    [second] = search_in_processes(tmp_path / "second", [2], **same_client)
    assert first == [True] * 5
    assert second == [False, False]


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_two_processes_searching_at_once_share_one_count(tmp_path, client_address, instant):
    answers = search_in_processes(tmp_path, [30, 30], address=client_address, instant=instant, limit=40)
    assert [len(answer) for answer in answers] == [30, 30]
    # Counted per process, all 60 would pass; an increment lost in a race would let more than 40 through.
    assert sum(answer.count(True) for answer in answers) == 40


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_two_processes_calling_the_hsds_api_at_once_share_one_count(tmp_path, client_address, instant):
    answers = search_in_processes(tmp_path, [30, 30], address=client_address, instant=instant, limit=40, scope="hsds")
    # django-ninja's throttle read and rewrote a list of timestamps: requests at once slipped past.
    assert sum(answer.count(True) for answer in answers) == 40


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server at 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_with_cache_url_the_processes_count_in_redis(tmp_path, client_address, instant):
    answers = search_in_processes(
        tmp_path, [30, 30], address=client_address, instant=instant, limit=40, cache_url="redis://127.0.0.1:6379/15"
    )
    assert sum(answer.count(True) for answer in answers) == 40
