"""Changes the zone team makes to the published directory: edit a service, confirm it, update its
availability. Each change checks the version it was read at (Conflict when stale), keeps a
history with the actor (django-simple-history on Service and ServiceCapacity), and writes one
HSDS Metadata row per changed field."""

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict
from core.models import CareZone, Municipality
from directory import search
from directory.curation.queries import require_curator
from directory.models import Metadata, Phone, Service, ServiceArea, ServiceCapacity, Unit

# Fields of the edit form that are plain Service fields.
SERVICE_FIELDS = (
    "name_nl",
    "name_fr",
    "description_nl",
    "description_fr",
    "application_process_nl",
    "application_process_fr",
    "eligibility_description_nl",
    "eligibility_description_fr",
    "fees_description_nl",
    "fees_description_fr",
    "minimum_age",
    "maximum_age",
    "status",
    "email",
    "url",
    "alert",
)
# The unit for places when a service had no capacity yet (HSDS 3.1 needs one).
DEFAULT_UNIT_ID = "5b8a6a2c-6f5e-4a52-9d8f-2f0f3c1e7a01"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _log(
    actor: User,
    service: Service,
    resource_id: str,
    resource_type: str,
    action: str,
    changes: Iterable[tuple[str, Any, Any]],
) -> None:
    now = timezone.now()
    Metadata.objects.bulk_create(
        [
            Metadata(
                dataset_id=service.dataset_id,
                hsds_id=str(uuid.uuid4()),
                resource_id=resource_id,
                resource_type=resource_type,
                last_action_date=now,
                last_action_type=action,
                field_name=field,
                previous_value=_text(before),
                replacement_value=_text(after),
                updated_by=str(actor),
            )
            for field, before, after in changes
        ]
    )


def _locked(service: Service, version: int) -> Service:
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if locked.version != version:
        raise Conflict(_("Someone else changed this service. Reload to see their change."))
    return locked


def update_service(
    actor: User,
    service: Service,
    *,
    version: int,
    fields: dict[str, Any],
    phone: str = "",
    municipalities: Iterable[Municipality] = (),
    zones: Iterable[CareZone] = (),
) -> Service:
    """Edit names, descriptions (nl/fr), contact, eligibility and area of a published service."""
    require_curator(actor)
    if not (fields.get("name_nl") or fields.get("name_fr")):
        raise ValidationError(_("Give the service a name in Dutch or in French."), code="no_name")
    low, high = fields.get("minimum_age"), fields.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise ValidationError(_("The minimum age is above the maximum age."), code="ages")
    municipalities, zones = list(municipalities), list(zones)
    with transaction.atomic():
        locked = _locked(service, version)
        changes = []
        for name in SERVICE_FIELDS:
            if name not in fields:
                continue
            before, after = getattr(locked, name), fields[name]
            after = "" if after is None and name not in ("minimum_age", "maximum_age") else after
            if before != after:
                changes.append((name, before, after))
                setattr(locked, name, after)
        changes += _set_phone(locked, phone)
        changes += _set_areas(locked, municipalities, zones)
        if changes:
            locked.version += 1
            locked._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
            locked.save()
            _log(actor, locked, locked.hsds_id, "service", "update", changes)
            transaction.on_commit(lambda: search.reindex_service(locked))
    return locked


def _set_phone(service: Service, number: str) -> list[tuple[str, Any, Any]]:
    """The service's main public number: the first public phone of its own."""
    number = number.strip()
    main = Phone.objects.filter(service=service, professional_only=False, contact=None).order_by("pk").first()
    before = main.number if main else ""
    if number == before:
        return []
    if main is None:
        Phone.objects.create(
            dataset_id=service.dataset_id, hsds_id=str(uuid.uuid4()), service=service, number=number, type="voice"
        )
    elif number:
        main.number = number
        main.save(update_fields=["number"])
    else:
        main.delete()
    return [("phones.number", before, number)]


def _set_areas(
    service: Service, municipalities: list[Municipality], zones: list[CareZone]
) -> list[tuple[str, Any, Any]]:
    """Service areas naming a municipality or zone follow the form; free-text areas stay."""
    current = list(ServiceArea.objects.filter(service=service).exclude(municipality=None, zone=None))
    before = sorted(str(a.municipality or a.zone) for a in current)
    wanted_m = {m.pk: m for m in municipalities}
    wanted_z = {z.pk: z for z in zones}
    for area in current:
        if area.municipality_id in wanted_m and area.zone_id is None:
            del wanted_m[area.municipality_id]
        elif area.zone_id in wanted_z and area.municipality_id is None:
            del wanted_z[area.zone_id]
        else:
            area.delete()
    new = [
        ServiceArea(
            dataset_id=service.dataset_id,
            hsds_id=str(uuid.uuid4()),
            service=service,
            name=m.name_nl or m.name_fr,
            municipality=m,
        )
        for m in wanted_m.values()
    ] + [
        ServiceArea(dataset_id=service.dataset_id, hsds_id=str(uuid.uuid4()), service=service, name=z.name, zone=z)
        for z in wanted_z.values()
    ]
    ServiceArea.objects.bulk_create(new)
    after = sorted([*(str(m) for m in municipalities), *(str(z) for z in zones)])
    return [("service_areas", ", ".join(before), ", ".join(after))] if before != after else []


def confirm_service(actor: User, service: Service, *, version: int, today: date | None = None) -> Service:
    """The zone checked the service: its "assured" date becomes today."""
    require_curator(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(service, version)
        before = locked.assured_date
        locked.assured_date = today
        locked.assurer_email = actor.email
        locked.version += 1
        locked._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        locked.save()
        _log(actor, locked, locked.hsds_id, "service", "confirm", [("assured_date", before, today.isoformat())])
        transaction.on_commit(lambda: search.reindex_service(locked))
    return locked


def update_availability(
    actor: User,
    service: Service,
    *,
    available: Decimal,
    maximum: Decimal | None,
    waiting_weeks: int | None,
    version: int | None,
) -> ServiceCapacity:
    """Places free now (and the maximum), and the expected wait; `version` is the capacity's,
    None when the service had none yet."""
    require_curator(actor)
    if available < 0 or (maximum is not None and (maximum < 0 or available > maximum)):
        raise ValidationError(_("Places free must be between 0 and the maximum."), code="capacity")
    if waiting_weeks is not None and not 0 <= waiting_weeks <= 520:
        raise ValidationError(_("The expected wait must be between 0 and 520 weeks."), code="waiting_weeks")
    now = timezone.now()
    with transaction.atomic():
        capacity = ServiceCapacity.objects.select_for_update().filter(service=service).order_by("pk").first()
        if (capacity.version if capacity else None) != version:
            raise Conflict(_("Someone else changed this availability. Reload to see their change."))
        if capacity is None:
            unit = Unit.objects.filter(dataset_id=service.dataset_id).order_by("pk").first() or Unit.objects.create(
                dataset_id=service.dataset_id, hsds_id=DEFAULT_UNIT_ID, name=_("places")
            )
            capacity = ServiceCapacity(
                dataset_id=service.dataset_id,
                hsds_id=str(uuid.uuid4()),
                service=service,
                unit=unit,
                available=available,
                updated=now,
            )
            before: tuple[Any, Any, Any] = (None, None, None)
        else:
            before = (capacity.available, capacity.maximum, capacity.waiting_weeks)
            capacity.version += 1
        capacity.available, capacity.maximum, capacity.waiting_weeks = available, maximum, waiting_weeks
        capacity.updated = now
        capacity._history_user = actor  # type: ignore[union-attr]  # django-simple-history records it
        capacity.save()
        names = ("available", "maximum", "waiting_weeks")
        after = (available, maximum, waiting_weeks)
        changes: list[tuple[str, Any, Any]] = [
            (n, b, a) for n, b, a in zip(names, before, after, strict=True) if b != a
        ] or [("updated", "", now.isoformat())]
        _log(actor, service, capacity.hsds_id, "service_capacity", "update", changes)
        # Availability weighs in the ranking.
        transaction.on_commit(lambda: search.reindex_service(service))
    return capacity
