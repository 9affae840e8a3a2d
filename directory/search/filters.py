"""The search filters as SQL conditions on one service id column, shared by both back-ends.

Each filter is a correlated EXISTS on an indexed column (the service's search document, the
municipalities it covers, its languages, its capacities), so a query is driven by the few rows
that match its words or needs and checks each one cheaply; no filter ever lists the whole
directory. A service that is not indexed (defunct, or of another dataset) never passes.
"""

from dataclasses import dataclass
from datetime import datetime

from directory.models import Language, ServiceCapacity
from directory.search.models import SearchDocument, SearchPlace

DOCUMENT = SearchDocument._meta.db_table
PLACE = SearchPlace._meta.db_table
LANGUAGE = Language._meta.db_table
CAPACITY = ServiceCapacity._meta.db_table


@dataclass(frozen=True)
class Filters:
    dataset_id: int
    municipality_ids: frozenset[int] | None = None  # None: anywhere
    spoken_language: str | None = None
    available_since: datetime | None = None  # "available now": places free confirmed since

    def sql(self, column: str) -> tuple[str, list[object]]:
        """`column` holds a service id; returns (conditions joined by AND, parameters)."""
        # Table and column names are this module's constants; every value is a parameter.
        parts = [f"EXISTS (SELECT 1 FROM {DOCUMENT} fd WHERE fd.service_id = {column} AND fd.dataset_id = %s)"]  # noqa: S608
        params: list[object] = [self.dataset_id]
        if self.municipality_ids is not None:
            if not self.municipality_ids:
                return "1 = 0", []
            marks = ", ".join(["%s"] * len(self.municipality_ids))
            parts.append(
                f"EXISTS (SELECT 1 FROM {PLACE} fp WHERE fp.service_id = {column} AND fp.municipality_id IN ({marks}))"  # noqa: S608
            )
            params += sorted(self.municipality_ids)
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
