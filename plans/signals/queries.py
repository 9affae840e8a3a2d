"""Gated reads of early signals. A signal is read under its own category (the kind's, copied at
recording): each reader sees only the signals whose category they may read, and each category
read is audited. The signals page opens for anyone who may read the plan or record a signal."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Category, Level
from people.models import Person
from plans.models import EarlySignal, PlanAction
from plans.signals import kinds

SIGNALS_VIEWED = Action.PLANS_SIGNALS_VIEWED
# Handled signals shown under the open ones, newest first.
HANDLED_SHOWN = 10
# An action still waiting for its owner's answer: the signal's follow-up has not started.
NOT_STARTED = (PlanAction.Status.PROPOSED, PlanAction.Status.DECLINED)


def untouched_since(signal: EarlySignal) -> datetime | None:
    """When an open signal was last touched: when it was noted, as long as nobody has taken its
    follow-up on (its action is still proposed or was declined). None when handled or taken on."""
    if signal.status != EarlySignal.Status.OPEN:
        return None
    if signal.action is not None and signal.action.status not in NOT_STARTED:
        return None
    return signal.noted_at


def is_flagged(signal: EarlySignal, now: datetime | None = None) -> bool:
    """Untouched for the kind's flag_after_days or longer (PLAN-06)."""
    since = untouched_since(signal)
    kind = kinds.get(signal.kind)
    if since is None or kind is None:
        return False
    return (now or timezone.now()) >= since + timedelta(days=kind.flag_after_days)


@dataclass(frozen=True)
class SignalRow:
    signal: EarlySignal
    label: str
    flagged: bool
    days_open: int  # whole days since it was noted
    asks_review: bool  # its kind marks the plan due for review
    # What the kind suggests doing, for readers of the signal's category only: the action it
    # created carries a neutral title, as every reader of the plan reads it.
    suggestion: str = ""


@dataclass(frozen=True)
class SignalPanel:
    """What the plan page's early-signals panel shows the actor (plans/signals/_panel.html)."""

    person: Person
    open_rows: list[SignalRow]
    handled_rows: list[SignalRow]
    flagged: int
    may_record: bool
    may_handle: bool


def person_for_signals(actor: User, person_id: uuid.UUID | str, *, action: str, audit_granted: bool = True) -> Person:
    """The person, for the signals page or a signal's change: anyone who may read the plan, or
    record a signal (a neighbour who may not read the plan still records what they noticed)."""
    person = resolve_person(actor, person_id, action)
    read = gate.decide(actor, person, Category.PLAN, Level.READ)
    if read.allowed:
        gate.enforce(actor, person, read, action=action, audit_granted=audit_granted)
        return person
    record = rules.records_early_signals(actor, person, Category.PLAN)
    if record.allowed:
        # Opening the page to record reads nothing of the plan: logged as a read of the page.
        gate.enforce(actor, person, replace(record, level=Level.READ), action=action, audit_granted=audit_granted)
        return person
    gate.enforce(actor, person, read, action=action)
    raise AssertionError("enforce() raises for a refusal")  # pragma: no cover


def get_signal(actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str) -> EarlySignal:
    """One of the person's signals, chosen by id in a form or an API body, that the actor may
    read (its category). No id is a form error; any other id, unknown or another person's, is
    the same audited 404."""
    if not public_id:
        raise ValidationError(_("Choose a signal."), code="no_signal")
    try:
        signal = (
            EarlySignal.objects.select_related("person", "action__owner__user")
            .filter(person=person, public_id=public_id)
            .first()
        )
    except (ValueError, TypeError, ValidationError):
        signal = None
    if signal is None:
        gate.refuse(actor, action, {"signal": str(public_id)})
    gate.enforce(
        actor, person, gate.decide(actor, person, signal.category, Level.READ), action=action, audit_granted=False
    )
    return signal


def readable_signals(
    actor: User, person: Person, now: datetime | None = None
) -> tuple[list[SignalRow], list[SignalRow]]:
    """The open signals and the last handled ones that the actor may read, each category's read
    audited once."""
    now = now or timezone.now()
    rows = list(
        EarlySignal.objects.filter(person=person)
        .select_related("noted_by", "handled_by", "action__owner__user")
        .order_by("-noted_at", "-pk")
    )
    decisions = {category: gate.decide(actor, person, category, Level.READ) for category in {r.category for r in rows}}
    shown = [row for row in rows if decisions[row.category].allowed]
    open_signals = [row for row in shown if row.status == EarlySignal.Status.OPEN]
    handled = [row for row in shown if row.status == EarlySignal.Status.HANDLED][:HANDLED_SHOWN]
    read = {row.category for row in (*open_signals, *handled)}
    gate.audit_reads(actor, person, [(decisions[category], SIGNALS_VIEWED) for category in sorted(read)])

    def row_of(signal: EarlySignal) -> SignalRow:
        kind = kinds.get(signal.kind)
        return SignalRow(
            signal=signal,
            label=kind.label() if kind else signal.kind,
            flagged=is_flagged(signal, now),
            days_open=(now - signal.noted_at).days,
            asks_review=bool(kind and kind.creates == "review"),
            suggestion=kind.action_title() if kind and kind.creates == "action" else "",
        )

    return [row_of(s) for s in open_signals], [row_of(s) for s in handled]


def signal_panel(actor: User, person: Person, now: datetime | None = None) -> SignalPanel:
    """The early-signals panel's context, for an actor the plan page (or the signals page)
    already let through: the signals they may read, what they may do."""
    open_rows, handled_rows = readable_signals(actor, person, now)
    return SignalPanel(
        person=person,
        open_rows=open_rows,
        handled_rows=handled_rows,
        flagged=sum(1 for row in open_rows if row.flagged),
        may_record=rules.records_early_signals(actor, person, Category.PLAN).allowed,
        may_handle=gate.decide(actor, person, Category.PLAN, Level.WRITE).allowed,
    )
