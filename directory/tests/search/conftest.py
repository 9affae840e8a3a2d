"""Fixtures for the taxonomy and search tests: the shipped need taxonomy, a small published
directory built row by row (make_service), and the demo directory for the quality tests."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import CareZone, Municipality
from directory import taxonomy
from directory.models import (
    Address,
    Attribute,
    Dataset,
    Language,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
)
from directory.search.models import NeedTerm


@pytest.fixture(autouse=True)
def _english_pages() -> None:
    """The messages compared are English (directory's reading_language), but pages keep the site's
    default language: anonymous visitors read Dutch unless they choose."""


@pytest.fixture
def needs(db):
    taxonomy.load(taxonomy.read_file())
    return {need.code: need for need in NeedTerm.objects.all()}


@pytest.fixture
def dataset(db) -> Dataset:
    return Dataset.objects.create(label="test", status=Dataset.Status.PUBLISHED, published_at=timezone.now())


def municipality(postcode: str) -> Municipality:
    return Municipality.objects.get(postcode=postcode)


def make_service(
    dataset: Dataset,
    *,
    name_nl: str = "",
    name_fr: str = "",
    description_nl: str = "",
    description_fr: str = "",
    needs: tuple[NeedTerm, ...] = (),
    postcodes: tuple[str, ...] = (),
    zone: CareZone | None = None,
    located: str = "",
    languages: tuple[str, ...] = ("nl",),
    capacity: dict | None = None,
    status: str = Service.Status.ACTIVE,
    professional_phone: str = "",
    public_phone: str = "",
) -> Service:
    """One service with what the search reads: names, needs, areas, location, languages, capacity."""
    key = uuid.uuid4()
    organization = Organization.objects.create(
        dataset=dataset, hsds_id=f"org-{key}", name_nl=f"Org {name_nl or name_fr}"
    )
    service = Service.objects.create(
        dataset=dataset,
        hsds_id=str(key),
        organization=organization,
        name_nl=name_nl,
        name_fr=name_fr,
        description_nl=description_nl,
        description_fr=description_fr,
        status=status,
        assured_date=timezone.localdate(),
    )
    for need in needs:
        Attribute.objects.create(
            dataset=dataset,
            hsds_id=f"attr-{key}-{need.code}",
            service=service,
            taxonomy_term_id=need.term_id,
            link_entity="service",
        )
    for number, postcode in enumerate(postcodes):
        ServiceArea.objects.create(
            dataset=dataset, hsds_id=f"area-{key}-{number}", service=service, municipality=municipality(postcode)
        )
    if zone is not None:
        ServiceArea.objects.create(dataset=dataset, hsds_id=f"zone-{key}", service=service, zone=zone)
    if located:
        location = Location.objects.create(dataset=dataset, hsds_id=f"loc-{key}", organization=organization)
        Address.objects.create(
            dataset=dataset,
            hsds_id=f"addr-{key}",
            location=location,
            address_1="Kerkstraat 1",
            city="X",
            state_province="",
            postal_code=located,
        )
        ServiceAtLocation.objects.create(dataset=dataset, hsds_id=f"sal-{key}", service=service, location=location)
    for code in languages:
        Language.objects.create(dataset=dataset, hsds_id=f"lang-{key}-{code}", service=service, code=code)
    if capacity is not None:
        unit, _ = Unit.objects.get_or_create(dataset=dataset, hsds_id="unit-places", defaults={"name": "places"})
        ServiceCapacity.objects.create(
            dataset=dataset,
            hsds_id=f"cap-{key}",
            service=service,
            unit=unit,
            available=Decimal(capacity.get("available", 0)),
            maximum=Decimal(capacity.get("maximum", 10)),
            waiting_weeks=capacity.get("waiting_weeks"),
            updated=capacity.get("updated", timezone.now() - timedelta(days=1)),
        )
    if public_phone:
        Phone.objects.create(dataset=dataset, hsds_id=f"phone-{key}", service=service, number=public_phone)
    if professional_phone:
        Phone.objects.create(
            dataset=dataset, hsds_id=f"prio-{key}", service=service, number=professional_phone, professional_only=True
        )
    return service
