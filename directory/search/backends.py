"""The two full-text back-ends behind the one search interface, chosen by connection.vendor.

Both receive the same analysed query (groups of stems: a group matches when any of its stems
does) and the same filters (filters.py, correlated conditions on the service id), and find a
bounded set of candidates: names and need terms first, then the descriptions when that gives too
few, each cut by LIMIT inside the database. Neither ranks anything: the candidates are scored in
Python from their stored stems (engine.py), so both databases rank the same way.
"""

from collections.abc import Sequence

from django.db import connection

from directory.search.filters import Filters
from directory.search.index import FTS_TABLE
from directory.search.models import SearchDocument

Groups = Sequence[Sequence[str]]


class SQLiteBackend:
    """FTS5: one row per service (rowid = service id) with the columns names, terms and body."""

    @staticmethod
    def _expression(groups: Groups) -> str:
        # Stems are [a-z0-9]+ (text.words), so quoting them is all the escaping FTS5 needs.
        return " OR ".join(f'"{stem}"' for group in groups for stem in group)

    def candidates(self, groups: Groups, filters: Filters, cap: int, *, exclude: Sequence[int] = ()) -> list[int]:
        expression = self._expression(groups)
        if not expression:
            return []
        sql, params = filters.sql(f"{FTS_TABLE}.rowid")
        found: list[int] = []
        seen = set(exclude)
        with connection.cursor() as cursor:
            for match in (f"{{names terms}} : ({expression})", expression):
                if len(found) >= cap:
                    break
                cursor.execute(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND {sql} LIMIT %s",  # noqa: S608
                    (match, *params, cap + len(seen)),
                )
                for (service_id,) in cursor.fetchall():
                    if service_id not in seen and len(found) < cap:
                        seen.add(service_id)
                        found.append(service_id)
        return found


class PostgreSQLBackend:
    """tsvector columns generated from the stemmed text ('simple' configuration: the stems are
    already made), `head` (names and terms) and `vector` (all text), each with a GIN index."""

    @staticmethod
    def _expression(groups: Groups) -> str:
        return " | ".join(stem for group in groups for stem in group)

    def candidates(self, groups: Groups, filters: Filters, cap: int, *, exclude: Sequence[int] = ()) -> list[int]:
        expression = self._expression(groups)
        if not expression:
            return []
        table = SearchDocument._meta.db_table
        sql, params = filters.sql("sd.service_id")
        found: list[int] = []
        seen = set(exclude)
        with connection.cursor() as cursor:
            for column in ("head", "vector"):
                if len(found) >= cap:
                    break
                cursor.execute(
                    f"SELECT sd.service_id FROM {table} sd WHERE sd.{column} @@ to_tsquery('simple', %s) "  # noqa: S608
                    f"AND {sql} LIMIT %s",
                    (expression, *params, cap + len(seen)),
                )
                for (service_id,) in cursor.fetchall():
                    if service_id not in seen and len(found) < cap:
                        seen.add(service_id)
                        found.append(service_id)
        return found


def current() -> SQLiteBackend | PostgreSQLBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search back-end for {connection.vendor}")
