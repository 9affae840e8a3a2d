"""Reads of the social map for its pages and API.

Contact points for professionals only (a contact naming staff, a priority number or e-mail) are
shown to logged-in professionals and never to the public or to informal caregivers.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.models import CareZone, Municipality
from directory.models import Accessibility, Attribute, Contact, Dataset, Phone, RequiredDocument, Service
from directory.search.models import NeedTerm, SearchPlace, TermSuggestion


def sees_professional_contacts(user: Any) -> bool:
    """Logged in, active, and a professional (not the person's own circle)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_professional)


def visible_phones(user: Any, phones: QuerySet[Phone]) -> QuerySet[Phone]:
    """`phones` less those for professionals only, unless the user is a professional."""
    if sees_professional_contacts(user):
        return phones
    return phones.filter(professional_only=False).exclude(contact__professional_only=True)


def public_phones() -> QuerySet[Phone]:
    """The numbers a result card shows anyone: no priority line, no named contact's number."""
    return Phone.objects.filter(professional_only=False, contact=None).order_by("pk")


@dataclass(frozen=True)
class ContactPoints:
    phones: list[
        Phone
    ]  # the service's numbers, else its location's or organisation's (priority lines only for professionals)
    contacts: list[Contact]  # each with `visible_phones`
    professional: bool  # True when professional-only points are included


def contacts_for(user: Any, service: Service) -> ContactPoints:
    """The service's phones and contacts this user may see (the service page calls this)."""
    professional = sees_professional_contacts(user)
    contacts = Contact.objects.filter(service=service).order_by("name", "pk")
    if not professional:
        contacts = contacts.filter(professional_only=False)
    contacts = contacts.prefetch_related(
        Prefetch("phones", queryset=visible_phones(user, Phone.objects.order_by("pk")), to_attr="visible_phones")
    )
    # HSDS puts a number on the service, its location or its organisation: the nearest ones given.
    own = Phone.objects.filter(contact=None).order_by("pk")
    nearest = [own.filter(service=service), own.filter(location__service_at_locations__service=service).distinct()]
    if service.organization_id:
        nearest.append(own.filter(organization_id=service.organization_id))
    phones: list[Phone] = []
    for candidates in nearest:
        phones = list(visible_phones(user, candidates))
        if phones:
            break
    return ContactPoints(phones=phones, contacts=list(contacts), professional=professional)


# ── the public pages ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ServiceDetails:
    service: Service
    points: ContactPoints
    documents: list[RequiredDocument]
    accessibility: list[Accessibility]  # of the service's locations


def published_dataset() -> Dataset:
    """The published dataset, or 404 when nothing is published yet."""
    dataset = Dataset.objects.published()
    if dataset is None:
        raise Http404
    return dataset


def published_service(user: Any, hsds_id: str) -> ServiceDetails:
    """One service of the published directory with what its page shows this user; 404 otherwise."""
    service = get_object_or_404(
        Service.objects.select_related("organization"), dataset=published_dataset(), hsds_id=hsds_id
    )
    locations = [link.location for link in service.service_at_locations.select_related("location")]
    return ServiceDetails(
        service=service,
        points=contacts_for(user, service),
        documents=list(service.required_documents.all()),
        accessibility=[item for location in locations for item in location.accessibility.all()],
    )


def first_contact_needs() -> list[NeedTerm]:
    """The needs "Where do I start?" shows: the first points of contact, in the taxonomy's order."""
    return list(NeedTerm.objects.filter(first_contact=True, is_group=False).order_by("position"))


def needs() -> list[NeedTerm]:
    """The needs a search accepts (not their groups), in the taxonomy's order."""
    return list(NeedTerm.objects.filter(is_group=False).order_by("position"))


def zones_with_municipalities() -> QuerySet[CareZone]:
    return CareZone.objects.prefetch_related("municipalities").order_by("kind", "name")


def municipality(nis_code: str, postcode: str) -> Municipality:
    return get_object_or_404(Municipality.objects.select_related("zone"), nis_code=nis_code, postcode=postcode)


@dataclass(frozen=True)
class NeedCount:
    need: NeedTerm
    count: int  # published services covering the municipality tagged with the need


@dataclass(frozen=True)
class LocalOffer:
    needs: list[NeedTerm]  # every need and group, in the taxonomy's order
    groups: list[tuple[NeedTerm | None, list[NeedCount]]]  # needs under their group (None: no group)


def local_offer(place: Municipality) -> LocalOffer:
    """Per need, how many published services cover the municipality (MAP-05)."""
    dataset = Dataset.objects.published()
    counts: dict[int, int] = {}
    if dataset is not None:
        covering = SearchPlace.objects.filter(municipality=place, dataset=dataset).values("service_id")
        rows = (
            Attribute.objects.filter(dataset=dataset, service_id__in=covering, taxonomy_term__need__isnull=False)
            .values("taxonomy_term_id")
            .annotate(count=Count("service_id", distinct=True))
        )
        counts = {row["taxonomy_term_id"]: row["count"] for row in rows}
    all_needs = list(NeedTerm.objects.order_by("position"))
    parents = {need.term_id: need for need in all_needs if need.is_group}
    parent_of = dict(NeedTerm.objects.filter(is_group=False).values_list("term_id", "term__parent_id"))
    groups: dict[int | None, list[NeedCount]] = defaultdict(list)
    for need in all_needs:
        if not need.is_group:
            parent = parent_of.get(need.term_id)
            groups[parent].append(NeedCount(need, counts.get(need.term_id, 0)))
    return LocalOffer(needs=all_needs, groups=[(parents.get(parent_id), items) for parent_id, items in groups.items()])  # type: ignore[arg-type]  # a need always has its term


# ── the need taxonomy's pages ───────────────────────────────────────────────────────────────────


def taxonomy_needs() -> QuerySet[NeedTerm]:
    """Every need and group, in the taxonomy's order."""
    return NeedTerm.objects.order_by("position")


def need(code: str) -> NeedTerm:
    return get_object_or_404(NeedTerm, code=code)


def pending_suggestion_count() -> int:
    return TermSuggestion.objects.filter(status=TermSuggestion.Status.PENDING).count()


def pending_suggestions(page: str | None) -> Page[TermSuggestion]:
    """Undecided suggestions for services of the published directory, most likely first, 50 a page."""
    pending = (
        TermSuggestion.objects.filter(status=TermSuggestion.Status.PENDING, service__dataset__status="published")
        .select_related("service", "term__need")
        .order_by("-score", "pk")
    )
    return Paginator(pending, 50).get_page(page)


def suggestion(suggestion_id: int) -> TermSuggestion:
    return get_object_or_404(TermSuggestion, pk=suggestion_id)
