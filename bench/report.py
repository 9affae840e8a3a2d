"""The Markdown report of a benchmark run (docs/benchmarks.md at zone size)."""

from typing import Any

RATIO_AIM = 1.5
RPS_AIM = 450
RPS_AIM_CORES = 2
MODES = (("audited", "audited"), ("unaudited", "auditing off"))


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


def _ratios(runs: dict[str, Any]) -> tuple[float, float]:
    """(audited / unaudited p50 at 1 client, unaudited / audited requests/s at full concurrency)."""
    audited, unaudited = runs["audited"], runs["unaudited"]
    return (
        _ratio(audited["latency"]["p50_ms"], unaudited["latency"]["p50_ms"]),
        _ratio(unaudited["throughput"]["rps"], audited["throughput"]["rps"]),
    )


def _errors(report: dict[str, Any]) -> int:
    return sum(
        runs[kind]["non_2xx"]
        for result in report["results"]
        for modes in result["pages"].values()
        for runs in modes.values()
        for kind in ("latency", "throughput")
    )


def _aims(report: dict[str, Any]) -> list[str]:
    primary, clients = report["primary"], report["clients"]
    rows = ["| Aim | Measured | |", "|---|---|---|"]
    for result in report["results"]:
        runs = result["pages"][primary]
        latency, throughput = _ratios(runs)
        rows.append(
            f"| Audited / unaudited p50 at 1 client, {result['database']}: ≤ {RATIO_AIM} "
            f"| {latency:.2f} ({runs['audited']['latency']['p50_ms']} / {runs['unaudited']['latency']['p50_ms']} ms) "
            f"| {_met(latency <= RATIO_AIM)} |"
        )
        rows.append(
            f"| Unaudited / audited requests/s at {clients} clients, {result['database']}: ≤ {RATIO_AIM} "
            f"| {throughput:.2f} ({runs['unaudited']['throughput']['rps']} / {runs['audited']['throughput']['rps']}) "
            f"| {_met(throughput <= RATIO_AIM)} |"
        )
    for result in report["results"]:
        if result["database"] == "PostgreSQL":
            rps = result["pages"][primary]["audited"]["throughput"]["rps"]
            cores = report["machine"]["cores"]
            note = "" if cores == RPS_AIM_CORES else f" (this machine has {cores})"
            rows.append(
                f"| ≥ {RPS_AIM} audited reads/s at {clients} clients on PostgreSQL, {RPS_AIM_CORES} cores{note} "
                f"| {rps} req/s | {_met(rps >= RPS_AIM)} |"
            )
    errors = _errors(report)
    rows.append(f"| 0 errors (non-2xx answers, every run below) | {errors} | {_met(errors == 0)} |")
    return rows


def _measurements(report: dict[str, Any]) -> list[str]:
    rows = [
        "| Database | Page | Read | Clients | Requests | p50 ms | p95 ms | Requests/s | Non-2xx |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in report["results"]:
        for page, modes in result["pages"].items():
            for mode, label in MODES:
                for kind in ("latency", "throughput"):
                    run = modes[mode][kind]
                    rows.append(
                        f"| {result['database']} | {page} | {label} | {run['concurrency']} | {run['requests']} "
                        f"| {run['p50_ms']} | {run['p95_ms']} | {run['rps']} | {run['non_2xx']} |"
                    )
    loads = ", ".join(
        f"{result['database']} {result['load'][0]} → {result['load'][1]}"
        for result in report["results"]
        if "load" in result
    )
    rows += [
        "",
        f"1-minute load average when the measurements began → ended ({report['machine']['cores']} cores): {loads}.",
    ]
    rows += ["", "Cost of auditing, per page:", "", "| Database | Page | p50 ratio, 1 client | Throughput ratio |"]
    rows.append("|---|---|--:|--:|")
    for result in report["results"]:
        for page, modes in result["pages"].items():
            latency, throughput = _ratios(modes)
            rows.append(f"| {result['database']} | {page} | {latency:.2f} | {throughput:.2f} |")
    return rows


def _worker_models(report: dict[str, Any]) -> list[str]:
    results = [result for result in report["results"] if "worker_models" in result]
    if not results:
        return []
    budget = report["budget"]
    lines = [
        "### Worker model",
        "",
        f"Audited {report['primary']} reads at {report['clients']} clients on PostgreSQL, both servers up, "
        f"{budget['rounds']} alternating slices of {budget['compare_seconds']} s each; the faster model "
        "served every measurement above.",
        "",
        "| gunicorn worker class | Requests/s | p50 ms | p95 ms | Non-2xx |",
        "|---|--:|--:|--:|--:|",
    ]
    for result in results:
        for name, run in result["worker_models"].items():
            threads = f" ({report['workers']} × {report['threads']} threads)" if name == "gthread" else ""
            lines.append(f"| `{name}`{threads} | {run['rps']} | {run['p50_ms']} | {run['p95_ms']} | {run['non_2xx']} |")
    return [*lines, ""]


def _profile(report: dict[str, Any]) -> list[str]:
    results = [result for result in report["results"] if result.get("profile")]
    if not results:
        return []
    lines = [
        "## Where the time of one read goes",
        "",
        "The first client's reads made in-process through Django's test client (no HTTP, no gunicorn), one "
        "at a time. CPU ms is this process only: the PostgreSQL server's work is not in it; SQLite runs "
        "inside the process.",
        "",
        "| Database | Page | Read | Requests | Wall ms / request | CPU ms / request | SQL queries / request |",
        "|---|---|---|--:|--:|--:|--:|",
    ]
    for result in results:
        for page, found in result["profile"].items():
            for mode, label in MODES:
                lines.append(
                    f"| {result['database']} | {page} | {label} | {found['requests']} | {found[mode]['wall_ms']} "
                    f"| {found[mode]['cpu_ms']} | {found[mode]['queries']} |"
                )
    columns = [(result["database"], page) for result in results for page in result["profile"]]
    lines += [
        "",
        "The parts of an audited read under cProfile, ms per request. Cumulative, so parts overlap (SQL "
        "and ORM time is also inside the step that ran the query), and the profiler inflates every figure: "
        "read them as shares of the whole request.",
        "",
        "| Part | " + " | ".join(f"{database}, {page}" for database, page in columns) + " |",
        "|---|" + "--:|" * len(columns),
    ]
    first = results[0]["profile"][report["primary"]]["profile"]
    for index, part in enumerate(first):
        cells = [
            str(result["profile"][page]["profile"][index]["ms"]) for result in results for page in result["profile"]
        ]
        lines.append(f"| {part['part']} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _build(report: dict[str, Any]) -> list[str]:
    rows = [
        "| Database | Schema + matrix s | Persons, users, teams s | Audit rows s (of which index rebuild) "
        "| ANALYZE + CHECKPOINT s | Data build s | Total s |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in report["results"]:
        timings = result["build"]["timings"]
        total = timings["schema_s"] + timings["process_s"]
        indexes = f" ({timings['audit_indexes_s']})" if "audit_indexes_s" in timings else ""
        rows.append(
            f"| {result['database']} | {timings['schema_s']} | {timings['people_s']} | {timings['audit_rows_s']}"
            f"{indexes} | {timings['analyze_s']} | {timings['process_s']} | {total:.1f} |"
        )
    return rows


def _verify(report: dict[str, Any]) -> list[str]:
    rows = ["| Database | Rows verified | Seconds | Rows/s | Result |", "|---|--:|--:|--:|---|"]
    for result in report["results"]:
        verify = result["verify"]
        outcome = "clean" if verify["exit_code"] == 0 else f"**exit {verify['exit_code']}**"
        last = verify["output"][-1] if verify["output"] else ""
        count = verify["rows"] or 0
        rate = round(count / verify["seconds"]) if verify["seconds"] else 0
        rows.append(f"| {result['database']} | {count:,} | {verify['seconds']} | {rate:,} | {outcome}: {last} |")
    return rows


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _map_aims(part: dict[str, Any]) -> list[str]:
    aims, size = part["aims"], part["aim_size"]
    rows = ["| Aim | Database | Measured | |", "|---|---|--:|---|"]
    for result in part["results"]:
        at = next((found for found in result["sizes"] if found["services"] == size), None)
        if at is None:
            rows.append(f"| At {size:,} services | {result['database']} | not measured at this size | – |")
            continue
        checks = [
            (f"Place-filtered search p95 ≤ {aims['place_p95_ms']:g} ms", at["search"]["place"]["p95_ms"], "ms"),
            (f"Free-text search p95 ≤ {aims['free_p95_ms']:g} ms", at["search"]["free"]["p95_ms"], "ms"),
            (
                f"Import of {size:,} services with index build ≤ {aims['import_s']:g} s",
                at["import"]["with_index_s"],
                "s",
            ),
        ]
        limits = (aims["place_p95_ms"], aims["free_p95_ms"], aims["import_s"])
        for (label, value, unit), limit in zip(checks, limits, strict=True):
            rows.append(f"| {label} | {result['database']} | {value} {unit} | {_met(value <= limit)} |")
    return rows


MAP_HEADING = "## Social map"


def _map_section(part: dict[str, Any]) -> list[str]:
    """The social map: import speed, search latency and search quality (bench/map_bench.py)."""
    machine = part["machine"]
    lines = [
        MAP_HEADING,
        "",
        f"Written by the map part of the run (`python -m bench.run --size {part['size']} --part map`, also in "
        f"`make bench`), finished {part['finished']}. Sizes: {', '.join(f'{n:,}' for n in part['sizes'])} "
        f"services. The aims are judged at {part['aim_size']:,} services.",
        "",
        *_map_aims(part),
        "",
        "### Import (the worker's path: read, validate, stage, index, publish; then needs suggested)",
        "",
        "| Database | Services | Records | File MB | Read s | Validate s | Stage s | Index s | Publish s "
        "| **With index s** | Suggest needs s | Job total s | Job CPU s (this process) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for result in part["results"]:
        for found in result["sizes"]:
            imported, steps = found["import"], found["import"]["steps_s"]
            cells = " | ".join(str(steps.get(step, "–")) for step in ("read", "validate", "stage", "index", "publish"))
            lines.append(
                f"| {result['database']} | {found['services']:,} | {imported['records']:,} | {imported['megabytes']} "
                f"| {cells} | **{imported['with_index_s']}** | {steps.get('suggest', '–')} | {imported['job_s']} "
                f"| {imported.get('job_cpu_s', '–')} |"
            )
    lines += [
        "",
        "### Search latency (JSON search API, one request at a time)",
        "",
        "| Database | Services | Search | Requests | p50 ms | p95 ms | Mean ms | Max ms | Mean results |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in part["results"]:
        for found in result["sizes"]:
            for kind, label in (("place", "place-filtered"), ("free", "free text")):
                run = found["search"][kind]
                lines.append(
                    f"| {result['database']} | {found['services']:,} | {label} | {run['requests']} "
                    f"| {_ms(run['p50_ms'])} | {_ms(run['p95_ms'])} | {_ms(run['mean_ms'])} | {_ms(run['max_ms'])} "
                    f"| {run['mean_total']} |"
                )
    lines += [
        "",
        "### Search quality (demo directory, everyday queries of `directory/tests/search/quality_queries.toml`)",
        "",
        "| Database | Taxonomy words | Queries | success@5 | MRR@10 |",
        "|---|---|--:|--:|--:|",
    ]
    for result in part["results"]:
        for key, label in (("everyday_words", "with the everyday words"), ("baseline", "baseline, without them")):
            found = result["quality"][key]
            lines.append(
                f"| {result['database']} | {label} | {found['queries']} | {found['success_at_5']:.3f} "
                f"| {found['mrr_at_10']:.3f} |"
            )
    misses = {result["database"]: result["quality"]["everyday_words"]["misses"] for result in part["results"]}
    if any(misses.values()):
        lines += ["", "Queries whose first relevant service is not in the top 5 (with the everyday words): "]
        lines += [
            f"{database}: {', '.join(f'“{text}”' for text in texts) or 'none'}." for database, texts in misses.items()
        ]
    lines += [
        "",
        "### Method",
        "",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']} memory. Load average before "
        f"{machine['load_before']}, after {machine.get('load_after')}. Versions: "
        + ", ".join(f"{name} {version}" for name, version in machine["versions"].items())
        + ".",
        "- Data: `bench/map_data.py` writes N synthetic HSDS 3.1 services (full JSON, seeded, uuid5 ids) to "
        "`var/bench-map-N-nl.json`: names and descriptions from the need taxonomy's names and provider jargon "
        "with invented brands, spread over the 52 municipalities of `shared/data/geography.csv`, service areas "
        "(one or two municipalities, or a care zone), opening hours, phones, spoken languages, capacities "
        "(about 60 %, half of them full), an organisation per three services, a provider taxonomy term on six "
        f"services in seven. Written in {part['generated_s']} s (files already in `var/` are reused); the "
        "100,000-service file is made only here.",
        "- Databases: `schakel_bench_map` on PostgreSQL, `var/bench-map.sqlite3` on SQLite, dropped and made "
        "anew each run; settings `bench.map_settings` (production settings, the public search's rate limit "
        "lifted, the import size limit raised to 1 GB).",
        "- Import: an ImportJob claimed and run by `directory.jobs.run_job`, exactly as the worker runs it, in "
        "\u201creplace\u201d mode over the directory in place; the steps are the importer's own timings. "
        "\u201cWith index\u201d is read + validate + stage + index + publish (the directory is searchable "
        "at its end); the need suggestions run after the switch.",
        "- Search: `GET /api/map/search` through Django's test client in the benchmark process (no HTTP server, "
        "so the figures are the application and the database), one request at a time, timed around the call. "
        "Queries: the quality set's queries and the need names in Dutch and French; free text without a "
        "place, place-filtered with the query's own municipality or the next of a fixed round. One warm-up "
        f"pass, then {part['passes']} counted pass(es).",
        "- Quality: `directory.search.quality.evaluate` over the demo directory (`load_demo_directory`), "
        "before the imports replace it.",
        "",
    ]
    return lines


def with_map_section(document: str, part: dict[str, Any]) -> str:
    """`document` (a report written before) with its social-map section replaced by `part`'s: a
    map-only run on a machine without the access part's stored figures keeps them as written."""
    head = document.split(MAP_HEADING, 1)[0].rstrip()
    return "\n".join([head, "", *_map_section(part)]) if head else "\n".join(["# Benchmarks", "", *_map_section(part)])


PLANS_HEADING = "## Care plan"


def _plans_section(part: dict[str, Any]) -> list[str]:
    """The care plan: the plan page and the My actions inbox, audited (bench/plans_bench.py)."""
    machine, budget, aim, clients = part["machine"], part["budget"], part["aim_p95_ms"], part["clients"]
    pages = "; ".join(f"**{page}**: {label}" for page, label in part["pages"].items())
    lines = [
        PLANS_HEADING,
        "",
        f"Written by the care-plan part of the run (`python -m bench.run --size {part['size']} --part plans`, "
        f"also `BENCH_PART=plans make bench` and `make bench`), finished {part.get('finished', '?')}. "
        f"Pages read over HTTP, auditing on: {pages}.",
        "",
        f"**Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']} memory**, shared by the load "
        "client, gunicorn and the database server with whatever else runs on the machine; 1-minute load "
        f"average before {machine['load_before']}, after {machine.get('load_after')}."
        + (f" {part['note']}" if part.get("note") else ""),
        "",
        "| Aim | Database | Measured | |",
        "|---|---|--:|---|",
    ]
    for result in part["results"]:
        for page, runs in result["pages"].items():
            p95 = runs["latency"]["p95_ms"]
            lines.append(
                f"| {page}: p95 ≤ {aim:g} ms at 1 client | {result['database']} | {p95} ms | {_met(p95 <= aim)} |"
            )
    lines += [
        "",
        "| Database | Page | Clients | Requests | p50 ms | p95 ms | Requests/s | Non-2xx |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in part["results"]:
        for page, runs in result["pages"].items():
            for kind in ("latency", "throughput"):
                run = runs[kind]
                lines.append(
                    f"| {result['database']} | {page} | {run['concurrency']} | {run['requests']} | {run['p50_ms']} "
                    f"| {run['p95_ms']} | {run['rps']} | {run['non_2xx']} |"
                )
    loads = ", ".join(f"{result['database']} {result['load'][0]} → {result['load'][1]}" for result in part["results"])
    lines += [
        "",
        f"1-minute load average when the measurements began → ended: {loads}.",
        "",
        "### SQL queries and time per request (in-process)",
        "",
        "The first client's reads through Django's test client (no HTTP), one at a time; queries counted "
        "with `CaptureQueriesContext`. CPU ms is this process only (PostgreSQL's own work is not in it).",
        "",
        "| Database | Page | Read | Requests | Wall ms / request | CPU ms / request | SQL queries / request |",
        "|---|---|---|--:|--:|--:|--:|",
    ]
    results = [result for result in part["results"] if result.get("profile")]
    for result in results:
        for page, found in result["profile"].items():
            for mode, label in MODES:
                lines.append(
                    f"| {result['database']} | {page} | {label} | {found['requests']} | {found[mode]['wall_ms']} "
                    f"| {found[mode]['cpu_ms']} | {found[mode]['queries']} |"
                )
    columns = [(result["database"], page) for result in results for page in result["profile"]]
    if columns:
        lines += [
            "",
            "Parts of an audited read under cProfile, ms per request (cumulative, so parts overlap; the "
            "profiler inflates every figure).",
            "",
            "| Part | " + " | ".join(f"{database}, {page}" for database, page in columns) + " |",
            "|---|" + "--:|" * len(columns),
        ]
        first = results[0]["profile"][next(iter(results[0]["profile"]))]["profile"]
        for index, item in enumerate(first):
            cells = [
                str(result["profile"][page]["profile"][index]["ms"]) for result in results for page in result["profile"]
            ]
            lines.append(f"| {item['part']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "### Data set, build and audit verification",
        "",
        "| Database | Persons | Memberships | Plan items (life goals + goals + actions) | History rows "
        "| Audit rows | Build s | verify_audit |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for result in part["results"]:
        counts, timings, verify = result["build"]["counts"], result["build"]["timings"], result["verify"]
        history = sum(value for key, value in counts.items() if key.endswith("_history_rows"))
        outcome = "clean" if verify["exit_code"] == 0 else f"**exit {verify['exit_code']}**"
        lines.append(
            f"| {result['database']} | {counts['persons']:,} | {counts['memberships']:,} "
            f"| {counts['plan_items']:,} ({counts['lifegoal_rows']:,} + {counts['goal_rows']:,} + "
            f"{counts['planaction_rows']:,}) | {history:,} | {counts['audit_rows']:,} "
            f"| {timings['schema_s'] + timings['total_s']:.1f} | {outcome}, {verify['rows'] or 0:,} rows |"
        )
    first = part["results"][0]["build"]["counts"] if part["results"] else {}
    lines += [
        "",
        "### Method",
        "",
        f"- Data (`bench/plans_data.py`, bulk inserts, COPY on PostgreSQL): the persons, professionals, teams "
        f"and consents of `bench/data.py`; a plan for every person, each row with its simple-history rows "
        f"(\u201c+\u201d at creation, \u201c~\u201d for each change: accepted, started, done, put on hold, "
        f"rescheduled) with history_user and history_date; {first.get('measured_persons', 0)} persons with 4 "
        "life goals, 20 goals and 100 actions, whose plans are the ones read; "
        f"{clients} home nurses on {first.get('inbox_teams', 0)} care teams each, owning actions across them "
        "(statuses: half done, a quarter under way, some proposed, declined, on hold, cancelled). Synthetic "
        "names and phrases only.",
        f"- Server: gunicorn, gthread, settings `bench.settings` (production settings), auditing on, as the "
        f"access part above. Load: `bench/load.py`, {clients} logged-in nurses; each reads the plans of its "
        f"share of the measured persons, or its own inbox. {budget['rounds']} slices per measurement of at most "
        f"{budget['latency_requests']} requests / {budget['latency_seconds']} s at 1 client and "
        f"{budget['throughput_requests']} requests / {budget['throughput_seconds']} s at {clients} clients, "
        f"after {budget['warmup_seconds']} s of warm-up per page.",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in machine["versions"].items()) + ".",
        "",
    ]
    return lines


def with_plans_section(document: str, part: dict[str, Any]) -> str:
    """`document` with its care-plan section replaced by `part`'s (put before the social map)."""
    before, _, rest = document.partition(PLANS_HEADING)
    if rest:
        after = rest.partition(MAP_HEADING)
        rest = MAP_HEADING + after[2] if after[1] else ""
        document = before.rstrip() + "\n\n" + rest
    head, found, tail = document.partition(MAP_HEADING)
    section = "\n".join(_plans_section(part))
    if not found:
        return head.rstrip() + "\n\n" + section
    return head.rstrip() + "\n\n" + section + "\n" + MAP_HEADING + tail


def render(report: dict[str, Any]) -> str:
    if "primary" not in report:  # only the social map or the care plan has been measured yet
        lines = ["# Benchmarks", "", "No access benchmark yet (`--part access`).", ""]
        if report.get("plans"):
            lines += _plans_section(report["plans"])
        if report.get("map"):
            lines += _map_section(report["map"])
        return "\n".join(lines)
    machine, versions, budget = report["machine"], report["versions"], report["budget"]
    first = report["results"][0] if report["results"] else {}
    counts = first.get("build", {}).get("counts", {})
    worker_class = first.get("worker_class", "gthread")
    server = f"gunicorn, {report['workers']} workers, worker class `{worker_class}`" + (
        f", {report['threads']} threads each" if worker_class == "gthread" else ""
    )
    # gunicorn's sync workers answer with Connection: close; http.client then opens a new connection.
    sync_note = (
        " (sync workers close the connection after each answer; the client reconnects)"
        if worker_class == "sync"
        else ""
    )
    pages = "; ".join(f"**{page}**: {label}" for page, label in report["pages"].items())
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{report['command']}` on {report['started']} (finished {report['finished']}). "
        "Every zone-size run overwrites this file; `BENCH_SIZE=tiny make bench` (the CI smoke test) "
        "writes `var/benchmarks-tiny.md` instead.",
        "",
        "## Aims",
        "",
        f"Judged on the {report['primary']} page, the issue's audited read of one person section.",
        "",
        *_aims(report),
        "",
        "## Measurements",
        "",
        f"Pages read, over HTTP: {pages}. Each is read audited and with auditing off, through the same "
        f"view. p50 and p95 are over 2xx answers. Throughput is at {report['clients']} concurrent clients.",
        "",
        *_measurements(report),
        "",
    ]
    if report["skipped"]:
        lines += [f"Skipped: {', '.join(report['skipped'])}.", ""]
    lines += [
        *_worker_models(report),
        *_profile(report),
        "## Data set and build time",
        "",
        f"Size `{report['size']}`: {counts.get('persons', 0):,} persons, {counts.get('professionals', 0):,} "
        f"professional users, {counts.get('memberships', 0):,} team memberships, {counts.get('consents', 0):,} "
        f"consents, {counts.get('audit_rows', 0):,} audit rows in {counts.get('audit_streams', 0)} hash chains; "
        f"{counts.get('section_rows', 0):,} dossier section rows (a few in every section of every person, a "
        "quarter of them changed since, each with its history rows). All synthetic (names from fixed syllables, checksum-valid "
        "INSZ with serials from 900). Built by `bench/data.py` with bulk inserts (COPY on PostgreSQL; the "
        "audit table's secondary indexes dropped during the load and rebuilt after), the audit chains hashed "
        "in parallel worker processes with `audit.chain.row_hash`, the chain heads set.",
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
        "gunicorn and the database server share these cores, with whatever else runs on the machine.",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".",
        f"- Server: {server}{sync_note}, bound to 127.0.0.1, settings `bench.settings` (production settings with "
        "DEBUG off, plain HTTP, no TOTP step, a fixed key). PostgreSQL: database `schakel_bench`, "
        "persistent connections (`CONN_MAX_AGE` 60), the server's own configuration. SQLite: "
        "`var/bench.sqlite3` with the app's WAL settings.",
        "- Load tool: `bench/load.py`, Python threads with one keep-alive `http.client` connection and one "
        "logged-in session each (sessions made beforehand as a login makes them); each client reads, in turn, "
        "the persons whose care team its user is on and who gave consent. The audited and the unaudited "
        "server run side by side and are measured in alternating slices "
        f"({budget['rounds']} per measurement, the order swapped every round), so that the machine's "
        "background load falls on both alike. A slice stops at a request count or a time: "
        f"{budget['latency_requests']} requests / {budget['latency_seconds']} s at 1 client, "
        f"{budget['throughput_requests']} requests / {budget['throughput_seconds']} s at "
        f"{report['clients']} clients, after {budget['warmup_seconds']} s of warm-up per server and page.",
        "- Auditing off: `BENCH_AUDIT_OFF=true` sets `AUDIT_DISABLED_FOR_BENCHMARK` in `bench.settings` only; "
        "it exists for this comparison and no deployment settings module reads it. Everything else "
        "(gate decision, session save, rendering) is the same.",
        "- Command: `make bench` (`BENCH_SIZE=tiny make bench` for the smoke test). The benchmark database "
        "is dropped and rebuilt each run.",
        "",
    ]
    if report.get("plans"):
        lines += _plans_section(report["plans"])
    if report.get("map"):
        lines += _map_section(report["map"])
    return "\n".join(lines)
