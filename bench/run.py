"""`make bench`: build the benchmark data set in its own database, serve it with gunicorn, load it
over HTTP, verify the audit chains, and write the report.

    python -m bench.run --size zone     # docs/benchmarks.md (the committed figures)
    python -m bench.run --size tiny     # var/benchmarks-tiny.md (the CI smoke test)
    python -m bench.run --part map      # the social map only (bench/map_bench.py); the access
                                        # part's last figures are kept from var/bench-results-*.json
    python -m bench.run --part plans    # the care plan only (bench/plans_bench.py): the plan page
                                        # and the My actions inbox, in the access part's database

Per database (PostgreSQL, then SQLite): recreate the database, migrate, load the access matrix,
build the data (bench.data), log clients in, then measure the audited read of one person section
(and of the dossier overview) against the same read with auditing switched off (BENCH_AUDIT_OFF,
a benchmark-only setting), at 1 client (latency) and at 8 concurrent clients (throughput); profile
the reads in-process; run verify_audit. BENCH_PG_URL names another PostgreSQL server.
Exits 1 when a request failed or verify_audit found anything; the report is written either way.
"""

import argparse
import fcntl
import http.client
import json
import os
import platform
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
import gunicorn
import psycopg

from bench import load
from bench.report import render, with_map_section, with_plans_section

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
PG_SERVER_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
PG_DATABASE = "schakel_bench"  # bench.settings refuses any other name
SQLITE_FILE = VAR / "bench.sqlite3"
WORKERS = 2
THREADS = 4
CLIENTS = 8
# The pages read (bench.data.PAGES): the "audited read of one person section", on which
# the aims are judged, and the dossier overview (people:detail), which audits every category it shows.
PAGES = {
    "section": "one dossier section (`people:section-contacts`)",
    "dossier": "the dossier overview (`people:detail`)",
}
PRIMARY = "section"
# Settings that would point the children at another database; bench.settings chooses its own.
FOREIGN_ENV = ("DATABASE_URL", "SQLITE_PATH", "BENCH_DATABASE_URL", "BENCH_AUDIT_OFF", "DJANGO_SETTINGS_MODULE")


@dataclass(frozen=True)
class Budget:
    """How long measurements run. Each slice stops at its request count or its time, whichever
    comes first; every measurement is `rounds` slices, alternating between the servers compared."""

    warmup_seconds: float
    rounds: int
    latency_requests: int
    latency_seconds: float
    throughput_requests: int
    throughput_seconds: float
    compare_seconds: float  # per slice of the worker-model comparison; 0 skips it
    profile_requests: int


BUDGETS = {
    "tiny": Budget(0.2, 1, 10, 1, 40, 2, 0, 3),
    "zone": Budget(5, 3, 1_000, 8, 10_000, 12, 10, 200),
}


@dataclass(frozen=True)
class Database:
    key: str  # "postgresql" or "sqlite"
    label: str

    def env(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if name not in FOREIGN_ENV}
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        if self.key == "postgresql":
            env["BENCH_DATABASE_URL"] = PG_SERVER_URL.rstrip("/") + "/" + PG_DATABASE
        return env


POSTGRESQL = Database("postgresql", "PostgreSQL")
SQLITE = Database("sqlite", "SQLite")


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def pg_connect(database: str = "postgres") -> psycopg.Connection:
    url = PG_SERVER_URL.replace("postgres://", "postgresql://").rstrip("/") + "/" + database
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def pg_available() -> bool:
    try:
        with pg_connect():
            return True
    except psycopg.Error:
        return False


def reset(database: Database) -> None:
    """Start from nothing: the benchmark database is dropped (or deleted) and made anew each run."""
    if database.key == "postgresql":
        with pg_connect() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
        return
    VAR.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def python(env: dict[str, str], *args: str) -> str:
    """Run a Python child (manage.py or a bench module) and return its output; stop on failure."""
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: `{' '.join(args)}` failed with exit code {done.returncode}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((load.HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the app on 127.0.0.1, started and stopped by the benchmark."""

    def __init__(self, database: Database, *, audit_off: bool, worker_class: str) -> None:
        self.port = free_port()
        self.log_file = VAR / f"bench-gunicorn-{database.key}-{'off' if audit_off else 'on'}-{worker_class}.log"
        self.env = {**database.env(), "BENCH_AUDIT_OFF": "true" if audit_off else "false"}
        self.args = [
            sys.executable,
            "-m",
            "gunicorn",
            "schakel.wsgi:application",
            "--bind",
            f"{load.HOST}:{self.port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            worker_class,
            "--error-logfile",
            str(self.log_file),
            "--log-level",
            "warning",
        ]
        if worker_class == "gthread":
            self.args += ["--threads", str(THREADS)]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        # The app's own log (errors with tracebacks) goes to the same file as gunicorn's.
        with open(self.log_file, "ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                self.args, cwd=BASE_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"bench: gunicorn exited with code {self.process.returncode}; see var/bench-gunicorn-*.log"
                )
            try:
                probe = http.client.HTTPConnection(load.HOST, self.port, timeout=5)
                probe.request("GET", "/account/login/")
                if probe.getresponse().status == 200:
                    probe.close()
                    return self
                probe.close()
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("bench: gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def interleave(
    servers: dict[str, "Server"],
    clients: list[load.Client],
    concurrency: int,
    requests: int,
    seconds: float,
    rounds: int,
) -> dict[str, load.Result]:
    """Run the servers' measurements in alternating slices, each server first in every other
    round, so that a change in the machine's background load falls on all of them alike."""
    merged = {name: load.Result(concurrency) for name in servers}
    names = list(servers)
    for round_ in range(rounds):
        for name in names if round_ % 2 == 0 else reversed(names):
            merged[name].merge(load.run(servers[name].port, clients, concurrency, requests, seconds))
    return merged


def measure(
    database: Database, clients: dict[str, list[load.Client]], budget: Budget, worker_class: str
) -> dict[str, Any]:
    """Each page read audited against the same read with auditing off: two servers up side by
    side, measured in alternating slices, at 1 client (latency) and at CLIENTS clients (throughput)."""
    found: dict[str, Any] = {}
    with (
        Server(database, audit_off=False, worker_class=worker_class) as audited,
        Server(database, audit_off=True, worker_class=worker_class) as unaudited,
    ):
        servers = {"audited": audited, "unaudited": unaudited}
        for page, page_clients in clients.items():
            for name, server in servers.items():
                warmup = load.run(server.port, page_clients, CLIENTS, 10**9, budget.warmup_seconds)
                if warmup.non_2xx == warmup.requests:
                    raise SystemExit(
                        f"bench: every {page} request failed while warming up ({warmup.statuses}); "
                        f"see {server.log_file}"
                    )
                if warmup.non_2xx:
                    log(f"warning: {warmup.non_2xx} non-2xx answers warming up {page} ({name}): {warmup.statuses}")
            latency = interleave(
                servers, page_clients, 1, budget.latency_requests, budget.latency_seconds, budget.rounds
            )
            throughput = interleave(
                servers, page_clients, CLIENTS, budget.throughput_requests, budget.throughput_seconds, budget.rounds
            )
            found[page] = {
                name: {"latency": latency[name].summary(), "throughput": throughput[name].summary()} for name in servers
            }
            for name, runs in found[page].items():
                log(
                    f"{database.label}, {page}, {name}: 1 client p50 {runs['latency']['p50_ms']} ms; "
                    f"{CLIENTS} clients {runs['throughput']['rps']} req/s, p50 {runs['throughput']['p50_ms']} ms, "
                    f"non-2xx {runs['latency']['non_2xx'] + runs['throughput']['non_2xx']}"
                )
    return found


def compare_worker_models(database: Database, clients: list[load.Client], budget: Budget) -> dict[str, Any]:
    """Audited reads at CLIENTS clients under each gunicorn worker model; the faster one is used."""
    with (
        Server(database, audit_off=False, worker_class="sync") as sync,
        Server(database, audit_off=False, worker_class="gthread") as gthread,
    ):
        servers = {"sync": sync, "gthread": gthread}
        for server in servers.values():
            load.run(server.port, clients, CLIENTS, 10**9, budget.warmup_seconds)
        found = interleave(servers, clients, CLIENTS, 10**9, budget.compare_seconds, budget.rounds)
    for name, result in found.items():
        log(f"worker model {name}: {result.summary()['rps']} req/s")
    return {name: result.summary() for name, result in found.items()}


def verify_audit(env: dict[str, str]) -> dict[str, Any]:
    """`manage.py verify_audit` on the benchmark database: its exit code, time and last lines."""
    started = time.perf_counter()
    verified = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = re.search(r"(\d+) rows", verified.stdout)  # "N rows in M chains verified, ..."
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "exit_code": verified.returncode,
        "output": (verified.stdout + verified.stderr).strip().splitlines()[-3:],
        "rows": int(rows.group(1)) if rows else None,
    }


def bench_database(database: Database, size: str, budget: Budget, worker_class: str | None) -> dict[str, Any]:
    env = database.env()
    log(f"{database.label}: recreating the benchmark database")
    started = time.perf_counter()
    reset(database)
    python(env, "manage.py", "migrate", "--noinput")
    python(env, "manage.py", "createcachetable")  # the shared cache (rate limits)
    python(env, "manage.py", "load_matrix", "--apply")
    schema_seconds = time.perf_counter() - started
    log(f"{database.label}: building the {size} data set")
    started = time.perf_counter()
    sessions = VAR / f"bench-clients-{database.key}.json"
    built = json.loads(
        python(
            env,
            *("manage.py", "bench_data", "build", "--size", size),
            *("--clients", str(CLIENTS), "--sessions-out", str(sessions)),
        )
    )
    built["timings"]["process_s"] = round(time.perf_counter() - started, 1)
    built["timings"]["schema_s"] = round(schema_seconds, 1)
    log(f"{database.label}: built in {built['timings']['process_s']} s: {built['counts']}")
    logged_in = json.loads(sessions.read_text())
    clients = {page: [load.Client(item["cookie"], item["pages"][page]) for item in logged_in] for page in PAGES}
    result: dict[str, Any] = {"database": database.label, "build": built, "clients": len(logged_in)}
    if worker_class is None:
        if budget.compare_seconds:
            result["worker_models"] = compare_worker_models(database, clients[PRIMARY], budget)
            worker_class = max(result["worker_models"], key=lambda name: result["worker_models"][name]["rps"])
        else:
            worker_class = "gthread"
    result["worker_class"] = worker_class
    load_before = os.getloadavg()[0]
    result["pages"] = measure(database, clients, budget, worker_class)
    # The 1-minute load average around the measurements: above the core count, other work on the
    # machine took CPU from the server and the figures are low.
    result["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    result["profile"] = {}
    # The dossier overview is ten times slower; the smoke test profiles the primary page only.
    profiled = [(PRIMARY, budget.profile_requests), ("dossier", budget.profile_requests // 10)]
    for page, requests in [(page, requests) for page, requests in profiled if requests]:
        log(f"{database.label}: profiling {requests} {page} reads in-process")
        result["profile"][page] = json.loads(
            python(
                env,
                *("manage.py", "bench_data", "profile", "--clients-file", str(sessions)),
                *("--page", page, "--requests", str(requests)),
            )
        )
    log(f"{database.label}: manage.py verify_audit")
    result["verify"] = verify_audit(env)
    log(f"{database.label}: verify_audit exit {result['verify']['exit_code']} in {result['verify']['seconds']} s")
    return result


def machine() -> dict[str, Any]:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": model or platform.processor(),
        "memory": memory,
        "os": platform.platform(),
        "load_before": [round(value, 2) for value in os.getloadavg()],
    }


def versions() -> dict[str, str]:
    found = {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "psycopg": psycopg.__version__,
        "SQLite": sqlite3.sqlite_version,
    }
    try:
        with pg_connect() as connection:
            found["PostgreSQL server"] = connection.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]  # SHOW answers one row
    except psycopg.Error:
        found["PostgreSQL server"] = "not reachable"
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["tiny", "zone"], default="zone")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], help="skip the worker-model comparison")
    parser.add_argument(
        "--part",
        choices=["access", "plans", "map", "all"],
        default="all",
        help="the audited reads (access), the care plan (plans), the social map (map) or all; a run of one part "
        "keeps the others' last figures",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="re-render the report from the last run's var/bench-results-*.json"
    )
    args = parser.parse_args(argv)
    target = BASE_DIR / "docs" / "benchmarks.md" if args.size == "zone" else VAR / "benchmarks-tiny.md"
    results_file = VAR / f"bench-results-{args.size}.json"
    if args.report_only:
        stored = json.loads(results_file.read_text(encoding="utf-8"))
        if not stored.get("results") and stored.get("plans") and target.exists():
            # Only the care plan stored here: the other parts stay as the file has them.
            target.write_text(with_plans_section(target.read_text(encoding="utf-8"), stored["plans"]), encoding="utf-8")
        else:
            target.write_text(render(stored), encoding="utf-8")
        return 0
    # Stopped from outside: unwind, so that the gunicorn servers are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    budget = BUDGETS[args.size]
    (VAR / "bench-static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT of bench.settings
    # Two runs at once would drop each other's database in the middle of a measurement; each part
    # has its own database, so its own lock.
    locks = []
    # The care plan part uses the access part's database.
    parts_locks = {"access": ["bench.lock"], "plans": ["bench.lock"], "map": ["bench-map.lock"]}
    for name in parts_locks.get(args.part, ["bench.lock", "bench-map.lock"]):
        lock = open(VAR / name, "w")  # noqa: SIM115 - held until the process exits
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(
                "bench: another `make bench` is running on this checkout; try again when it ends"
            ) from None
        locks.append(lock)
    if args.part != "map":
        for old_log in VAR.glob("bench-gunicorn-*.log"):
            old_log.unlink()
    previous = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    report: dict[str, Any] = {
        "size": args.size,
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "command": "make bench" if args.size == "zone" else "BENCH_SIZE=tiny make bench",
        "workers": WORKERS,
        "threads": THREADS,
        "clients": CLIENTS,
        "pages": PAGES,
        "primary": PRIMARY,
        "budget": budget.__dict__,
        "results": [],
        "skipped": [],
    }
    databases = [SQLITE]
    if pg_available():
        databases.insert(0, POSTGRESQL)
    elif os.environ.get("CI") == "true":
        raise SystemExit(f"bench: PostgreSQL is required in CI and not reachable at {PG_SERVER_URL}")
    else:
        report["skipped"].append(f"PostgreSQL (not reachable at {PG_SERVER_URL})")
        log(f"SKIPPED: PostgreSQL not reachable at {PG_SERVER_URL}")
    if args.part in ("map", "plans"):
        # One part only: the access part's figures (and their machine notes) stay as last run.
        if previous.get("results"):
            report = {**previous, "skipped": report["skipped"]}
        else:  # no access figures yet: the report shows the social map alone
            report = {"size": args.size, "command": report["command"], "skipped": report["skipped"], "results": []}
    elif args.size == "tiny":
        # A smoke test: the two databases are done side by side, since its figures mean nothing.
        with ThreadPoolExecutor(max_workers=len(databases)) as pool:
            runs = [
                pool.submit(bench_database, database, args.size, budget, args.worker_class or "gthread")
                for database in databases
            ]
            report["results"] = [run.result() for run in runs]
    else:
        worker_class = args.worker_class
        for database in databases:
            result = bench_database(database, args.size, budget, worker_class)
            worker_class = result["worker_class"]  # the comparison on PostgreSQL picks it for both
            report["results"].append(result)
    if args.part in ("access", "all"):
        report["machine"]["load_after"] = [round(value, 2) for value in os.getloadavg()]
        report["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if args.part in ("map", "all"):
        from bench import map_bench

        report["map"] = {"machine": {**machine(), "versions": versions()}, **map_bench.run_part(args.size, databases)}
        report["map"]["machine"]["load_after"] = [round(value, 2) for value in os.getloadavg()]
    elif previous.get("map"):
        report["map"] = previous["map"]
    if args.part in ("plans", "all"):
        from bench import plans_bench

        report["plans"] = plans_bench.run_part(args.size, budget, databases)
        report["plans"]["machine"]["load_after"] = [round(value, 2) for value in os.getloadavg()]
    elif previous.get("plans"):
        report["plans"] = previous["plans"]

    target.parent.mkdir(exist_ok=True)
    if args.part in ("map", "plans") and not report["results"] and target.exists():
        # No stored access figures on this machine (var/ is not in the repository): the access
        # part (and the other part) stays as the file has it.
        document = target.read_text(encoding="utf-8")
        if args.part == "map":
            document = with_map_section(document, report["map"])
        else:
            document = with_plans_section(document, report["plans"])
        target.write_text(document, encoding="utf-8")
    else:
        target.write_text(render(report), encoding="utf-8")
    results_file.write_text(json.dumps(report, indent=2), encoding="utf-8")
    log(f"report written to {target.relative_to(BASE_DIR)}")
    failures = [
        f"{result['database']}, {page}: {runs[kind]['non_2xx']} non-2xx ({mode}, {kind})"
        for result in report["results"]
        for page, modes in result["pages"].items()
        for mode, runs in modes.items()
        for kind in ("latency", "throughput")
        if runs[kind]["non_2xx"] or not runs[kind]["requests"]
    ] + [
        f"{result['database']}: verify_audit exited {result['verify']['exit_code']}"
        for result in report["results"]
        if result["verify"]["exit_code"]
    ]
    if args.part in ("plans", "all"):
        from bench import plans_bench

        failures += plans_bench.failures(report["plans"])
    for failure in failures:
        log(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
