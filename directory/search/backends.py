"""The two full-text back-ends behind the one search interface, chosen by connection.vendor.

Both receive the same analysed query (groups of stems: a group matches when any of its stems
does) and the same filtered set of services (a Django queryset compiled to SQL), and do two
things: find a bounded set of candidates (names and need terms first, then the descriptions when
that gives too few), and score those candidates only. Neither ever ranks the whole table.
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet

from directory.search.index import FTS_TABLE
from directory.search.models import SearchDocument

Groups = Sequence[Sequence[str]]


def _subquery(base: QuerySet) -> tuple[str, tuple[object, ...]]:
    sql, params = base.values("pk").query.sql_with_params()
    return sql, tuple(params)


class SQLiteBackend:
    """FTS5: one row per service (rowid = service id) with the columns names, terms and body;
    bm25 weighs a match in the names 10, in the need terms 6, in the descriptions 1."""

    WEIGHTS = (10.0, 6.0, 1.0)

    @staticmethod
    def _expression(groups: Groups) -> str:
        # Stems are [a-z0-9]+ (text.words), so quoting them is all the escaping FTS5 needs.
        return " OR ".join(f'"{stem}"' for group in groups for stem in group)

    def candidates(self, groups: Groups, base: QuerySet, cap: int, *, exclude: Sequence[int] = ()) -> list[int]:
        expression = self._expression(groups)
        if not expression:
            return []
        sql, params = _subquery(base)
        found: list[int] = []
        seen = set(exclude)
        with connection.cursor() as cursor:
            for match in (f"{{names terms}} : ({expression})", expression):
                if len(found) >= cap:
                    break
                cursor.execute(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({sql}) LIMIT %s",  # noqa: S608
                    (match, *params, cap + len(seen)),
                )
                for (service_id,) in cursor.fetchall():
                    if service_id not in seen and len(found) < cap:
                        seen.add(service_id)
                        found.append(service_id)
        return found

    def scores(self, groups: Groups, ids: Sequence[int]) -> dict[int, float]:
        expression = self._expression(groups)
        if not expression or not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        weights = ", ".join(str(weight) for weight in self.WEIGHTS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
                (expression, *ids),
            )
            # bm25 is negative, better matches more so.
            return {service_id: -score for service_id, score in cursor.fetchall()}


class PostgreSQLBackend:
    """tsvector columns generated from the stemmed text ('simple' configuration: the stems are
    already made), `head` (names A, terms B) and `vector` (plus body C), each with a GIN index;
    ts_rank weighs A 1.0, B 0.6, C 0.1."""

    WEIGHTS = "{0.05, 0.1, 0.6, 1.0}"  # D, C, B, A

    @staticmethod
    def _expression(groups: Groups) -> str:
        return " | ".join(stem for group in groups for stem in group)

    def candidates(self, groups: Groups, base: QuerySet, cap: int, *, exclude: Sequence[int] = ()) -> list[int]:
        expression = self._expression(groups)
        if not expression:
            return []
        sql, params = _subquery(base)
        table = SearchDocument._meta.db_table
        found: list[int] = []
        seen = set(exclude)
        with connection.cursor() as cursor:
            for column in ("head", "vector"):
                if len(found) >= cap:
                    break
                cursor.execute(
                    f"SELECT service_id FROM {table} WHERE {column} @@ to_tsquery('simple', %s) "  # noqa: S608
                    f"AND service_id IN ({sql}) LIMIT %s",
                    (expression, *params, cap + len(seen)),
                )
                for (service_id,) in cursor.fetchall():
                    if service_id not in seen and len(found) < cap:
                        seen.add(service_id)
                        found.append(service_id)
        return found

    def scores(self, groups: Groups, ids: Sequence[int]) -> dict[int, float]:
        expression = self._expression(groups)
        if not expression or not ids:
            return {}
        table = SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT service_id, ts_rank(%s::float4[], vector, query) FROM {table}, "  # noqa: S608
                "to_tsquery('simple', %s) AS query WHERE service_id = ANY(%s) AND vector @@ query",
                (self.WEIGHTS, expression, list(ids)),
            )
            return {service_id: float(score) for service_id, score in cursor.fetchall()}


def current() -> SQLiteBackend | PostgreSQLBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search back-end for {connection.vendor}")
