"""The social-map part of `make bench` (`python -m bench.run --part map`): import speed, search
latency and search quality, per database.

Per database (PostgreSQL, then SQLite), in a database of its own (`schakel_bench_map`,
var/bench-map.sqlite3; bench.map_settings), made anew each run:

1. migrate, load the need taxonomy, load the demo directory (about 2,000 services) and measure
   search quality over it: success@5 and MRR@10 of the everyday queries, with the taxonomy's
   everyday words and without them (the baseline);
2. per size (tiny: 1,000 services; zone: 10,000 and 100,000), import the synthetic file made by
   bench.map_data through the worker's own path (an ImportJob run by `jobs.run_job`: read,
   validate against the official schemas, stage, build the search index, publish, suggest needs),
   replacing the directory, and time each step;
3. measure the JSON search API (`/api/map/search`) in-process with Django's test client (no HTTP
   server: the figures are the application and the database), one request at a time, over a fixed
   list of queries: free text (the quality set's queries and the need names, no place) and
   place-filtered (the same words with a municipality), after one warm-up pass.

The child (`python -m bench.map_bench measure ...`) prints its figures as JSON for bench.run.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench import map_data

SIZES = {"tiny": [1_000], "zone": [10_000, 100_000]}
# Passes over the query list (after one warm-up pass): each pass is about 130 requests per kind.
PASSES = {"tiny": 1, "zone": 4}
# The aims, judged at AIM_SIZE services.
AIM_SIZE = 100_000
AIMS = {"place_p95_ms": 25.0, "free_p95_ms": 100.0, "import_s": 60.0}
PG_DATABASE = "schakel_bench_map"  # bench.map_settings refuses any other name
SQLITE_FILE = map_data.VAR / "bench-map.sqlite3"
IMPORT_STEPS = ("read", "validate", "stage", "index", "publish")


# ── the parent side (run by bench.run) ────────────────────────────────────────────────────────


def _env(database_key: str) -> dict[str, str]:
    from bench import run

    env = {name: value for name, value in os.environ.items() if name not in run.FOREIGN_ENV}
    env.pop("BENCH_MAP_DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "bench.map_settings"
    if database_key == "postgresql":
        env["BENCH_MAP_DATABASE_URL"] = run.PG_SERVER_URL.rstrip("/") + "/" + PG_DATABASE
    return env


def _reset(database_key: str) -> None:
    from bench import run

    if database_key == "postgresql":
        with run.pg_connect() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def run_part(size: str, databases: list[Any]) -> dict[str, Any]:
    """Measure every database; returns the "map" entry of the bench report."""
    from bench import run

    sizes = SIZES[size]
    started = time.perf_counter()
    for count in sizes:
        run.log(f"social map: writing {count:,} synthetic services")
        map_data.write(count)
    generated_s = round(time.perf_counter() - started, 1)
    results = []
    for database in databases:
        env = _env(database.key)
        run.log(f"social map, {database.label}: recreating the database")
        _reset(database.key)
        run.python(env, "manage.py", "migrate", "--noinput")
        run.python(env, "manage.py", "createcachetable")  # the shared cache (rate limits)
        run.python(env, "manage.py", "load_need_taxonomy")
        run.log(f"social map, {database.label}: quality, then imports of {', '.join(f'{n:,}' for n in sizes)}")
        output = run.python(
            env, "-m", "bench.map_bench", "measure", "--passes", str(PASSES[size]), *(str(n) for n in sizes)
        )
        result = json.loads(output.strip().splitlines()[-1])
        result["database"] = database.label
        for found in result["sizes"]:
            run.log(
                f"social map, {database.label}, {found['services']:,} services: import "
                f"{found['import']['with_index_s']} s, place p95 {found['search']['place']['p95_ms']} ms, "
                f"free text p95 {found['search']['free']['p95_ms']} ms"
            )
        results.append(result)
    return {
        "size": size,
        "sizes": sizes,
        "passes": PASSES[size],
        "aims": AIMS,
        "aim_size": AIM_SIZE,
        "generated_s": generated_s,
        "results": results,
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# ── the child side: runs under bench.map_settings ─────────────────────────────────────────────


def _summary(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    if not ordered:
        return {"requests": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}

    def pick(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": pick(0.95),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


def _quality() -> dict[str, Any]:
    from demo import directory as demo_directory
    from directory.models import Dataset
    from directory.search import quality

    if Dataset.objects.published() is None:
        demo_directory.load()
    figures: dict[str, Any] = {}
    for key, everyday in (("everyday_words", True), ("baseline", False)):
        result = quality.evaluate(everyday=everyday)
        figures[key] = {
            "queries": result.queries,
            "success_at_5": round(result.success_at_5, 3),
            "mrr_at_10": round(result.mrr_at_10, 3),
            "misses": [outcome.query.text for outcome in result.misses()],
        }
    return figures


def _curator() -> Any:
    from accounts.models import User

    user = User.objects.filter(email="bench-curator@example.org").first()
    return user or User.objects.create_user("bench-curator@example.org", full_name="Bench Curator", language="en")


def _import(path: Path, language: str, mode: str) -> dict[str, Any]:
    """One import through the worker's path: an ImportJob claimed and run as its task runs it."""
    from django.conf import settings

    from directory import jobs
    from directory.hsds import importer
    from directory.models import ImportJob

    folder = Path(settings.DIRECTORY_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    public_id = uuid.uuid4()
    copy = folder / f"{public_id}.json"
    shutil.copyfile(path, copy)  # run_job deletes the job's file when it ends
    queued = ImportJob.objects.create(
        public_id=public_id,
        language=language,
        mode=mode,
        source=path.name,
        path=str(copy),
        created_by=_curator(),
    )
    captured: dict[str, Any] = {}
    real = importer.import_file

    def timed(*args: Any, **kwargs: Any) -> importer.ImportResult:
        result = real(*args, **kwargs)
        captured["timings"], captured["counts"] = result.timings, result.counts
        return result

    importer.import_file = timed  # to read the step timings; the job runs exactly as the worker's
    try:
        started, cpu = time.perf_counter(), time.process_time()
        job = jobs.claim(queued.pk)
        if job is None:
            raise SystemExit("bench: the import job was not claimed")
        job = jobs.run_job(job)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        importer.import_file = real
    if job.status != ImportJob.Status.DONE:
        raise SystemExit(f"bench: the import of {path.name} failed: {job.message}")
    timings = captured.get("timings", {})
    return {
        "file": path.name,
        "megabytes": round(path.stat().st_size / 1_048_576, 1),
        "language": language,
        "mode": mode,
        "steps_s": timings,
        "with_index_s": round(sum(timings.get(step, 0.0) for step in IMPORT_STEPS), 1),
        "job_s": round(total, 1),
        # This process's CPU time: on a shared machine, steadier than the wall clock (SQLite works
        # inside the process; PostgreSQL's own work is not in it).
        "job_cpu_s": round(cpu, 1),
        "records": sum(captured.get("counts", {}).values()),
    }


def _queries() -> dict[str, list[dict[str, str]]]:
    """The fixed query list: the quality set's queries and the need names (nl, fr), without a
    place (free text) and with one (the query's own municipality, or the next of a fixed round)."""
    from core.models import Municipality
    from directory.search import quality
    from directory.search.models import NeedTerm

    municipalities = {m.nis_code: m for m in Municipality.objects.order_by("nis_code")}
    rounds = list(municipalities.values())
    words: list[tuple[str, str, str]] = [(q.text, q.language, q.place) for q in quality.read_queries()]
    for need in NeedTerm.objects.filter(is_group=False).order_by("code"):
        words += [(need.name_nl, "nl", ""), (need.name_fr, "fr", "")]
    free, place = [], []
    for index, (text, language, nis) in enumerate(words):
        free.append({"q": text, "language": language})
        municipality = municipalities.get(nis) or rounds[index % len(rounds)]
        name = municipality.name_fr if language == "fr" and municipality.name_fr else municipality.name_nl
        place.append({"q": text, "language": language, "place": name})
    return {"free": free, "place": place}


def _search(passes: int) -> dict[str, Any]:
    from django.test import Client

    url = "/api/map/search"
    client = Client()
    found: dict[str, Any] = {}
    for kind, queries in _queries().items():
        samples: list[float] = []
        results = 0
        for pass_ in range(passes + 1):  # the first pass warms up and is not counted
            for params in queries:
                started = time.perf_counter()
                response = client.get(url, params)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"bench: {url} {params} answered {response.status_code}")
                if pass_:
                    samples.append(elapsed)
                    results += response.json()["total"]
        found[kind] = {
            **_summary(samples),
            "queries": len(queries),
            "mean_total": round(results / max(1, len(samples))),
        }
    return found


def measure(sizes: list[int], passes: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from directory.models import Service

    started = time.perf_counter()
    found: dict[str, Any] = {"vendor": connection.vendor, "quality": _quality()}
    found["quality_s"] = round(time.perf_counter() - started, 1)
    found["sizes"] = []
    for count in sizes:
        files = map_data.paths(count)
        imported = _import(files["nl"], "nl", "replace")
        published = Service.objects.filter(dataset__status="published").count()
        found["sizes"].append(
            {"services": count, "published": published, "import": imported, "search": _search(passes)}
        )
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.map_bench")
    commands = parser.add_subparsers(dest="command", required=True)
    child = commands.add_parser("measure", help="run inside the benchmark database (bench.map_settings)")
    child.add_argument("sizes", nargs="+", type=int)
    child.add_argument("--passes", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.map_settings")
    figures = measure(args.sizes, args.passes)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
