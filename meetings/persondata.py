"""The meetings app's person data in the registry (core.persondata). Registered by
MeetingsConfig.ready()."""

from typing import Any

from core import persondata
from core.persondata import Export, PersonData, iso, name
from core.vocab import Category
from meetings.models import AgendaQuestion, Decision, Meeting, Participant

_PURGE = persondata.Purge("meetings", "delete")
_NOT_PRINTED = "a meeting prints its own minutes; the dossier summary does not repeat them"
_WITH_MEETING = "belongs to a meeting, which moves"


def _meetings(person: Any, ids: list[int]) -> list[Meeting]:
    return list(
        Meeting.objects.filter(person_id__in=ids)
        .prefetch_related("participants", "questions", "decisions")
        .order_by("starts_at", "pk")
    )


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": str(meeting.public_id),
        "kind": meeting.kind,
        "starts_at": iso(meeting.starts_at),
        "ends_at": iso(meeting.ends_at),
        "place": meeting.place,
        "status": meeting.status,
        "minutes": meeting.minutes,
        "participants": [
            {
                "name": p.name or (name(p.membership.user) if p.membership else ""),
                "is_the_person": p.is_the_person,
                "attendance": p.attendance,
            }
            for p in meeting.participants.all()
        ],
        "questions": [q.text for q in meeting.questions.all()],
        "decisions": [d.text for d in meeting.decisions.all()],
    }


def register() -> None:
    part = "meetings"
    in_meeting = persondata.not_exported("exported within its meeting")
    for model in (Decision, AgendaQuestion, Participant):
        persondata.register(
            PersonData(
                model,
                person_path="meeting__person",
                merge=persondata.follow(_WITH_MEETING),
                purge=_PURGE,
                export=in_meeting,
                not_printed=_NOT_PRINTED,
            )
        )
    persondata.register(
        PersonData(
            Meeting,
            merge=persondata.move(),
            purge=_PURGE,
            export=Export(part, rows=_meetings, as_json=meeting_json, category=Category.PLAN.value),
            not_printed=_NOT_PRINTED,
            history=True,
        )
    )
