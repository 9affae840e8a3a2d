"""The database a benchmark's settings choose: never the development or a real database."""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from schakel.settings.env import env_int, env_str


def bench_databases(databases: dict[str, Any], *, url_variable: str, name: str, sqlite_path: Path) -> dict[str, Any]:
    """PostgreSQL at the URL bench.run puts in `url_variable`, only on a database called `name`;
    with that variable unset, SQLite at `sqlite_path` (and DATABASE_URL must be unset too)."""
    url = env_str(url_variable, "")
    if url:
        chosen = {"default": dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
        if chosen["default"]["NAME"] != name:
            raise ImproperlyConfigured(f"This benchmark only runs on a database named {name}.")
        return chosen
    if not databases["default"]["ENGINE"].endswith("sqlite3"):
        raise ImproperlyConfigured("Unset DATABASE_URL: the benchmark chooses its own database.")
    databases["default"]["NAME"] = str(sqlite_path)
    return databases
