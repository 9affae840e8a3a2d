"""The two full-text back-ends behind the one search interface, chosen by connection.vendor.

Both receive the same analysed query (groups of stems: a group matches when any of its stems
does) and the same filters (filters.py: the place as tokens matched in the index, the rest as
conditions on the service id), and find a bounded set of candidates: names and need terms first,
then the descriptions when that gives too few, each cut by LIMIT inside the database. Neither
ranks anything: the candidates are scored in Python from their stored stems (engine.py), so both
databases rank the same way. The services carrying the query's needs are found the same way,
from the need-term tokens in the documents (index.term_token).
"""

from collections.abc import Sequence

from django.db import connection

from directory.search.filters import Filters
from directory.search.index import FTS_TABLE, term_token
from directory.search.models import SearchDocument

Groups = Sequence[Sequence[str]]


class Backend:
    def _match(self, tokens: list[str], filters: Filters, *, head_only: bool, limit: int) -> list[int]:
        """Ids of the services whose text holds any of the tokens (names and terms only, or all
        text) and that cover the filters' place, within the other filters; at most `limit`."""
        raise NotImplementedError

    def candidates(self, groups: Groups, filters: Filters, cap: int, *, exclude: Sequence[int] = ()) -> list[int]:
        stems = [stem for group in groups for stem in group]
        if not stems or filters.nowhere:
            return []
        found: list[int] = []
        seen = set(exclude)
        for head_only in (True, False):
            if len(found) >= cap:
                break
            for service_id in self._match(stems, filters, head_only=head_only, limit=cap + len(seen)):
                if service_id not in seen and len(found) < cap:
                    seen.add(service_id)
                    found.append(service_id)
        return found

    def tagged(self, term_ids: Sequence[int], filters: Filters, cap: int) -> list[int]:
        """Ids of the services carrying any of these need terms, within the filters; at most `cap`."""
        if not term_ids or filters.nowhere:
            return []
        return self._match([term_token(term_id) for term_id in term_ids], filters, head_only=True, limit=cap)


class SQLiteBackend(Backend):
    """FTS5: one row per service (rowid = service id) with the columns names, terms, body and
    places."""

    def _match(self, tokens: list[str], filters: Filters, *, head_only: bool, limit: int) -> list[int]:
        # Tokens are [a-z0-9]+ (text.words, index.*_token), so quoting them is all the escaping FTS5 needs.
        columns = "{names terms}" if head_only else "{names terms body}"
        quoted = " OR ".join(f'"{token}"' for token in tokens)
        match = f"{columns} : ({quoted})"
        if places := filters.place_tokens():
            match += f" AND places : ({' OR '.join(places)})"
        sql, params = filters.sql(f"{FTS_TABLE}.rowid")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND {sql} LIMIT %s",  # noqa: S608
                (match, *params, limit),
            )
            return [service_id for (service_id,) in cursor.fetchall()]


class PostgreSQLBackend(Backend):
    """tsvector columns generated from the stemmed text ('simple' configuration: the stems are
    already made), `head` (names, terms, places) and `vector` (all of it), each with a GIN index."""

    def _match(self, tokens: list[str], filters: Filters, *, head_only: bool, limit: int) -> list[int]:
        query = " | ".join(tokens)
        if places := filters.place_tokens():
            query = f"({query}) & ({' | '.join(places)})"
        column = "head" if head_only else "vector"
        sql, params = filters.sql("sd.service_id", document="sd")
        # The full-text match is planned on its own (a materialised CTE is planned for all its rows,
        # and still read only as far as the LIMIT needs): so it is read from its GIN index unless
        # most documents match. Under the LIMIT, an overestimated match count (lexemes the
        # statistics do not know) made the planner walk the table in some index order instead.
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH sd AS MATERIALIZED (SELECT service_id, dataset_id FROM {SearchDocument._meta.db_table} "  # noqa: S608
                f"WHERE {column} @@ to_tsquery('simple', %s)) SELECT sd.service_id FROM sd WHERE {sql} LIMIT %s",
                (query, *params, limit),
            )
            return [service_id for (service_id,) in cursor.fetchall()]


def current() -> Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search back-end for {connection.vendor}")
