"""The care-plan part of `make bench` (`python -m bench.run --part plans`): the plan page and the
My actions inbox, audited, over HTTP, per database.

Per database (PostgreSQL, then SQLite), in the benchmark's database (`schakel_bench`,
var/bench.sqlite3; bench.settings), made anew each run as the access part makes it:

1. migrate, load the access matrix, build the data (bench.plans_data: about 100,000 plan items
   with their history rows; persons with 20 goals and 100 actions; home nurses on 60 teams);
2. serve it with gunicorn (bench.run.Server, auditing on) and read each page with the load client
   (bench.load) at 1 client (latency: p50, p95) and at bench.run.CLIENTS clients (throughput);
3. profile the reads in-process (bench.profile: time, SQL queries per request, cProfile parts);
4. run verify_audit.

The children (`python -m bench.plans_bench build|profile ...`) run under bench.settings and print
their figures as JSON for the parent.
"""

import argparse
import json
import os
import sys
from typing import Any

from bench import load

# The pages read: the two reads ("Bench in make bench"), judged on AIM_P95_MS each.
PAGES = {
    "plan": "the plan page of a person with 20 goals and 100 actions (`plans:plan`)",
    "inbox": "the My actions inbox of a home nurse on 60 care teams (`plans:my-actions`)",
}
AIM_P95_MS = 100.0
# cProfile parts of a plan read (bench.profile.PARTS has the dossier's).
PARTS = [
    ("whole request (test client)", "django/test/client.py", "request"),
    ("session and user load (middleware)", "django/contrib/auth/middleware.py", "get_user"),
    ("plan: gated read of the records", "plans/queries.py", "plan_records"),
    ("plan: the three tiers (presenters)", "plans/presenters.py", "plan_tree"),
    ("plan: Goal Attainment Scaling panel", "plans/gas/queries.py", "plan_summary"),
    ("plan: review panel", "plans/reviews/queries.py", "review_panel"),
    ("plan: early signals panel", "plans/signals/queries.py", "signal_panel"),
    ("plan: did-it-help prompt", "plans/help/queries.py", "prompt_for"),
    ("inbox: gated read", "plans/inbox/queries.py", "my_actions"),
    ("gate: decide", "access/gate.py", "decide"),
    ("gate: write audit rows", "audit/services.py", "log_decisions"),
    ("render the template", "django/shortcuts.py", "render"),
    ("save the session (every request)", "django/contrib/sessions/backends/db.py", "save"),
    ("SQL: time in the database driver", "django/db/backends/utils.py", "_execute"),
    ("ORM: compiling queries to SQL", "django/db/models/sql/compiler.py", "as_sql"),
]


# ── the parent side (run by bench.run) ────────────────────────────────────────────────────────


def _measure(database: Any, clients: dict[str, list[load.Client]], budget: Any) -> dict[str, Any]:
    from bench import run

    found: dict[str, Any] = {}
    with run.Server(database, audit_off=False, worker_class="gthread") as server:
        servers = {"audited": server}
        for page, page_clients in clients.items():
            warmup = load.run(server.port, page_clients, run.CLIENTS, 10**9, budget.warmup_seconds)
            if warmup.non_2xx == warmup.requests:
                raise SystemExit(
                    f"bench: every {page} request failed while warming up ({warmup.statuses}); see {server.log_file}"
                )
            latency = run.interleave(
                servers, page_clients, 1, budget.latency_requests, budget.latency_seconds, budget.rounds
            )["audited"]
            throughput = run.interleave(
                servers, page_clients, run.CLIENTS, budget.throughput_requests, budget.throughput_seconds, budget.rounds
            )["audited"]
            found[page] = {"latency": latency.summary(), "throughput": throughput.summary()}
            run.log(
                f"care plan, {database.label}, {page}: 1 client p50 {found[page]['latency']['p50_ms']} ms, "
                f"p95 {found[page]['latency']['p95_ms']} ms; {run.CLIENTS} clients "
                f"{found[page]['throughput']['rps']} req/s, p95 {found[page]['throughput']['p95_ms']} ms"
            )
    return found


def run_part(size: str, budget: Any, databases: list[Any]) -> dict[str, Any]:
    """Measure every database; returns the "plans" entry of the bench report."""
    import time

    from bench import run

    machine = {**run.machine(), "versions": run.versions()}  # load_before: the load as the part begins
    results = []
    for database in databases:
        env = database.env()
        run.log(f"care plan, {database.label}: recreating the benchmark database")
        started = time.perf_counter()
        run.reset(database)
        run.python(env, "manage.py", "migrate", "--noinput")
        run.python(env, "manage.py", "createcachetable")
        run.python(env, "manage.py", "load_matrix", "--apply")
        schema_s = round(time.perf_counter() - started, 1)
        run.log(f"care plan, {database.label}: building the {size} data set")
        sessions = run.VAR / f"bench-plans-clients-{database.key}.json"
        built = json.loads(
            run.python(env, "-m", "bench.plans_bench", "build", "--size", size, "--out", str(sessions))
            .strip()
            .splitlines()[-1]
        )
        built["timings"]["schema_s"] = schema_s
        run.log(f"care plan, {database.label}: built in {built['timings']['total_s']} s: {built['counts']}")
        logged_in = json.loads(sessions.read_text())
        clients = {page: [load.Client(item["cookie"], item["pages"][page]) for item in logged_in] for page in PAGES}
        load_before = os.getloadavg()[0]
        result: dict[str, Any] = {"database": database.label, "build": built, "clients": len(logged_in)}
        result["pages"] = _measure(database, clients, budget)
        result["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        result["profile"] = {}
        requests = max(3, budget.profile_requests // 4)
        for page in PAGES:
            run.log(f"care plan, {database.label}: profiling {requests} {page} reads in-process")
            output = run.python(
                env,
                *("-m", "bench.plans_bench", "profile", "--clients-file", str(sessions)),
                *("--page", page, "--requests", str(requests)),
            )
            result["profile"][page] = json.loads(output.strip().splitlines()[-1])
        result["verify"] = run.verify_audit(env)
        run.log(f"care plan, {database.label}: verify_audit exit {result['verify']['exit_code']}")
        results.append(result)
    return {
        "size": size,
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        # BENCH_NOTE: what the run's machine was doing besides (shown beside the figures).
        "note": os.environ.get("BENCH_NOTE", ""),
        "pages": PAGES,
        "aim_p95_ms": AIM_P95_MS,
        "clients": run.CLIENTS,
        "budget": budget.__dict__,
        "machine": machine,
        "results": results,
    }


def failures(part: dict[str, Any]) -> list[str]:
    """What makes the run fail: a non-2xx answer, a measurement without requests, verify_audit."""
    found = [
        f"care plan, {result['database']}, {page}: {runs[kind]['non_2xx']} non-2xx ({kind})"
        for result in part["results"]
        for page, runs in result["pages"].items()
        for kind in ("latency", "throughput")
        if runs[kind]["non_2xx"] or not runs[kind]["requests"]
    ]
    return found + [
        f"care plan, {result['database']}: verify_audit exited {result['verify']['exit_code']}"
        for result in part["results"]
        if result["verify"]["exit_code"]
    ]


# ── the children: run under bench.settings ────────────────────────────────────────────────────


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plans_bench")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="fill the (new, migrated) benchmark database; log the clients in")
    build.add_argument("--size", choices=["tiny", "zone"], default="zone")
    build.add_argument("--out", required=True, help="where to write the clients' cookies and pages")
    profiling = commands.add_parser("profile", help="time and profile the first client's reads in-process")
    profiling.add_argument("--clients-file", required=True)
    profiling.add_argument("--page", choices=sorted(PAGES), required=True)
    profiling.add_argument("--requests", type=int, default=50)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.command == "build":
        from bench import plans_data

        built = plans_data.build(args.size)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(built.pop("clients"), handle)
        print(json.dumps(built))
        return 0
    from bench import profile

    with open(args.clients_file, encoding="utf-8") as handle:
        client = json.load(handle)[0]
    print(json.dumps(profile.profile_reads(client["cookie"], client["pages"][args.page], args.requests, parts=PARTS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
