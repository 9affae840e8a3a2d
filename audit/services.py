"""Writing the access log. Every read or write of a person's data leaves a row here, through
access.gate (reads and refusals) or log_change (granted changes, in the change's transaction).

audit sits below the gate and never imports it: it takes any object shaped like the gate's
decision (AccessDecision).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit import chain
from audit.models import AuditEntry
from core import context, memo

if TYPE_CHECKING:
    from people.models import Person


class AccessDecision(Protocol):
    """What the audit needs of a decision of the gate (access.gate.Decision)."""

    @property
    def allowed(self) -> bool: ...
    @property
    def reason(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def relationship(self) -> str: ...
    @property
    def profile(self) -> str: ...
    @property
    def acting_for_id(self) -> int | None: ...


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


# Rows that must be committed on their own (reads and refusals) but were logged while a
# caller's transaction was open; independent_writes() commits them once that transaction is over.
_deferred: ContextVar[list[dict[str, Any]] | None] = ContextVar("audit_deferred", default=None)


def _in_callers_transaction() -> bool:
    # The test Django itself applies to atomic(durable=True): any open atomic block but a test
    # case's own.
    blocks = transaction.get_connection().atomic_blocks
    return bool(blocks) and not blocks[-1]._from_testcase


def _commit_on_its_own(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Commit a read or a refusal independently of whatever the caller does next.

    Normally the gate runs before a change opens its transaction, and the row is committed at
    once. Inside a caller's transaction (ATOMIC_REQUESTS, or a job wrapping its work in one)
    the row cannot be committed on the same connection, and a second connection is no way out:
    on SQLite the caller's BEGIN IMMEDIATE holds the only write lock, so the second connection
    would wait for the first until the busy timeout. So the row waits in the innermost
    independent_writes() block (every request runs in one, see audit.middleware) and is
    committed when that block ends, after the caller's transaction, whether it committed or
    rolled back. With no such block, refuse loudly rather than lose the row with a rollback.

    Several rows (one request's reads of one dossier) are committed together: one transaction and
    one chain-head lock for all of them, each row still chained and hashed on its own.
    """
    if not _in_callers_transaction():
        with transaction.atomic(durable=True):
            return chain.append_many(rows)
    pending = _deferred.get()
    if pending is None:
        raise RuntimeError(
            "An access decision was logged inside an open transaction. Call access.check() before "
            "transaction.atomic(), or run the job inside audit.services.independent_writes()."
        )
    pending.extend(rows)
    return []


@contextmanager
def independent_writes() -> Iterator[None]:
    """Commit, when the block ends, the reads and refusals logged inside a transaction within it."""
    pending: list[dict[str, Any]] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        if pending:
            _commit_on_its_own(pending)


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    values.setdefault("created_at", timezone.now())
    values.setdefault("request_id", context.request_id.get())
    values.setdefault("detail", {})
    return values


def _write(values: dict[str, Any], *, own_transaction: bool) -> AuditEntry | None:
    if settings.AUDIT_DISABLED_FOR_BENCHMARK:
        return None
    _complete(values)
    if own_transaction:
        # A refusal or a read is committed on its own, so that a request that rolls back later
        # never takes its audit row with it.
        written = _commit_on_its_own([values])
        return written[0] if written else None
    # A granted change: in the change's own transaction, so that the change and its row are
    # committed, or rolled back, together.
    with transaction.atomic():
        return chain.append(values)


def log_decision(
    actor: Any,
    person: "Person | None",
    decision: AccessDecision,
    *,
    action: str,
    event: str = AuditEntry.Event.ACCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Log a gate decision (a read, or a refusal of anything) in its own transaction."""
    return _write(_decision_values(actor, person, decision, action, event, detail), own_transaction=True)


def log_decisions(
    actor: Any, person: "Person | None", decisions: Sequence[tuple[AccessDecision, str, str]]
) -> list[AuditEntry]:
    """Log several gate decisions about one person, as (decision, action, event), in one batch:
    still one row each, in order, committed together in a transaction of their own (the reads of
    one dossier page). Rows deferred by independent_writes() come back as an empty list."""
    if settings.AUDIT_DISABLED_FOR_BENCHMARK or not decisions:
        return []
    rows = [
        _complete(_decision_values(actor, person, decision, action, event, None))
        for decision, action, event in decisions
    ]
    return _commit_on_its_own(rows)


def log_decisions_about_persons(
    actor: Any, rows: Sequence[tuple["Person", AccessDecision, str, str]]
) -> list[AuditEntry]:
    """Log gate decisions about several persons, as (person, decision, action, event), in one
    batch: a row each, in its person's log, committed together in a transaction of their own
    (the persons listed on a home page). Rows deferred by independent_writes() come back as an
    empty list."""
    if settings.AUDIT_DISABLED_FOR_BENCHMARK or not rows:
        return []
    values = [
        _complete(_decision_values(actor, person, decision, action, event, None))
        for person, decision, action, event in rows
    ]
    return _commit_on_its_own(values)


def _decision_values(
    actor: Any,
    person: "Person | None",
    decision: AccessDecision,
    action: str,
    event: str,
    detail: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        **_actor_fields(actor),
        "event": event,
        "action": action,
        "person_id": person.pk if person else None,
        # The role the actor holds on this person's team (a nurse may be family on another team).
        **({"actor_profile": decision.profile} if decision.relationship == "team" else {}),
        "acting_for_id": decision.acting_for_id,
        "relationship": decision.relationship,
        "category": decision.category,
        "level": decision.level,
        "allowed": decision.allowed,
        "reason": decision.reason,
        "detail": detail or {},
    }


def log_change(
    actor: Any,
    person: "Person | None",
    action: str,
    *,
    decision: AccessDecision | None = None,
    category: str = "",
    detail: dict[str, Any] | None = None,
    event: str = AuditEntry.Event.CHANGE,
) -> AuditEntry | None:
    """Log a granted change inside the change's own transaction (call within transaction.atomic).

    A change to a person's data passes the decision that let it through: the row takes its
    category, relationship and the user the actor acted for (NEN 7513) from it. A change with no
    decision behind it (an account, the matrix, a team change made by the system) names its
    category, if any."""
    memo.forget()  # what the gate remembered in this request may no longer hold
    values = {
        **_actor_fields(actor),
        "event": event,
        "action": action,
        "person_id": person.pk if person else None,
        "acting_for_id": decision.acting_for_id if decision else None,
        "relationship": decision.relationship if decision else "",
        "category": decision.category if decision else category,
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
