"""The subject-access export (GDPR art. 15, patient rights act art. 9): everything Schakel holds
on a person, for the person themself or their legal representative, as JSON and as a PDF.

Who may ask: only the person (their own login) and their legal representative
(access.rules.subject_access_export). A mandate, a team role or coordination never suffices:
someone related to the person but not entitled gets 403 with a clear message; anyone else gets
the outsider's 404. Every request is audited; a granted export leaves one row per category it
holds, with the event "export" (EXPORTED).

What it holds (FORMAT, documented in docs/privacy.md): identity, every dossier section the gate
lets the requester read with its entries and its full history (who, when, before/after), the
care team (current and past members), the consents, exclusions, mandates and representations on
file, and the access log ("who looked at my dossier", the same rows).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.models import Consent, Exclusion, Mandate, Representation
from accounts.models import User
from audit import presenters as audit_presenters
from audit import queries as audit_queries
from audit import services as audit
from audit.models import AuditEntry
from core.vocab import Category, Level
from people import pdf, presenters, printing, queries, sections
from people.models import Person, SectionRecord
from teams.models import Membership

FORMAT = "schakel-subject-access/1"
EXPORTED = "privacy.subject_access_exported"
PAGE_VIEWED = "privacy.your_data_viewed"


def person_for_export(actor: User, public_id: uuid.UUID | str, *, action: str) -> Person:
    """The person whose data the actor asks for, if access.rules.subject_access_export lets the
    actor have it (a stranger gets 404, someone who knows the person 403). The refusal is
    audited here; a granted export is audited per category by what it exports."""
    person = queries.resolve_person(actor, public_id, action)
    decision = rules.subject_access_export(actor, person)
    gate.enforce(actor, person, decision, action=action, audit_granted=False, event=AuditEntry.Event.EXPORT)
    return person


def log_page_view(actor: User, person: Person) -> None:
    """The "Your data" page reads the person's name: audited as a read of their identity."""
    decision = gate.decide(actor, person, Category.IDENTITY, Level.READ)
    audit.log_decision(actor, person, decision, action=PAGE_VIEWED)


# ── What the export holds ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SectionExport:
    kind: sections.SectionKind
    entries: list[SectionRecord]
    history: list[Any]  # the section's simple-history records, oldest first


@dataclass(frozen=True)
class SubjectAccess:
    person: Person
    requester: User
    relationship: str  # "self" or "representative"
    generated_at: datetime
    categories: list[str]  # the categories exported (and audited), identity first
    aliases: list[Person]
    sections: list[SectionExport]
    memberships: list[Membership]
    consents: list[Consent]
    exclusions: list[Exclusion]
    mandates: list[Mandate]
    representations: list[Representation]
    log: list[AuditEntry]


def _relationship(actor: User, person: Person) -> str:
    kinds = {rel.kind for rel in gate.relationships_at(actor, person, None)}
    return "self" if "self" in kinds else "representative"


def collect(actor: User, person: Person, *, output: str) -> SubjectAccess:
    """Everything on file for a person the actor is entitled to export (person_for_export), its
    export audited first: the access log it holds then shows this export too."""
    readable = [c for c in sections.DOSSIER_CATEGORIES if gate.decide(actor, person, c, Level.READ).allowed]
    categories = list(dict.fromkeys([Category.IDENTITY.value, Category.TEAM.value, *readable]))
    categories = [c for c in categories if gate.decide(actor, person, c, Level.READ).allowed]
    printing.log_export(actor, person, categories, action=EXPORTED, detail={"format": output})
    aliases = queries.aliases_of(person)
    ids = [person.pk, *(alias.pk for alias in aliases)]
    exported = []
    for kind in sections.SECTIONS.values():
        if kind.category not in categories:
            continue
        history = list(
            kind.model.history.filter(person_id__in=ids)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        exported.append(SectionExport(kind, queries.section_entries(person, kind.code), history))
    team = Category.TEAM.value in categories
    memberships = (
        list(Membership.objects.filter(person_id__in=ids).select_related("user").order_by("since", "pk"))
        if team
        else []
    )
    by = ("recorded_by",)
    return SubjectAccess(
        person=person,
        requester=actor,
        relationship=_relationship(actor, person),
        generated_at=timezone.now(),
        categories=categories,
        aliases=aliases,
        sections=exported,
        memberships=memberships,
        consents=list(
            Consent.objects.filter(person_id__in=ids).select_related(*by, "holder", "withdrawn_by").order_by("since")
        ),
        exclusions=list(Exclusion.objects.filter(person_id__in=ids).select_related(*by, "excluded").order_by("since")),
        mandates=list(
            Mandate.objects.filter(person_id__in=ids)
            .select_related("holder", "granted_by", "revoked_by")
            .order_by("since")
        ),
        representations=list(
            Representation.objects.filter(person_id__in=ids).select_related(*by, "representative").order_by("since")
        ),
        log=list(audit_queries.person_log(person)),
    )


# ── JSON ──────────────────────────────────────────────────────────────────────────────────────


def _iso(value: datetime | date | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


def _raw(model: type[models.Model], record: Any, name: str, users: dict[int, str]) -> Any:
    """A field's stored value as JSON: dates in ISO 8601, a user as their name."""
    field = model._meta.get_field(name)
    value = getattr(record, field.attname)  # type: ignore[union-attr]
    if isinstance(field, models.ForeignKey):
        return users.get(value) if value is not None else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _users(section: SectionExport) -> dict[int, str]:
    fields = presenters.history_fields(section.kind)
    ids = {record.history_user_id for record in section.history if record.history_user_id}
    for record in [*section.history, *section.entries]:
        for name in fields:
            field = section.kind.model._meta.get_field(name)
            if isinstance(field, models.ForeignKey) and getattr(record, field.attname):  # type: ignore[union-attr]
                ids.add(getattr(record, field.attname))  # type: ignore[union-attr]
    return {user.pk: str(user) for user in User.objects.filter(pk__in=ids)}


_WHAT = {"+": "added", "~": "changed", "-": "removed"}


def _section_json(section: SectionExport) -> dict[str, Any]:
    kind, model = section.kind, section.kind.model
    fields = presenters.history_fields(kind)
    users = _users(section)
    entries = [
        {
            "id": str(entry.public_id),
            "version": entry.version,
            "updated_at": _iso(entry.updated_at),
            "updated_by": _name(entry.updated_by) if entry.updated_by_id else None,
            "fields": {name: _raw(model, entry, name, users) for name in fields},
        }
        for entry in section.entries
    ]
    history = []
    previous: dict[int, Any] = {}
    for record in section.history:  # oldest first, so each row's previous version is known
        before = previous.get(record.id)
        changes = []
        for name in fields:
            old = _raw(model, before, name, users) if before is not None else None
            new = _raw(model, record, name, users) if record.history_type != "-" else None
            if old != new:
                changes.append({"field": name, "before": old, "after": new})
        history.append(
            {
                "when": _iso(record.history_date),
                "who": users.get(record.history_user_id) if record.history_user_id else None,
                "what": _WHAT[record.history_type],
                "entry": str(record.public_id),
                "changes": changes,
            }
        )
        previous[record.id] = record
    history.reverse()  # newest first, as on the history pages
    return {
        "section": kind.code,
        "title": str(kind.title),
        "category": kind.category.value,
        "entries": entries,
        "history": history,
    }


def _period(row: Any) -> dict[str, str | None]:
    return {"since": _iso(row.since), "until": _iso(row.until)}


def as_json(export: SubjectAccess) -> dict[str, Any]:
    person = export.person
    return {
        "format": FORMAT,
        "generated_at": _iso(export.generated_at),
        "generated_for": {"name": str(export.requester), "relationship": export.relationship},
        "categories": export.categories,
        "person": {
            "id": str(person.public_id),
            "insz": person.insz,
            "local_id": person.local_id,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": _iso(person.birth_date),
            "municipality": str(person.municipality) if person.municipality_id else None,
            "registered_at": _iso(person.registered_at),
            "also_registered_as": [{"local_id": a.local_id, "merged_at": _iso(a.merged_at)} for a in export.aliases],
        },
        "dossier": [_section_json(section) for section in export.sections],
        "care_team": [
            {
                "name": str(m.user),
                "role": m.profile,
                "assignment": m.assignment,
                "is_coordinator": m.is_coordinator,
                **_period(m),
                "reachable": m.hours,
                "has_24_7_line": m.has_24_7_line,
            }
            for m in export.memberships
        ],
        "consents": [
            {
                "basis": c.basis,
                "legal_basis": c.legal_basis,
                "holder": _name(c.holder),
                "categories": c.categories,
                "given_by": c.given_by,
                "recorded_by": _name(c.recorded_by),
                "withdrawn_by": _name(c.withdrawn_by),
                **_period(c),
            }
            for c in export.consents
        ],
        "exclusions": [
            {"excluded": _name(e.excluded), "recorded_by": _name(e.recorded_by), **_period(e)}
            for e in export.exclusions
        ],
        "mandates": [
            {
                "holder": _name(m.holder),
                "categories": m.categories,
                "granted_by": _name(m.granted_by),
                "revoked_by": _name(m.revoked_by),
                **_period(m),
            }
            for m in export.mandates
        ],
        "representations": [
            {
                "representative": _name(r.representative),
                "legal_ground": r.legal_ground,
                "recorded_by": _name(r.recorded_by),
                **_period(r),
            }
            for r in export.representations
        ],
        "access_log": [
            {
                "when": _iso(row.created_at),
                "who": row.actor_label,
                "role": row.actor_profile or None,
                "acting_for": _name(row.acting_for) if row.acting_for_id else None,
                "event": row.event,
                "action": row.action,
                "category": row.category or None,
                "level": row.level or None,
                "allowed": row.allowed,
                "reason": row.reason,
            }
            for row in export.log
        ],
    }


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
