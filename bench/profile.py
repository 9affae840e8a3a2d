"""Where the time of one audited read goes: the same request as the load client's, made in-process
through Django's test client, timed without a profiler (CPU and wall time per request) and then
under cProfile, whose cumulative times are summed into a few parts of the request.
"""

import cProfile
import pstats
import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.load import HOST

# (label, file suffix, function): the parts reported, by their cumulative time under cProfile.
PARTS = [
    ("whole request (test client)", "django/test/client.py", "request"),
    ("session and user load (middleware)", "django/contrib/auth/middleware.py", "get_user"),
    ("resolve the person id", "access/queries.py", "resolve_person"),
    ("gate: decide", "access/gate.py", "decide"),
    ("gate: write the audit row", "audit/services.py", "log_decision"),
    # The dossier page writes its rows (identity and each category shown) in one batch.
    ("gate: write a batch of audit rows", "audit/services.py", "log_decisions"),
    ("view extras after the gate", "access/rules.py", "person_page_flags"),
    ("render the template", "django/shortcuts.py", "render"),
    ("save the session (every request)", "django/contrib/sessions/backends/db.py", "save"),
    ("SQL: time in the database driver", "django/db/backends/utils.py", "_execute"),
    ("ORM: compiling queries to SQL", "django/db/models/sql/compiler.py", "as_sql"),
]


def _client(cookie: str) -> Client:
    client = Client(HTTP_HOST=HOST)
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    return client


def _walk(client: Client, paths: list[str], requests: int) -> None:
    for n in range(requests):
        response = client.get(paths[n % len(paths)])
        if response.status_code != 200:
            raise RuntimeError(f"GET {paths[n % len(paths)]} answered {response.status_code}")


def profile_reads(
    cookie: str, paths: list[str], requests: int, parts: list[tuple[str, str, str]] | None = None
) -> dict[str, Any]:
    """Audited and unaudited: CPU and wall ms per request, queries per request, and the parts of an
    audited request under cProfile (ms per request; the profiler itself inflates every figure).
    `parts`: (label, file suffix, function) to report; PARTS (a dossier read's) unless given."""
    found: dict[str, Any] = {"requests": requests}
    for name, audit_off in (("audited", False), ("unaudited", True)):
        with override_settings(AUDIT_DISABLED_FOR_BENCHMARK=audit_off):
            client = _client(cookie)
            _walk(client, paths, min(20, requests))  # warm caches and connections
            wall, cpu = time.perf_counter(), time.process_time()
            _walk(client, paths, requests)
            found[name] = {
                "wall_ms": round((time.perf_counter() - wall) / requests * 1000, 2),
                "cpu_ms": round((time.process_time() - cpu) / requests * 1000, 2),
            }
            with CaptureQueriesContext(connection) as queries:
                _walk(client, paths[:1], 1)
            found[name]["queries"] = len(queries.captured_queries)
    profiler = cProfile.Profile()
    client = _client(cookie)
    profiler.runcall(_walk, client, paths, requests)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]  # pstats keeps its table undocumented
    found_parts = []
    for label, suffix, function in parts or PARTS:
        seconds = sum(
            cumulative
            for (filename, _, funcname), (_, _, _, cumulative, _) in stats.items()
            if funcname == function and filename.endswith(suffix)
        )
        found_parts.append({"part": label, "ms": round(seconds / requests * 1000, 2)})
    found["profile"] = found_parts
    return found
