"""Writing the access log. Every read or write of a person's data leaves a row here, through
access.check (reads and refusals) or log_change (granted changes, in the change's transaction).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit import chain
from audit.models import AuditEntry
from core import context

if TYPE_CHECKING:
    from access.gate import Decision
    from accounts.models import User
    from people.models import Person


@dataclass(frozen=True)
class SystemActor:
    """A background job acting on its own account, e.g. SystemActor("purge_expired")."""

    name: str


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None:
        raise ValueError("An audit entry needs an actor; jobs pass a SystemActor.")
    if isinstance(actor, SystemActor):
        return {"actor_id": None, "actor_label": f"system:{actor.name}", "actor_profile": ""}
    return {"actor_id": actor.pk, "actor_label": str(actor), "actor_profile": actor.profile}


def _write(values: dict[str, Any], *, own_transaction: bool) -> AuditEntry | None:
    if settings.AUDIT_DISABLED_FOR_BENCHMARK:
        return None
    values.setdefault("created_at", timezone.now())
    values.setdefault("request_id", context.request_id.get())
    values.setdefault("detail", {})
    if own_transaction:
        # A refusal or a read is committed on its own, so that a request that rolls back later
        # never takes its audit row with it. durable=True refuses to nest in an outer atomic.
        with transaction.atomic(durable=True):
            return chain.append(values)
    with transaction.atomic():
        return chain.append(values)


def log_decision(
    actor: Any,
    person: "Person | None",
    decision: "Decision",
    *,
    action: str,
    event: str = AuditEntry.Event.ACCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Log a gate decision (a read, or a refusal of anything) in its own transaction."""
    values = {
        **_actor_fields(actor),
        "event": event,
        "action": action,
        "person_id": person.pk if person else None,
        "acting_for_id": decision.acting_for_id,
        "relationship": decision.relationship,
        "category": decision.category,
        "level": decision.level,
        "allowed": decision.allowed,
        "reason": decision.reason,
        "detail": detail or {},
    }
    return _write(values, own_transaction=True)


def log_change(
    actor: Any,
    person: "Person | None",
    action: str,
    *,
    category: str = "",
    acting_for: "User | None" = None,
    relationship: str = "",
    detail: dict[str, Any] | None = None,
    event: str = AuditEntry.Event.CHANGE,
) -> AuditEntry | None:
    """Log a granted change inside the change's own transaction (call within transaction.atomic)."""
    values = {
        **_actor_fields(actor),
        "event": event,
        "action": action,
        "person_id": person.pk if person else None,
        "acting_for_id": acting_for.pk if acting_for else None,
        "relationship": relationship,
        "category": category,
        "level": "write",
        "allowed": True,
        "reason": "granted",
        "detail": detail or {},
    }
    return _write(values, own_transaction=False)


def log_event(
    actor: Any,
    action: str,
    *,
    allowed: bool,
    reason: str,
    person: "Person | None" = None,
    event: str = AuditEntry.Event.ACCOUNT,
    detail: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Log something that is not a gate decision (a log search, a failed break-the-glass)."""
    values = {
        **_actor_fields(actor),
        "event": event,
        "action": action,
        "person_id": person.pk if person else None,
        "acting_for_id": None,
        "relationship": "",
        "category": "",
        "level": "",
        "allowed": allowed,
        "reason": reason,
        "detail": detail or {},
    }
    return _write(values, own_transaction=True)
