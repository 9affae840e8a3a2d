"""Gated reads for "My actions": the member's own actions across every person, the care
coordinator's part, and the done actions the person and their circle are asked about.

Every listed person passes the gate, and each is audited once per listing (gate.audit_listed).
The reads are batched, so that the number of queries stays the same whatever the number of
persons and actions (a professional on 60 teams):

- an action's owner reads their own action through their active membership (the rule "an
  action's owner reads that action", docs/access.md): the membership is the relationship, and
  one query each for the exclusions and the consents decides all persons at once;
- the coordinator reads the plan through their coordinating membership: the same, plus the
  matrix cell of their role (remembered per request);
- a person the batch does not let through is asked of the gate itself (gate.decide), so the
  answer is never wider than the gate's; only the cost differs.

The person and their circle are few persons each, asked of the rule one by one
(access.rules.did_it_help_answer).
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from access import gate, rules
from access.models import Consent, Exclusion, Representation
from accounts.models import User
from core.actions import Action
from core.vocab import Level
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.help import queries as help_queries
from plans.models import PlanAction
from teams.models import Membership

LISTED = Action.PLANS_MY_ACTIONS_LISTED
CATEGORY = PLAN_CATEGORIES["actions"]
# Actions someone is working on: "due soon" and "overdue" are about these.
UNDER_WAY = (PlanAction.Status.OPEN, PlanAction.Status.IN_PROGRESS)


@dataclass(frozen=True)
class InboxCounts:
    """How many actions wait in each part of the inbox: what the home page and the e-mail digest
    say, naming no person, goal or action."""

    proposed: int = 0
    overdue: int = 0
    due_soon: int = 0
    to_answer: int = 0
    declined: int = 0
    waiting_for_owner: int = 0
    unanswered: int = 0

    @property
    def needs_you(self) -> int:
        """Everything the user is to act on (a proposal waiting for its owner is the owner's)."""
        return self.proposed + self.overdue + self.due_soon + self.to_answer + self.declined + self.unanswered


@dataclass(frozen=True)
class Inbox:
    proposed: list[PlanAction] = field(default_factory=list)  # proposed to me: accept or decline
    overdue: list[PlanAction] = field(default_factory=list)  # mine, under way, past their date
    due_soon: list[PlanAction] = field(default_factory=list)  # mine, under way, due within the setting
    to_answer: list[PlanAction] = field(default_factory=list)  # done: did it help? (the person, their circle)
    declined: list[PlanAction] = field(default_factory=list)  # coordinator: declined, back to me
    waiting_for_owner: list[PlanAction] = field(default_factory=list)  # coordinator: proposed to others
    unanswered: list[PlanAction] = field(default_factory=list)  # coordinator: "did it help?" missing too long
    coordinates: bool = False  # the user coordinates a team: the coordinator's part shows
    due_soon_days: int = 7
    today: date = field(default_factory=timezone.localdate)

    @property
    def counts(self) -> InboxCounts:
        return InboxCounts(**{f.name: len(getattr(self, f.name)) for f in fields(InboxCounts)})


def due_soon_days() -> int:
    return int(settings.PLAN_ACTIONS_DUE_SOON_DAYS)


def _consent_covers(consent: Consent, actor: User, category: str) -> bool:
    # As access.gate.has_consent_or_legal_basis, for one row.
    holder_fits = consent.holder_id in (None, actor.pk)
    return holder_fits and (consent.categories is None or category in consent.categories)


def _as_member(
    actor: User, memberships: dict[int, Membership], now: datetime, *, by_matrix: bool
) -> dict[int, gate.Decision]:
    """The read of the plan through the actor's active memberships, for many persons at once:
    the relationship is the membership; the matrix allows its role (`by_matrix`: the coordinator;
    an action's owner reads their own action whatever the matrix says); consent or a legal basis
    covers the plan (not needed on one's own dossier); the person has not excluded the actor.
    A person the batch does not let through is asked of the gate."""
    if not actor.is_active or not memberships:
        return {}
    ids = list(memberships)
    excluded = set(
        Exclusion.objects.active(now).filter(excluded=actor, person_id__in=ids).values_list("person_id", flat=True)
    )
    consents: dict[int, list[Consent]] = defaultdict(list)
    for consent in Consent.objects.active(now).filter(person_id__in=ids):
        consents[consent.person_id].append(consent)
    levels = gate.matrix_levels({m.profile for m in memberships.values()}, CATEGORY) if by_matrix else {}
    decisions = {}
    for person_id, membership in memberships.items():
        if person_id in excluded:
            continue  # the gate would refuse too: an exclusion blocks everything
        person = membership.person
        allowed = (not by_matrix or Level(levels.get(membership.profile, Level.NONE)).covers(Level.READ)) and (
            person.account_id == actor.pk
            or any(_consent_covers(consent, actor, CATEGORY) for consent in consents[person_id])
        )
        if allowed:
            decisions[person_id] = gate.Decision(True, "granted", CATEGORY, Level.READ, "team", membership.profile)
        else:
            decision = gate.decide(actor, person, CATEGORY, Level.READ)
            if decision.allowed:
                decisions[person_id] = decision
    return decisions


def _own(actor: User, now: datetime, soon: date) -> tuple[list[PlanAction], dict[int, gate.Decision]]:
    """The actor's own actions on their active memberships: proposed, or under way and due by
    `soon`. An ended membership's actions are not here: they went to the coordinator's queue."""
    mine = Membership.objects.active(now).filter(user=actor)
    actions = list(
        PlanAction.objects.filter(owner__in=mine, person__merged_into=None)
        .filter(Q(status=PlanAction.Status.PROPOSED) | Q(status__in=UNDER_WAY, due_on__lte=soon))
        .select_related("person", "owner__person")
        .order_by("due_on", "created_at", "pk")
    )
    owners = {action.person_id: action.owner for action in actions}
    return actions, _as_member(actor, owners, now, by_matrix=False)


def _coordinated(actor: User, now: datetime) -> tuple[QuerySet[PlanAction], dict[int, gate.Decision], bool]:
    memberships = {
        m.person_id: m
        for m in Membership.objects.active(now)
        .filter(user=actor, is_coordinator=True, person__merged_into=None)
        .select_related("person")
    }
    decisions = _as_member(actor, memberships, now, by_matrix=True)
    return PlanAction.objects.filter(person_id__in=list(decisions)), decisions, bool(memberships)


def _answering(actor: User, now: datetime) -> tuple[list[Person], dict[int, gate.Decision]]:
    """The persons about whom the actor answers "did it help?" in their own name: themself, whom
    they represent, whom they care for on the team (access.rules.did_it_help_answer)."""
    ids = set(Person.objects.filter(account=actor).values_list("pk", flat=True))
    ids |= set(Representation.objects.active(now).filter(representative=actor).values_list("person_id", flat=True))
    ids |= set(
        Membership.objects.active(now)
        .filter(user=actor, profile__in=rules.ANSWERS_DID_IT_HELP)
        .values_list("person_id", flat=True)
    )
    if not ids:
        return [], {}
    persons, decisions = [], {}
    for person in Person.objects.filter(pk__in=ids, merged_into=None):
        answer = rules.did_it_help_answer(actor, person)
        if answer.allowed and not help_queries.records_for(answer):
            persons.append(person)
            decisions[person.pk] = gate.decide(actor, person, CATEGORY, Level.READ)
    return persons, decisions


def _select(actor: User, now: datetime | None = None) -> tuple[Inbox, dict[int, tuple[Person, gate.Decision]]]:
    """The inbox and, per listed person, the decision that let the actor read them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = due_soon_days()
    soon = today + timedelta(days=days)
    own, own_decisions = _own(actor, now, soon)
    own = [action for action in own if action.person_id in own_decisions]
    team_actions, team_decisions, coordinates = _coordinated(actor, now)
    coordinated: list[PlanAction] = []
    unanswered: list[PlanAction] = []
    if team_decisions:
        coordinated = list(
            team_actions.filter(status__in=[PlanAction.Status.DECLINED, PlanAction.Status.PROPOSED])
            .select_related("person", "owner__user")
            .order_by("updated_at", "pk")
        )
        unanswered = list(
            help_queries.flagged(team_actions, now).select_related("person", "owner__user").order_by("done_at", "pk")
        )
    answering, answer_decisions = _answering(actor, now)
    to_answer = []
    if answering:
        to_answer = list(
            help_queries.waiting(PlanAction.objects.filter(person__in=answering))
            .select_related("person")
            .order_by("done_at", "pk")
        )
    inbox = Inbox(
        proposed=[a for a in own if a.status == PlanAction.Status.PROPOSED],
        overdue=[a for a in own if a.status in UNDER_WAY and a.due_on is not None and a.due_on < today],
        due_soon=[a for a in own if a.status in UNDER_WAY and a.due_on is not None and today <= a.due_on <= soon],
        to_answer=to_answer,
        declined=[a for a in coordinated if a.status == PlanAction.Status.DECLINED],
        waiting_for_owner=[
            a for a in coordinated if a.status == PlanAction.Status.PROPOSED and a.owner.user_id != actor.pk
        ],
        unanswered=unanswered,
        coordinates=coordinates,
        due_soon_days=days,
        today=today,
    )
    decisions = {**answer_decisions, **team_decisions, **own_decisions}
    listed: dict[int, tuple[Person, gate.Decision]] = {}
    for part in (inbox.proposed, inbox.overdue, inbox.due_soon, inbox.to_answer, coordinated, unanswered):
        for action in part:
            listed.setdefault(action.person_id, (action.person, decisions[action.person_id]))
    return inbox, listed


def my_actions(actor: User) -> Inbox:
    """The actor's inbox across all persons. Each listed person's read is audited once, a row in
    their log; a person the gate refuses is not listed and leaves no row."""
    inbox, listed = _select(actor)
    gate.audit_listed(actor, list(listed.values()), action=LISTED)
    return inbox


def inbox_counts(actor: User, now: datetime | None = None) -> InboxCounts:
    """How many actions wait in each part, read as my_actions() reads them but not audited per
    person: the counts name no one (the home page, the e-mail digest); opening the inbox is."""
    inbox, _listed = _select(actor, now)
    return inbox.counts
