"""Changes for "did it help?" (PLAN-04): an answer, and the question put to those who answer.

An answer is a new row, never an edit: "not yet" today and "yes" next week are both kept, so the
rows are the history. The rule access.rules.did_it_help_answer decides who answers; a
professional who records someone's answer is logged as acting for the person (acting_for).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.models import Representation
from accounts.models import User
from audit import services as audit
from core.actions import Action
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from plans.help import queries
from plans.models import HelpAnswer, PlanAction
from teams.models import Membership

COMMENT_MAX_LENGTH = 1000


def answer_did_it_help(
    actor: User, person: Person, action: PlanAction, *, answer: str, comment: str = "", answered_as: str = ""
) -> HelpAnswer:
    """Record whether a done action helped: yes, partly, no or not yet, with a comment. The
    person and their circle answer in their own name (whose answer follows from who they are);
    a professional who records an answer says whose it is (`answered_as`, the person by
    default). Bad input, or an action not done, changes nothing."""
    if action.person_id != person.pk:
        raise ValueError("The action belongs to another person.")
    # Outside the transaction, so that a refusal stays in the access log.
    decision = gate.enforce(
        actor, person, rules.did_it_help_answer(actor, person), action=Action.PLANS_HELP_ANSWERED, audit_granted=False
    )
    if action.status != PlanAction.Status.DONE:
        raise ValidationError(_("You can say whether an action helped once it is done."), code="not_done")
    errors: dict[str, list[ValidationError]] = {}
    if answer not in HelpAnswer.Answer.values:
        errors["answer"] = [ValidationError(_("Choose yes, partly, no or not yet."), code="invalid_answer")]
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            ValidationError(_("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}, code="too_long")
        ]
    recorded_for = queries.records_for(decision)
    if recorded_for:
        voice = answered_as or HelpAnswer.Voice.PERSON
        if voice not in HelpAnswer.Voice.values:
            errors["answered_as"] = [ValidationError(_("Say whose answer you write down."), code="invalid_answered_as")]
    else:
        voice = queries.voice_of(decision)
    if errors:
        raise ValidationError(errors)
    row = HelpAnswer(
        person=person,
        action=action,
        answer=answer,
        comment=comment,
        answered_as=voice,
        answered_by=actor,
        recorded_for=recorded_for,
        on_behalf_of_id=decision.acting_for_id,
        relationship=decision.relationship,
        answered_at=timezone.now(),
    )
    with transaction.atomic():
        row.save()
        audit.log_change(
            actor,
            person,
            Action.PLANS_HELP_ANSWERED,
            decision=decision,
            detail={"action": str(action.public_id), "answer": answer, "answered_as": voice},
        )
    return row


def who_answers(person: Person) -> list[User]:
    """Those who may answer "did it help?" in their own name: the person's account, their
    representatives and the caregivers, family and trust persons of the team, as the rule allows."""
    now = timezone.now()
    candidates: dict[int, User] = {}
    if person.account is not None:
        candidates[person.account.pk] = person.account
    for row in Representation.objects.active(now).filter(person=person).select_related("representative"):
        candidates[row.representative.pk] = row.representative
    members = Membership.objects.active(now).filter(person=person, profile__in=rules.ANSWERS_DID_IT_HELP)
    for membership in members.select_related("user"):
        candidates[membership.user.pk] = membership.user
    answering = []
    for user in candidates.values():
        decision = rules.did_it_help_answer(user, person)
        if decision.allowed and not queries.records_for(decision):
            answering.append(user)
    return answering


def ask_did_it_help(action: PlanAction) -> list[User]:
    """Put the question after an action is done: an in-app notification to each who may answer
    in their own name (HELP_QUESTION), naming no person or action; the link opens the page behind
    the gate. For the service that marks an action done, in its transaction.on_commit."""
    recipients = who_answers(action.person)
    for user in recipients:
        notify(user, Notification.Kind.HELP_QUESTION, person=action.person, params={"action": str(action.public_id)})
    return recipients


def answer_days() -> int:
    """After how many days a missing answer is flagged for the coordinator (the setting)."""
    return int(settings.PLAN_HELP_ANSWER_DAYS)
