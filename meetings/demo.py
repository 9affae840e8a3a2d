"""Jozef Wouters' two past MDOs for the demo care zone (demo/zone.py): each with its invitees,
attendance, minutes and decisions that became actions of his plan (plans/demo.py); the first
names the second as its next meeting, the second names an upcoming one, still planned.

Written through the meetings' services, like plans/demo.py, and dated in the past the same way
(plans.demo.at): the services date a change "now". Every name and text is invented.
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from core.vocab import Profile
from meetings import services
from meetings.models import Meeting, Participant
from people.models import Person
from plans import demo as plan_demo
from plans.demo import ActionData, at, member, moment
from plans.models import PlanReview

INVITED = (Profile.GP, Profile.NURSE, Profile.SOCIAL_WORKER, Profile.PHARMACIST, Profile.INFORMAL_CAREGIVER)
PROFESSIONS: dict[str, str] = {
    Profile.GP: "huisarts",
    Profile.NURSE: "thuisverpleegkundige",
    Profile.SOCIAL_WORKER: "maatschappelijk werker",
    Profile.PHARMACIST: "apotheker",
}

# Per MDO: who came (absent otherwise; the person came to both), the minutes, the decisions
# (owner, due in days after the meeting, goal, and what became of the action since).
MDOS: list[dict[str, Any]] = [
    {
        "remote": (Profile.PHARMACIST,),
        "absent": (),
        "question": "Kan ik terug alleen naar de markt gaan op zaterdag?",
        "minutes": (
            "Eerste MDO bij Jozef thuis. Jozef viel twee keer in de voorbije maand en durft niet meer "
            "alleen buiten. Hij wil thuis blijven wonen en zelf naar de markt blijven gaan. Marie, zijn "
            "dochter, komt elke dag langs naast haar werk. Afgesproken: een GAS-schaal per doel, "
            "valpreventie, poetshulp, en een nieuwe MDO over drie maanden."
        ),
        "decisions": [
            ActionData(
                "Poetshulp aanvragen met dienstencheques",
                Profile.SOCIAL_WORKER,
                3,
                30,
                "done",
                outcome="De poetshulp komt elke dinsdagvoormiddag, twee uur.",
                helped=("partly", "De poetshulp is fijn, maar twee uur is te kort voor het hele huis."),
            ),
            ActionData(
                "Valrisico inschatten en de rollator laten afstellen",
                Profile.NURSE,
                1,
                14,
                "done",
                outcome="Rollator afgesteld; oefeningen om op te staan uitgelegd aan Jozef en Marie.",
            ),
        ],
    },
    {
        "remote": (),
        "absent": (Profile.PHARMACIST,),
        "question": "",
        "minutes": (
            "Tweede MDO. Geen val meer sinds de rollator afgesteld is. Jozef wandelt alleen tot aan de "
            "bakker. Marie is moe: ze heeft geen enkele vrije dag. Dagopvang één dag per week wordt "
            "geprobeerd. De volgende MDO volgt binnen drie maanden."
        ),
        "decisions": [
            ActionData(
                "Dagopvang één dag per week proberen, zodat Marie op adem komt",
                Profile.SOCIAL_WORKER,
                3,
                60,
                "in_progress",
            ),
            ActionData(
                "Antislipmatten en een nachtlampje in de badkamer plaatsen",
                Profile.INFORMAL_CAREGIVER,
                1,
                109,
                "open",
            ),
        ],
    },
]


def load_meetings(users: dict[str, User], persons: list[Person], plans: dict[str, Any]) -> list[Meeting]:
    """Write Jozef's MDOs (called once by demo.zone.load, after plans.demo.load_plans)."""
    jozef = next(person for person in persons if person.given_name == "Jozef")
    gp = users[Profile.GP]
    goals = plans["goals"]
    first, second = plan_demo.REVIEW_DAYS_AGO[:2]
    starts = moment(first, 14)
    meeting = services.plan_meeting(
        gp,
        jozef,
        kind=Meeting.Kind.MDO,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Bij Jozef thuis, Geel",
        at_home=True,
        members=[member(jozef, users[profile]) for profile in INVITED],
        with_person=True,
        person_agreed=True,
    )
    at(meeting, moment(first + 14, 10), created_at=moment(first + 14, 10))
    Participant.objects.filter(meeting=meeting).update(invited_at=moment(first + 14, 10))
    meetings = [meeting]
    for index, (days_ago, following) in enumerate(((first, moment(second, 14)), (second, _upcoming()))):
        meeting = _hold(users, jozef, meeting, MDOS[index], days_ago, goals, following)
        if meeting.next_meeting is not None:
            meetings.append(meeting.next_meeting)
            meeting = meeting.next_meeting
    return meetings


def _upcoming() -> datetime:
    """The next MDO, in nine days at 14:00."""
    return moment(-9, 14)


def _hold(
    users: dict[str, User],
    jozef: Person,
    meeting: Meeting,
    data: dict[str, Any],
    days_ago: int,
    goals: list[Any],
    following: datetime,
) -> Meeting:
    """Hold the planned meeting `days_ago` days ago: a question beforehand, the attendance and
    minutes, the decisions (each an action, moved on since), and closing with the next one."""
    gp = users[Profile.GP]
    if data["question"]:
        question = services.add_question(users[Profile.PERSON], meeting, text=data["question"])
        type(question).objects.filter(pk=question.pk).update(asked_at=moment(days_ago + 3, 11))
    presence = {}
    for participant in meeting.participants.select_related("membership__user"):
        profile = participant.membership.profile if participant.membership else ""
        attendance = Participant.Attendance.IN_PERSON
        if profile in data["remote"]:
            attendance = Participant.Attendance.REMOTE
        elif profile in data["absent"]:
            attendance = Participant.Attendance.ABSENT
        presence[str(participant.public_id)] = services.Presence(attendance, PROFESSIONS.get(profile, ""))
    end = moment(days_ago, 15)
    meeting = services.record_attendance(
        gp, meeting, version=meeting.version, minutes=data["minutes"], person_agreed=True, presence=presence
    )
    at(meeting, end)
    for row in data["decisions"]:
        decision = services.add_decision(
            gp,
            meeting,
            text=row.title,
            owner=member(jozef, users[row.owner]),
            due_on=timezone.localdate() - timedelta(days=days_ago - row.due_in_days),
            goal=goals[row.goal],
        )
        type(decision).objects.filter(pk=decision.pk).update(decided_at=end)
        plan_demo.make_action(
            jozef,
            gp,
            users,
            _since(row, days_ago),
            goals,
            action=type(decision.action).objects.get(pk=decision.action_id),
        )
    # A next meeting is planned after now; the demo's history then moves it to its past date.
    planned_for = max(following, timezone.now() + timedelta(days=1))
    meeting = services.close_meeting(gp, meeting, version=meeting.version, next_starts_at=planned_for)
    at(meeting, end, closed_at=end)
    PlanReview.objects.filter(meeting_id=meeting.public_id).update(created_at=end)
    if meeting.next_meeting is not None:
        length = meeting.next_meeting.ends_at - meeting.next_meeting.starts_at
        at(meeting.next_meeting, end, created_at=end, starts_at=following, ends_at=following + length)
        Participant.objects.filter(meeting=meeting.next_meeting).update(invited_at=end)
    return meeting


def _since(row: ActionData, days_ago: int) -> ActionData:
    """The decision's action, proposed at the meeting; its due date counted from the meeting."""
    return ActionData(
        row.title,
        row.owner,
        row.goal,
        row.due_in_days - days_ago if row.due_in_days is not None else None,
        row.status,
        proposed_days_ago=days_ago,
        outcome=row.outcome,
        hold_reason=row.hold_reason,
        helped=row.helped,
    )
