"""The public JSON search API of the social map (/api/map/...): everyday words, a place and a
language in, ranked services with their HSDS ids and availability out, so that other tools can use
the same search as the pages. No login; rate-limited per client address like the search page."""

from datetime import date

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from core.i18n import pick
from directory import availability, queries
from directory.search import ratelimit, terms
from directory.search.engine import search
from schakel.routes import public_route

router = Router(tags=["social map"])


class SearchIn(Schema):
    q: str = Field("", max_length=200, description="What the person is looking for, in their own words (nl or fr).")
    place: str = Field("", max_length=100, description="A municipality (Dutch or French name) or a postcode.")
    language: str = Field("nl", pattern="^(nl|fr|en)$", description="Language of the answer's texts: nl, fr or en.")
    spoken_language: str = Field(
        "", max_length=8, description="Only services where this language is spoken (ISO 639-1)."
    )
    available_now: bool = Field(False, description="Only services with places free, confirmed recently.")
    need: str = Field("", max_length=100, description="Only services of this need (a code of /api/map/needs).")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)


class AvailabilityOut(Schema):
    status: str = Field(description="available | waiting_list | full | unknown")
    waiting_weeks: int | None = Field(description="Expected wait in weeks, when on a waiting list.")
    confirmed_at: date | None = Field(description="When the availability (or the service) was last confirmed.")
    stale: bool = Field(description="True when not confirmed for longer than the zone's setting.")


class ServiceOut(Schema):
    id: str = Field(description="The service's HSDS id (also at /hsds/services/{id}).")
    name: str
    organization: str
    description: str
    needs: list[str] = Field(description="Codes of the query's needs this service meets.")
    url: str = Field(description="The service's public page.")
    availability: AvailabilityOut
    score: float


class PlaceOut(Schema):
    label: str
    nis_code: str
    postcode: str


class NeedOut(Schema):
    code: str
    name: str
    description: str = ""


class SearchOut(Schema):
    query: str
    language: str
    place: PlaceOut | None
    place_unknown: bool
    needs: list[NeedOut] = Field(description="What the query was understood to be about.")
    corrections: dict[str, str] = Field(description="Misspelled words and what was searched instead.")
    total: int = Field(description="Services found (bounded: see `limited`).")
    limited: bool
    results: list[ServiceOut]


@router.get("/search", response=SearchOut, auth=None, url_name="map-search")
@public_route("GET")
def search_services(request: HttpRequest, params: Query[SearchIn]) -> dict[str, object]:
    """Search the published social map in everyday words. Ranked best first; each result carries
    its HSDS id and its availability (places free, waiting list with the expected weeks, full)."""
    if not ratelimit.allow(request):
        raise HttpError(429, "Too many searches from this address; try again in a minute.")
    with translation.override(params.language):
        result = search(
            params.q,
            language=params.language,
            place=params.place or None,
            spoken_language=params.spoken_language or None,
            available_now=params.available_now,
            need=params.need or None,
            limit=params.limit,
            offset=params.offset,
        )
        if params.q.strip():
            terms.record(params.q)
        results = []
        for hit in result.hits:
            service = hit.service
            found = availability.status(service)
            results.append(
                {
                    "id": service.hsds_id,
                    "name": service.name,
                    "organization": service.organization.name if service.organization else "",
                    "description": service.description,
                    "needs": hit.needs,
                    "url": request.build_absolute_uri(reverse("directory:service", args=[service.hsds_id])),
                    "availability": {
                        "status": found.status,
                        "waiting_weeks": found.waiting_weeks,
                        "confirmed_at": found.confirmed_at,
                        "stale": found.is_stale,
                    },
                    "score": hit.score,
                }
            )
        place = result.place
        return {
            "query": result.query,
            "language": params.language,
            "place": {"label": place.label, "nis_code": place.nis_code, "postcode": place.postcode} if place else None,
            "place_unknown": result.place_unknown,
            "needs": [
                {"code": need.code, "name": pick(need, "name"), "description": pick(need, "description")}
                for need in result.needs
            ],
            "corrections": result.corrections,
            "total": result.total,
            "limited": result.limited,
            "results": results,
        }


@router.get("/needs", response=list[NeedOut], auth=None, url_name="map-needs")
@public_route("GET")
def needs(request: HttpRequest, language: str = "nl") -> list[dict[str, str]]:
    """The need taxonomy: the codes `need` accepts, with their names and descriptions."""
    language = language if language in ("nl", "fr", "en") else "nl"
    return [
        {"code": need.code, "name": pick(need, "name", language), "description": pick(need, "description", language)}
        for need in queries.needs()
    ]
