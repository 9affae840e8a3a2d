"""Changes to a person's record. Every change passes the gate and is audited with its actor."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate
from access.models import Consent, Exclusion, Mandate, Representation
from access.vocab import Category, Level
from accounts.models import User
from audit import services as audit
from core.identifiers import normalise_insz
from core.models import Municipality
from people.models import Person
from teams.models import Membership
from teams.services import default_until

REGISTRATION_LEGAL_BASIS = "GDPR art. 9(2)(h): provision of care, registration by the treating professional"


def new_local_id() -> str:
    return "L-" + secrets.token_hex(5).upper()


def register_person(
    actor: User,
    *,
    given_name: str,
    family_name: str,
    insz: str = "",
    birth_date: date | None = None,
    municipality: Municipality | None = None,
) -> Person:
    """Start a dossier. The registering professional joins the team and gets a named legal basis
    covering identity and the recording of consent, so a first dossier can be started."""
    if not actor.is_professional:
        raise ValidationError(_("Only a professional can register a person."), code="not_professional")
    insz = normalise_insz(insz) if insz else ""
    if insz and Person.objects.filter(insz=insz).exists():
        audit.log_event(actor, "people.register_duplicate", allowed=False, reason="duplicate_insz", event="change")
        raise ValidationError(
            _("A person with this INSZ is already registered. Ask their care coordinator to add you to the team."),
            code="duplicate_insz",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            person = Person.objects.create(
                insz=insz or None,
                local_id=new_local_id(),
                given_name=given_name.strip(),
                family_name=family_name.strip(),
                birth_date=birth_date,
                municipality=municipality,
                registered_by=actor,
                registered_at=now,
            )
            Membership.objects.create(
                person=person,
                user=actor,
                profile=actor.profile,
                since=now,
                until=default_until(actor.profile, now),
                added_by=actor,
            )
            Consent.objects.create(
                person=person,
                basis=Consent.Basis.LEGAL_BASIS,
                legal_basis=REGISTRATION_LEGAL_BASIS,
                holder=actor,
                categories=[Category.IDENTITY, Category.ACP],
                recorded_by=actor,
                since=now,
            )
            audit.log_change(
                actor,
                person,
                "people.person_registered",
                category=Category.IDENTITY,
                relationship="team",
                detail={"legal_basis": REGISTRATION_LEGAL_BASIS},
            )
    except IntegrityError as error:  # a concurrent registration of the same INSZ
        raise ValidationError(
            _("A person with this INSZ is already registered. Ask their care coordinator to add you to the team."),
            code="duplicate_insz",
        ) from error
    return person


def update_identity(actor: User, person: Person, *, version: int, **fields: object) -> Person:
    from core.errors import Conflict

    decision = gate.check(actor, person, Category.IDENTITY, Level.WRITE, action="people.identity_changed")
    allowed = {"given_name", "family_name", "birth_date", "municipality"}
    changes = {name: value for name, value in fields.items() if name in allowed}
    with transaction.atomic():
        updated = Person.objects.filter(pk=person.pk, version=version).update(**changes, version=F("version") + 1)
        if not updated:
            raise Conflict(_("Someone else changed this record. Reload to see their change."))
        audit.log_change(
            actor,
            person,
            "people.identity_changed",
            category=Category.IDENTITY,
            relationship=decision.relationship,
            detail={"fields": sorted(changes)},
        )
    person.refresh_from_db()
    return person


def _check_merge_right(actor: User, person: Person) -> gate.Decision:
    """The gate for identity changes, then the coordinator rule; both refusals are audited."""
    decision = gate.check(actor, person, Category.IDENTITY, Level.WRITE, action="people.persons_merged")
    if not gate.is_coordinator(actor, person):
        audit.log_event(
            actor, "people.persons_merged", person=person, allowed=False, reason="not_coordinator", event="change"
        )
        raise ValidationError(_("Only the care coordinator of both records can merge them."), code="not_coordinator")
    return decision


def _check_mergeable(alias: Person, target: Person) -> None:
    if alias.pk == target.pk or alias.merged_into_id or target.merged_into_id:
        raise ValidationError(_("These records cannot be merged."), code="invalid_merge")
    if alias.insz:
        raise ValidationError(_("Only a record without INSZ can be merged into another."), code="alias_has_insz")
    if not target.insz:
        raise ValidationError(_("Merge into the record that has the INSZ."), code="target_without_insz")


def merge_persons(actor: User, alias: Person, target: Person) -> Person:
    """Merge a record registered without INSZ into the INSZ record (coordinator of both only).

    The alias stays, pointing at the target, so old links and ids still lead to the person; its
    audit rows are not moved (the person's log shows both records' rows); team, consents,
    exclusions, mandates and representations are combined on the target, so an exclusion
    recorded on the alias blocks on the target too.
    """
    _check_mergeable(alias, target)
    _check_merge_right(actor, alias)
    _check_merge_right(actor, target)
    return _merge(actor, alias, target)


def merge_into_insz(actor: User, alias: Person, insz: str) -> Person:
    """Merge the alias into the record with this exact INSZ (the merge page and API).

    An unknown INSZ and a record the actor does not coordinate get the same answer, so the page
    cannot be used to find out whether someone is registered.
    """
    if not insz.strip():
        raise ValidationError(_("Enter the INSZ/NISS number of the record to merge into."), code="insz_required")
    insz = normalise_insz(insz)
    not_yours = ValidationError(
        _("You are not the care coordinator of a record with this INSZ."), code="no_coordinated_record"
    )
    if alias.insz:
        raise ValidationError(_("Only a record without INSZ can be merged into another."), code="alias_has_insz")
    _check_merge_right(actor, alias)
    target = Person.objects.filter(insz=insz, merged_into=None).first()
    if target is None:
        audit.log_event(actor, "people.persons_merged", allowed=False, reason="not_found", event="access")
        raise not_yours
    try:
        _check_merge_right(actor, target)
    except (gate.Denied, ValidationError) as error:
        raise not_yours from error
    _check_mergeable(alias, target)
    return _merge(actor, alias, target)


def _merge(actor: User, alias: Person, target: Person) -> Person:
    from core.errors import Conflict

    with transaction.atomic():
        # Only a record that is still unmerged is merged: two coordinators merging it at the
        # same time do not both move its rows.
        merged = Person.objects.filter(pk=alias.pk, merged_into=None).update(
            merged_into=target, merged_at=timezone.now(), version=F("version") + 1
        )
        if not merged:
            raise Conflict(_("This record was merged by someone else in the meantime."))
        moved = {}
        for model in (Membership, Consent, Exclusion, Mandate, Representation):
            moved[model.__name__] = model.objects.filter(person=alias).update(person=target)
        Person.objects.filter(pk=target.pk).update(version=F("version") + 1)
        detail = {"alias": str(alias.public_id), "target": str(target.public_id), "moved": moved}
        audit.log_change(actor, target, "people.persons_merged", category=Category.IDENTITY, detail=detail)
        audit.log_change(actor, alias, "people.persons_merged", category=Category.IDENTITY, detail=detail)
    alias.refresh_from_db()
    target.refresh_from_db()
    return target
