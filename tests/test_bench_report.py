"""The care-plan section of docs/benchmarks.md (bench.report): written beside the other parts'
figures, replaced on the next run, and a failed request fails the run. No timing is measured."""

from typing import Any

from bench import plans_bench, report


def _runs(p95: float, non_2xx: int = 0) -> dict[str, Any]:
    run = {"concurrency": 1, "requests": 10, "p50_ms": p95 / 2, "p95_ms": p95, "rps": 5.0, "non_2xx": non_2xx}
    return {"latency": run, "throughput": {**run, "concurrency": 8}}


def _part(plan_p95: float, non_2xx: int = 0) -> dict[str, Any]:
    counts = {
        "persons": 60,
        "memberships": 600,
        "plan_items": 130,
        "lifegoal_rows": 10,
        "goal_rows": 20,
        "planaction_rows": 100,
        "planaction_history_rows": 300,
        "audit_rows": 2000,
        "measured_persons": 8,
        "inbox_teams": 20,
    }
    found = {"requests": 3, "profile": [{"part": "whole request", "ms": 9.0}]}
    found |= {mode: {"wall_ms": 9.0, "cpu_ms": 8.0, "queries": 42} for mode in ("audited", "unaudited")}
    return {
        "size": "tiny",
        "finished": "2026-12-08 02:00 UTC",
        "note": "Other test runs shared the machine.",
        "pages": plans_bench.PAGES,
        "aim_p95_ms": plans_bench.AIM_P95_MS,
        "clients": 8,
        "budget": {
            "rounds": 1,
            "latency_requests": 10,
            "latency_seconds": 1,
            "throughput_requests": 40,
            "throughput_seconds": 2,
            "warmup_seconds": 0.2,
        },
        "machine": {"cores": 2, "cpu": "x", "memory": "1 GiB", "load_before": [1], "versions": {"Python": "3"}},
        "results": [
            {
                "database": "SQLite",
                "pages": {"plan": _runs(plan_p95, non_2xx), "inbox": _runs(50.0)},
                "load": [1.0, 2.0],
                "profile": {"plan": found, "inbox": found},
                "build": {"counts": counts, "timings": {"schema_s": 1.0, "total_s": 2.0}},
                "verify": {"exit_code": 0, "rows": 2010},
            }
        ],
    }


DOCUMENT = "# Benchmarks\n\nAccess figures.\n\n## Social map\n\nMap figures.\n"


def test_the_care_plan_section_goes_before_the_social_map_and_keeps_the_other_parts() -> None:
    written = report.with_plans_section(DOCUMENT, _part(250.0))

    assert written.index("Access figures.") < written.index(report.PLANS_HEADING) < written.index("## Social map")
    assert "Map figures." in written
    assert "| plan: p95 ≤ 100 ms at 1 client | SQLite | 250.0 ms | **not met** |" in written
    assert "| inbox: p95 ≤ 100 ms at 1 client | SQLite | 50.0 ms | met |" in written
    assert "| SQLite | plan | audited | 3 | 9.0 | 8.0 | 42 |" in written
    assert "Other test runs shared the machine." in written


def test_a_new_run_replaces_the_care_plan_section() -> None:
    first = report.with_plans_section(DOCUMENT, _part(250.0))
    second = report.with_plans_section(first, _part(80.0))

    assert second.count(report.PLANS_HEADING) == 1
    assert "250.0 ms" not in second
    assert "| plan: p95 ≤ 100 ms at 1 client | SQLite | 80.0 ms | met |" in second
    assert second.count("Map figures.") == 1


def test_a_failed_request_fails_the_run() -> None:
    assert plans_bench.failures(_part(80.0)) == []
    assert plans_bench.failures(_part(80.0, non_2xx=2)) == [
        "care plan, SQLite, plan: 2 non-2xx (latency)",
        "care plan, SQLite, plan: 2 non-2xx (throughput)",
    ]
