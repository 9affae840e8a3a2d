"""Reads of the published directory as HSDS 3.1 output: the export files (JSON of full services,
the tabular data package) and the records behind the /hsds/ API. interop.hsds knows the format
(serialize, exporter); this module chooses the rows and fetches them in few queries. Ids are the
records' HSDS ids, so they are stable from one export to the next."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from core.i18n import CONTENT_LANGUAGES
from directory import models as m
from directory.hsds.records import MODELS
from directory.queries import published_dataset
from interop.hsds.exporter import page_of, write_package
from interop.hsds.serialize import IdMap, flat, location_full, organization_flat, service_full

CHUNK = 500


def check_language(language: str | None) -> str:
    """One of the directory's content languages (Dutch unless another is asked for)."""
    return language if language in CONTENT_LANGUAGES else "nl"


def _one_or_404(queryset: QuerySet[Any]) -> Any:
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def _hsds_id_of(obj: str, pk: int) -> str | None:
    return MODELS[obj]._default_manager.filter(pk=pk).values_list("hsds_id", flat=True).first()


def record_ids(dataset: m.Dataset | None = None) -> IdMap:
    """HSDS ids by primary key: all of `dataset`'s loaded at once (export), else looked up as met."""
    ids = IdMap(lookup=_hsds_id_of)
    if dataset is not None:
        for obj, model in MODELS.items():
            queryset = model._default_manager.filter(dataset=dataset)
            if obj in ("taxonomy", "taxonomy_term"):
                queryset = model._default_manager.filter(Q(dataset=dataset) | Q(dataset=None))
            ids.update(obj, queryset.values_list("pk", "hsds_id"))
    return ids


def _location_prefetches(prefix: str) -> list[str]:
    return [
        f"{prefix}addresses",
        f"{prefix}phones__languages",
        f"{prefix}languages",
        f"{prefix}accessibility",
        f"{prefix}schedules",
        f"{prefix}contacts__phones__languages",
        f"{prefix}attributes__taxonomy_term",
    ]


def service_prefetches() -> list[Any]:
    """What `serialize.service_full` reads of a service, fetched in a few queries."""
    return [
        "phones__languages",
        "schedules",
        "service_areas",
        "languages",
        "funding",
        "cost_options",
        "required_documents",
        "contacts__phones__languages",
        Prefetch("capacities", queryset=m.ServiceCapacity.objects.select_related("unit")),
        Prefetch("attributes", queryset=m.Attribute.objects.select_related("taxonomy_term")),
        Prefetch("service_at_locations", queryset=m.ServiceAtLocation.objects.select_related("location")),
        "service_at_locations__phones__languages",
        "service_at_locations__schedules",
        "service_at_locations__service_areas",
        "service_at_locations__contacts__phones__languages",
        *_location_prefetches("service_at_locations__location__"),
    ]


def services_for_output(queryset: QuerySet[m.Service]) -> QuerySet[m.Service]:
    return queryset.select_related("organization", "program").prefetch_related(*service_prefetches())


def _change_log(service: m.Service) -> QuerySet[m.Metadata]:
    return m.Metadata.objects.filter(dataset_id=service.dataset_id, resource_id=service.hsds_id)


def full_service(service: m.Service, language: str, ids: IdMap, *, public: bool = True) -> dict[str, Any]:
    """A fully nested service (prefetched with `services_for_output`); its change log when not public."""
    metadata = () if public else _change_log(service)
    return service_full(service, language, ids, public=public, metadata=metadata)


# --- the export files ---


def iter_services(dataset: m.Dataset, language: str, *, public: bool = True) -> Iterator[dict[str, Any]]:
    """Every service, fully nested, in chunks so memory stays flat."""
    ids = record_ids(dataset)
    keys = list(m.Service.objects.filter(dataset=dataset).order_by("hsds_id").values_list("pk", flat=True))
    for start in range(0, len(keys), CHUNK):
        for service in services_for_output(
            m.Service.objects.filter(pk__in=keys[start : start + CHUNK]).order_by("hsds_id")
        ):
            yield full_service(service, language, ids, public=public)


def export_json(dataset: m.Dataset, language: str, *, public: bool = True) -> dict[str, Any]:
    """All services on one page of the HSDS API's shape."""
    contents = list(iter_services(dataset, language, public=public))
    return page_of(len(contents), 1, len(contents), contents)


def _public_records(obj: str, dataset: m.Dataset) -> QuerySet[Any]:
    model = MODELS[obj]
    queryset = model._default_manager.filter(dataset=dataset)
    if obj in ("taxonomy", "taxonomy_term"):
        # Shared terms used by this dataset's records belong in the package too.
        used = m.Attribute.objects.filter(dataset=dataset).values("taxonomy_term")
        if obj == "taxonomy_term":
            queryset = model._default_manager.filter(Q(dataset=dataset) | Q(pk__in=used))
        else:
            terms = m.TaxonomyTerm.objects.filter(Q(dataset=dataset) | Q(pk__in=used)).values("taxonomy")
            queryset = model._default_manager.filter(Q(dataset=dataset) | Q(pk__in=terms))
    if obj == "contact":
        queryset = queryset.filter(professional_only=False)
    elif obj == "phone":
        queryset = queryset.filter(professional_only=False).exclude(contact__professional_only=True)
    elif obj == "language":
        queryset = queryset.exclude(phone__professional_only=True).exclude(phone__contact__professional_only=True)
    elif obj == "attribute":
        hidden_phones = m.Phone.objects.filter(dataset=dataset).filter(
            Q(professional_only=True) | Q(contact__professional_only=True)
        )
        hidden_contacts = m.Contact.objects.filter(dataset=dataset, professional_only=True)
        queryset = queryset.exclude(link_entity="phone", link_id__in=hidden_phones.values("hsds_id")).exclude(
            link_entity="contact", link_id__in=hidden_contacts.values("hsds_id")
        )
    return queryset.order_by("hsds_id")


def export_package(dataset: m.Dataset, language: str) -> bytes:
    """The public data package as zip bytes: never metadata, contacts or professional phones."""
    ids = record_ids(dataset)

    def rows_of(obj: str) -> Iterator[dict[str, Any]]:
        if obj == "metadata":
            return iter(())
        if obj == "organization_identifier":
            return (
                identifier
                for organization in m.Organization.objects.filter(dataset=dataset).order_by("hsds_id")
                for identifier in organization_flat(organization, language, ids)["organization_identifiers"]
            )
        return (flat(obj, record, language, ids) for record in _public_records(obj, dataset).iterator(CHUNK))

    return write_package(rows_of)


# --- the /hsds/ API's reads (always the published dataset, never anything for professionals only) ---


def _text_search(prefix: str, words: str) -> Q:
    query = Q()
    for field in ("name_nl", "name_fr", "name_en", "description_nl", "description_fr"):
        query |= Q(**{f"{prefix}{field}__icontains": words})
    return query


@dataclass(frozen=True)
class ServiceFilters:
    """The HSDS API's filters of services (and of service-at-locations, through their service)."""

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None


def _service_filters(queryset: QuerySet[Any], prefix: str, filters: ServiceFilters) -> QuerySet[Any]:
    """The filters, combined with AND; `prefix` reaches the service ("" or "service__")."""
    if filters.search:
        queryset = queryset.filter(_text_search(prefix, filters.search.strip()[:200]))
    if filters.taxonomy_term_id:
        queryset = queryset.filter(**{f"{prefix}attributes__taxonomy_term__hsds_id": filters.taxonomy_term_id})
    if filters.taxonomy_id:
        queryset = queryset.filter(**{f"{prefix}attributes__taxonomy_term__taxonomy__hsds_id": filters.taxonomy_id})
    if filters.organization_id:
        queryset = queryset.filter(**{f"{prefix}organization__hsds_id": filters.organization_id})
    if filters.modified_after:
        queryset = queryset.filter(**{f"{prefix}updated_at__gte": filters.modified_after})
    return queryset.distinct()


def api_services(filters: ServiceFilters, *, full: bool) -> QuerySet[m.Service]:
    queryset: QuerySet[m.Service] = m.Service.objects.filter(dataset=published_dataset())
    queryset = _service_filters(queryset, "", filters).order_by("hsds_id")
    return services_for_output(queryset) if full else queryset.select_related("organization", "program")


def api_service(hsds_id: str) -> m.Service:
    return _one_or_404(services_for_output(m.Service.objects.filter(dataset=published_dataset(), hsds_id=hsds_id)))


def _taxonomies() -> QuerySet[m.Taxonomy]:
    return m.Taxonomy.objects.filter(Q(dataset=published_dataset()) | Q(dataset=None))


def api_taxonomies(search: str | None = None) -> QuerySet[m.Taxonomy]:
    queryset = _taxonomies().order_by("hsds_id")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return queryset


def api_taxonomy(hsds_id: str) -> m.Taxonomy:
    return _one_or_404(_taxonomies().filter(hsds_id=hsds_id))


def _terms() -> QuerySet[m.TaxonomyTerm]:
    return m.TaxonomyTerm.objects.filter(Q(dataset=published_dataset()) | Q(dataset=None))


def api_taxonomy_terms(
    *, search: str | None = None, taxonomy_id: str | None = None, top_only: bool = False, parent_id: str | None = None
) -> QuerySet[m.TaxonomyTerm]:
    queryset = _terms().order_by("hsds_id")
    if search:
        queryset = queryset.filter(_text_search("", search.strip()[:200]) | Q(code__icontains=search))
    if taxonomy_id:
        queryset = queryset.filter(taxonomy__hsds_id=taxonomy_id)
    if top_only:
        queryset = queryset.filter(parent=None)
    if parent_id:
        queryset = queryset.filter(parent__hsds_id=parent_id)
    return queryset


def api_taxonomy_term(hsds_id: str) -> m.TaxonomyTerm:
    return _one_or_404(_terms().filter(hsds_id=hsds_id))


def api_organizations(
    *, search: str | None = None, taxonomy_term_id: str | None = None, taxonomy_id: str | None = None
) -> QuerySet[m.Organization]:
    queryset = m.Organization.objects.filter(dataset=published_dataset()).order_by("hsds_id")
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
    return queryset.distinct()


def api_organization(hsds_id: str) -> m.Organization:
    return _one_or_404(m.Organization.objects.filter(dataset=published_dataset(), hsds_id=hsds_id))


def organization_full(
    organization: m.Organization, language: str, ids: IdMap, *, nested_services: bool
) -> dict[str, Any]:
    """An organisation with its public phones, locations, programmes, funding and services (fully
    nested, or their ids only)."""
    record = organization_flat(organization, language, ids)
    record["phones"] = [flat("phone", p, language, ids) for p in organization.phones.filter(professional_only=False)]
    record["contacts"] = []  # contacts are for professionals only (docs/social-map.md)
    record["locations"] = [location_full(loc, language, ids) for loc in organization.locations.all()]
    record["programs"] = [flat("program", p, language, ids) for p in organization.programs.all()]
    record["funding"] = [flat("funding", f, language, ids) for f in organization.funding.all()]
    services = organization.services.order_by("hsds_id")
    if nested_services:
        record["services"] = [full_service(s, language, ids) for s in services_for_output(services)]
    else:
        record["services"] = [{"id": s.hsds_id} for s in services]
    return record


def _service_at_location_prefetches(queryset: QuerySet[m.ServiceAtLocation]) -> QuerySet[m.ServiceAtLocation]:
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


def api_service_at_locations(
    filters: ServiceFilters, *, full: bool, postcode: str | None = None
) -> QuerySet[m.ServiceAtLocation]:
    """`postcode` keeps records whose service area covers it (a municipality or a care zone with
    that postcode) or whose location has it."""
    queryset: QuerySet[m.ServiceAtLocation] = m.ServiceAtLocation.objects.filter(dataset=published_dataset())
    queryset = _service_filters(queryset, "service__", filters)
    if postcode:
        queryset = queryset.filter(
            Q(location__addresses__postal_code=postcode)
            | Q(service__service_areas__municipality__postcode=postcode)
            | Q(service__service_areas__zone__municipalities__postcode=postcode)
            | Q(service_areas__municipality__postcode=postcode)
        ).distinct()
    queryset = queryset.order_by("hsds_id")
    return _service_at_location_prefetches(queryset) if full else queryset


def api_service_at_location(hsds_id: str) -> m.ServiceAtLocation:
    queryset = m.ServiceAtLocation.objects.filter(dataset=published_dataset(), hsds_id=hsds_id)
    return _one_or_404(_service_at_location_prefetches(queryset))


def paged(queryset: QuerySet[Any], page: int, per_page: int, max_per_page: int) -> tuple[int, int, int, list[Any]]:
    """(total, page, per page, the page's rows), with page and size clamped to what is allowed."""
    page = max(1, page)
    per_page = max(1, min(max_per_page, per_page))
    total = queryset.count()
    start = (page - 1) * per_page
    return total, page, per_page, list(queryset[start : start + per_page])
