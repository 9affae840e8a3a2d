"""The access API: the same queries and services as the pages. Body fields of person routes are
optional on purpose, so that the gate answers an outsider (404) before any input is looked at.

Break-the-glass has no endpoint here: the issue wants one declared route taking an INSZ, the
page access:break-glass."""

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from access import queries, services
from access.models import MatrixCell
from access.presenters import rationale
from core.http import version_from_if_match
from core.requests import ApiRequest
from people.models import Person
from schakel.routes import own_account_route, person_route

router = Router(tags=["access"])


class ExplanationRow(Schema):
    category: str
    label: str
    read: bool
    write: bool
    reasons: list[str]


class ExplanationOut(Schema):
    person_id: uuid.UUID
    about: uuid.UUID
    rows: list[ExplanationRow]


@router.get("/persons/{person_id}/why", response=ExplanationOut, url_name="access-explain")
@person_route("GET")
def explain(request: ApiRequest, person_id: uuid.UUID, about: uuid.UUID | None = None) -> dict[str, Any]:
    result = queries.explain(request.auth, person_id, about=about)
    return {
        "person_id": result.person.public_id,
        "about": result.subject.public_id,
        "rows": [
            {"category": r.category, "label": r.label, "read": r.read, "write": r.write, "reasons": list(r.reasons)}
            for r in result.rows
        ],
    }


class PersonRef(Schema):
    user_id: uuid.UUID
    name: str
    since: datetime
    until: datetime | None = None
    categories: list[str] | None = None


class ConsentStatusOut(Schema):
    has_consent: bool
    exclusions: list[PersonRef]
    mandates: list[PersonRef]


@router.get("/persons/{person_id}/consent", response=ConsentStatusOut, url_name="access-consent")
@person_route("GET")
def consent_status(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    overview = queries.get_consent_overview(request.auth, person_id)
    return {
        "has_consent": overview.has_consent,
        "exclusions": [
            {"user_id": e.excluded.public_id, "name": str(e.excluded), "since": e.since} for e in overview.exclusions
        ],
        "mandates": [
            {
                "user_id": m.holder.public_id,
                "name": str(m.holder),
                "since": m.since,
                "until": m.until,
                "categories": m.categories,
            }
            for m in overview.mandates
        ],
    }


def _own_rights_person(request: ApiRequest, person_id: uuid.UUID, action: str) -> Person:
    """The person, for a change of their own rights: the person or representative only (anyone
    else the outsider's 404, audited); the service checks again and audits the change."""
    return queries.person_for_own_rights(request.auth, person_id, action=action, audit_granted=False, change=True)


class ConsentIn(Schema):
    given_by: str = ""  # "person" or "representative"; only asked of a professional recording it


class Done(Schema):
    detail: str


@router.post("/persons/{person_id}/consent", response=Done, url_name="access-consent-record")
@person_route("POST")
def record_consent(request: ApiRequest, person_id: uuid.UUID, body: ConsentIn) -> dict[str, Any]:
    person, _decision = queries.person_for_consent_recording(
        request.auth, person_id, action=services.CONSENT.granted, audit_granted=False, change=True
    )
    services.record_consent(request.auth, person, given_by=body.given_by)
    return {"detail": _("The consent is on file.")}


@router.post("/persons/{person_id}/consent/withdraw", response=Done, url_name="access-consent-withdraw")
@person_route("POST")
def withdraw_consent(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    person = _own_rights_person(request, person_id, services.CONSENT.ended)
    services.withdraw_consent(request.auth, person)
    return {"detail": _("The consent is withdrawn.")}


class UserIn(Schema):
    user_id: uuid.UUID | None = None


@router.post("/persons/{person_id}/exclusions", response=Done, url_name="access-exclude")
@person_route("POST")
def exclude(request: ApiRequest, person_id: uuid.UUID, body: UserIn) -> dict[str, Any]:
    person = _own_rights_person(request, person_id, services.EXCLUSION.granted)
    services.exclude_user(request.auth, person, queries.user_by_public_id(body.user_id))
    return {"detail": _("The exclusion is on file.")}


@router.post("/persons/{person_id}/exclusions/lift", response=Done, url_name="access-exclusion-lift")
@person_route("POST")
def lift_exclusion(request: ApiRequest, person_id: uuid.UUID, body: UserIn) -> dict[str, Any]:
    person = _own_rights_person(request, person_id, services.EXCLUSION.ended)
    services.lift_exclusion(request.auth, person, queries.user_by_public_id(body.user_id))
    return {"detail": _("The exclusion is lifted.")}


class MandateIn(Schema):
    user_id: uuid.UUID | None = None
    categories: list[str] = []
    since: date | None = None  # empty: now
    until: date | None = None  # the last day included; empty: until revoked


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.post("/persons/{person_id}/mandates", response=Done, url_name="access-mandate-grant")
@person_route("POST")
def grant_mandate(request: ApiRequest, person_id: uuid.UUID, body: MandateIn) -> dict[str, Any]:
    person = _own_rights_person(request, person_id, services.MANDATE.granted)
    services.grant_mandate(
        request.auth,
        person,
        queries.user_by_public_id(body.user_id),
        body.categories,
        since=_start_of(body.since) if body.since and body.since > timezone.localdate() else None,
        until=_start_of(body.until + timedelta(days=1)) if body.until else None,
    )
    return {"detail": _("The mandate is on file.")}


@router.post("/persons/{person_id}/mandates/revoke", response=Done, url_name="access-mandate-revoke")
@person_route("POST")
def revoke_mandate(request: ApiRequest, person_id: uuid.UUID, body: UserIn) -> dict[str, Any]:
    person = _own_rights_person(request, person_id, services.MANDATE.ended)
    services.revoke_mandate(request.auth, person, queries.user_by_public_id(body.user_id))
    return {"detail": _("The mandate is revoked.")}


class CellOut(Schema):
    profile: str
    category: str
    level: str
    source: str
    rationale: str
    shipped_level: str
    edited_by_zone: bool
    version: int


def _cell_out(cell: MatrixCell) -> dict[str, Any]:
    return {
        "profile": cell.profile,
        "category": cell.category,
        "level": cell.level,
        "source": cell.source,
        "rationale": rationale(cell),
        "shipped_level": cell.shipped_level,
        "edited_by_zone": cell.edited_by_zone,
        "version": cell.version,
    }


@router.get("/matrix", response=list[CellOut], url_name="access-matrix")
@own_account_route("GET")
def matrix(request: HttpRequest) -> list[dict[str, Any]]:
    return [_cell_out(cell) for cell in queries.all_cells()]


class CellIn(Schema):
    level: str


@router.put("/matrix/{profile}/{category}", response=CellOut, url_name="access-matrix-cell")
@own_account_route("PUT")
def edit_cell(request: ApiRequest, profile: str, category: str, body: CellIn) -> dict[str, Any]:
    try:
        services.require_zone_admin(request.auth, services.EDIT_CELL, {"profile": profile, "category": category})
    except PermissionDenied as error:
        raise HttpError(403, _("Only the zone administrator changes the access matrix.")) from error
    cell = queries.get_cell(profile, category)
    version = version_from_if_match(request.headers.get("If-Match"))
    return _cell_out(services.edit_cell(request.auth, cell, body.level, version=version))
