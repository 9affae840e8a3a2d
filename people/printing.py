"""The printable dossier summary (DOS-13): for people who are not digital, on paper.

The summary is the dossier page's own gated display (people.queries.dossier) plus the care team,
laid out for A4: the parts the person-data registry (core.persondata) says are printed. Printing is an export: besides the reads that dossier() audits, every category
the summary holds gets one audit row with the event "export" (SUMMARY_EXPORTED). The PDF is
made by people.pdf.render, the one renderer seam.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from access import gate
from access.queries import resolve_person
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core import persondata
from core.actions import Action
from core.vocab import Category, Level
from people import pdf, presenters, queries
from people.models import Person
from teams import presenters as team_presenters
from teams import queries as team_queries

SUMMARY_EXPORTED = Action.PEOPLE_SUMMARY_EXPORTED


@dataclass(frozen=True)
class TeamSummary:
    members: list[team_presenters.MemberRow]
    coordinators: list[str]  # empty: the team has no coordinator (shown as such, TEAM-03)
    professional: bool  # the reader sees priority numbers


@dataclass(frozen=True)
class Summary:
    person: Person
    dossier: queries.Dossier
    team: TeamSummary | None  # None: the reader may not read the team
    printed_at: datetime
    categories: list[str]  # every category the summary shows, identity first
    alerts: list[presenters.Alert] = field(default_factory=list)  # as on top of the dossier page


def log_export(actor: User, person: Person, categories: list[str], *, action: str, detail: dict[str, Any]) -> None:
    """One audit row per category exported. The gate decides each again (within a request it is
    remembered, so this costs no query) and a refusal raises Refused: nothing is exported that the
    gate would not let the actor read at this moment."""
    for category in categories:
        decision = gate.decide(actor, person, category, Level.READ)
        # Under break-the-glass the row stays marked as emergency access in the person's log.
        event = AuditEntry.Event.BREAK_GLASS if decision.relationship == "break_glass" else AuditEntry.Event.EXPORT
        audit.log_decision(actor, person, decision, action=action, event=event, detail=detail)
        if not decision.allowed:
            raise gate.Refused(decision)


def person_for_summary(actor: User, public_id: uuid.UUID) -> Person:
    """The person, gated for their identity (the summary's header prints name and birth date).
    A refusal is audited and gets the outsider's 404; the granted read is audited with the export."""
    person = resolve_person(actor, public_id, SUMMARY_EXPORTED)
    decision = gate.decide(actor, person, Category.IDENTITY, Level.READ)
    gate.enforce(actor, person, decision, action=SUMMARY_EXPORTED, audit_granted=False)
    return person


def _team(actor: User, person: Person) -> TeamSummary | None:
    decision = gate.decide(actor, person, Category.TEAM, Level.READ)
    if not decision.allowed:
        return None
    rights = team_queries.team_rights(actor, person, decision)
    members = list(team_queries.active_members(person).order_by("-is_coordinator", "user__full_name", "pk"))
    rows = team_presenters.member_rows(members, actor, rights)
    coordinators = list(dict.fromkeys(row.name for row in rows if row.is_coordinator))
    return TeamSummary(rows, coordinators, rights.professional)


def printed_parts() -> set[str]:
    """What the summary prints ("header", "dossier", "care_team"), as the apps registered it."""
    return {data.printed for data in persondata.registered() if data.printed}


def summary(actor: User, person: Person, *, output: str) -> Summary:
    """The summary for a person already gated for identity, audited as an export in `output`
    ("html" or "pdf")."""
    dossier = queries.dossier(actor, person)
    team = _team(actor, person) if "care_team" in printed_parts() else None
    categories = [Category.IDENTITY.value]
    if team is not None:
        categories.append(Category.TEAM.value)
    for group in dossier.groups:
        if group.category not in categories:
            categories.append(group.category)
    log_export(actor, person, categories, action=SUMMARY_EXPORTED, detail={"format": output})
    # The dossier page's alerts, from the same gated rows; an emergency access open now is for
    # the screen, not for paper.
    alerts = queries.dossier_alerts(actor, person, dossier, with_emergency=False)
    return Summary(person, dossier, team, timezone.now(), categories, alerts)


def summary_html(summary: Summary, *, for_pdf: bool) -> str:
    """The summary as HTML: the page a user prints, or (for_pdf) the document WeasyPrint lays out,
    which links no style sheet or script (people.pdf passes the print style sheet itself)."""
    return render_to_string("people/summary.html", {"summary": summary, "person": summary.person, "for_pdf": for_pdf})


def summary_pdf(summary: Summary) -> bytes:
    return pdf.render(summary_html(summary, for_pdf=True))
