"""The subject-access export (GDPR art. 15, patient rights act art. 9): everything Schakel holds
on a person, for the person themself or their legal representative, as JSON and as a PDF.

Who may ask: only the person (their own login) and their legal representative
(access.rules.subject_access_export). A mandate, a team role or coordination never suffices:
someone related to the person but not entitled gets 403 with a clear message; anyone else gets
the outsider's 404. Every request is audited; a granted export leaves one row per category it
holds, with the event "export" (EXPORTED).

What it holds (FORMAT, documented in docs/privacy.md): every part that the person-data registry
(core.persondata) names, as each app registered it: identity, every dossier section the gate
lets the requester read with its entries and its full history (who, when, before/after), the
care team (current and past members), the consents, exclusions, mandates and representations on
file, emergency accesses, closings of the dossier, and the access log ("who looked at my
dossier", the same rows).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.queries import resolve_person
from accounts.models import User
from audit import presenters as audit_presenters
from audit import services as audit
from audit.models import AuditEntry
from core import persondata
from core.actions import Action
from core.vocab import Category, Level
from people import pdf, presenters, printing, queries, sections
from people.models import Person
from people.persondata import SectionExport

FORMAT = "schakel-subject-access/1"
EXPORTED = Action.PRIVACY_SUBJECT_ACCESS_EXPORTED
PAGE_VIEWED = Action.PRIVACY_YOUR_DATA_VIEWED


def person_for_export(actor: User, public_id: uuid.UUID | str, *, action: str) -> Person:
    """The person whose data the actor asks for, if access.rules.subject_access_export lets the
    actor have it (a stranger gets 404, someone who knows the person 403). The refusal is
    audited here; a granted export is audited per category by what it exports."""
    person = resolve_person(actor, public_id, action)
    decision = rules.subject_access_export(actor, person)
    gate.enforce(actor, person, decision, action=action, audit_granted=False, event=AuditEntry.Event.EXPORT)
    return person


def log_page_view(actor: User, person: Person) -> None:
    """The "Your data" page reads the person's name: audited as a read of their identity."""
    decision = gate.decide(actor, person, Category.IDENTITY, Level.READ)
    audit.log_decision(actor, person, decision, action=PAGE_VIEWED)


# ── What the export holds ─────────────────────────────────────────────────────────────────────
#
# The parts come from the person-data registry (core.persondata): each app registers its models
# with the part of the export they go in, how their rows are read and how each is written as JSON.


@dataclass(frozen=True)
class SubjectAccess:
    person: Person
    requester: User
    relationship: str  # "self" or "representative"
    generated_at: datetime
    categories: list[str]  # the categories exported (and audited), identity first
    aliases: list[Person]
    parts: dict[str, list[tuple[persondata.PersonData, Any]]]  # part -> (registration, row), in order

    def rows(self, part: str) -> list[Any]:
        return [row for _data, row in self.parts.get(part, [])]

    # The parts the PDF lays out in words.
    @property
    def sections(self) -> list[SectionExport]:
        return self.rows("dossier")

    @property
    def memberships(self) -> list[Any]:
        return self.rows("care_team")

    @property
    def consents(self) -> list[Any]:
        return self.rows("consents")

    @property
    def exclusions(self) -> list[Any]:
        return self.rows("exclusions")

    @property
    def mandates(self) -> list[Any]:
        return self.rows("mandates")

    @property
    def representations(self) -> list[Any]:
        return self.rows("representations")

    @property
    def emergency_accesses(self) -> list[Any]:
        return self.rows("emergency_access")

    @property
    def closures(self) -> list[Any]:
        return self.rows("closures")

    @property
    def log(self) -> list[Any]:
        return self.rows("access_log")


def _relationship(actor: User, person: Person) -> str:
    kinds = {rel.kind for rel in gate.relationships_at(actor, person, None)}
    return "self" if "self" in kinds else "representative"


def collect(actor: User, person: Person, *, output: str) -> SubjectAccess:
    """Everything on file for a person the actor is entitled to export (person_for_export), its
    export audited first: the access log it holds then shows this export too."""
    # The dossier's categories and those of every other registered export (the care plan, ...).
    exported = [data.export.category for found in persondata.export_parts().values() for data in found]
    wanted = [Category.IDENTITY.value, Category.TEAM.value, *sections.DOSSIER_CATEGORIES, *filter(None, exported)]
    categories = [c for c in dict.fromkeys(wanted) if gate.decide(actor, person, c, Level.READ).allowed]
    printing.log_export(actor, person, categories, action=EXPORTED, detail={"format": output})
    aliases = queries.aliases_of(person)
    ids = [person.pk, *(alias.pk for alias in aliases)]
    parts: dict[str, list[tuple[persondata.PersonData, Any]]] = {}
    for part, registered in persondata.export_parts().items():
        parts[part] = [
            (data, row)
            for data in registered
            if data.export.category is None or data.export.category in categories
            for row in data.export.rows(person, ids)  # type: ignore[misc]  # the registration's callable is typed for any model
        ]
    return SubjectAccess(
        person=person,
        requester=actor,
        relationship=_relationship(actor, person),
        generated_at=timezone.now(),
        categories=categories,
        aliases=aliases,
        parts=parts,
    )


# ── JSON ──────────────────────────────────────────────────────────────────────────────────────


def as_json(export: SubjectAccess) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": persondata.iso(export.generated_at),
        "generated_for": {"name": str(export.requester), "relationship": export.relationship},
        "categories": export.categories,
    }
    for part, registered in persondata.export_parts().items():
        rows = [data.export.as_json(row) for data, row in export.parts.get(part, [])]  # type: ignore[misc]  # the registration's callable is typed for any model
        if any(data.export.single for data in registered):
            document[part] = rows[0] if rows else None
        else:
            document[part] = rows
    return document


# ── PDF ───────────────────────────────────────────────────────────────────────────────────────


def _labels(categories: list[str] | None) -> str:
    if categories is None:
        return _("all categories")
    return ", ".join(str(Category(c).label) if c in Category.values else c for c in categories)


def as_html(export: SubjectAccess) -> str:
    """The export as a readable document for the PDF renderer: the same content, in words."""
    person = export.person
    section_views = [
        {
            "view": presenters.section_view(section.kind, section.entries, person.public_id, may_write=False),
            "history": presenters.history_rows(section.kind, section.history),
        }
        for section in export.sections
    ]
    context = {
        "export": export,
        "person": person,
        "sections": section_views,
        "mandates": [(mandate, _labels(mandate.categories)) for mandate in export.mandates],
        "log": [audit_presenters.log_row(entry) for entry in export.log],
    }
    return render_to_string("privacy/export_pdf.html", context)


def as_pdf(export: SubjectAccess) -> bytes:
    return pdf.render(as_html(export))
