"""Care-team changes: members, the coordinator, reachability, the team's messages and the
handover of a leaving member's open items. Each change passes the gate and its team rules first
(refusals committed to the audit on their own), then changes and audits in one transaction."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import gate
from accounts.models import User
from accounts.services import send_mail_in_language
from audit import services as audit
from audit.services import SystemActor
from core.actions import Action
from core.errors import Conflict
from core.vocab import PRIVATE_PROFILES, Category, Level, Profile
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from teams import handover, topics
from teams.models import CoordinationProposal, HandoverItem, Membership, MessageRead, TeamMessage
from teams.queries import TeamRights, active_members, message_decision, message_readers, refuse, team_rights

# The roles someone from the person's own circle takes on the team. The person themself and
# their legal representative have their own relationship (access.kinds), not a membership.
CIRCLE_PROFILES = (Profile.INFORMAL_CAREGIVER, Profile.FAMILY, Profile.NEIGHBOUR, Profile.TRUST_PERSON)
# Zone roles that are no care roles: the matrix gives them nothing, so a membership is meaningless.
NON_CARE_PROFILES = frozenset({Profile.ZONE_ADMIN, Profile.DPO, Profile.HELPDESK})
TERMS = ("regular", "occasional", "emergency")
MESSAGE_MAX_LENGTH = 4000
TOPIC_REQUIRED = gettext_lazy("Choose what the message is about: the topic decides who can read it.")


def default_until(profile: str, since: datetime, term: str = "regular") -> datetime | None:
    """Professional relationships expire (REFERENCE.md: 15 months regular, 3 months occasional,
    1 month emergency); the person's own circle has no default end."""
    if profile in PRIVATE_PROFILES:
        return None
    return since + timedelta(days=settings.ACCESS_RELATIONSHIP_DAYS[term])


def _rights(actor: User, person: Person, action: str) -> TeamRights:
    """The gate for reading the team (an outsider gets 404, audited), then the actor's rights.
    Granted rows are written by the change itself."""
    # Every caller changes the team, so a closed dossier refuses it (403, audited).
    readable = gate.unless_closed(gate.decide(actor, person, Category.TEAM, Level.READ), person)
    decision = gate.enforce(actor, person, readable, action=action, audit_granted=False)
    return team_rights(actor, person, decision)


def _stale(what: str) -> Conflict:
    return Conflict(
        _("Someone else changed %(what)s in the meantime. Reload the page to see their change.") % {"what": what}
    )


# ── members ─────────────────────────────────────────────────────────────────────────────────


def add_member(
    actor: User,
    person: Person,
    *,
    email: str,
    profile: str = "",
    assignment: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    term: str = "regular",
) -> Membership:
    """Add an existing user to the person's team, picked by e-mail address (TEAM-01).

    A professional joins in their own profile; someone from the person's circle as informal
    caregiver, family, neighbour or trust person; the person's own account as the person
    themself (profile `person`, and no other), so that actions can be given to them. The
    coordinator adds anyone; the person and their representative add their own circle. Without an end date a professional's membership
    ends after the period of `term` (default_until); the circle's has no end.
    """
    action = Action.TEAMS_MEMBER_ADDED
    rights = _rights(actor, person, action)
    if not (rights.manages or rights.own_circle):
        refuse(actor, person, rights, action, "not_coordinator")
    now = timezone.now()
    errors: dict[str, list[ValidationError]] = {}

    def error(name: str, message: str, code: str) -> None:
        errors.setdefault(name, []).append(ValidationError(message, code=code))

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first() if email.strip() else None
    if user is None:
        error("email", _("No active Schakel account has this e-mail address."), "unknown_user")
    elif user.pk == person.account_id:
        # The person joins their own team as the person themself, so that actions can be given
        # to them (issue 12); their access stays their own row of the matrix (TeamKind).
        profile = profile or Profile.PERSON
        if profile != Profile.PERSON:
            error(
                "profile",
                _("The person joins their own team as the person themself, in no other role."),
                "is_the_person",
            )
        elif not rights.manages:
            error(
                "email",
                _("The care coordinator adds the person themself to the team."),
                "person_by_coordinator",
            )
    elif user.profile in NON_CARE_PROFILES:
        error("email", _("This account has no care role, so it cannot join a care team."), "not_care_role")
    elif user.is_professional:
        profile = profile or user.profile
        if profile != user.profile:
            error(
                "profile",
                _("A professional joins the team in their own profile (%(profile)s).")
                % {"profile": user.profile_label},
                "own_profile",
            )
        elif not rights.manages:
            error(
                "email",
                _("You can add people from your own circle; the care coordinator adds professionals."),
                "circle_only",
            )
    elif profile not in CIRCLE_PROFILES:
        error(
            "profile",
            _(
                "Choose the role of someone from the person's circle: informal caregiver, family, neighbour or trust person."
            ),
            "circle_profile",
        )
    if term not in TERMS:
        error("term", _("Choose a regular, occasional or emergency relationship."), "invalid_term")
    assignment = assignment.strip()
    if len(assignment) > 200:
        error("assignment", _("Describe the assignment in at most 200 characters."), "too_long")
    since = since or now
    if until is None and not errors:
        until = default_until(profile, since, term)
    if until is not None and until <= since:
        error("until", _("The end must come after the start."), "until_before_since")
    if until is not None and until <= now:
        error("until", _("The end must lie in the future."), "until_past")
    if user is not None and not errors:
        overlapping = Membership.objects.filter(person=person, user=user).exclude(until__lte=now).exists()
        if overlapping:
            error("email", _("%(name)s is already on the team.") % {"name": user}, "already_member")
    if errors:
        raise ValidationError(errors)
    assert user is not None  # narrowed by the checks above
    with transaction.atomic():
        membership = Membership.objects.create(
            person=person,
            user=user,
            profile=profile,
            assignment=assignment,
            since=since,
            until=until,
            added_by=actor,
        )
        audit.log_change(
            actor,
            person,
            action,
            decision=rights.decision,
            detail={"member": str(user.public_id), "profile": profile, "membership": str(membership.public_id)},
        )
    return membership


def add_the_person(actor: User, person: Person) -> Membership:
    """Add the person's own account to their own team as the person themself (one click on the
    team page), so that actions can be given to them. Whoever manages the team may."""
    account = person.account
    if account is None or not account.is_active:
        rights = _rights(actor, person, Action.TEAMS_MEMBER_ADDED)
        if not rights.manages:
            refuse(actor, person, rights, Action.TEAMS_MEMBER_ADDED, "not_coordinator")
        raise ValidationError(_("The person has no active Schakel account of their own."), code="no_account")
    return add_member(actor, person, email=account.email, profile=Profile.PERSON)


def end_membership(actor: User, person: Person, membership: Membership, *, version: int) -> Membership:
    """End a membership now. Access ends at once (the gate reads `until`), and the member's open
    items go to the handover queue. The coordinator ends anyone's, the person and their
    representative their own circle's, and every member their own."""
    action = Action.TEAMS_MEMBER_ENDED
    rights = _rights(actor, person, action)
    own = membership.user_id == actor.pk
    circle = rights.own_circle and not membership.is_professional
    if not (rights.manages or own or circle):
        refuse(actor, person, rights, action, "not_coordinator")
    now = timezone.now()
    with transaction.atomic():
        ended = Membership.objects.filter(pk=membership.pk, version=version).exclude(until__lte=now)
        if not ended.update(
            until=now, is_coordinator=False, ended_by=actor, handed_over_at=now, version=F("version") + 1
        ):
            raise _stale(_("this membership"))
        audit.log_change(
            actor,
            person,
            action,
            decision=rights.decision,
            detail={
                "member": str(membership.user.public_id),
                "membership": str(membership.public_id),
                "was_coordinator": membership.is_coordinator,
            },
        )
        _withdraw_proposals_to(actor, person, membership, now)
        hand_over(actor, membership.user, person, now=now)
    membership.refresh_from_db()
    return membership


def check_may_coordinate(person: Person, membership: Membership) -> None:
    """Only a professional coordinates, and never someone the person excluded."""
    if not membership.is_professional:
        raise ValidationError(
            _("Care coordination is a professional role: choose a professional on the team."), code="not_professional"
        )
    if gate.is_excluded(person, membership.user):
        raise ValidationError(
            _("The person has excluded %(name)s, who therefore cannot coordinate their care.")
            % {"name": membership.user},
            code="excluded",
        )


def _locked_target(person: Person, membership: Membership, now: datetime, version: int | None) -> list[Membership]:
    """Lock the team's memberships (so that two changes at once cannot leave two coordinators)
    and check that the chosen one is still active, at the version read if one is given."""
    team = list(Membership.objects.select_for_update().filter(person=person).order_by("pk"))
    target = next((m for m in team if m.pk == membership.pk), None)
    active = target is not None and target.since <= now and (target.until is None or target.until > now)
    if target is None or not active or (version is not None and target.version != version):
        raise _stale(_("this membership"))
    if target.is_coordinator:
        raise ValidationError(_("%(name)s is already the care coordinator.") % {"name": target.user}, code="same")
    return team


def _make_coordinator(person: Person, target: Membership, team: list[Membership]) -> list[Membership]:
    """Inside the locked transaction: the previous coordinator steps down, the target takes the
    role (one at a time, TEAM-02). Returns who stepped down."""
    previous = [m for m in team if m.is_coordinator]
    Membership.objects.filter(pk__in=[m.pk for m in previous]).update(is_coordinator=False, version=F("version") + 1)
    Membership.objects.filter(pk=target.pk).update(is_coordinator=True, version=F("version") + 1)
    return previous


def propose_coordinator(
    actor: User, person: Person, membership: Membership, *, version: int
) -> CoordinationProposal | None:
    """Hand over care coordination (TEAM-02, issue 11). Whoever manages the team proposes a
    professional member; nothing changes until that member accepts (answer_proposal), and until
    then the proposal can be cancelled (cancel_proposal). The proposed member is notified.

    Choosing oneself (a team without coordinator, where one may manage it) needs no one
    else's acceptance: the role is taken at once and None is returned."""
    rights = _rights(actor, person, Action.TEAMS_COORDINATION_PROPOSED)
    if not rights.manages:
        refuse(actor, person, rights, Action.TEAMS_COORDINATION_PROPOSED, "not_coordinator")
    check_may_coordinate(person, membership)
    now = timezone.now()
    with transaction.atomic():
        team = _locked_target(person, membership, now, version)
        if CoordinationProposal.objects.filter(person=person, status=CoordinationProposal.Status.PENDING).exists():
            raise ValidationError(
                _("A proposal to coordinate is already waiting for an answer. Cancel it before making another."),
                code="proposal_pending",
            )
        if membership.user_id == actor.pk:
            previous = _make_coordinator(person, membership, team)
            audit.log_change(
                actor,
                person,
                Action.TEAMS_COORDINATOR_CHANGED,
                decision=rights.decision,
                detail={
                    "coordinator": str(membership.user.public_id),
                    "previous": sorted({str(m.user.public_id) for m in previous}),
                },
            )
            return None
        proposal = CoordinationProposal.objects.create(
            person=person, membership=membership, proposed_by=actor, created_at=now
        )
        audit.log_change(
            actor,
            person,
            Action.TEAMS_COORDINATION_PROPOSED,
            decision=rights.decision,
            detail={"proposal": str(proposal.public_id), "proposed": str(membership.user.public_id)},
        )
        notify(membership.user, Notification.Kind.COORDINATION_PROPOSED, person=person, params={"by": str(actor)})
    return proposal


def _close(proposal: CoordinationProposal, status: str, actor: User | None, now: datetime) -> None:
    """Close a pending proposal, or say that someone else closed it first: of an accept and a
    cancel at the same moment, exactly one wins (a conditional update on the row)."""
    closed = CoordinationProposal.objects.filter(pk=proposal.pk, status=CoordinationProposal.Status.PENDING).update(
        status=status, answered_at=now, answered_by=actor
    )
    if not closed:
        raise Conflict(
            _("This proposal was answered or cancelled in the meantime. Reload the page to see the team now.")
        )


def answer_proposal(actor: User, person: Person, proposal: CoordinationProposal, *, accept: bool) -> None:
    """The proposed member accepts (and becomes the care coordinator, the previous one stepping
    down in the same transaction) or declines (nothing changes). The proposer is told."""
    action = Action.TEAMS_COORDINATOR_CHANGED if accept else Action.TEAMS_COORDINATION_DECLINED
    rights = _rights(actor, person, action)
    if proposal.person_id != person.pk or proposal.membership.user_id != actor.pk:
        refuse(actor, person, rights, action, "not_proposed", _("Only the member proposed can answer this proposal."))
    now = timezone.now()
    with transaction.atomic():
        if accept:
            check_may_coordinate(person, proposal.membership)
            team = _locked_target(person, proposal.membership, now, None)
            _close(proposal, CoordinationProposal.Status.ACCEPTED, actor, now)
            previous = _make_coordinator(person, proposal.membership, team)
            audit.log_change(
                actor,
                person,
                action,
                decision=rights.decision,
                detail={
                    "coordinator": str(actor.public_id),
                    "previous": sorted({str(m.user.public_id) for m in previous}),
                    "proposal": str(proposal.public_id),
                },
            )
            told = {proposal.proposed_by_id: proposal.proposed_by, **{m.user_id: m.user for m in previous}}
        else:
            _close(proposal, CoordinationProposal.Status.DECLINED, actor, now)
            audit.log_change(
                actor, person, action, decision=rights.decision, detail={"proposal": str(proposal.public_id)}
            )
            told = {proposal.proposed_by_id: proposal.proposed_by}
        outcome = "accepted" if accept else "declined"
        for user in told.values():
            if user.pk != actor.pk:
                notify(
                    user,
                    Notification.Kind.COORDINATION_ANSWERED,
                    person=person,
                    params={"outcome": outcome, "name": str(actor)},
                )


def cancel_proposal(actor: User, person: Person, proposal: CoordinationProposal) -> None:
    """Whoever made the proposal, or manages the team, takes it back before it is accepted. The
    proposed member is told."""
    action = Action.TEAMS_COORDINATION_CANCELLED
    rights = _rights(actor, person, action)
    if proposal.person_id != person.pk or not (rights.manages or proposal.proposed_by_id == actor.pk):
        refuse(actor, person, rights, action, "not_coordinator")
    now = timezone.now()
    with transaction.atomic():
        _close(proposal, CoordinationProposal.Status.CANCELLED, actor, now)
        audit.log_change(actor, person, action, decision=rights.decision, detail={"proposal": str(proposal.public_id)})
        notify(
            proposal.membership.user,
            Notification.Kind.COORDINATION_ANSWERED,
            person=person,
            params={"outcome": "cancelled", "name": str(actor)},
        )


def _withdraw_proposals_to(actor: Any, person: Person, membership: Membership, now: datetime) -> None:
    """A member who leaves can no longer accept: a proposal waiting for them is withdrawn, and
    whoever made it is told (inside the transaction that ends the membership)."""
    for proposal in CoordinationProposal.objects.filter(
        membership=membership, status=CoordinationProposal.Status.PENDING
    ).select_related("proposed_by"):
        _close(proposal, CoordinationProposal.Status.WITHDRAWN, actor if isinstance(actor, User) else None, now)
        audit.log_change(
            actor,
            person,
            Action.TEAMS_COORDINATION_WITHDRAWN,
            category=Category.TEAM,
            detail={"proposal": str(proposal.public_id), "reason": "member_left"},
        )
        notify(
            proposal.proposed_by,
            Notification.Kind.COORDINATION_ANSWERED,
            person=person,
            params={"outcome": "withdrawn", "name": str(membership.user)},
        )


def _normalise_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example 016 12 34 56 or +32 16 12 34 56."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def update_reachability(
    actor: User,
    person: Person,
    membership: Membership,
    *,
    version: int,
    hours: str = "",
    phone: str = "",
    phone_24_7: str = "",
    priority_phone: str = "",
    priority_email: str = "",
) -> Membership:
    """When and how a member can be reached (TEAM-04). The member keeps their own; the
    coordinator can too. The ordinary and 24/7 numbers are for the whole team, the person's
    circle included; the priority number and e-mail are shown to professionals only."""
    action = Action.TEAMS_REACHABILITY_CHANGED
    rights = _rights(actor, person, action)
    if not (membership.user_id == actor.pk or rights.manages):
        refuse(actor, person, rights, action, "not_member_or_coordinator")
    errors: dict[str, list[ValidationError]] = {}
    hours = hours.strip()
    if len(hours) > 100:
        errors["hours"] = [ValidationError(_("Say when in at most 100 characters."), code="too_long")]
    numbers = {"phone": phone, "phone_24_7": phone_24_7, "priority_phone": priority_phone}
    for field, typed in numbers.items():
        numbers[field] = ""
        if typed.strip():
            try:
                numbers[field] = _normalise_phone(typed.strip())
            except ValidationError as invalid:
                errors[field] = [invalid]
    email = priority_email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["priority_email"] = [ValidationError(_("Enter a valid e-mail address."), code="invalid_email")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        changed = Membership.objects.filter(pk=membership.pk, version=version).update(
            hours=hours,
            phone=numbers["phone"],
            phone_24_7=numbers["phone_24_7"],
            priority_phone=numbers["priority_phone"],
            priority_email=email,
            version=F("version") + 1,
        )
        if not changed:
            raise _stale(_("this member's reachability"))
        audit.log_change(
            actor,
            person,
            action,
            decision=rights.decision,
            detail={"membership": str(membership.public_id)},
        )
    membership.refresh_from_db()
    return membership


# ── messages ────────────────────────────────────────────────────────────────────────────────


def post_message(
    actor: User,
    person: Person,
    *,
    category: str,
    body: str,
    addressees: Iterable[User] = (),
    link: str,
) -> TeamMessage:
    """Post in the team's thread about the person (TEAM-06), filed under a category the sender
    may write. Only readers of that category will ever see it.

    The addressees (or, without any, every other member who may read it) get an in-app
    notification and an e-mail in their own language that holds only `link`: no names, no
    health data.
    """
    action = Action.TEAMS_MESSAGE_POSTED
    _rights(actor, person, action)
    errors: dict[str, list[ValidationError]] = {}
    body = body.strip()
    if not body:
        errors["body"] = [ValidationError(_("Write a message."), code="required")]
    elif len(body) > MESSAGE_MAX_LENGTH:
        errors["body"] = [
            ValidationError(_("Keep the message under %(n)d characters.") % {"n": MESSAGE_MAX_LENGTH}, code="too_long")
        ]
    # No default topic: the topic decides who reads the message, so the author always chooses it.
    if not category:
        errors["category"] = [ValidationError(TOPIC_REQUIRED, code="required")]
        raise ValidationError(errors)
    if category not in Category.values:
        errors["category"] = [ValidationError(TOPIC_REQUIRED, code="invalid_category")]
        raise ValidationError(errors)
    decision = message_decision(actor, person, category)
    if not decision.allowed:
        audit.log_decision(actor, person, decision, action=action)
        errors["category"] = [
            ValidationError(
                _("You may not write about %(topic)s: choose another topic.") % {"topic": topics.label(category)},
                code="category_not_writable",
            )
        ]
        raise ValidationError(errors)
    now = timezone.now()
    # Who will be able to read it: only they are addressed or notified.
    readers = [
        reader.user for reader in message_readers(person, [category], leave_out=actor)[category] if reader.member
    ]
    reading = {user.pk for user in readers}
    chosen = list({user.pk: user for user in addressees}.values())
    for user in chosen:
        if user.pk not in reading:
            # One answer for every addressee who will not read it (not on the team, excluded by the
            # person, a role that may not read the topic, no consent): it never says why.
            errors.setdefault("addressees", []).append(
                ValidationError(
                    _("%(name)s will not be able to read this message. Choose among the readers shown for its topic.")
                    % {"name": user},
                    code="addressee_cannot_read",
                )
            )
    if errors:
        raise ValidationError(errors)
    recipients = chosen or [user for user in readers if user.pk != actor.pk]
    with transaction.atomic():
        message = TeamMessage.objects.create(person=person, author=actor, category=category, body=body, created_at=now)
        message.addressees.set(chosen)
        MessageRead.objects.create(message=message, user=actor, read_at=now)
        audit.log_change(
            actor,
            person,
            action,
            decision=decision,
            detail={"message": str(message.public_id), "addressees": [str(u.public_id) for u in chosen]},
        )
        for user in recipients:
            notify(user, Notification.Kind.TEAM_MESSAGE, person=person, params={"message": str(message.public_id)})
    # Queued once the message is committed, so that a link never points at nothing.
    for user in recipients:
        send_mail_in_language(
            to=user.email,
            language=user.language,
            subject_template="teams/email/message_subject.txt",
            body_template="teams/email/message_body.txt",
            context={"url": link},
        )
    return message


def mark_read(user: User, messages: Iterable[TeamMessage]) -> None:
    """The reader has seen these messages (only ever those the thread showed them)."""
    now = timezone.now()
    MessageRead.objects.bulk_create(
        [MessageRead(message=message, user=user, read_at=now) for message in messages], ignore_conflicts=True
    )


class MessageProvider:
    """A member's open items in the thread: messages addressed to them that they have not read."""

    kind = "teams.message"
    label = gettext_lazy("unread team messages addressed to them")

    def open_items(self, user: User, person: Person) -> list[handover.Item]:
        messages = (
            TeamMessage.objects.filter(person=person, addressees=user)
            .exclude(reads__user=user)
            .order_by("created_at", "pk")
        )
        return [
            handover.Item(
                kind=self.kind,
                app_label="teams",
                public_id=message.public_id,
                title=_message_title(message.body),
                category=message.category,
                created=message.created_at,
            )
            for message in messages
        ]

    def reassign(self, item: handover.Item, new_owner: User) -> None:
        TeamMessage.objects.get(public_id=item.public_id).addressees.add(new_owner)


def _message_title(body: str) -> str:
    line = " ".join(body.split())
    return line if len(line) <= 80 else line[:79] + "…"


# ── handover ────────────────────────────────────────────────────────────────────────────────


def _managers(person: Person, now: datetime) -> list[User]:
    """Who takes handover items: the coordinator, or without one the professional members who
    may write the team."""
    members = list(active_members(person, now))
    coordinators = [m.user for m in members if m.is_coordinator and m.user.is_active]
    if coordinators:
        return list({u.pk: u for u in coordinators}.values())
    fallback = [
        m.user
        for m in members
        if m.is_professional
        and m.user.is_active
        and gate.decide(m.user, person, Category.TEAM, Level.WRITE, now).allowed
    ]
    return list({u.pk: u for u in fallback}.values())


def hand_over(actor: Any, user: User, person: Person, *, now: datetime | None = None) -> list[HandoverItem]:
    """Put the user's open items for the person in the handover queue, flagged (TEAM-05).

    Every registered provider (teams.handover) is asked; an item already waiting is not queued
    twice; the membership-end hooks run first. Call it inside the transaction that ends the
    membership.
    """
    now = now or timezone.now()
    handover.membership_ended(user, person, actor=actor)
    waiting = set(HandoverItem.objects.filter(person=person, taken_at=None).values_list("kind", "item_id"))
    rows = [
        HandoverItem(
            person=person,
            from_user=user,
            kind=item.kind,
            app_label=item.app_label,
            item_id=item.public_id,
            category=item.category,
            title=item.title[:200],
            created=now,
        )
        for provider in handover.providers()
        for item in provider.open_items(user, person)
        if (item.kind, item.public_id) not in waiting
    ]
    if not rows:
        return []
    with transaction.atomic():
        HandoverItem.objects.bulk_create(rows)
        audit.log_change(
            actor,
            person,
            Action.TEAMS_ITEMS_HANDED_OVER,
            category=Category.TEAM,
            detail={"from": str(user.public_id), "items": len(rows)},
        )
        for manager in _managers(person, now):
            if manager.pk != user.pk:
                notify(manager, Notification.Kind.HANDOVER, person=person, params={"items": len(rows)})
    return rows


def hand_over_all(user: User, *, actor: Any = None) -> int:
    """The account is deactivated: end the user's memberships of every team now and hand over
    their open items. Returns how many memberships ended. Registered (teams/apps.py) to run
    inside accounts.services.deactivate_account's transaction."""
    actor = actor or SystemActor("deactivate_account")
    now = timezone.now()
    memberships = list(Membership.objects.active(now).filter(user=user).select_related("person"))
    with transaction.atomic():
        for membership in memberships:
            Membership.objects.filter(pk=membership.pk).update(
                until=now,
                is_coordinator=False,
                ended_by=actor if isinstance(actor, User) else None,
                handed_over_at=now,
                version=F("version") + 1,
            )
            audit.log_change(
                actor,
                membership.person,
                Action.TEAMS_MEMBER_ENDED,
                category=Category.TEAM,
                detail={
                    "member": str(user.public_id),
                    "membership": str(membership.public_id),
                    "was_coordinator": membership.is_coordinator,
                    "reason": "account_deactivated",
                },
            )
            _withdraw_proposals_to(actor, membership.person, membership, now)
        for person in {m.person_id: m.person for m in memberships}.values():
            hand_over(actor, user, person, now=now)
    return len(memberships)


def hand_over_expired(*, now: datetime | None = None) -> int:
    """Hand over the open items of memberships that ran out on their `until` date (a temporary
    member, an occasional replacement): access ended with the date, and their items must not
    wait for someone who no longer sees them. Run daily (`manage.py hand_over_expired_memberships`);
    safe to run again. A member whose membership was renewed keeps their items. Returns how many
    memberships were handed over."""
    now = now or timezone.now()
    actor = SystemActor("membership_expired")
    expired = list(
        Membership.objects.filter(until__lte=now, handed_over_at=None)
        .select_related("user", "person")
        .order_by("until")
    )
    for membership in expired:
        with transaction.atomic():
            renewed = Membership.objects.active(now).filter(user=membership.user_id, person=membership.person_id)
            if not renewed.exists():
                hand_over(actor, membership.user, membership.person, now=now)
            Membership.objects.filter(pk=membership.pk).update(handed_over_at=now)
    return len(expired)


def take_item(actor: User, person: Person, item: HandoverItem, *, new_owner: User | None = None) -> HandoverItem:
    """Take an item from the handover queue, for oneself or for another member: it is reassigned
    in its own app and no longer flagged."""
    action = Action.TEAMS_HANDOVER_TAKEN
    rights = _rights(actor, person, action)
    if not rights.manages:
        refuse(actor, person, rights, action, "not_coordinator")
    now = timezone.now()
    if not gate.decide(actor, person, item.category, Level.READ, now).allowed:
        # The queue never showed it to this actor: the same answer as for an unknown item.
        raise ValidationError(_("Choose an item from the handover queue."), code="unknown_item")
    owner = new_owner or actor
    if not active_members(person, now).filter(user=owner).exists():
        raise ValidationError(_("%(name)s is not on the team.") % {"name": owner}, code="not_member")
    if not gate.decide(owner, person, item.category, Level.READ, now).allowed:
        raise ValidationError(
            _("%(name)s cannot read this item: choose another member.") % {"name": owner}, code="owner_cannot_read"
        )
    provider = handover.provider_for(item.kind)
    if provider is None:
        raise ValidationError(_("This kind of item can no longer be handed over."), code="unknown_kind")
    with transaction.atomic():
        if not HandoverItem.objects.filter(pk=item.pk, taken_at=None).update(
            taken_by=actor, taken_at=now, assigned_to=owner
        ):
            raise Conflict(_("Someone else took this item in the meantime."))
        provider.reassign(
            handover.Item(item.kind, item.app_label, item.item_id, item.title, item.category, item.created), owner
        )
        audit.log_change(
            actor,
            person,
            action,
            decision=rights.decision,
            detail={"item": str(item.public_id), "kind": item.kind, "owner": str(owner.public_id)},
        )
    item.refresh_from_db()
    return item
