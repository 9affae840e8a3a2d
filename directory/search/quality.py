"""Search quality over the demo directory: success@5 and MRR@10 of the everyday queries in
directory/tests/search/quality_queries.toml, with and without the taxonomy's everyday words.

A query's relevant services are computed from the data, independently of the search index: the
services of the published dataset tagged with one of its need terms whose service area names its
municipality or a care zone that holds it (or, with no area, whose address is there). A query
without a place counts every service tagged with its terms.
"""

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

from core.models import Municipality
from directory.models import Address, Attribute, Dataset, ServiceArea, ServiceAtLocation
from directory.search.engine import search
from directory.search.models import NeedTerm

QUERIES_FILE = Path(settings.BASE_DIR) / "directory" / "tests" / "search" / "quality_queries.toml"


@dataclass(frozen=True)
class Query:
    text: str
    language: str
    terms: tuple[str, ...]
    place: str = ""  # NIS code the person means
    field: str = ""  # the place as typed in the place field, when not in the words


@dataclass(frozen=True)
class Outcome:
    query: Query
    relevant: int  # number of relevant services
    rank: int | None  # 1-based rank of the first relevant result within the first 10


@dataclass(frozen=True)
class Figures:
    queries: int
    success_at_5: float
    mrr_at_10: float
    outcomes: list[Outcome]

    def misses(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.rank is None or outcome.rank > 5]


def read_queries(path: Path | None = None) -> list[Query]:
    with open(path or QUERIES_FILE, "rb") as handle:
        data = tomllib.load(handle)
    return [
        Query(entry["text"], entry["language"], tuple(entry["terms"]), entry.get("place", ""), entry.get("field", ""))
        for entry in data["query"]
    ]


class _Truth:
    """Which services are relevant to a (terms, place) pair, from the directory's own tables."""

    def __init__(self, dataset: Dataset) -> None:
        need_terms = dict(NeedTerm.objects.values_list("code", "term_id"))
        self.term_ids = need_terms
        self.tagged: dict[int, set[int]] = defaultdict(set)
        for service_id, term_id in Attribute.objects.filter(dataset=dataset, service__isnull=False).values_list(
            "service_id", "taxonomy_term_id"
        ):
            self.tagged[term_id].add(service_id)
        zone_of = dict(Municipality.objects.values_list("pk", "zone_id"))
        nis_of = dict(Municipality.objects.values_list("pk", "nis_code"))
        self.nis_covered: dict[int, set[str]] = defaultdict(set)
        with_area = set()
        zone_members: dict[int, set[str]] = defaultdict(set)
        for pk, zone_id in zone_of.items():
            zone_members[zone_id].add(nis_of[pk])
        for service_id, municipality_id, zone_id in ServiceArea.objects.filter(dataset=dataset).values_list(
            "service_id", "municipality_id", "zone_id"
        ):
            with_area.add(service_id)
            if municipality_id:
                self.nis_covered[service_id].add(nis_of[municipality_id])
            if zone_id:
                self.nis_covered[service_id] |= zone_members[zone_id]
        location_services: dict[int, set[int]] = defaultdict(set)
        for service_id, location_id in ServiceAtLocation.objects.filter(dataset=dataset).values_list(
            "service_id", "location_id"
        ):
            if service_id not in with_area:
                location_services[location_id].add(service_id)
        for location_id, municipality_id in Address.objects.filter(location_id__in=location_services).values_list(
            "location_id", "municipality_id"
        ):
            for service_id in location_services[location_id]:
                if municipality_id:
                    self.nis_covered[service_id].add(nis_of[municipality_id])

    def relevant(self, query: Query) -> set[int]:
        services: set[int] = set()
        for code in query.terms:
            services |= self.tagged.get(self.term_ids.get(code, -1), set())
        if query.place:
            services = {pk for pk in services if query.place in self.nis_covered.get(pk, ())}
        return services


def evaluate(*, everyday: bool = True, queries: list[Query] | None = None) -> Figures:
    """success@5 (share of queries with a relevant service in the first five) and MRR@10 (mean of
    1/rank of the first relevant service within ten, 0 when none) over the published directory."""
    dataset = Dataset.objects.published()
    if dataset is None:
        raise ValueError("No published directory: load the demo directory first.")
    truth = _Truth(dataset)
    outcomes = []
    for query in queries or read_queries():
        relevant = truth.relevant(query)
        with translation.override(query.language):
            result = search(query.text, language=query.language, place=query.field or None, limit=10, everyday=everyday)
        rank = next((position for position, pk in enumerate(result.ids, start=1) if pk in relevant), None)
        outcomes.append(Outcome(query, len(relevant), rank))
    count = len(outcomes) or 1
    success = sum(1 for outcome in outcomes if outcome.rank is not None and outcome.rank <= 5) / count
    mrr = sum(1 / outcome.rank for outcome in outcomes if outcome.rank) / count
    return Figures(len(outcomes), round(success, 3), round(mrr, 3), outcomes)
