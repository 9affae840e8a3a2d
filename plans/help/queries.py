"""Gated reads for "did it help?" (PLAN-04): a person's done actions with their answers, the
prompt (done actions no answer settles yet) and the flag (no answer for PLAN_HELP_ANSWER_DAYS).

The rule "waiting for an answer" lives in one place, waiting_or_settled(): an action is waiting
when it is done and no answer other than "not yet" was given; the question counts as put when
the action was done, or again at the latest "not yet". It is flagged when it was put before the
start of the day PLAN_HELP_ANSWER_DAYS days ago (so not on day 14 after "done", on day 15).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import DateTimeField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from access import gate, rules
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Level, Profile
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import HelpAnswer, PlanAction

HELP_VIEWED = Action.PLANS_HELP_VIEWED
HELP_ANSWERED = Action.PLANS_HELP_ANSWERED


def flag_cutoff(now: datetime | None = None) -> datetime:
    """A question put before this moment is flagged: the start of the local day
    PLAN_HELP_ANSWER_DAYS days ago."""
    today = timezone.localdate(now or timezone.now())
    start = datetime.combine(today - timedelta(days=settings.PLAN_HELP_ANSWER_DAYS), time.min)
    return timezone.make_aware(start)


def waiting_or_settled(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """The done actions among `actions`, each with `settled` (an answer other than "not yet"
    exists) and `asked_since` (when the question was last put: the latest "not yet", or the
    moment the action was done)."""
    answers = HelpAnswer.objects.filter(action=OuterRef("pk"))
    latest_not_yet = answers.filter(answer=HelpAnswer.Answer.NOT_YET).order_by("-answered_at").values("answered_at")
    return actions.filter(status=PlanAction.Status.DONE).annotate(
        settled=Exists(answers.exclude(answer=HelpAnswer.Answer.NOT_YET)),
        asked_since=Coalesce(
            Subquery(latest_not_yet[:1], output_field=DateTimeField()),
            F("done_at"),
            F("updated_at"),
            output_field=DateTimeField(),
        ),
    )


def waiting(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """The done actions among `actions` that no answer settles yet."""
    return waiting_or_settled(actions).filter(Q(settled=False))


def flagged(actions: QuerySet[PlanAction], now: datetime | None = None) -> QuerySet[PlanAction]:
    """The done actions among `actions` whose answer is missing after PLAN_HELP_ANSWER_DAYS."""
    return waiting(actions).filter(Q(asked_since__lt=flag_cutoff(now)))


@dataclass(frozen=True)
class HelpRow:
    """A done action (or the one chosen) with its answers, oldest first."""

    action: PlanAction
    answers: list[HelpAnswer]
    waiting: bool  # done, and no answer settles it yet
    flagged: bool  # waiting for longer than PLAN_HELP_ANSWER_DAYS

    @property
    def latest(self) -> HelpAnswer | None:
        return self.answers[-1] if self.answers else None


def _with_answers(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    return actions.prefetch_related(
        Prefetch(
            "help_answers",
            queryset=HelpAnswer.objects.select_related("answered_by").order_by("answered_at", "pk"),
            to_attr="answer_rows",
        )
    )


def rows_of(actions: QuerySet[PlanAction], now: datetime | None = None) -> list[HelpRow]:
    """Done actions as rows: those waiting for an answer first (flagged first), then the others,
    most recently done first. Two queries, whatever the number of actions."""
    cutoff = flag_cutoff(now)
    found = _with_answers(waiting_or_settled(actions).select_related("owner__user")).order_by("-done_at", "-pk")
    rows = [
        HelpRow(
            action=action,
            answers=list(action.answer_rows),  # type: ignore[attr-defined]  # Prefetch(to_attr=...)
            waiting=not action.settled,  # type: ignore[attr-defined]  # annotated above
            flagged=not action.settled and action.asked_since < cutoff,  # type: ignore[attr-defined]  # annotated
        )
        for action in found
    ]
    return sorted(rows, key=lambda row: (not row.flagged, not row.waiting))


@dataclass(frozen=True)
class AnswerRights:
    """Whether the actor may answer about this person's done actions, and how."""

    may_answer: bool
    records_for: bool  # a professional writing down someone else's answer: they say whose it is


def answer_rights(actor: User, person: Person) -> AnswerRights:
    """What to offer (access.rules.did_it_help_answer decides); the answer itself passes the rule
    again, audited."""
    decision = rules.did_it_help_answer(actor, person)
    return AnswerRights(decision.allowed, decision.allowed and records_for(decision))


def records_for(decision: gate.Decision) -> bool:
    """A granted answer by someone who is not the person or their circle: a professional
    recording the answer the person or a caregiver gave them."""
    return not (
        rules.stands_for_the_person(decision.relationship)
        or (decision.relationship == "team" and decision.profile in rules.ANSWERS_DID_IT_HELP)
    )


def voice_of(decision: gate.Decision) -> str:
    """Whose answer it is, from the answerer's own relationship (for the person and their circle)."""
    if decision.relationship == "self":
        return HelpAnswer.Voice.PERSON
    if decision.relationship == "representative" or decision.profile == Profile.REPRESENTATIVE:
        return HelpAnswer.Voice.REPRESENTATIVE
    return HelpAnswer.Voice.CAREGIVER


def action_of(actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str) -> PlanAction:
    """One of the person's actions, chosen by id in a query, form or API body. Any other id
    (unknown, malformed, another person's) is the same audited refusal, the outsider's 404: the
    answer never tells whether the id exists elsewhere."""
    found = None
    if public_id:
        try:
            found = PlanAction.objects.filter(person=person, public_id=public_id).select_related("owner__user").first()
        except (ValueError, TypeError, ValidationError):  # a malformed id
            found = None
    if found is None:
        gate.refuse(actor, action, {"action": str(public_id or "")})
    return found


@dataclass(frozen=True)
class HelpPage:
    person: Person
    rows: list[HelpRow]
    rights: AnswerRights
    chosen: PlanAction | None  # the action asked about (?action=), else None: the whole list


def help_page(actor: User, person_id: uuid.UUID | str, action_id: str | None = None) -> HelpPage:
    """The person's done actions and what was answered about them, or one action (`action_id`),
    for whoever may read the plan; each opening audited."""
    person = resolve_person(actor, person_id, HELP_VIEWED)
    gate.check(actor, person, PLAN_CATEGORIES["actions"], Level.READ, action=HELP_VIEWED)
    chosen = action_of(actor, person, action_id, action=HELP_VIEWED) if action_id is not None else None
    if chosen is not None:
        rows = rows_of(PlanAction.objects.filter(pk=chosen.pk))
    else:
        rows = rows_of(PlanAction.objects.filter(person=person))
    return HelpPage(person, rows, answer_rights(actor, person), chosen)


def person_for_answer(actor: User, person_id: uuid.UUID | str) -> tuple[Person, gate.Decision]:
    """The person, for answering: the rule decides (a refusal audited; the service audits the
    granted answer itself)."""
    person = resolve_person(actor, person_id, HELP_ANSWERED)
    decision = gate.enforce(
        actor, person, rules.did_it_help_answer(actor, person), action=HELP_ANSWERED, audit_granted=False
    )
    return person, decision


# ── For the plan page and the action page (plans/views.py wires them in) ─────────────────────


@dataclass(frozen=True)
class HelpPrompt:
    """The prompt on the person's plan page: their done actions no answer settles yet."""

    person: Person
    rows: list[HelpRow]
    rights: AnswerRights


def prompt_for(actor: User, person: Person) -> HelpPrompt:
    """For a page that has already let the actor read the person's plan (it gated and audited
    that read): the done actions waiting for an answer."""
    return HelpPrompt(person, rows_of(waiting(PlanAction.objects.filter(person=person))), answer_rights(actor, person))


def answers_of(action: PlanAction) -> list[HelpAnswer]:
    """What was answered about one action, oldest first, for the action page (which has gated
    the read of the action already)."""
    return list(action.help_answers.select_related("answered_by").order_by("answered_at", "pk"))
