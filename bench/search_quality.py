"""`make bench`: search quality of the social map on the database in use (DATABASE_URL or SQLite):
success@5 and MRR@10 of the everyday queries (directory/tests/search/quality_queries.toml) over
the demo directory, with the taxonomy's everyday words and without them (the baseline).

    DJANGO_SETTINGS_MODULE=schakel.settings.development python -m bench.search_quality

Loads the need taxonomy and the demo directory when no social map is published. `main()` prints
the figures and returns them for the bench report.
"""

import os
import sys
import time
from typing import Any


def main() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.settings.development")
    import django

    django.setup()
    from django.db import connection

    from demo import directory as demo_directory
    from directory.models import Dataset
    from directory.search import quality

    if Dataset.objects.published() is None:
        demo_directory.load()
    figures: dict[str, Any] = {"database": connection.vendor}
    for key, everyday in (("everyday_words", True), ("baseline", False)):
        started = time.perf_counter()
        result = quality.evaluate(everyday=everyday)
        figures[key] = {
            "queries": result.queries,
            "success_at_5": result.success_at_5,
            "mrr_at_10": result.mrr_at_10,
            "seconds": round(time.perf_counter() - started, 2),
            "misses": [outcome.query.text for outcome in result.misses()],
        }
    print(f"Search quality on {figures['database']} ({figures['everyday_words']['queries']} queries):")
    for key, label in (("everyday_words", "with the everyday words"), ("baseline", "baseline, without them")):
        row = figures[key]
        print(f"  {label:<26} success@5 {row['success_at_5']:.3f}  MRR@10 {row['mrr_at_10']:.3f}")
    return figures


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
