"""The daily e-mail digest of "My actions": enqueued by `manage.py send_action_digests` (cron,
once a day), one background task per user with something in their inbox, never inside a request.
The e-mail says only how many actions wait, in the user's language, and links to the inbox: no
person, goal or action is named (the inbox itself is behind the login and the gate)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from access import rules
from access.models import Representation
from accounts.models import User
from people.models import Person
from plans.help import queries as help_queries
from plans.inbox import queries, tasks
from plans.models import PlanAction
from teams.models import Membership


def digest_candidates() -> list[int]:
    """The active users who may have something in their inbox, in a few queries: the owners of
    actions proposed, overdue or due soon on an active membership; the coordinators of persons
    with a declined action or a "did it help?" missing too long; those who answer for a person
    with a done action waiting for its answer. Each task counts again, through the gate, and
    sends nothing when nothing is left."""
    now = timezone.now()
    soon = timezone.localdate(now) + timedelta(days=queries.due_soon_days())
    active = Membership.objects.active(now)
    owners = set(
        PlanAction.objects.filter(owner__in=active)
        .filter(Q(status=PlanAction.Status.PROPOSED) | Q(status__in=queries.UNDER_WAY, due_on__lte=soon))
        .values_list("owner__user_id", flat=True)
    )
    declined = PlanAction.objects.filter(status=PlanAction.Status.DECLINED).values("person_id")
    missing = help_queries.flagged(PlanAction.objects.all(), now).values("person_id")
    coordinators = set(
        active.filter(is_coordinator=True)
        .filter(Q(person_id__in=declined) | Q(person_id__in=missing))
        .values_list("user_id", flat=True)
    )
    waiting = help_queries.waiting(PlanAction.objects.all()).values("person_id")
    answering = set(
        active.filter(person_id__in=waiting, profile__in=rules.ANSWERS_DID_IT_HELP).values_list("user_id", flat=True)
    )
    answering |= set(
        Representation.objects.active(now).filter(person_id__in=waiting).values_list("representative_id", flat=True)
    )
    answering |= set(Person.objects.filter(pk__in=waiting).exclude(account=None).values_list("account_id", flat=True))
    ids = owners | coordinators | answering
    return list(
        User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk").values_list("pk", flat=True)
    )


def send_action_digests() -> int:
    """Enqueue one digest task per user with something in their inbox; returns how many."""
    users = digest_candidates()
    for user_id in users:
        tasks.send_action_digest.enqueue(user_id=user_id)
    return len(users)
