"""The Markdown report of a benchmark run (docs/benchmarks.md at zone size)."""

from typing import Any

RATIO_AIM = 1.5
RPS_AIM = 450
RPS_AIM_CORES = 2


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


def _aims(report: dict[str, Any]) -> list[str]:
    rows = ["| Aim | Measured | |", "|---|---|---|"]
    for result in report["results"]:
        audited, unaudited = result["audited"], result["unaudited"]
        latency = _ratio(audited["latency"]["p50_ms"], unaudited["latency"]["p50_ms"])
        rows.append(
            f"| Audited / unaudited p50, 1 client, {result['database']}: ≤ {RATIO_AIM} "
            f"| {latency:.2f} ({audited['latency']['p50_ms']} / {unaudited['latency']['p50_ms']} ms) "
            f"| {_met(latency <= RATIO_AIM)} |"
        )
        throughput = _ratio(unaudited["throughput"]["rps"], audited["throughput"]["rps"])
        rows.append(
            f"| Unaudited / audited requests/s, {report['clients']} clients, {result['database']}: "
            f"≤ {RATIO_AIM} | {throughput:.2f} ({unaudited['throughput']['rps']} / {audited['throughput']['rps']}) "
            f"| {_met(throughput <= RATIO_AIM)} |"
        )
    for result in report["results"]:
        if result["database"] == "PostgreSQL":
            rps = result["audited"]["throughput"]["rps"]
            cores = report["machine"]["cores"]
            note = "" if cores == RPS_AIM_CORES else f" (this machine has {cores} cores, the aim is for 2)"
            rows.append(
                f"| ≥ {RPS_AIM} audited reads/s at {report['clients']} clients on PostgreSQL, "
                f"{RPS_AIM_CORES} cores{note} | {rps} req/s | {_met(rps >= RPS_AIM)} |"
            )
    errors = sum(
        result[mode][kind]["non_2xx"]
        for result in report["results"]
        for mode in ("audited", "unaudited")
        for kind in ("latency", "throughput")
    )
    rows.append(f"| 0 errors (non-2xx answers, all runs) | {errors} | {_met(errors == 0)} |")
    return rows


def _measurements(report: dict[str, Any]) -> list[str]:
    rows = [
        "| Database | Read of people:detail | Clients | Requests | p50 ms | p95 ms | Requests/s | Non-2xx |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in report["results"]:
        for mode, label in (("audited", "audited"), ("unaudited", "auditing off")):
            for kind in ("latency", "throughput"):
                run = result[mode][kind]
                rows.append(
                    f"| {result['database']} | {label} | {run['concurrency']} | {run['requests']} "
                    f"| {run['p50_ms']} | {run['p95_ms']} | {run['rps']} | {run['non_2xx']} |"
                )
    return rows


def _build(report: dict[str, Any]) -> list[str]:
    rows = [
        "| Database | Schema + matrix s | Persons, users, teams s | Audit rows s | ANALYZE s | Data build s | Total s |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in report["results"]:
        timings = result["build"]["timings"]
        rows.append(
            f"| {result['database']} | {timings['schema_s']} | {timings['people_s']} | {timings['audit_rows_s']} "
            f"| {timings['analyze_s']} | {timings['process_s']} | {timings['schema_s'] + timings['process_s']:.1f} |"
        )
    return rows


def _verify(report: dict[str, Any]) -> list[str]:
    rows = ["| Database | Rows verified | Seconds | Rows/s | Result |", "|---|--:|--:|--:|---|"]
    for result in report["results"]:
        verify = result["verify"]
        outcome = "clean" if verify["exit_code"] == 0 else f"**exit {verify['exit_code']}**"
        last = verify["output"][-1] if verify["output"] else ""
        rate = round(verify["rows"] / verify["seconds"]) if verify["seconds"] else 0
        rows.append(
            f"| {result['database']} | {verify['rows']:,} | {verify['seconds']} | {rate:,} | {outcome}: {last} |"
        )
    return rows


def _profile(report: dict[str, Any]) -> list[str]:
    results = [result for result in report["results"] if "profile" in result]
    if not results:
        return []
    lines = [
        "## Where the time of one read goes",
        "",
        "The first client's reads made in-process through Django's test client (no HTTP, no gunicorn), "
        f"{results[0]['profile']['requests']} requests per row, one at a time. CPU ms is this process only "
        "(the PostgreSQL server's work is not in it; SQLite runs inside the process).",
        "",
        "| Database | Read | Wall ms / request | CPU ms / request | SQL queries / request |",
        "|---|---|--:|--:|--:|",
    ]
    for result in results:
        for name, label in (("audited", "audited"), ("unaudited", "auditing off")):
            found = result["profile"][name]
            lines.append(
                f"| {result['database']} | {label} | {found['wall_ms']} | {found['cpu_ms']} | {found['queries']} |"
            )
    lines += [
        "",
        "The parts of an audited read under cProfile, in ms per request (cumulative, so parts overlap: "
        "SQL and ORM time is also inside the steps that ran the queries; the profiler inflates all figures).",
        "",
        "| Part | " + " | ".join(result["database"] for result in results) + " |",
        "|---|" + "--:|" * len(results),
    ]
    for index, part in enumerate(results[0]["profile"]["profile"]):
        cells = " | ".join(str(result["profile"]["profile"][index]["ms"]) for result in results)
        lines.append(f"| {part['part']} | {cells} |")
    return [*lines, ""]


def render(report: dict[str, Any]) -> str:
    machine, versions = report["machine"], report["versions"]
    first = report["results"][0] if report["results"] else {}
    counts = first.get("build", {}).get("counts", {})
    worker_class = first.get("worker_class", "gthread")
    server = f"gunicorn, {report['workers']} workers, worker class `{worker_class}`" + (
        f", {report['threads']} threads each" if worker_class == "gthread" else ""
    )
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{report['command']}` on {report['started']} (finished {report['finished']}). "
        "Every zone-size run overwrites this file; `BENCH_SIZE=tiny make bench` (the CI smoke test) "
        "writes `var/benchmarks-tiny.md` instead.",
        "",
        "## Aims",
        "",
        *_aims(report),
        "",
        "## Measurements",
        "",
        "Each row is one run of the load client against the same view, `people:detail` (the identity "
        "section of one person, through `access.gate.check`). p50 and p95 are over 2xx answers.",
        "",
        *_measurements(report),
        "",
    ]
    if report["skipped"]:
        lines += [f"Skipped: {', '.join(report['skipped'])}.", ""]
    if any("worker_models" in result for result in report["results"]):
        lines += [
            "### Worker model",
            "",
            f"Audited reads at {report['clients']} clients on PostgreSQL, both servers up, "
            f"{report['budget']['rounds']} alternating slices of {report['budget']['compare_seconds']} s each; "
            "the faster model served every measurement above.",
            "",
            "| gunicorn worker class | Requests/s | p50 ms | p95 ms | Non-2xx |",
            "|---|--:|--:|--:|--:|",
        ]
        for result in report["results"]:
            for name, run in result.get("worker_models", {}).items():
                threads = f" ({report['workers']} × {report['threads']} threads)" if name == "gthread" else ""
                lines.append(
                    f"| `{name}`{threads} | {run['rps']} | {run['p50_ms']} | {run['p95_ms']} | {run['non_2xx']} |"
                )
        lines.append("")
    lines += [
        *_profile(report),
        "## Data set and build time",
        "",
        f"Size `{report['size']}`: {counts.get('persons', 0):,} persons, {counts.get('professionals', 0):,} "
        f"professional users, {counts.get('memberships', 0):,} team memberships, {counts.get('consents', 0):,} "
        f"consents, {counts.get('audit_rows', 0):,} audit rows in {counts.get('audit_streams', 0)} hash chains. "
        "All synthetic (names from fixed syllables, checksum-valid INSZ with serials from 900). Built by "
        "`bench/data.py` with bulk inserts (COPY on PostgreSQL), the audit chains hashed in parallel "
        "worker processes with `audit.chain.row_hash`, the chain heads set.",
        "",
        *_build(report),
        "",
        "## Audit verification after the run",
        "",
        "`manage.py verify_audit` on the benchmark database, after the load (so it includes the rows the "
        "audited runs wrote).",
        "",
        *_verify(report),
        "",
        "## Machine, versions, method",
        "",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']} memory, {machine['os']}. "
        f"Load average before {machine['load_before']}, after {machine.get('load_after')}: the load client, "
        "gunicorn and the database server share these cores.",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".",
        f"- Server: {server}, bound to 127.0.0.1, settings `bench.settings` (production settings with "
        "DEBUG off, plain HTTP, no TOTP step, a fixed key). PostgreSQL: database `schakel_bench`, "
        "persistent connections (`CONN_MAX_AGE` 60). SQLite: `var/bench.sqlite3` with the app's WAL settings.",
        "- Load tool: `bench/load.py`, Python threads with one keep-alive `http.client` connection and one "
        "logged-in session each (sessions made beforehand as a login makes them); each client reads, in turn, "
        "the persons whose care team its user is on and who gave consent. The audited and the unaudited "
        "server run side by side and are measured in alternating slices "
        f"({report['budget']['rounds']} per measurement, the order swapped every round), so that the "
        "machine's background load falls on both alike. A slice stops at a request count or a time: "
        f"{report['budget']['latency_requests']} requests / {report['budget']['latency_seconds']} s at 1 client, "
        f"{report['budget']['throughput_requests']} requests / {report['budget']['throughput_seconds']} s at "
        f"{report['clients']} clients, after {report['budget']['warmup_seconds']} s of warm-up per server.",
        "- Auditing off: `BENCH_AUDIT_OFF=true` sets `AUDIT_DISABLED_FOR_BENCHMARK` in `bench.settings` only; "
        "it exists for this comparison and no deployment settings module reads it. Everything else "
        "(gate decision, session save, rendering) is the same.",
        "- Command: `make bench` (`BENCH_SIZE=tiny make bench` for the smoke test). The databases are dropped "
        "and rebuilt each run.",
        "",
    ]
    return "\n".join(lines)
