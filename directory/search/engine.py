"""The one search interface of the social map (MAP-02): everyday words in Dutch or French, a place,
filters -> ranked services of the published directory.

1. The words are normalised (no accents), misspelled ones corrected (vocabulary.py), and a place
   named in them ("... schaarbeek") becomes the place filter unless one was given.
2. The everyday words of the need taxonomy say which needs the query is about (matcher.py).
3. Candidates, bounded: the services tagged with those needs, then the services whose names or
   need terms match the words, then (only if that gave too few) whose descriptions do, each found
   in the full-text index together with the place (backends.py). Each set is capped inside the
   database (CANDIDATE_CAP, TEXT_CAP), so a broad word never ranks the whole table.
4. The candidates are scored: how well the need matches (strongest), the full-text score (names
   weigh most), and a small nudge for places free now, so the list is not headed by full
   services (MAP-03). Ties go to the lower id, so results are stable.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from directory import availability
from directory.models import Attribute, Dataset, Service, ServiceCapacity, TaxonomyTerm
from directory.search import backends, matcher, places, text, vocabulary
from directory.search.filters import Filters
from directory.search.index import term_token
from directory.search.models import NeedTerm, SearchDocument, SearchPlace

CANDIDATE_CAP = 300  # services carrying the query's needs
TEXT_CAP = 150  # more services matching the words
MAX_QUERY_WORDS = 16
MAX_QUERY_LENGTH = 200
MAX_LIMIT = 100
NEED_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
# A nudge, smaller than any need or name match: among equals, places free come first.
AVAILABILITY_BONUS = {availability.AVAILABLE: 0.25, availability.WAITING_LIST: 0.1, availability.UNKNOWN: 0.05}


@dataclass(frozen=True)
class Hit:
    service: Service
    score: float
    needs: list[str]  # codes of the query's needs this service carries


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # candidates found (at most the caps)
    needs: list[NeedTerm] = field(default_factory=list)  # what we understood the query is about
    place: places.Place | None = None
    place_from_words: bool = False
    place_unknown: bool = False  # a place was given that we do not know
    corrections: dict[str, str] = field(default_factory=dict)
    limited: bool = False  # a cap was reached: more services match

    @property
    def ids(self) -> list[int]:
        return [hit.service.pk for hit in self.hits]


def search(
    query: str,
    *,
    language: str,
    municipality: object = None,
    postcode: str | None = None,
    zone: object = None,
    spoken_language: str | None = None,
    available_now: bool = False,
    limit: int = 20,
    offset: int = 0,
    place: str | None = None,
    need: str | None = None,
    everyday: bool = True,
) -> SearchResult:
    """Search the published directory.

    `municipality` is a core.Municipality or a NIS code (all its postcodes), `postcode` a Belgian
    postcode, `zone` a core.CareZone, its id or its name; `place` is the place field as typed (a
    name or a postcode). `need` browses one need (a code of the need taxonomy). `everyday=False`
    leaves the taxonomy's everyday words out (the baseline of the quality bench).
    """
    query = (query or "")[:MAX_QUERY_LENGTH]
    result = SearchResult(query=query)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    dataset = Dataset.objects.published()
    gazetteer = places.gazetteer()
    result.place, result.place_unknown = _given_place(gazetteer, municipality, postcode, zone, place)
    words = text.words(query)[:MAX_QUERY_WORDS]
    match = matcher.current(everyday=everyday)
    if dataset is None:
        return result
    result.corrections = vocabulary.correct(
        [word for word in words if word not in text.STOPWORDS],
        dataset_id=dataset.pk,
        extra=match.vocabulary | gazetteer.vocabulary,
    )
    words = [result.corrections.get(word, word) for word in words]
    if result.place is None and not result.place_unknown:
        result.place, words = gazetteer.find_in(words)
        result.place_from_words = result.place is not None
    content = [word for word in words if word not in text.STOPWORDS]
    languages = ("nl", "fr", "en") if language == "en" else ("nl", "fr")
    matches = match.match(content, languages) if content else []
    relative = {found.term_id: found.relative for found in matches}
    if need:
        browsed = NeedTerm.objects.filter(code=need).first()
        relative = {browsed.term_id: 1.0} if browsed else {-1: 1.0}
    needs_by_term = {need.term_id: need for need in NeedTerm.objects.filter(term_id__in=relative)}
    result.needs = [needs_by_term[term_id] for term_id in relative if term_id in needs_by_term]

    if result.place_unknown:
        return result  # say so rather than search everywhere
    filters = Filters(
        dataset.pk,
        result.place.municipality_ids if result.place is not None else None,
        spoken_language.strip().lower()[:8] if spoken_language and spoken_language.strip() else None,
        availability.available_now_since() if available_now else None,
    )
    if not content and not need:
        if result.place is None and not filters.spoken_language and not available_now:
            return result  # nothing asked
        return _browse(result, filters, limit, offset)

    backend = backends.current()
    tagged = _tagged(backend, filters, list(relative))
    result.limited = len(tagged) > CANDIDATE_CAP
    tagged = dict(list(tagged.items())[:CANDIDATE_CAP])
    groups = [sorted({key[1] for key in text.query_keys(word, languages)}) for word in content]
    found = backend.candidates(groups, filters, TEXT_CAP, exclude=list(tagged)) if groups else []
    result.limited = result.limited or len(found) >= TEXT_CAP
    candidates = [*tagged, *found]
    if not candidates:
        return result
    ranking_groups = [*groups, *([term_token(term_id)] for term_id in relative)]
    text_scores = _text_scores(ranking_groups, candidates)
    top = max(text_scores.values(), default=0.0) or 1.0
    bonus = _availability_bonus(candidates)
    scored = []
    for service_id in candidates:
        # Cubed, so that a need that is only close to the best one ranks below it.
        need_score = max((relative[term_id] for term_id in tagged.get(service_id, ())), default=0.0) ** 3
        score = (
            NEED_WEIGHT * need_score + TEXT_WEIGHT * text_scores.get(service_id, 0.0) / top + bonus.get(service_id, 0.0)
        )
        scored.append((round(score, 6), service_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    result.total = len(scored)
    page = scored[offset : offset + limit]
    services = _load([service_id for _, service_id in page])
    codes = {term_id: need.code for term_id, need in needs_by_term.items()}
    result.hits = [
        Hit(services[service_id], score, sorted(codes[t] for t in tagged.get(service_id, ()) if t in codes))
        for score, service_id in page
        if service_id in services
    ]
    return result


def _given_place(
    gazetteer: places.Gazetteer, municipality: object, postcode: str | None, zone: object, typed: str | None
) -> tuple[places.Place | None, bool]:
    """The place asked for outside the words; (None, True) when it is unknown."""
    found: list[places.Place | None] = []
    if municipality is not None:
        nis = getattr(municipality, "nis_code", municipality)
        found.append(gazetteer.municipality(str(nis)))
    if postcode:
        found.append(gazetteer.postcode(str(postcode).strip()))
    if zone is not None and zone != "":
        found.append(places.zone_place(zone))  # type: ignore[arg-type]  # a zone or its id, as zone_place takes
    if typed and typed.strip():
        found.append(gazetteer.parse(typed))
    if not found:
        return None, False
    if any(place is None for place in found):
        return None, True
    ids = frozenset.intersection(*(place.municipality_ids for place in found if place))
    first = found[0]
    assert first is not None
    return places.Place(first.label, ids, first.nis_code, first.postcode, first.zone_id), False


# A word found in a service's names counts most, in its need terms less, in its description least.
COLUMN_WEIGHTS = (10.0, 6.0, 1.0)


def _text_scores(groups: list[list[str]], ids: list[int]) -> dict[int, float]:
    """How well each candidate's text matches the words, from its stored stems: per word group,
    the weight of the best column it is found in, times the group's rarity among the candidates
    (a word every candidate has tells them apart little). Computed here rather than by bm25 or
    ts_rank so that both databases rank alike, and only ever over the bounded candidates."""
    best_column: dict[int, dict[str, float]] = {}
    rows = SearchDocument.objects.filter(service_id__in=ids).values_list("service_id", "body", "terms", "names")
    for service_id, *columns in rows:
        weights: dict[str, float] = {}
        # Least weighty column first, so a stem in several keeps its best weight.
        for column, weight in zip(columns, reversed(COLUMN_WEIGHTS), strict=True):
            weights.update(dict.fromkeys(column.split(), weight))
        best_column[service_id] = weights
    count = len(best_column) or 1
    found_in = [
        [max((weights.get(stem, 0.0) for stem in group), default=0.0) for weights in best_column.values()]
        for group in groups
    ]
    rarity = [math.log(1 + count / hits) if (hits := sum(1 for weight in row if weight)) else 0.0 for row in found_in]
    return {
        service_id: sum(found_in[g][position] * rarity[g] for g in range(len(groups)))
        for position, service_id in enumerate(best_column)
    }


def _tagged(backend: backends.Backend, filters: Filters, term_ids: list[int]) -> dict[int, set[int]]:
    """The services carrying the query's needs, within the filters (at most CANDIDATE_CAP + 1,
    to tell that there are more), each with the needs it carries."""
    service_ids = backend.tagged(term_ids, filters, CANDIDATE_CAP + 1)
    tagged: dict[int, set[int]] = {service_id: set() for service_id in service_ids}
    for service_id, term_id in Attribute.objects.filter(
        service_id__in=service_ids, taxonomy_term_id__in=term_ids
    ).values_list("service_id", "taxonomy_term_id"):
        tagged[service_id].add(term_id)
    return tagged


BROWSE_CAP = 5000


def _browse(result: SearchResult, filters: Filters, limit: int, offset: int) -> SearchResult:
    """No words: the services of the place (or of the filters), by name."""
    if filters.nowhere:
        return result
    with connection.cursor() as cursor:
        if filters.municipality_ids:
            # Driven by the place: the few services covering it, then the other filters.
            sql, params = filters.sql("p.service_id")
            marks = ", ".join(["%s"] * len(filters.municipality_ids))
            cursor.execute(
                f"SELECT DISTINCT p.service_id FROM {SearchPlace._meta.db_table} p "  # noqa: S608
                f"WHERE p.municipality_id IN ({marks}) AND p.dataset_id = %s AND {sql} LIMIT %s",
                [*sorted(filters.municipality_ids), filters.dataset_id, *params, BROWSE_CAP + 1],
            )
        else:
            sql, params = filters.sql("d.service_id", document="d")
            cursor.execute(
                f"SELECT d.service_id FROM {SearchDocument._meta.db_table} d WHERE {sql} LIMIT %s",  # noqa: S608
                [*params, BROWSE_CAP + 1],
            )
        ids = [row[0] for row in cursor.fetchall()]
    result.limited = len(ids) > BROWSE_CAP
    ids = ids[:BROWSE_CAP]
    result.total = len(ids)
    ordered = list(
        Service.objects.filter(pk__in=ids)
        .order_by("name_nl", "name_fr", "pk")
        .values_list("pk", flat=True)[offset : offset + limit]
    )
    services = _load(ordered)
    result.hits = [Hit(services[pk], 0.0, []) for pk in ordered if pk in services]
    return result


def _availability_bonus(ids: list[int]) -> dict[int, float]:
    """The availability nudge of each candidate: availability.status() from the capacities alone
    (the same rules), read as plain rows because there may be hundreds of candidates."""
    rows: dict[int, list[tuple[Any, Any, Any]]] = defaultdict(list)
    for service_id, available, updated, weeks in ServiceCapacity.objects.filter(service_id__in=ids).values_list(
        "service_id", "available", "updated", "waiting_weeks"
    ):
        rows[service_id].append((available, updated, weeks))
    since = availability.available_now_since(timezone.now())
    bonus = {}
    for service_id in ids:
        capacities = rows.get(service_id)
        if not capacities:
            found = availability.UNKNOWN
        elif any(available > 0 for available, _, _ in capacities):
            latest = max(updated for _, updated, _ in capacities)
            found = availability.AVAILABLE if latest >= since else availability.UNKNOWN
        elif any(weeks is not None for _, _, weeks in capacities):
            found = availability.WAITING_LIST
        else:
            found = availability.FULL
        bonus[service_id] = AVAILABILITY_BONUS.get(found, 0.0)
    return bonus


def _load(ids: list[int]) -> dict[int, Service]:
    """The services of one page with their organisation and capacities (availability); pages
    prefetch what else they show (presenters.py)."""
    services = Service.objects.filter(pk__in=ids).select_related("organization").prefetch_related("capacities")
    return {service.pk: service for service in services}


def needs_of(service: Service) -> list[TaxonomyTerm]:
    return [attribute.taxonomy_term for attribute in service.attributes.all() if attribute.taxonomy_term]
