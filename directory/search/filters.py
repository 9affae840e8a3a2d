"""The search filters, shared by both back-ends: the place as tokens of the full-text documents,
the other filters as SQL conditions on one service id column.

A place is matched by the callers themselves: inside the full-text index (each document lists the
municipalities its service covers, index.place_token), so a search with a place is one index
lookup, words AND place; or, for a place without words, by driving the query from SearchPlace.
The other filters are correlated EXISTS on indexed columns (its languages, its capacities),
checked on the few rows that match. No filter ever lists the whole directory. A service that is
not indexed (defunct, or of another dataset) never passes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from directory.models import Language, ServiceCapacity
from directory.search.index import place_token
from directory.search.models import SearchDocument

DOCUMENT = SearchDocument._meta.db_table
LANGUAGE = Language._meta.db_table
CAPACITY = ServiceCapacity._meta.db_table


@dataclass(frozen=True)
class Filters:
    dataset_id: int
    municipality_ids: frozenset[int] | None = None  # None: anywhere
    spoken_language: str | None = None
    available_since: datetime | None = None  # "available now": places free confirmed since

    @property
    def nowhere(self) -> bool:
        """A place was asked for that covers no municipality: nothing can match."""
        return self.municipality_ids is not None and not self.municipality_ids

    def place_tokens(self) -> list[str]:
        """The place as full-text tokens (any of them matches); empty for "anywhere"."""
        return [place_token(pk) for pk in sorted(self.municipality_ids or ())]

    def sql(self, column: str, *, document: str | None = None) -> tuple[str, list[Any]]:
        """`column` holds a service id; returns (conditions joined by AND, parameters), the place
        left to the caller.

        `document`: the alias of that service's SearchDocument row in the query, whose dataset is
        then compared directly (a self-join made PostgreSQL walk the whole table under LIMIT).
        """
        # Table and column names are this module's constants; every value is a parameter.
        if document:
            parts = [f"{document}.dataset_id = %s"]
        else:
            parts = [f"EXISTS (SELECT 1 FROM {DOCUMENT} fd WHERE fd.service_id = {column} AND fd.dataset_id = %s)"]  # noqa: S608
        params: list[object] = [self.dataset_id]
        if self.spoken_language:
            parts.append(f"EXISTS (SELECT 1 FROM {LANGUAGE} fl WHERE fl.service_id = {column} AND fl.code = %s)")  # noqa: S608
            params.append(self.spoken_language)
        if self.available_since is not None:
            parts.append(
                f"EXISTS (SELECT 1 FROM {CAPACITY} fc WHERE fc.service_id = {column} "  # noqa: S608
                "AND fc.available > 0 AND fc.updated >= %s)"
            )
            params.append(self.available_since)
        return " AND ".join(parts), params
