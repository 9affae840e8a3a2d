"""The communication agreement and the team's reachability beside it (PLAN-07): gated (plan read
for the agreement, team read for the reachability) and audited."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from access import gate
from accounts.models import User
from core import phones
from core.actions import Action
from core.vocab import Category, Level
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import CommunicationAgreement
from plans.services import choosable_member_ids
from teams.models import Membership

AGREEMENT_VIEWED = Action.PLANS_AGREEMENT_VIEWED


@dataclass(frozen=True)
class Contact:
    """A member as the agreement shows them: name, role, hours and numbers to dial."""

    membership: Membership
    name: str
    role: str
    hours: str
    phone: phones.Phone
    line_24_7: phones.Phone
    active: bool  # still on the team; an agreement naming someone who left says so

    @classmethod
    def of(cls, membership: Membership, active_ids: set[int], *, reachability: bool) -> "Contact":
        """`reachability`: the reader may read the team, and so the member's hours and numbers."""
        return cls(
            membership=membership,
            name=str(membership.user),
            role=membership.profile_label,
            hours=membership.hours if reachability else "",
            phone=phones.read(membership.phone if reachability else ""),
            line_24_7=phones.read(membership.phone_24_7 if reachability else ""),
            active=membership.pk in active_ids,
        )


@dataclass(frozen=True)
class EscalationStep:
    after_minutes: int
    contact: Contact | None  # None: the member is no longer known on this team


@dataclass(frozen=True)
class AgreementPanel:
    """What the plan page's agreements panel shows (plans/agreements/_panel.html)."""

    person: Person
    agreement: CommunicationAgreement | None
    first_contact: Contact | None
    line_24_7: Contact | None
    escalation: list[EscalationStep]
    reachability: list[Contact]  # the team's, when the actor may read the team
    members: list[Membership]  # whom the form offers: the active team, without the excluded
    may_change: bool

    @property
    def version(self) -> int:
        return self.agreement.version if self.agreement else 0


def active_members(person: Person, now: datetime | None = None) -> list[Membership]:
    """The active team, for the reachability beside the agreement."""
    return list(Membership.objects.active(now).filter(person=person).select_related("user").order_by("since", "pk"))


def choosable_members(person: Person) -> list[Membership]:
    """Whom the agreement may name: the active team without anyone the person excluded."""
    ids = choosable_member_ids(person)
    return list(Membership.objects.filter(pk__in=ids).select_related("user").order_by("since", "pk"))


def current_agreement(person: Person) -> CommunicationAgreement | None:
    return (
        CommunicationAgreement.objects.filter(person=person)
        .select_related("first_contact__user", "line_24_7__user", "updated_by")
        .first()
    )


def agreement_panel(actor: User, person: Person, now: datetime | None = None) -> AgreementPanel:
    """The agreement (plan read, gated and audited) and, for a reader of the team, each member's
    reachability beside it (audited as a read of the team)."""
    now = now or timezone.now()
    gate.check(actor, person, PLAN_CATEGORIES["agreements"], Level.READ, action=AGREEMENT_VIEWED)
    team = gate.decide(actor, person, Category.TEAM, Level.READ)
    agreement = current_agreement(person)
    members = active_members(person, now)
    active_ids = {m.pk for m in members}
    known = {str(m.public_id): m for m in Membership.objects.filter(person=person).select_related("user")}
    if team.allowed:
        gate.audit_reads(actor, person, [(team, AGREEMENT_VIEWED)])

    def contact(member: Membership | None) -> Contact | None:
        return Contact.of(member, active_ids, reachability=team.allowed) if member else None

    steps = []
    if agreement is not None:
        for step in agreement.escalation:
            steps.append(EscalationStep(int(step.get("after_minutes", 0)), contact(known.get(str(step.get("member"))))))
    return AgreementPanel(
        person=person,
        agreement=agreement,
        first_contact=contact(agreement.first_contact) if agreement else None,
        line_24_7=contact(agreement.line_24_7) if agreement else None,
        escalation=steps,
        reachability=[Contact.of(m, active_ids, reachability=True) for m in members] if team.allowed else [],
        members=choosable_members(person),
        may_change=gate.decide(actor, person, PLAN_CATEGORIES["agreements"], Level.WRITE).allowed,
    )
