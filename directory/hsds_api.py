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
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import translation
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle

from directory import models as m
from directory.hsds.exporter import page_of
from directory.hsds.serialize import (
    IdMap,
    check_language,
    flat,
    location_full,
    organization_flat,
    service_at_location_full,
    service_full,
    services_for_output,
)
from schakel.routes import public_route

MAX_PER_PAGE = 1000


class HsdsThrottle(AnonRateThrottle):
    """Requests per minute per client address, read from DIRECTORY_HSDS_RATE at each request."""

    def __init__(self) -> None:
        super().__init__(f"{settings.DIRECTORY_HSDS_RATE}/m")
        self.scope = "hsds"

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests = settings.DIRECTORY_HSDS_RATE
        return super().allow_request(request)


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


def _dataset() -> m.Dataset:
    dataset = m.Dataset.objects.published()
    if dataset is None:
        raise Http404
    return dataset


def _lang(lang: str | None) -> str:
    return check_language(lang or translation.get_language())


def _paged(queryset: QuerySet[Any], page: int, per_page: int) -> tuple[int, int, int, list[Any]]:
    page = max(1, page)
    per_page = max(1, min(MAX_PER_PAGE, per_page))
    total = queryset.count()
    start = (page - 1) * per_page
    return total, page, per_page, list(queryset[start : start + per_page])


def _ndjson(items: Iterator[dict[str, Any]]) -> StreamingHttpResponse:
    lines = (json.dumps(item, ensure_ascii=False, default=str) + "\n" for item in items)
    return StreamingHttpResponse(lines, content_type="application/x-ndjson")


def _text_search(prefix: str, words: str) -> Q:
    query = Q()
    for field in ("name_nl", "name_fr", "name_en", "description_nl", "description_fr"):
        query |= Q(**{f"{prefix}{field}__icontains": words})
    return query


def _service_filters(
    queryset: QuerySet[Any],
    prefix: str,
    *,
    search: str | None,
    taxonomy_term_id: str | None,
    taxonomy_id: str | None,
    organization_id: str | None,
    modified_after: datetime | None,
) -> QuerySet[Any]:
    """HSDS filters, combined with AND; `prefix` reaches the service ("" or "service__")."""
    if search:
        queryset = queryset.filter(_text_search(prefix, search.strip()[:200]))
    if taxonomy_term_id:
        queryset = queryset.filter(**{f"{prefix}attributes__taxonomy_term__hsds_id": taxonomy_term_id})
    if taxonomy_id:
        queryset = queryset.filter(**{f"{prefix}attributes__taxonomy_term__taxonomy__hsds_id": taxonomy_id})
    if organization_id:
        queryset = queryset.filter(**{f"{prefix}organization__hsds_id": organization_id})
    if modified_after:
        queryset = queryset.filter(**{f"{prefix}updated_at__gte": modified_after})
    return queryset.distinct()


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
    queryset = _service_filters(
        m.Service.objects.filter(dataset=_dataset()),
        "",
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    ).order_by("hsds_id")
    queryset = services_for_output(queryset) if full else queryset.select_related("organization", "program")
    ids = IdMap()

    def render(service: m.Service) -> dict[str, Any]:
        if minimal:
            return {"id": service.hsds_id, "last_modified": service.updated_at.isoformat()}
        return service_full(service, language, ids) if full else flat("service", service, language, ids)

    if format == "ndjson":
        return _ndjson(render(service) for service in queryset.iterator(chunk_size=500))
    total, page, per_page, items = _paged(queryset, page, per_page)
    return page_of(total, page, per_page, [render(service) for service in items])


@hsds_api.get("/services/{id}", url_name="service")
@public_route()
def service(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    found = services_for_output(m.Service.objects.filter(dataset=_dataset(), hsds_id=id)).first()
    if found is None:
        raise Http404
    return service_full(found, _lang(lang), IdMap())


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
    dataset = _dataset()
    queryset = m.Taxonomy.objects.filter(Q(dataset=dataset) | Q(dataset=None)).order_by("hsds_id")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    ids, language = IdMap(), _lang(lang)
    if format == "ndjson":
        return _ndjson(flat("taxonomy", item, language, ids) for item in queryset.iterator())
    total, page, per_page, items = _paged(queryset, page, per_page)
    return page_of(total, page, per_page, [flat("taxonomy", item, language, ids) for item in items])


@hsds_api.get("/taxonomies/{id}", url_name="taxonomy")
@public_route()
def taxonomy(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    dataset = _dataset()
    found = m.Taxonomy.objects.filter(Q(dataset=dataset) | Q(dataset=None), hsds_id=id).first()
    if found is None:
        raise Http404
    return flat("taxonomy", found, _lang(lang), IdMap())


def _terms(dataset: m.Dataset) -> QuerySet[m.TaxonomyTerm]:
    return m.TaxonomyTerm.objects.filter(Q(dataset=dataset) | Q(dataset=None))


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
    queryset = _terms(_dataset()).order_by("hsds_id")
    if search:
        queryset = queryset.filter(_text_search("", search.strip()[:200]) | Q(code__icontains=search))
    if taxonomy_id:
        queryset = queryset.filter(taxonomy__hsds_id=taxonomy_id)
    if top_only:
        queryset = queryset.filter(parent=None)
    if parent_id:
        queryset = queryset.filter(parent__hsds_id=parent_id)
    ids, language = IdMap(), _lang(lang)
    if format == "ndjson":
        return _ndjson(flat("taxonomy_term", item, language, ids) for item in queryset.iterator())
    total, page, per_page, items = _paged(queryset, page, per_page)
    return page_of(total, page, per_page, [flat("taxonomy_term", item, language, ids) for item in items])


@hsds_api.get("/taxonomy_terms/{id}", url_name="taxonomy-term")
@public_route()
def taxonomy_term(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    found = _terms(_dataset()).filter(hsds_id=id).first()
    if found is None:
        raise Http404
    return flat("taxonomy_term", found, _lang(lang), IdMap())


def _organization_full(
    organization: m.Organization, language: str, ids: IdMap, *, full_service: bool
) -> dict[str, Any]:
    record = organization_flat(organization, language, ids)
    record["phones"] = [flat("phone", p, language, ids) for p in organization.phones.filter(professional_only=False)]
    record["contacts"] = []  # contacts are for professionals only (docs/social-map.md)
    record["locations"] = [location_full(loc, language, ids) for loc in organization.locations.all()]
    record["programs"] = [flat("program", p, language, ids) for p in organization.programs.all()]
    record["funding"] = [flat("funding", f, language, ids) for f in organization.funding.all()]
    services = organization.services.order_by("hsds_id")
    if full_service:
        record["services"] = [service_full(s, language, ids) for s in services_for_output(services)]
    else:
        record["services"] = [{"id": s.hsds_id} for s in services]
    return record


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
    queryset = m.Organization.objects.filter(dataset=_dataset()).order_by("hsds_id")
    if search:
        queryset = queryset.filter(_text_search("", search.strip()[:200]))
    if taxonomy_term_id:
        queryset = queryset.filter(
            Q(attributes__taxonomy_term__hsds_id=taxonomy_term_id)
            | Q(services__attributes__taxonomy_term__hsds_id=taxonomy_term_id)
        )
    if taxonomy_id:
        queryset = queryset.filter(
            Q(attributes__taxonomy_term__taxonomy__hsds_id=taxonomy_id)
            | Q(services__attributes__taxonomy_term__taxonomy__hsds_id=taxonomy_id)
        )
    queryset = queryset.distinct()
    ids, language = IdMap(), _lang(lang)

    def render(organization: m.Organization) -> dict[str, Any]:
        if full or full_service:
            return _organization_full(organization, language, ids, full_service=full_service)
        return organization_flat(organization, language, ids)

    if format == "ndjson":
        return _ndjson(render(item) for item in queryset.iterator())
    total, page, per_page, items = _paged(queryset, page, per_page)
    return page_of(total, page, per_page, [render(item) for item in items])


@hsds_api.get("/organizations/{id}", url_name="organization")
@public_route()
def organization(
    request: HttpRequest,
    id: str,
    full_service: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    found = m.Organization.objects.filter(dataset=_dataset(), hsds_id=id).first()
    if found is None:
        raise Http404
    return _organization_full(found, _lang(lang), IdMap(), full_service=full_service)


def _sal_prefetches(queryset: QuerySet[m.ServiceAtLocation]) -> QuerySet[m.ServiceAtLocation]:
    return queryset.select_related("service", "location").prefetch_related(
        "phones__languages",
        "schedules",
        "service_areas",
        "contacts__phones",
        "location__addresses",
        "location__phones__languages",
        "location__languages",
        "location__accessibility",
        "location__schedules",
        "location__contacts",
        "location__attributes__taxonomy_term",
    )


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
    queryset = _service_filters(
        m.ServiceAtLocation.objects.filter(dataset=_dataset()),
        "service__",
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )
    if postcode:
        queryset = queryset.filter(
            Q(location__addresses__postal_code=postcode)
            | Q(service__service_areas__municipality__postcode=postcode)
            | Q(service__service_areas__zone__municipalities__postcode=postcode)
            | Q(service_areas__municipality__postcode=postcode)
        ).distinct()
    queryset = queryset.order_by("hsds_id")
    ids, language = IdMap(), _lang(lang)
    if full:
        queryset = _sal_prefetches(queryset)

    def render(link: m.ServiceAtLocation) -> dict[str, Any]:
        if full:
            return service_at_location_full(link, language, ids, with_service=True)
        return flat("service_at_location", link, language, ids)

    if format == "ndjson":
        return _ndjson(render(item) for item in queryset.iterator(chunk_size=500))
    total, page, per_page, items = _paged(queryset, page, per_page)
    return page_of(total, page, per_page, [render(item) for item in items])


@hsds_api.get("/service_at_locations/{id}", url_name="service-at-location")
@public_route()
def service_at_location(request: HttpRequest, id: str, lang: str | None = None) -> dict[str, Any]:
    found = _sal_prefetches(m.ServiceAtLocation.objects.filter(dataset=_dataset(), hsds_id=id)).first()
    if found is None:
        raise Http404
    return service_at_location_full(found, _lang(lang), IdMap(), with_service=True)
