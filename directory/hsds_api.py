"""The public HSDS 3.1 read API under /hsds/ (the paths of the 3.1 openapi.json), for other
directories. It serves the published dataset only, one language per request (`?lang=nl|fr`,
else the request's language), never anything for professionals only, and is rate-limited per
client address. The 3.1 POST operations (writes) are not offered: this API is read-only.
"""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import translation
from ninja import NinjaAPI
from ninja.throttling import BaseThrottle

from directory import models as m
from directory.hsds import output
from directory.search import ratelimit
from interop.hsds.exporter import page_of
from interop.hsds.serialize import flat, organization_flat, service_at_location_full
from schakel.routes import public_route

MAX_PER_PAGE = 1000


class HsdsThrottle(BaseThrottle):
    """DIRECTORY_HSDS_RATE requests a minute per client, read at each request. Counted like the
    public search (directory/search/ratelimit.py), not with django-ninja's own throttle: that one
    keys on X-Forwarded-For as the client sends it, stores the raw address in the cache and counts
    by read-then-write, so rotating the header or calling at once slipped past it."""

    def get_ident(self, request: HttpRequest) -> str:
        return ratelimit.client_key(request)

    def allow_request(self, request: HttpRequest) -> bool:
        return ratelimit.count(request, "hsds") <= settings.DIRECTORY_HSDS_RATE

    def wait(self) -> float:
        """Retry-After: the client's window ends within a minute (when exactly is the cache's)."""
        return float(ratelimit.WINDOW_SECONDS)


hsds_api = NinjaAPI(
    title="Schakel social map: HSDS 3.1 API",
    version="3.1",
    description="Open Referral HSDS 3.1 read API over the published social map. Public, read-only, "
    "rate-limited. `lang=nl|fr` picks the language of the text.",
    urls_namespace="hsds",
    docs_url=None,
    auth=None,
    throttle=[HsdsThrottle()],
)


def _lang(lang: str | None) -> str:
    return output.check_language(lang or translation.get_language())


def _page(queryset: Any, page: int, per_page: int, render: Any) -> dict[str, Any]:
    total, page, per_page, items = output.paged(queryset, page, per_page, MAX_PER_PAGE)
    return page_of(total, page, per_page, [render(item) for item in items])


def _ndjson(items: Iterator[dict[str, Any]]) -> StreamingHttpResponse:
    lines = (json.dumps(item, ensure_ascii=False, default=str) + "\n" for item in items)
    return StreamingHttpResponse(lines, content_type="application/x-ndjson")


@hsds_api.get("/", url_name="meta")
@public_route()
def meta(request: HttpRequest) -> dict[str, str]:
    return {
        "version": "3.1",
        "profile": "https://docs.openreferral.org/en/latest/hsds/",
        "openapi_url": request.build_absolute_uri("/hsds/openapi.json"),
    }


@hsds_api.get("/services", url_name="services")
@public_route()
def services(
    request: HttpRequest,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: datetime | None = None,
    minimal: bool = False,
    full: bool = False,
    lang: str | None = None,
) -> Any:
    language = _lang(lang)
    filters = output.ServiceFilters(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    queryset = output.api_services(filters, full=full)
    ids = output.record_ids()

    def render(service: m.Service) -> dict[str, Any]:
        if minimal:
            return {"id": service.hsds_id, "last_modified": service.updated_at.isoformat()}
        return output.full_service(service, language, ids) if full else flat("service", service, language, ids)

    if format == "ndjson":
        return _ndjson(render(service) for service in queryset.iterator(chunk_size=500))
    return _page(queryset, page, per_page, render)


@hsds_api.get("/services/{id}", url_name="service")
@public_route()
def service(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    return output.full_service(output.api_service(id), _lang(lang), output.record_ids())


@hsds_api.get("/taxonomies", url_name="taxonomies")
@public_route()
def taxonomies(
    request: HttpRequest,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    lang: str | None = None,
) -> Any:
    queryset, ids, language = output.api_taxonomies(search), output.record_ids(), _lang(lang)
    if format == "ndjson":
        return _ndjson(flat("taxonomy", item, language, ids) for item in queryset.iterator())
    return _page(queryset, page, per_page, lambda item: flat("taxonomy", item, language, ids))


@hsds_api.get("/taxonomies/{id}", url_name="taxonomy")
@public_route()
def taxonomy(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    return flat("taxonomy", output.api_taxonomy(id), _lang(lang), output.record_ids())


@hsds_api.get("/taxonomy_terms", url_name="taxonomy-terms")
@public_route()
def taxonomy_terms(
    request: HttpRequest,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    taxonomy_id: str | None = None,
    top_only: bool = False,
    parent_id: str | None = None,
    lang: str | None = None,
) -> Any:
    queryset = output.api_taxonomy_terms(search=search, taxonomy_id=taxonomy_id, top_only=top_only, parent_id=parent_id)
    ids, language = output.record_ids(), _lang(lang)
    if format == "ndjson":
        return _ndjson(flat("taxonomy_term", item, language, ids) for item in queryset.iterator())
    return _page(queryset, page, per_page, lambda item: flat("taxonomy_term", item, language, ids))


@hsds_api.get("/taxonomy_terms/{id}", url_name="taxonomy-term")
@public_route()
def taxonomy_term(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    return flat("taxonomy_term", output.api_taxonomy_term(id), _lang(lang), output.record_ids())


@hsds_api.get("/organizations", url_name="organizations")
@public_route()
def organizations(
    request: HttpRequest,
    search: str | None = None,
    full_service: bool = False,
    full: bool = False,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    lang: str | None = None,
) -> Any:
    queryset = output.api_organizations(search=search, taxonomy_term_id=taxonomy_term_id, taxonomy_id=taxonomy_id)
    ids, language = output.record_ids(), _lang(lang)

    def render(organization: m.Organization) -> dict[str, Any]:
        if full or full_service:
            return output.organization_full(organization, language, ids, nested_services=full_service)
        return organization_flat(organization, language, ids)

    if format == "ndjson":
        return _ndjson(render(item) for item in queryset.iterator())
    return _page(queryset, page, per_page, render)


@hsds_api.get("/organizations/{id}", url_name="organization")
@public_route()
def organization(
    request: HttpRequest,
    id: str,
    full_service: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    found = output.api_organization(id)
    return output.organization_full(found, _lang(lang), output.record_ids(), nested_services=full_service)


@hsds_api.get("/service_at_locations", url_name="service-at-locations")
@public_route()
def service_at_locations(
    request: HttpRequest,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: datetime | None = None,
    full: bool = False,
    page: int = 1,
    per_page: int = 50,
    format: str = "json",
    postcode: str | None = None,
    proximity: str | None = None,
    lang: str | None = None,
) -> Any:
    """`postcode` keeps records whose service area covers it (a municipality or a care zone with
    that postcode) or whose location has it. `proximity` is accepted and ignored: Schakel keeps
    no postcode centroids."""
    filters = output.ServiceFilters(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    queryset = output.api_service_at_locations(filters, full=full, postcode=postcode)
    ids, language = output.record_ids(), _lang(lang)

    def render(link: m.ServiceAtLocation) -> dict[str, Any]:
        if full:
            return service_at_location_full(link, language, ids, with_service=True)
        return flat("service_at_location", link, language, ids)

    if format == "ndjson":
        return _ndjson(render(item) for item in queryset.iterator(chunk_size=500))
    return _page(queryset, page, per_page, render)


@hsds_api.get("/service_at_locations/{id}", url_name="service-at-location")
@public_route()
def service_at_location(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    found = output.api_service_at_location(id)
    return service_at_location_full(found, _lang(lang), output.record_ids(), with_service=True)
