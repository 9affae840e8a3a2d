"""Gated reads of the access app: a person's consent and exclusions, and "why can or can't I see
this?". Each passes the gate and is audited; a refusal is the same 404 as an unknown id."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.explain import CategoryExplanation, explain_access
from access.models import BreakGlassAccess, Consent, Exclusion, Mandate, MatrixCell, Representation
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core.actions import Action
from core.vocab import Category, Profile
from people.models import Person

CONSENT_VIEWED = Action.ACCESS_CONSENT_VIEWED
EXPLAINED = Action.ACCESS_EXPLAINED


def resolve_person(actor: User, public_id: uuid.UUID | str, action: str) -> Person:
    """The person behind an id (following a merge to the surviving record), not yet gated.
    An unknown id is audited and gets the same 404 as a refusal. Here rather than in people
    because the access pages resolve ids too, and access sits below people."""
    try:
        person = Person.objects.select_related("merged_into").get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        gate.refuse(actor, action, {"public_id": str(public_id)})
    return person.merged_into or person


def person_for_own_rights(
    actor: User, person_id: uuid.UUID | str, *, action: str, audit_granted: bool = True, change: bool = False
) -> Person:
    """The person, for their own consent, exclusions and mandates: only the person themself or
    their legal representative get through. `change`: for a change, so that a refusal is logged
    as a refused write (and a closed dossier refuses it)."""
    person = resolve_person(actor, person_id, action)
    decision = rules.own_rights(actor, person, change=change)
    gate.enforce(actor, person, decision, action=action, audit_granted=audit_granted)
    return person


def person_for_consent_recording(
    actor: User, person_id: uuid.UUID | str, *, action: str, audit_granted: bool = True, change: bool = False
) -> tuple[Person, gate.Decision]:
    """The person, for recording consent (access.rules.consent_recording says who may);
    `change` when it is being recorded, not only the page opened."""
    person = resolve_person(actor, person_id, action)
    decision = gate.enforce(
        actor, person, rules.consent_recording(actor, person, change=change), action=action, audit_granted=audit_granted
    )
    return person, decision


def person_for_log(actor: User, person_id: uuid.UUID | str, *, action: str = Action.AUDIT_PERSON_LOG_VIEWED) -> Person:
    """The person whose access log the actor asks for (access.rules.person_log says who may);
    anyone else gets the outsider's 404. Audited either way."""
    person = resolve_person(actor, person_id, action)
    gate.enforce(actor, person, rules.person_log(actor, person), action=action)
    return person


def require_log_searcher(actor: User) -> None:
    """The log search is the data protection officer's alone (access.rules.is_dpo); anyone else
    gets a 404, audited."""
    if not rules.is_dpo(actor):
        audit.log_event(
            actor, Action.AUDIT_SEARCHED, event=AuditEntry.Event.AUDIT_SEARCH, allowed=False, reason="not_dpo"
        )
        raise Http404


def user_by_public_id(value: uuid.UUID | str | None) -> User:
    """A user chosen in a form or an API body; a clear error when there is none."""
    try:
        if value is None:
            raise User.DoesNotExist
        return User.objects.get(public_id=value)
    except (User.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise ValidationError(_("Choose a person from the list."), code="unknown_user") from error


def people_around(person: Person, now: datetime | None = None) -> list[User]:
    """Users tied to the person now: the care team, representatives, mandate holders, emergency
    access, and those the person excluded. The choices for exclusions, mandates and "why can't
    X see this?"."""
    now = now or timezone.now()
    ids = set(person.memberships.active(now).values_list("user_id", flat=True))
    ids |= set(Representation.objects.active(now).filter(person=person).values_list("representative_id", flat=True))
    ids |= set(Mandate.objects.active(now).filter(person=person).values_list("holder_id", flat=True))
    ids |= set(BreakGlassAccess.objects.active(now).filter(person=person).values_list("actor_id", flat=True))
    ids |= set(Exclusion.objects.active(now).filter(person=person).values_list("excluded_id", flat=True))
    if person.account_id is not None:
        ids.discard(person.account_id)
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))


def user_choices(users: list[User], *, leave_out: User | None = None) -> list[tuple[str, str]]:
    return [
        (str(user.public_id), f"{user} ({user.profile_label})")
        for user in users
        if leave_out is None or user.pk != leave_out.pk
    ]


@dataclass(frozen=True)
class ConsentOverview:
    person: Person
    acting_as: str  # "self" or "representative"
    consents: list[Consent]  # all, newest first: the history
    has_consent: bool
    exclusions: list[Exclusion]
    mandates: list[Mandate]  # in force or starting later
    representations: list[Representation]
    around: list[User]


def get_consent_overview(actor: User, person_id: uuid.UUID | str, *, now: datetime | None = None) -> ConsentOverview:
    """ "My consent and exclusions": for the person and their legal representative only."""
    now = now or timezone.now()
    person = resolve_person(actor, person_id, CONSENT_VIEWED)
    decision = gate.enforce(actor, person, rules.own_rights(actor, person, now), action=CONSENT_VIEWED)
    consents = list(
        Consent.objects.filter(person=person).select_related("holder", "recorded_by", "withdrawn_by").order_by("-since")
    )
    return ConsentOverview(
        person=person,
        acting_as=decision.relationship,
        consents=consents,
        has_consent=any(
            c.basis == Consent.Basis.CONSENT and c.since <= now and (c.until is None or c.until > now) for c in consents
        ),
        exclusions=list(
            Exclusion.objects.active(now)
            .filter(person=person)
            .select_related("excluded", "recorded_by")
            .order_by("since")
        ),
        mandates=list(
            Mandate.objects.filter(person=person, revoked_by=None)
            .filter(Q(until__isnull=True) | Q(until__gt=now))
            .select_related("holder", "granted_by")
            .order_by("since")
        ),
        representations=list(
            Representation.objects.active(now).filter(person=person).select_related("representative").order_by("since")
        ),
        around=people_around(person, now),
    )


@dataclass(frozen=True)
class Explanation:
    person: Person
    subject: User
    about_someone_else: bool
    rows: list[CategoryExplanation]
    may_ask_about_others: bool  # the person, their representative, the coordinator
    manages_own_rights: bool  # the person or their representative
    choices: list[tuple[str, str]]


def explain(
    actor: User, person_id: uuid.UUID | str, *, about: uuid.UUID | str | None = None, now: datetime | None = None
) -> Explanation:
    """Why the actor (or, for the person, representative or coordinator, someone around the
    person) can or can't see each category. Audited as "access.explained", refusals too."""
    now = now or timezone.now()
    person = resolve_person(actor, person_id, EXPLAINED)
    about_someone_else = bool(about) and str(about) != str(actor.public_id)
    decision = rules.explanation(actor, person, now, about_someone_else=about_someone_else)
    detail = {"about": str(about)} if about_someone_else else None
    gate.enforce(actor, person, decision, action=EXPLAINED, detail=detail)
    may_ask = rules.may_ask_about_others(actor, person, now)
    around = people_around(person, now) if may_ask else []
    subject = actor
    if about_someone_else:
        chosen = [user for user in around if str(user.public_id) == str(about)]
        if not chosen:
            raise ValidationError(_("Choose a person from the list."), code="unknown_user")
        subject = chosen[0]
    return Explanation(
        person=person,
        subject=subject,
        about_someone_else=about_someone_else,
        rows=explain_access(subject, person, now),
        may_ask_about_others=may_ask,
        manages_own_rights=rules.is_person_or_representative(actor, person, now),
        choices=user_choices(around, leave_out=actor),
    )


def get_cell(profile: str, category: str) -> MatrixCell:
    """One rule of the matrix; readable by everyone logged in, so not gated."""
    if profile not in Profile.values or category not in Category.values:
        raise Http404
    cell = MatrixCell.objects.filter(profile=profile, category=category).first()
    if cell is None:
        raise Http404
    return cell


def all_cells() -> list[MatrixCell]:
    return list(MatrixCell.objects.order_by("profile", "category"))
