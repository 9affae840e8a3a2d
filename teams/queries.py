"""Gated reads of the care team: members and their reachability, the team's message thread and
the handover queue. Every read passes the gate (category team) and is audited; an outsider gets
the same 404 as an unknown id.

Who may do what on the team (docs/teams.md):
- everyone who may read the team sees the members, their roles, assignments and the coordinator;
- professionals also see the members' priority numbers and e-mail addresses;
- the care coordinator manages the team; when there is none, so does any professional member
  whom the matrix lets write the team (so a team is never stuck without one);
- the person and their legal representative add and end members of their own circle.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, relationships, rules
from access.models import Exclusion
from access.queries import people_around, resolve_person
from accounts.models import User
from audit import services as audit
from core import memo
from core.actions import Action
from core.vocab import PRIVATE_PROFILES, Category, Level, Profile
from people.models import Person
from teams.models import CoordinationProposal, HandoverItem, Membership, MessageRead, TeamMessage

# A membership or a handover item: what a team change chooses by id.
Thing = TypeVar("Thing", Membership, HandoverItem)

TEAM_VIEWED = Action.TEAMS_TEAM_VIEWED
MESSAGES_VIEWED = Action.TEAMS_MESSAGES_VIEWED
HANDOVER_VIEWED = Action.TEAMS_HANDOVER_VIEWED
HOME_ALERT = Action.TEAMS_HOME_ALERT_VIEWED


@dataclass(frozen=True)
class TeamRights:
    decision: gate.Decision  # the actor's read of the team
    manages: bool  # adds, ends and designates members; takes handover items
    is_coordinator: bool
    own_circle: bool  # the person or their representative: adds and ends their own circle
    professional: bool  # sees priority numbers and e-mail addresses
    membership: Membership | None  # the actor's own membership, if any


def active_members(person: Person, now: datetime | None = None) -> QuerySet[Membership]:
    return Membership.objects.active(now).filter(person=person).select_related("user")


def has_coordinator(person: Person, now: datetime | None = None) -> bool:
    return Membership.objects.active(now).filter(person=person, is_coordinator=True).exists()


def team_rights(actor: User, person: Person, decision: gate.Decision, now: datetime | None = None) -> TeamRights:
    """What the actor may do on the team, for an actor the gate already let read it."""
    now = now or timezone.now()
    found = relationships.active_relationships(actor, person, now)
    team = [rel for rel in found if rel.kind == "team"]
    coordinator = any(rel.is_coordinator for rel in team)
    manages = coordinator
    if not manages and any(rel.profile not in PRIVATE_PROFILES for rel in team) and not has_coordinator(person, now):
        manages = gate.decide(actor, person, Category.TEAM, Level.WRITE, now).allowed
    return TeamRights(
        decision=decision,
        manages=manages,
        is_coordinator=coordinator,
        own_circle=any(rules.stands_for_the_person(rel.kind) for rel in found),
        # A team member in a professional role, or a professional under emergency access.
        professional=any(rel.profile not in PRIVATE_PROFILES for rel in found),
        membership=Membership.objects.active(now).filter(person=person, user=actor).order_by("since").first(),
    )


def person_for_team(
    actor: User, person_id: uuid.UUID | str, *, action: str, audit_granted: bool = True
) -> tuple[Person, TeamRights]:
    """The person, for a page or call about their team: the gate for reading the team, then the
    actor's rights on it. A change's view passes audit_granted=False: its service logs it."""
    person = resolve_person(actor, person_id, action)
    decision = gate.enforce(
        actor, person, gate.decide(actor, person, Category.TEAM, Level.READ), action=action, audit_granted=audit_granted
    )
    return person, team_rights(actor, person, decision)


def refuse(
    actor: User, person: Person, rights: TeamRights, action: str, reason: str, message: str | None = None
) -> None:
    """Audit a refused team change by someone who may read the team, then raise a 403: they know
    the person already, so "not found" would hide nothing and only confuse."""
    decision = gate.Decision(
        False, reason, Category.TEAM, Level.WRITE, rights.decision.relationship, rights.decision.profile
    )
    answer = decision.answered_with_403(message or _("Only the care coordinator can do this."))
    gate.enforce(actor, person, answer, action=action)


def membership_of(
    actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str, now: datetime | None = None
) -> Membership:
    """An active membership of the person's team, chosen in a form or an API body.

    A membership of this person that is not active (ended meanwhile, or not begun) is a form
    error the actor may fix. Any other id, unknown or another person's, is the same audited
    refusal: the answer never tells whether the id exists elsewhere."""
    if not public_id:
        raise ValidationError(_("Choose a member of the team."), code="unknown_member")
    own = _own_thing(Membership, person, public_id)
    if own is None:
        gate.refuse(actor, action, {"item": str(public_id)})
    try:
        return active_members(person, now).get(pk=own.pk)
    except Membership.DoesNotExist as error:
        raise ValidationError(_("Choose a member of the team."), code="unknown_member") from error


def _own_thing(model: type[Thing], person: Person, public_id: uuid.UUID | str) -> Thing | None:
    """The person's own membership or handover item with this id, or None (unknown, malformed,
    or another person's: all alike)."""
    try:
        return model.objects.filter(person=person, public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


# ── the team page ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TeamView:
    person: Person
    rights: TeamRights
    professionals: list[Membership]
    circle: list[Membership]
    coordinators: list[Membership]
    flagged_items: int  # handover items waiting, for those who manage the team
    excluded: frozenset[int] = frozenset()  # members the person has excluded (user ids)
    # The proposal to coordinate waiting for an answer, for those who manage the team, made it
    # or are proposed (None for everyone else).
    proposal: CoordinationProposal | None = None
    # For those who manage the team: the person has an active account of their own and is not a
    # member of their team yet (the page offers to add them, so that actions can be given to them).
    the_person_addable: bool = False


def get_team(actor: User, person_id: uuid.UUID | str) -> TeamView:
    person, rights = person_for_team(actor, person_id, action=TEAM_VIEWED)
    now = timezone.now()
    members = list(active_members(person, now).order_by("-is_coordinator", "user__full_name", "pk"))
    flagged = len(visible_handover_items(actor, person, now)) if rights.manages else 0
    proposal = pending_proposal(person)
    if proposal is not None and not (
        rights.manages or actor.pk in (proposal.proposed_by_id, proposal.membership.user_id)
    ):
        proposal = None
    return TeamView(
        person=person,
        rights=rights,
        professionals=[m for m in members if m.is_professional],
        circle=[m for m in members if not m.is_professional],
        # One user may hold two memberships after two records were merged; name them once.
        coordinators=list({m.user_id: m for m in members if m.is_coordinator}.values()),
        flagged_items=flagged,
        excluded=frozenset(
            Exclusion.objects.active(now)
            .filter(person=person, excluded_id__in=[m.user_id for m in members])
            .values_list("excluded_id", flat=True)
        ),
        proposal=proposal,
        the_person_addable=rights.manages and the_person_addable(person, members),
    )


def the_person_addable(person: Person, members: list[Membership]) -> bool:
    """The person has an active account of their own that is not on their team (`members`)."""
    account = person.account
    return account is not None and account.is_active and all(m.user_id != account.pk for m in members)


def pending_proposal(person: Person) -> CoordinationProposal | None:
    """The proposal to coordinate the person's care that waits for an answer (one at most)."""
    return (
        CoordinationProposal.objects.filter(person=person, status=CoordinationProposal.Status.PENDING)
        .select_related("membership__user", "proposed_by")
        .first()
    )


def proposal_for(
    actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str
) -> CoordinationProposal:
    """The pending proposal the page showed (its id came back with the answer). Another id, or
    a proposal closed meanwhile, is a conflict the user resolves by reloading."""
    proposal = pending_proposal(person)
    if proposal is None or not public_id or str(proposal.public_id) != str(public_id):
        raise ValidationError(
            _("This proposal was answered or cancelled in the meantime. Reload the page to see the team now."),
            code="stale_proposal",
        )
    return proposal


# ── the message thread ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Reader:
    """Someone who will be able to read a message of one topic in the thread."""

    user: User
    role: str  # their role around the person, translated
    member: bool  # an active team member: may be addressed, and is notified


def message_decision(actor: User, person: Person, category: str, now: datetime | None = None) -> gate.Decision:
    """May the actor file a message under this category? Whoever may write the category; and
    under medication also the team's pharmacist, who follows up medication problems with a
    read-only row (access.rules.follows_up_medication_problems)."""
    decision = gate.decide(actor, person, category, Level.WRITE, now)
    if not decision.allowed and category == Category.MEDICATION:
        follow_up = rules.follows_up_medication_problems(actor, person, now)
        if follow_up.allowed:
            return follow_up
    return decision


def message_readers(person: Person, categories: list[str], *, leave_out: User | None = None) -> dict[str, list[Reader]]:
    """For each category, who will be able to read a message filed under it now: everyone
    around the person (access.queries.people_around) and the person themself who may read both
    the team and the category. Someone the person excluded, or who has no consent on file, is
    never among them: the gate refuses them like anyone else."""
    if not categories:
        return {}
    now = timezone.now()
    roles = {m.user_id: m.profile_label for m in active_members(person, now).order_by("since", "pk")}
    candidates = people_around(person, now)
    if person.account is not None:
        candidates.insert(0, person.account)
    readers: dict[str, list[Reader]] = {code: [] for code in categories}
    with memo.request_memo():  # one read of relationships, consents and matrix for all of them
        for user in candidates:
            if leave_out is not None and user.pk == leave_out.pk:
                continue
            if not gate.decide(user, person, Category.TEAM, Level.READ).allowed:
                continue
            for code in categories:
                decision = gate.decide(user, person, code, Level.READ)
                if not decision.allowed:
                    continue
                if user.pk in roles:
                    role = roles[user.pk]
                elif decision.relationship in ("self", "representative"):
                    role = str(Profile(decision.profile).label)
                else:
                    role = relationships.kind_label(decision.relationship)
                readers[code].append(Reader(user, role, user.pk in roles))
    return readers


def category_decisions(actor: User, person: Person, level: str) -> dict[str, gate.Decision]:
    """The categories the actor may read (or write) now, with the gate's decision for each. Asked
    without a moment, so that the request's memo reads relationships, consents and the matrix once
    for all categories (a decision at an explicit moment reads everything afresh)."""
    decisions = {code: gate.decide(actor, person, code, level) for code in Category.values}
    return {code: decision for code, decision in decisions.items() if decision.allowed}


@dataclass(frozen=True)
class Thread:
    person: Person
    rights: TeamRights
    messages: list[TeamMessage]
    unread: set[int]  # pks of the shown messages this reader had not read yet
    writable: list[str]  # the categories the reader may file a message under
    members: list[Membership] = field(default_factory=list)  # possible addressees
    # For each writable category, who will be able to read a message filed under it (not the
    # reader themself). Only they are offered as addressees.
    readers: dict[str, list[Reader]] = field(default_factory=dict)


def get_thread(actor: User, person_id: uuid.UUID | str) -> Thread:
    """The messages the actor may read, and nothing of the others: no count, no gap, no marker.

    Each category shown is audited as a read of that category, besides the read of the team.
    """
    person, rights = person_for_team(actor, person_id, action=MESSAGES_VIEWED)
    now = timezone.now()
    readable = category_decisions(actor, person, Level.READ)
    messages = list(
        TeamMessage.objects.filter(person=person, category__in=list(readable))
        .select_related("author")
        .prefetch_related("addressees")
        .order_by("created_at", "pk")
    )
    for code in sorted({message.category for message in messages} - {Category.TEAM}):
        audit.log_decision(actor, person, readable[code], action=MESSAGES_VIEWED)
    read = set(
        MessageRead.objects.filter(user=actor, message__in=[m.pk for m in messages]).values_list(
            "message_id", flat=True
        )
    )
    writable = [code for code in readable if message_decision(actor, person, code).allowed]
    readers = message_readers(person, writable, leave_out=actor)
    addressable = {reader.user.pk for found in readers.values() for reader in found if reader.member}
    # Only members who will be able to read at least one topic the actor may write are offered:
    # never someone the person excluded, whatever their role.
    members = [
        m
        for m in active_members(person, now).exclude(user=actor).order_by("user__full_name", "pk")
        if m.user_id in addressable
    ]
    return Thread(
        person=person,
        rights=rights,
        messages=messages,
        unread={m.pk for m in messages if m.pk not in read and m.author_id != actor.pk},
        writable=writable,
        members=members,
        readers=readers,
    )


# ── the handover queue ──────────────────────────────────────────────────────────────────────


def visible_handover_items(actor: User, person: Person, now: datetime | None = None) -> list[HandoverItem]:
    """Flagged items the actor may read: an item of a category they may not read leaves no trace."""
    now = now or timezone.now()
    flagged = list(HandoverItem.objects.filter(person=person, taken_at=None).select_related("from_user"))
    categories = {item.category for item in flagged}
    readable = {code for code in categories if gate.decide(actor, person, code, Level.READ, now).allowed}
    return [item for item in flagged if item.category in readable]


@dataclass(frozen=True)
class HandoverQueue:
    person: Person
    rights: TeamRights
    flagged: list[HandoverItem]
    taken: list[HandoverItem]  # the last ones taken, for the record
    members: list[Membership]


def get_handover_queue(actor: User, person_id: uuid.UUID | str, *, audit_granted: bool = True) -> HandoverQueue:
    person, rights = person_for_team(actor, person_id, action=HANDOVER_VIEWED, audit_granted=audit_granted)
    if not rights.manages:
        refuse(actor, person, rights, HANDOVER_VIEWED, "not_coordinator")
    now = timezone.now()
    flagged = visible_handover_items(actor, person, now)
    taken = list(
        HandoverItem.objects.filter(person=person, taken_at__isnull=False)
        .select_related("from_user", "taken_by", "assigned_to")
        .order_by("-taken_at")[:20]
    )
    readable = {
        code for code in {i.category for i in taken} if gate.decide(actor, person, code, Level.READ, now).allowed
    }
    members = list(active_members(person, now).order_by("user__full_name", "pk"))
    return HandoverQueue(person, rights, flagged, [i for i in taken if i.category in readable], members)


def handover_item_of(actor: User, person: Person, public_id: uuid.UUID | str | None, *, action: str) -> HandoverItem:
    """An item of the person's handover queue. An id that is not one of this person's items,
    unknown or another person's, is the same audited refusal."""
    if not public_id:
        raise ValidationError(_("Choose an item from the handover queue."), code="unknown_item")
    item = _own_thing(HandoverItem, person, public_id)
    if item is None:
        gate.refuse(actor, action, {"item": str(public_id)})
    return item


# ── the home page ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HomeAlert:
    person: Person
    no_coordinator: bool
    flagged_items: int
    proposed: bool = False  # the user is proposed as care coordinator: answer it


def home_alerts(user: User) -> list[HomeAlert]:
    """For a professional: their teams without a care coordinator ("agree who coordinates"), and
    the handover queues waiting for them as coordinator. Only teams they may read now."""
    if not user.is_professional:
        return []
    now = timezone.now()
    mine = Membership.objects.active(now).filter(user=user).exclude(profile__in=PRIVATE_PROFILES)
    person_ids = set(mine.values_list("person_id", flat=True))
    if not person_ids:
        return []
    coordinated = set(
        Membership.objects.active(now)
        .filter(person_id__in=person_ids, is_coordinator=True)
        .values_list("person_id", flat=True)
    )
    mine_coordinated = set(mine.filter(is_coordinator=True).values_list("person_id", flat=True))
    waiting = set(
        HandoverItem.objects.filter(person_id__in=mine_coordinated, taken_at=None).values_list("person_id", flat=True)
    )
    proposed = set(
        CoordinationProposal.objects.filter(
            membership__in=mine, status=CoordinationProposal.Status.PENDING
        ).values_list("person_id", flat=True)
    )
    candidates = (person_ids - coordinated) | waiting | proposed
    alerts = []
    for person in Person.objects.filter(pk__in=candidates, merged_into=None).order_by("family_name", "given_name"):
        decision = gate.decide(user, person, Category.TEAM, Level.READ, now)
        if not decision.allowed:
            continue  # no consent yet, or excluded: the team is not theirs to see
        audit.log_decision(user, person, decision, action=HOME_ALERT)
        flagged = len(visible_handover_items(user, person, now)) if person.pk in waiting else 0
        if person.pk in coordinated and not flagged and person.pk not in proposed:
            continue
        alerts.append(HomeAlert(person, person.pk not in coordinated, flagged, person.pk in proposed))
    return alerts
