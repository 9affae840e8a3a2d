"""Display values for the public social-map pages, so templates hold no logic: what a service is in
plain words, for whom, where, when, how to apply, what it costs, languages, and availability."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.i18n import pick
from directory import availability
from directory.models import Schedule, Service
from directory.queries import LocalOffer, public_phones
from directory.search.models import NeedTerm

# Everything a result card shows, fetched for a page of services in a few queries.
CARD_PREFETCH = (
    "languages",
    "schedules",
    "cost_options",
    "service_areas__municipality",
    "service_areas__zone",
    "service_at_locations__location__addresses",
    "attributes__taxonomy_term__need",
    # The numbers anyone may call: the service's, else its location's or organisation's.
    Prefetch("phones", queryset=public_phones(), to_attr="public_phones"),
    Prefetch("service_at_locations__location__phones", queryset=public_phones(), to_attr="public_phones"),
    Prefetch("organization__phones", queryset=public_phones(), to_attr="public_phones"),
)
CARD_PHONES = 2  # a card shows at most two numbers; the service page shows them all

DAY_NAMES = {
    "MO": gettext_lazy("Monday"),
    "TU": gettext_lazy("Tuesday"),
    "WE": gettext_lazy("Wednesday"),
    "TH": gettext_lazy("Thursday"),
    "FR": gettext_lazy("Friday"),
    "SA": gettext_lazy("Saturday"),
    "SU": gettext_lazy("Sunday"),
}
WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class AvailabilityView:
    status: str  # available | waiting_list | full | unknown
    label: str
    detail: str  # "about 6 weeks", ""
    confirmed: str  # "last confirmed on 3 March 2026", or "never confirmed"
    stale: bool
    confirmed_at: date | None
    waiting_weeks: int | None


def availability_view(service: Service) -> AvailabilityView:
    found = availability.status(service)
    labels = {
        availability.AVAILABLE: _("Places available now"),
        availability.WAITING_LIST: _("Waiting list"),
        availability.FULL: _("Full"),
        availability.UNKNOWN: _("Availability not known"),
    }
    detail = ""
    if found.status == availability.WAITING_LIST and found.waiting_weeks is not None:
        detail = ngettext(
            "expected wait: about %(weeks)d week", "expected wait: about %(weeks)d weeks", found.waiting_weeks
        ) % {"weeks": found.waiting_weeks}
    if found.confirmed_at:
        confirmed = _("last confirmed on %(date)s") % {"date": formats.date_format(found.confirmed_at, "DATE_FORMAT")}
    else:
        confirmed = _("never confirmed")
    return AvailabilityView(
        found.status, labels[found.status], detail, confirmed, found.is_stale, found.confirmed_at, found.waiting_weeks
    )


def _day_range(days: list[str]) -> str:
    ordered = [day for day in WEEK if day in days]
    if ordered == WEEK:
        return _("Every day")
    if len(ordered) > 2 and WEEK.index(ordered[-1]) - WEEK.index(ordered[0]) == len(ordered) - 1:
        return _("%(first)s to %(last)s") % {"first": DAY_NAMES[ordered[0]], "last": DAY_NAMES[ordered[-1]]}
    return ", ".join(str(DAY_NAMES[day]) for day in ordered)


def schedule_line(schedule: Schedule) -> str:
    description = pick(schedule, "description")
    if description:
        return description
    days = [day.strip()[-2:].upper() for day in schedule.byday.split(",") if day.strip()]
    when = _day_range(days) if days else ""
    if schedule.opens_at == "00:00" and schedule.closes_at in ("23:59", "24:00"):
        hours = _("day and night")
    elif schedule.opens_at and schedule.closes_at:
        hours = _("%(opens)s to %(closes)s") % {"opens": schedule.opens_at[:5], "closes": schedule.closes_at[:5]}
    else:
        hours = ""
    return ", ".join(part for part in (str(when), str(hours)) if part)


def language_name(code: str) -> str:
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass
class ServiceCard:
    service: Service
    hsds_id: str
    name: str
    organization: str
    description: str
    for_whom: str
    ages: str
    where: list[str]
    areas: list[str]
    hours: list[str]
    apply: str
    cost: str
    languages: list[str]
    needs: list[str]
    availability: AvailabilityView
    phones: list[str] = field(default_factory=list)  # as stored; templates use {% phone_link %}
    alert: str = ""
    status: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _ages(service: Service) -> str:
    if service.minimum_age and service.maximum_age:
        return _("from %(min)d to %(max)d years") % {"min": service.minimum_age, "max": service.maximum_age}
    if service.minimum_age:
        return _("from %(min)d years") % {"min": service.minimum_age}
    if service.maximum_age:
        return _("up to %(max)d years") % {"max": service.maximum_age}
    return ""


def card_phones(service: Service) -> list[str]:
    """The public numbers of a service prefetched by CARD_PREFETCH, the nearest ones given."""
    prefetched = "public_phones"
    at_locations = [
        phone for link in service.service_at_locations.all() for phone in getattr(link.location, prefetched)
    ]
    of_organization = getattr(service.organization, prefetched) if service.organization else []
    phones = getattr(service, prefetched) or at_locations or of_organization
    return list(dict.fromkeys(phone.number for phone in phones))[:CARD_PHONES]


def card(service: Service) -> ServiceCard:
    addresses = [
        address
        for link in service.service_at_locations.all()
        for address in link.location.addresses.all()
        if address.address_type != "postal"
    ]
    where = [f"{address.address_1}, {address.postal_code} {address.city}".strip(", ") for address in addresses]
    areas = []
    for area in service.service_areas.all():
        if area.municipality:
            areas.append(area.municipality.name)
        elif area.zone:
            areas.append(area.zone.label)
        elif area.name:
            areas.append(area.name)
    costs = [pick(option, "option") for option in service.cost_options.all() if pick(option, "option")]
    cost = service.fees_description or ", ".join(costs)
    needs = [
        pick(attribute.taxonomy_term.need, "name")
        if hasattr(attribute.taxonomy_term, "need")
        else attribute.taxonomy_term.name
        for attribute in service.attributes.all()
        if attribute.taxonomy_term
    ]
    status = "" if service.status == Service.Status.ACTIVE else service.get_status_display()
    return ServiceCard(
        service=service,
        hsds_id=service.hsds_id,
        name=service.name,
        organization=service.organization.name if service.organization else "",
        description=service.description,
        for_whom=service.eligibility_description,
        ages=_ages(service),
        where=list(dict.fromkeys(where)),
        areas=sorted(set(areas)),
        hours=[line for line in (schedule_line(schedule) for schedule in service.schedules.all()) if line],
        apply=service.application_process,
        cost=cost,
        languages=sorted({language_name(language.code) for language in service.languages.all() if language.code}),
        needs=sorted(set(needs)),
        availability=availability_view(service),
        phones=card_phones(service),
        alert=service.alert,
        status=str(status),
    )


def cards(services: Iterable[Service]) -> list[ServiceCard]:
    """Cards for a page of services, with their related rows fetched in a few queries."""
    services = list(services)
    prefetch_related_objects(services, *CARD_PREFETCH)
    return [card(service) for service in services]


def today() -> date:
    return timezone.localdate()


def need_history(need: NeedTerm) -> list[dict[str, object]]:
    """Each saved version: when, who, and which fields changed from the version before."""
    records = list(need.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    rows = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        changed = [] if older is None else [change.field for change in record.diff_against(older).changes]
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.full_name if record.history_user else _("the shipped file"),
                "fields": [str(NeedTerm._meta.get_field(name).verbose_name) for name in changed],  # type: ignore[union-attr]  # its own fields
                "created": older is None,
            }
        )
    return rows


def need_groups(offer: LocalOffer, place: str) -> list[tuple[NeedTerm | None, list[dict[str, object]]]]:
    """The municipality page's needs under their groups, each with its count and its search link."""
    return [
        (
            parent,
            [
                {
                    "need": item.need,
                    "count": item.count,
                    "url": reverse("directory:search") + "?" + urlencode({"need": item.need.code, "place": place}),
                }
                for item in items
            ],
        )
        for parent, items in offer.groups
    ]
