"""Search of the social map: `search()` (engine.py) over an index kept by `rebuild_index(dataset)`
and `reindex_service(service)` (index.py). docs/social-map.md, "Search design".

The names are imported lazily: this package is also the `directory_search` app, loaded before models.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from directory.models import Dataset, Service
    from directory.search.engine import SearchResult


def search(query: str, **options: Any) -> "SearchResult":
    """`directory.search.engine.search`: see its signature."""
    from directory.search.engine import search as run

    return run(query, **options)


def rebuild_index(dataset: "Dataset") -> int:
    from directory.search.index import rebuild_index as run

    return run(dataset)


def reindex_service(service: "Service") -> None:
    from directory.search.index import reindex_service as run

    run(service)
