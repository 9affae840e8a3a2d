"""Early signals through the API: the same queries and services as the page. Body fields are
optional on purpose, so that the gate answers an outsider (404) before any input is looked at."""

import uuid
from datetime import datetime
from typing import Any

from ninja import Router, Schema, Status

from core.http import version_from_if_match
from core.requests import ApiRequest
from plans.signals import kinds, queries, services
from plans.signals.queries import SignalRow
from schakel.routes import EARLY_SIGNAL, person_route

router = Router(tags=["plans"])


class SignalOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    category: str
    description: str
    noted_by: str
    noted_at: datetime
    status: str  # "open" or "handled"
    flagged: bool  # open and untouched for the kind's flag_after_days
    action_id: uuid.UUID | None  # the proposed action it created
    handled_by: str | None
    handled_at: datetime | None
    handled_note: str
    version: int


def _signal_out(row: SignalRow) -> dict[str, Any]:
    signal = row.signal
    return {
        "id": signal.public_id,
        "kind": signal.kind,
        "label": row.label,
        "category": signal.category,
        "description": signal.description,
        "noted_by": str(signal.noted_by),
        "noted_at": signal.noted_at,
        "status": signal.status,
        "flagged": row.flagged,
        "action_id": signal.action.public_id if signal.action else None,
        "handled_by": str(signal.handled_by) if signal.handled_by else None,
        "handled_at": signal.handled_at,
        "handled_note": signal.handled_note,
        "version": signal.version,
    }


class KindOut(Schema):
    code: str
    label: str
    category: str
    creates: str
    flag_after_days: int


class SignalsOut(Schema):
    open: list[SignalOut]
    handled: list[SignalOut]  # the latest handled ones
    kinds: list[KindOut]  # what may be recorded


@router.get("/persons/{person_id}/signals", response=SignalsOut, url_name="plan-signals")
@person_route("GET")
def signals(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """The signals the caller may read (each under its own category), and the kinds to record."""
    person = queries.person_for_signals(request.auth, person_id, action=queries.SIGNALS_VIEWED)
    open_rows, handled_rows = queries.readable_signals(request.auth, person)
    return {
        "open": [_signal_out(row) for row in open_rows],
        "handled": [_signal_out(row) for row in handled_rows],
        "kinds": [
            {
                "code": k.code,
                "label": k.label(),
                "category": k.category,
                "creates": k.creates,
                "flag_after_days": k.flag_after_days,
            }
            for k in kinds.all_kinds().values()
        ],
    }


class SignalIn(Schema):
    kind: str = ""
    description: str = ""


class RecordedOut(Schema):
    id: uuid.UUID
    kind: str
    action_id: uuid.UUID | None


@router.post("/persons/{person_id}/signals", response={201: RecordedOut}, url_name="plan-signal-add")
@person_route("POST")
def record(request: ApiRequest, person_id: uuid.UUID, body: SignalIn | None = None) -> Status[Any]:
    """Record an early signal: any member of the care team. It creates the kind's proposed
    action for the coordinator, or marks the plan due for review. The answer says only what was
    recorded: the recorder may not read the signal's category afterwards."""
    body = body or SignalIn()
    person = queries.person_for_signals(request.auth, person_id, action=services.SIGNAL_RECORDED, audit_granted=False)
    signal = services.record_signal(request.auth, person, kind=body.kind, description=body.description)
    return Status(
        201,
        {"id": signal.public_id, "kind": signal.kind, "action_id": signal.action.public_id if signal.action else None},
    )


class HandleIn(Schema):
    signal_id: uuid.UUID | None = None
    note: str = ""


@router.post("/persons/{person_id}/signals/handle", response=SignalOut, url_name="plan-signal-handle")
@person_route("POST", objects={"signal_id": EARLY_SIGNAL})
def handle(request: ApiRequest, person_id: uuid.UUID, body: HandleIn | None = None) -> dict[str, Any]:
    """Mark a signal handled (If-Match: the signal's version; 412 when stale). Needs plan write."""
    action = services.SIGNAL_HANDLED
    person = queries.person_for_signals(request.auth, person_id, action=action, audit_granted=False)
    signal = queries.get_signal(request.auth, person, body.signal_id if body else None, action=action)
    version = version_from_if_match(request.headers.get("If-Match"))
    handled = services.handle_signal(request.auth, signal, version=version, note=body.note if body else "")
    return _signal_out(SignalRow(handled, signal_label(handled.kind), False, 0, False))


def signal_label(code: str) -> str:
    kind = kinds.get(code)
    return kind.label() if kind else code
