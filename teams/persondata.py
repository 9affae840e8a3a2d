"""The teams app's person data in the registry (core.persondata): the care team, its message
thread and the handover queue. Registered by TeamsConfig.ready()."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F
from django.utils import timezone

from core import persondata
from core.persondata import MergeOutcome, PersonData, period
from core.vocab import Category, Profile
from teams.models import CoordinationProposal, HandoverItem, Membership, MessageRead, TeamMessage


def merge_memberships(data: PersonData, alias: Any, target: Any, actor: AbstractBaseUser) -> MergeOutcome:
    """Both records' teams become one, which has one coordinator (TEAM-02): the target's if it
    has one in office, else the alias's. The other keeps its membership, without the role."""
    if Membership.objects.active(timezone.now()).filter(person=target, is_coordinator=True).exists():
        stepping_down = Membership.objects.filter(person=alias, is_coordinator=True)
    else:
        stepping_down = Membership.objects.filter(person=target, is_coordinator=True)
    stepping_down.update(is_coordinator=False, version=F("version") + 1)
    _merge_the_person(alias, target)
    return persondata.move_rows(data, alias, target)


def _merge_the_person(alias: Any, target: Any) -> None:
    """The person is on the merged team once, as the person themself. The alias's `person`
    membership (of the alias record's own account) becomes the target's when the target record
    has an active account that is not on its team yet: the person keeps their place and the
    actions given to them. Otherwise (the target's account is on the team already, or the target
    has no account) it ends now; its open actions go to the person's own membership (plans'
    merge) or, without one, to the handover queue (hand_over_expired_memberships)."""
    now = timezone.now()
    account = target.account if target.account_id is not None and target.account.is_active else None
    theirs = list(
        Membership.objects.active(now)
        .filter(person=alias, profile=Profile.PERSON)
        .exclude(user_id=target.account_id)
        .order_by("since", "pk")
    )
    if not theirs:
        return
    ours = Membership.objects.active(now).filter(person=target, user_id=target.account_id).exists()
    if account is not None and not ours:
        kept, *theirs = theirs
        Membership.objects.filter(pk=kept.pk).update(user=account, version=F("version") + 1)
    Membership.objects.filter(pk__in=[m.pk for m in theirs]).update(
        until=now, is_coordinator=False, handed_over_at=None, version=F("version") + 1
    )


def merge_proposals(data: PersonData, alias: Any, target: Any, actor: AbstractBaseUser) -> MergeOutcome:
    """One proposal to coordinate may wait per person: the alias's waiting one is withdrawn
    (the merge decides the coordinator, merge_memberships), then the rows move with their history."""
    CoordinationProposal.objects.filter(person=alias, status=CoordinationProposal.Status.PENDING).update(
        status=CoordinationProposal.Status.WITHDRAWN, answered_at=timezone.now()
    )
    return persondata.move_rows(data, alias, target)


def _memberships(person: Any, ids: list[int]) -> list[Membership]:
    return list(Membership.objects.filter(person_id__in=ids).select_related("user").order_by("since", "pk"))


def member_json(m: Membership) -> dict[str, Any]:
    return {
        "name": str(m.user),
        "role": m.profile,
        "assignment": m.assignment,
        "is_coordinator": m.is_coordinator,
        **period(m),
        "reachable": m.hours,
        "phone": m.phone,
        "phone_24_7": m.phone_24_7,
    }


_THREAD = "the team's thread is read on the team page, by category; the summary prints the dossier"


def register() -> None:
    # Before the memberships: a proposal points at one, so the purge deletes proposals first.
    persondata.register(
        PersonData(
            CoordinationProposal,
            merge=persondata.custom(merge_proposals, "one waiting proposal to coordinate per person"),
            purge=persondata.Purge("team_memberships", "delete"),
            export=persondata.not_exported(
                "a step in handing over the coordinator's role; the care team and its coordinator are exported"
            ),
            not_printed="a proposal waits on the team page; the summary prints the coordinator",
        )
    )
    persondata.register(
        PersonData(
            Membership,
            merge=persondata.custom(merge_memberships, "one care coordinator per person"),
            purge=persondata.Purge("team_memberships", "delete"),
            export=persondata.Export("care_team", rows=_memberships, as_json=member_json, category=Category.TEAM.value),
            printed="care_team",
        )
    )
    not_exported = persondata.not_exported(
        "not yet exported: each message is filed under a category and the export would have to "
        "gate every message as the thread does (the access log holds every read of the thread)"
    )
    persondata.register(
        PersonData(
            TeamMessage,
            merge=persondata.move(),
            purge=persondata.Purge("team_messages", "delete"),
            export=not_exported,
            not_printed=_THREAD,
        )
    )
    for model, path in ((MessageRead, "message__person"), (TeamMessage.addressees.through, "teammessage__person")):
        persondata.register(
            PersonData(
                model,
                person_path=path,
                merge=persondata.follow("belongs to a team message, which moves"),
                purge=persondata.Purge("team_messages", "delete"),
                export=not_exported,
                not_printed=_THREAD,
            )
        )
    persondata.register(
        PersonData(
            HandoverItem,
            merge=persondata.move(),
            purge=persondata.Purge("handover_items", "delete"),
            export=persondata.not_exported(
                "a work item of the team that points at a dossier entry; the entry itself is exported"
            ),
            not_printed="the handover queue is the coordinator's work list, on the team page",
        )
    )
