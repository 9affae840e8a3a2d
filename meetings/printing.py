"""The printable minutes of a meeting (PDF): agenda, attendance, minutes, decisions with owners
and due dates, and for the reimbursed multidisciplinary home consultation the place, the
person's agreement, each participant's profession and RIZIV/INAMI number, and the task division.

Gated for the plan (read) and for identity (the header names the person); printing is an export,
audited as the dossier summary's is: one row per category with the event "export"
(people.printing.log_export). The PDF is made by people.pdf.render, the one renderer.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from access import gate
from access.queries import resolve_person
from accounts.models import User
from core.actions import Action
from core.vocab import Category, Level
from meetings import presenters, queries
from people import pdf
from people.printing import log_export

MINUTES_EXPORTED = Action.MEETINGS_MINUTES_EXPORTED


@dataclass(frozen=True)
class Minutes:
    page: queries.MeetingPage
    participants: list[presenters.ParticipantRow]
    decisions: list[presenters.ActionRow]
    previous_decisions: list[presenters.ActionRow]
    overdue: list[presenters.ActionRow]
    printed_at: datetime


def minutes(actor: User, person_id: uuid.UUID | str, meeting_id: uuid.UUID | str | None) -> Minutes:
    """The minutes of one of the person's meetings, audited as an export. A refusal (or
    another person's meeting) is the outsider's 404, audited."""
    person = resolve_person(actor, person_id, MINUTES_EXPORTED)
    # The minutes name the person (identity) and hold the plan's meeting (plan): both are read.
    for category in (queries.CATEGORY, Category.IDENTITY):
        decision = gate.decide(actor, person, category, Level.READ)
        gate.enforce(actor, person, decision, action=MINUTES_EXPORTED, audit_granted=False)
    meeting = queries.meeting_of(actor, person, meeting_id, action=MINUTES_EXPORTED)
    page = queries.meeting_page(actor, person, meeting)
    log_export(
        actor,
        person,
        [Category.IDENTITY.value, queries.CATEGORY.value],
        action=MINUTES_EXPORTED,
        detail={"meeting": str(meeting.public_id), "format": "pdf"},
    )
    return Minutes(
        page=page,
        participants=presenters.participant_rows(page.participants),
        decisions=presenters.decision_rows(page.decisions),
        previous_decisions=presenters.decision_rows(page.agenda.previous_decisions),
        overdue=[presenters.action_row(action) for action in page.agenda.overdue],
        printed_at=timezone.now(),
    )


def minutes_html(minutes: Minutes) -> str:
    """The document WeasyPrint lays out: it links no style sheet or script (people.pdf passes
    the print style sheet itself)."""
    return render_to_string(
        "meetings/minutes.html",
        {"minutes": minutes, "person": minutes.page.person, "meeting": minutes.page.meeting, "for_pdf": True},
    )


def minutes_pdf(minutes: Minutes) -> bytes:
    return pdf.render(minutes_html(minutes))
