"""Why can or can't someone see a category of a person's data: the gate's decision in plain words.

Each answer is built on gate.decide itself, so an explanation can never disagree with the gate.
Sentences are made in the active language (the reader's), the matrix rationale included.
Who may ask about whom is decided in access.queries.explain.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access import gate, presenters, relationships, rules
from access.models import Consent, Exclusion, MatrixCell
from access.relationships import Relationship
from accounts.models import User
from core.vocab import Category, Level, Profile
from people.models import Person


@dataclass(frozen=True)
class CategoryExplanation:
    category: str
    label: str
    read: bool
    write: bool
    reasons: tuple[str, ...]


def _date(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def _labels(codes: Iterable[str]) -> str:
    return ", ".join(str(Category(code).label) for code in sorted(codes) if code in Category.values)


def _profile(code: str) -> str:
    return str(Profile(code).label) if code in Profile.values else code


def _relationship_sentence(rel: Relationship) -> str:
    params = {"kind": relationships.kind_label(rel.kind), "profile": _profile(rel.profile)}
    if rel.is_coordinator:
        sentence = _("Relationship: %(kind)s, in the role “%(profile)s”, as care coordinator.") % params
    else:
        sentence = _("Relationship: %(kind)s, in the role “%(profile)s”.") % params
    if rel.until:
        sentence += " " + _("It ends on %(date)s.") % {"date": _date(rel.until)}
    return sentence


def _matrix_sentence(cells: dict[tuple[str, str], MatrixCell], profile: str, category: str) -> str:
    """Whole sentences, each translated with its placeholders; a label is quoted, so that the
    sentence reads the same whatever the label ("le rôle « la personne elle-même »")."""
    cell = cells.get((profile, category))
    params = {"profile": _profile(profile), "category": Category(category).label}
    if cell is None:
        return (
            _("Access matrix: there is no rule for the role “%(profile)s” and “%(category)s”, so there is no access.")
            % params
        )
    sentences = [
        _("Access matrix: the role “%(profile)s” has the level “%(level)s” for “%(category)s”.")
        % {**params, "level": Level(cell.level).label},
        _("Why: %(rationale)s") % {"rationale": presenters.rationale(cell)},
        _("Source: %(source)s.") % {"source": presenters.source_label(cell.source)},
    ]
    sentence = " ".join(sentences)
    if cell.edited_by_zone and cell.edited_at:
        sentence += " " + _("The care zone set this rule on %(date)s; the shipped file says “%(shipped)s”.") % {
            "date": _date(cell.edited_at),
            "shipped": Level(cell.shipped_level).label,
        }
    return sentence


def _basis_sentence(rel: Relationship, category: str, consents: list[Consent], subject: User) -> str:
    if not rel.needs_consent:
        if rel.kind == "self":
            return _("No consent is needed: this is the person themself.")
        if rel.kind == "representative":
            return _("No consent is needed: a legal representative acts for the person.")
        if rel.kind == "mandate":
            return _("No consent is needed: the person gave a mandate, limited to: %(categories)s.") % {
                "categories": _labels(rel.categories or ())
            }
        if rel.kind == "break_glass" and rel.until:
            return _(
                "No consent is needed in an emergency (vital interest): emergency access is read-only and ends on %(date)s."
            ) % {"date": _date(rel.until)}
        return _("No consent is needed for this relationship.")
    for consent in consents:
        if consent.holder_id not in (None, subject.pk):
            continue
        if consent.categories is not None and category not in consent.categories:
            continue
        since = _date(consent.since)
        if consent.basis == Consent.Basis.LEGAL_BASIS:
            return _("Legal basis on file since %(date)s: %(basis)s.") % {"date": since, "basis": consent.legal_basis}
        if consent.given_by == "representative":
            return _("Consent: given by the legal representative, on file since %(date)s.") % {"date": since}
        return _("Consent: given by the person, on file since %(date)s.") % {"date": since}
    return _("Consent: none on file.")


def _restriction_sentence(rel: Relationship, category: str, level: str) -> str | None:
    """Why a relationship does not cover a category or level the matrix allows its profile."""
    if rel.covers(category, level):
        return None
    if rel.kind == "break_glass":
        return _("Emergency access opens only the emergency categories, and only to read.")
    if rel.kind == "mandate":
        return _("The mandate covers only: %(categories)s.") % {"categories": _labels(rel.categories or ())}
    return _("This relationship (%(kind)s) does not cover this category or level.") % {
        "kind": relationships.kind_label(rel.kind)
    }


def _chosen(rels: list[Relationship], decision: gate.Decision) -> Relationship:
    for rel in rels:
        if rel.kind == decision.relationship and rel.profile == decision.profile:
            return rel
    return rels[0]


def _refusal(
    decision: gate.Decision,
    rels: list[Relationship],
    cells: dict[tuple[str, str], MatrixCell],
    exclusion: Exclusion | None,
    subject: User,
) -> list[str]:
    category, level = decision.category, decision.level
    if decision.reason == "inactive":
        return [_("The account is deactivated, so it has no access.")]
    if decision.reason == "excluded" and exclusion is not None:
        return [
            _("The person has excluded %(name)s since %(date)s. An exclusion blocks all access, emergencies included.")
            % {"name": str(subject), "date": _date(exclusion.since)}
        ]
    if decision.reason == "no_relationship" or not rels:
        return [
            _(
                "There is no active relationship with the person: not in the care team, not their representative, no mandate and no emergency access."
            )
        ]
    if decision.reason == "no_consent":
        rel = _chosen(rels, decision)
        return [
            _relationship_sentence(rel),
            _matrix_sentence(cells, rel.profile, category),
            _("Neither the person's consent nor a legal basis covering this category is on file."),
        ]
    reasons: list[str] = []
    for rel in rels:
        sentence = _relationship_sentence(rel)
        if sentence not in reasons:
            reasons.append(sentence)
        sentence = _matrix_sentence(cells, rel.profile, category)
        if sentence not in reasons:
            reasons.append(sentence)
        cell = cells.get((rel.profile, category))
        if cell and Level(cell.level).covers(Level(level)):
            restriction = _restriction_sentence(rel, category, level)
            if restriction and restriction not in reasons:
                reasons.append(restriction)
    return reasons


def _write_refusal(decision: gate.Decision, read_rel: Relationship, cells: dict[tuple[str, str], MatrixCell]) -> str:
    if decision.reason == "closed":
        return _("Writing is not allowed: the dossier is closed, for everyone.")
    cell = cells.get((read_rel.profile, decision.category))
    if cell is not None and not Level(cell.level).covers(Level.WRITE):
        return _("Writing is not allowed: the access matrix gives this role read access only.")
    if read_rel.kind == "break_glass":
        return _("Writing is not allowed: emergency access is read-only.")
    return _("Writing is not allowed for this relationship.")


def explain_access(subject: User, person: Person, now: datetime | None = None) -> list[CategoryExplanation]:
    """For each category: may the subject read it, write it, and why (in the reader's language)."""
    now = now or timezone.now()
    rels = relationships.active_relationships(subject, person, now)
    cells = {
        (cell.profile, cell.category): cell for cell in MatrixCell.objects.filter(profile__in={r.profile for r in rels})
    }
    consents = list(Consent.objects.active(now).filter(person=person).order_by("since", "pk"))
    exclusion = Exclusion.objects.active(now).filter(person=person, excluded=subject).order_by("since").first()
    rows = []
    for category in Category:
        read = gate.decide(subject, person, category.value, Level.READ, now)
        # Refused to read means refused to write: every condition is at least as strict for writing.
        write = gate.decide(subject, person, category.value, Level.WRITE, now) if read.allowed else read
        if read.allowed:
            best = write if write.allowed else read
            rel = _chosen(rels, best)
            reasons = [
                _relationship_sentence(rel),
                _matrix_sentence(cells, rel.profile, category.value),
                _basis_sentence(rel, category.value, consents, subject),
            ]
            if not write.allowed:
                reasons.append(_write_refusal(write, rel, cells))
        else:
            reasons = _refusal(read, rels, cells, exclusion, subject)
            if category == Category.PLAN and rules.sees_own_actions_only(subject, person, now):
                reasons.append(
                    _(
                        "The actions of the care plan assigned to %(name)s still open for them: they see each of "
                        "those because it is theirs, and nothing else of the plan."
                    )
                    % {"name": str(subject)}
                )
        rows.append(
            CategoryExplanation(category.value, str(category.label), read.allowed, write.allowed, tuple(reasons))
        )
    return rows
