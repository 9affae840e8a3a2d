"""Changes to a person's record. Every change passes the gate and is audited with its actor."""

import secrets
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access import gate, rules
from access.models import Consent, Exclusion
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core import persondata
from core.actions import Action
from core.errors import Conflict
from core.identifiers import normalise_insz
from core.models import Municipality
from core.vocab import Category, Level, Profile
from notifications.models import Notification
from notifications.services import notify
from people import sections
from people.models import MedicationIntake, MedicationProblem, Person, SectionRecord
from teams.models import Membership
from teams.services import default_until

REGISTRATION_LEGAL_BASIS = "GDPR art. 9(2)(h): provision of care, registration by the treating professional"


def new_local_id() -> str:
    return "L-" + secrets.token_hex(5).upper()


def not_registered() -> ValidationError:
    """Whatever the INSZ, a registration that cannot go ahead gets this answer: it never says
    whether the person is known (docs/access.md, "Registering a person")."""
    return ValidationError(
        _(
            "Nobody was registered. If this person is already known in Schakel, you cannot register them again: "
            "ask their care coordinator to add you to the care team (the person's consent then covers you), "
            "or, in an emergency, use emergency access."
        ),
        code="not_registered",
    )


class KnownToYou(ValidationError):
    """The INSZ belongs to a person whose dossier the actor already opens: nothing to hide, so
    the page leads them there. Carries the person."""

    def __init__(self, person: Person) -> None:
        super().__init__(_("This person is already registered; here is their dossier."), code="known_to_you")
        self.person = person


def require_may_register(actor: User) -> None:
    """Which profiles may register is matrix data (access.rules.may_register_person). Anyone
    else is refused with a 403 that says so (nothing about a person is at stake), audited."""
    if rules.may_register_person(actor):
        return
    reason = "not_registering_profile"
    audit.log_event(actor, Action.PEOPLE_REGISTER_REFUSED, allowed=False, reason=reason, event=AuditEntry.Event.CHANGE)
    refusal = gate.Decision(False, reason, Category.IDENTITY, Level.WRITE, profile=actor.profile)
    message = _("Your role does not register persons. A professional who cares for the person does.")
    raise gate.Refused(refusal.answered_with_403(message))


# In the detail of the known person's log row when a separate record was registered with their INSZ.
SEPARATE_RECORD = "separate_record"


def registration_attempts(actor: User, now: datetime) -> int:
    """The actor's attempts to register a person in the rolling 24 hours, registered or refused
    as already known; refusals for the limit itself do not count."""
    return (
        AuditEntry.objects.filter(
            actor_id=actor.pk,
            action__in=[Action.PEOPLE_PERSON_REGISTERED, Action.PEOPLE_REGISTER_DUPLICATE],
            created_at__gt=now - timedelta(hours=24),
        )
        .exclude(detail__has_key=SEPARATE_RECORD)
        .count()
    )


def _refuse_registration(actor: User, known: Person | None, action: str, reason: str) -> None:
    """Audit a refused registration: in the known person's own log when the INSZ is theirs, so
    that they see that someone tried to register them."""
    refusal = gate.Decision(False, reason, Category.IDENTITY, Level.WRITE)
    if known is None:
        audit.log_event(actor, action, allowed=False, reason=reason, event=AuditEntry.Event.CHANGE)
        return
    with suppress(gate.Refused):
        gate.enforce(actor, known, refusal, action=action, event=AuditEntry.Event.CHANGE)


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
    covering identity and the recording of consent, so a first dossier can be started.

    An INSZ already registered teaches the registrant nothing: someone who already opens that
    person's dossier is led there (KnownToYou); anyone else gets a new, separate record exactly
    as for an unknown INSZ, holding the number as claimed_insz (never in the unique `insz`) and
    flagged as a possible duplicate of the known person, whose care coordinator (or, with none,
    the zone admins) is told and merges or dismisses it. The attempt is written in the known
    person's access log; attempts are limited per user (PEOPLE_REGISTER_PER_DAY)."""
    require_may_register(actor)
    insz = normalise_insz(insz) if insz else ""
    known = Person.objects.filter(insz=insz).first() if insz else None
    now = timezone.now()
    limit = settings.PEOPLE_REGISTER_PER_DAY
    if registration_attempts(actor, now) >= limit:
        _refuse_registration(actor, known, Action.PEOPLE_REGISTER_REFUSED, "rate_limited")
        raise ValidationError(
            _(
                "You have registered or tried to register %(n)d persons in the last 24 hours, the most allowed. "
                "Contact the zone helpdesk."
            ),
            code="rate_limited",
            params={"n": limit},
        )
    if known is not None and gate.decide(actor, known, Category.IDENTITY, Level.READ).allowed:
        _refuse_registration(actor, known, Action.PEOPLE_REGISTER_DUPLICATE, "duplicate_insz")
        raise KnownToYou(known)
    if known is not None and (own := _separate_record_read_by(actor, insz)) is not None:
        # As a number they registered before: led to their record (the attempt in both logs).
        _refuse_registration(actor, own, Action.PEOPLE_REGISTER_DUPLICATE, "duplicate_insz")
        _log_separate_record(actor, known)
        raise KnownToYou(own)
    if known is not None:
        _log_separate_record(actor, known)  # before the transaction: a refusal row commits on its own
    try:
        with transaction.atomic():
            person = Person.objects.create(
                insz=None if known is not None else insz or None,
                claimed_insz=insz if known is not None else "",
                possible_duplicate_of=known,
                local_id=new_local_id(),
                given_name=given_name.strip(),
                family_name=family_name.strip(),
                birth_date=birth_date,
                municipality=municipality,
                registered_by=actor,
                registered_at=now,
            )
            _start_team(actor, person, now)
            if known is not None:
                for reviewer in duplicate_reviewers(known, now):
                    notify(reviewer, Notification.Kind.POSSIBLE_DUPLICATE, person=known)
    except IntegrityError as error:  # a concurrent registration of the same INSZ
        raise not_registered() from error
    return person


def _separate_record_read_by(actor: User, insz: str) -> Person | None:
    """A separate record holding this claimed INSZ that the actor already reads (they registered
    it, say): a second try with the number leads there, as it would for a number they registered
    first, so that trying twice tells nothing either."""
    for record in Person.objects.filter(claimed_insz=insz, merged_into=None).order_by("registered_at", "pk"):
        if gate.decide(actor, record, Category.IDENTITY, Level.READ).allowed:
            return record
    return None


def _start_team(actor: User, person: Person, now: datetime) -> None:
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
        Action.PEOPLE_PERSON_REGISTERED,
        # Registering creates the relationship the change is logged with.
        decision=gate.Decision(True, "granted", Category.IDENTITY, Level.WRITE, "team", actor.profile),
        detail={"legal_basis": REGISTRATION_LEGAL_BASIS},
    )


def duplicate_reviewers(known: Person, now: datetime) -> list[User]:
    """Who is told of a record registered with a known person's INSZ: the person's care
    coordinators, or with none every active zone admin (as for an emergency access)."""
    coordinator_ids = known.memberships.active(now).filter(is_coordinator=True).values_list("user_id", flat=True)
    reviewers = list(User.objects.filter(pk__in=coordinator_ids, is_active=True))
    return reviewers or list(User.objects.filter(profile=Profile.ZONE_ADMIN, is_active=True))


def _log_separate_record(actor: User, known: Person) -> None:
    """The attempt in the known person's log, marked, so that the rate limit counts the
    registration once (its record has its own registration row)."""
    refusal = gate.Decision(False, "duplicate_insz", Category.IDENTITY, Level.WRITE)
    with suppress(gate.Refused):
        gate.enforce(
            actor,
            known,
            refusal,
            action=Action.PEOPLE_REGISTER_DUPLICATE,
            event=AuditEntry.Event.CHANGE,
            detail={SEPARATE_RECORD: "yes"},
        )


def update_identity(actor: User, person: Person, *, version: int, **fields: object) -> Person:

    decision = gate.check(actor, person, Category.IDENTITY, Level.WRITE, action=Action.PEOPLE_IDENTITY_CHANGED)
    allowed = {"given_name", "family_name", "birth_date", "municipality"}
    changes = {name: value for name, value in fields.items() if name in allowed}
    with transaction.atomic():
        updated = Person.objects.filter(pk=person.pk, version=version).update(**changes, version=F("version") + 1)
        if not updated:
            raise Conflict(_("Someone else changed this record. Reload to see their change."))
        audit.log_change(
            actor,
            person,
            Action.PEOPLE_IDENTITY_CHANGED,
            decision=decision,
            detail={"fields": sorted(changes)},
        )
    person.refresh_from_db()
    return person


def _check_merge_right(actor: User, person: Person, action: str = Action.PEOPLE_PERSONS_MERGED) -> gate.Decision:
    """The gate for identity changes, then the coordinator rule; both refusals are audited."""
    decision = gate.check(actor, person, Category.IDENTITY, Level.WRITE, action=action)
    if not rules.is_coordinator(actor, person):
        audit.log_event(actor, action, person=person, allowed=False, reason="not_coordinator", event="change")
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

    The alias stays, pointing at the target, so old links and ids still lead to the person.
    Every table that holds person data is merged as its app registered it (core.persondata):
    most rows, with their history, move to the target (so an exclusion recorded on the alias
    blocks on the target too); a one-per-person section held by both keeps the row changed
    last; audit rows stay (the person's log shows both records' rows).
    """
    _check_mergeable(alias, target)
    on_alias = _check_merge_right(actor, alias)
    on_target = _check_merge_right(actor, target)
    return _merge(actor, alias, target, on_alias=on_alias, on_target=on_target)


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
    if alias.shown_insz:
        raise ValidationError(_("Only a record without INSZ can be merged into another."), code="alias_has_insz")
    on_alias = _check_merge_right(actor, alias)
    target = Person.objects.filter(insz=insz, merged_into=None).first()
    if target is None:
        audit.log_event(actor, Action.PEOPLE_PERSONS_MERGED, allowed=False, reason="not_found", event="access")
        raise not_yours
    try:
        on_target = _check_merge_right(actor, target)
    except (gate.Refused, ValidationError) as error:
        raise not_yours from error
    _check_mergeable(alias, target)
    return _merge(actor, alias, target, on_alias=on_alias, on_target=on_target)


def _review_right(actor: User, record: Person, action: str) -> tuple[gate.Decision, gate.Decision, Person]:
    """The known person's care coordinator reviews a record registered with the person's INSZ:
    the gate for identity changes on the person, and access.rules.may_review_duplicate; both
    refusals are audited. Returns the decisions on the record (the review is the relationship
    its audit row is logged with) and on the known person, and the known person."""
    known = record.possible_duplicate_of
    if known is None or not rules.may_review_duplicate(actor, record):
        gate.refuse(actor, action, {"person": str(record.public_id)}, reason="not_duplicate_reviewer")
    on_known = _check_merge_right(actor, known, action)
    on_record = gate.Decision(True, "granted", Category.IDENTITY, Level.WRITE, "duplicate_review", actor.profile)
    return on_record, on_known, known


def merge_possible_duplicate(actor: User, record: Person) -> Person:
    """Merge a record registered with a known person's INSZ into that person's record (their
    care coordinator only). As any merge: the record's entries, care team (the registrant
    included) and consents move to the person's record, which the coordinator confirms."""
    on_record, on_known, known = _review_right(actor, record, Action.PEOPLE_PERSONS_MERGED)
    return _merge(actor, record, known, on_alias=on_record, on_target=on_known)


def dismiss_possible_duplicate(actor: User, record: Person) -> None:
    """The coordinator tells it is another person (or a mistyped number): the record stays, with
    the number its registrant typed, and is no longer offered for merging."""
    on_record, on_known, known = _review_right(actor, record, Action.PEOPLE_DUPLICATE_DISMISSED)
    with transaction.atomic():
        dismissed = Person.objects.filter(pk=record.pk, possible_duplicate_of=known, merged_into=None).update(
            possible_duplicate_of=None, version=F("version") + 1
        )
        if not dismissed:
            raise Conflict(_("This record was merged or dismissed by someone else in the meantime."))
        detail = {"record": str(record.public_id)}
        audit.log_change(actor, known, Action.PEOPLE_DUPLICATE_DISMISSED, decision=on_known, detail=detail)
        audit.log_change(actor, record, Action.PEOPLE_DUPLICATE_DISMISSED, decision=on_record, detail=detail)
    record.refresh_from_db()


def _merge(actor: User, alias: Person, target: Person, *, on_alias: gate.Decision, on_target: gate.Decision) -> Person:
    """`on_alias`, `on_target`: the gate's decisions that let the merge through on each record;
    each record's audit row takes its relationship and acting-for from its own."""

    with transaction.atomic():
        # Only a record that is still unmerged is merged: two coordinators merging it at the
        # same time do not both move its rows.
        merged = Person.objects.filter(pk=alias.pk, merged_into=None).update(
            merged_into=target, merged_at=timezone.now(), version=F("version") + 1
        )
        if not merged:
            raise Conflict(_("This record was merged by someone else in the meantime."))
        moved: dict[str, int] = {}
        replaced: list[dict[str, str]] = []
        for data in persondata.registered():
            outcome = persondata.merge_rows(data, alias, target, actor)
            moved.update({name: rows for name, rows in outcome.moved.items() if rows})  # what there was
            replaced.extend(outcome.replaced)
        Person.objects.filter(pk=target.pk).update(version=F("version") + 1)
        detail: dict[str, Any] = {"alias": str(alias.public_id), "target": str(target.public_id), "moved": moved}
        if replaced:
            detail["replaced"] = replaced
        audit.log_change(actor, target, Action.PEOPLE_PERSONS_MERGED, decision=on_target, detail=detail)
        audit.log_change(actor, alias, Action.PEOPLE_PERSONS_MERGED, decision=on_alias, detail=detail)
    alias.refresh_from_db()
    target.refresh_from_db()
    return target


# ── Dossier sections ─────────────────────────────────────────────────────────────────────────
#
# One function per change, for pages, API and demo alike. Each passes the gate with the
# section's category (people.sections.SECTION_CATEGORIES) before opening its transaction, locks
# the row and compares the version the user read, so a stale edit never overwrites a newer one,
# and saves with the actor, so that django-simple-history keeps exactly one row per change.


class StaleEdit(Conflict):
    """Someone changed the entry since the user read it. Carries the current entry, so the page
    can show the new version beside the user's own input."""

    def __init__(self, current: SectionRecord) -> None:
        name = str(current.updated_by) if current.updated_by_id else _("someone else")
        when = formats.date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        super().__init__(
            _("This was changed by %(name)s at %(time)s; here is the new version.") % {"name": name, "time": when}
        )
        self.current = current


def _apply(kind: sections.SectionKind, entry: SectionRecord, fields: dict[str, Any]) -> list[str]:
    """Set the section's fields and validate the row; returns the names of the fields that
    changed. Raises ValidationError (per field) without writing anything."""
    unknown = set(fields) - set(kind.fields)
    if unknown:
        raise ValueError(f"Not fields of the {kind.code} section: {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        if getattr(entry, name) != value:
            changed.append(name)
            setattr(entry, name, value)
    # Uniqueness (one row per person for some sections) is the database's to enforce, so that
    # two first saves at once end in a Conflict rather than in a second row.
    entry.full_clean(exclude=["person", "updated_by"], validate_unique=False, validate_constraints=False)
    return changed


def _log(
    actor: User, person: Person, action: str, kind: sections.SectionKind, decision: gate.Decision, **detail: Any
) -> None:
    # Field names only: the access log says what was changed, never the health data itself.
    audit.log_change(
        actor,
        person,
        action,
        decision=decision,
        detail={"section": kind.code, **detail},
    )


def _save_new(actor: User, kind: sections.SectionKind, entry: SectionRecord) -> None:
    entry.updated_by = actor
    entry.updated_at = timezone.now()
    entry._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
    entry.save()


def add_entry(actor: User, person: Person, code: str, **fields: Any) -> SectionRecord:
    """Add a row to a list section (a contact, a visit, an allergy, ...)."""
    kind = sections.kind(code)
    if kind.singleton or not kind.generic:
        raise ValueError(f"The {code} section has no entries to add this way.")
    action = Action.PEOPLE_SECTION_ENTRY_ADDED
    decision = gate.check(actor, person, kind.category, Level.WRITE, action=action)
    entry = kind.model(person=person)
    _apply(kind, entry, fields)
    with transaction.atomic():
        _save_new(actor, kind, entry)
        _log(actor, person, action, kind, decision, entry=str(entry.public_id), fields=sorted(fields))
    return entry


def change_entry(actor: User, entry: SectionRecord, *, version: int, **fields: Any) -> SectionRecord:
    """Change a row the user read at `version`. A stale version raises StaleEdit with the
    current row; an unchanged row is left alone (no new version, no history row)."""
    kind = sections.kind_of(entry)
    if not kind.generic:
        raise ValueError(f"The {kind.code} section is not changed this way.")
    person = entry.person
    action = Action.PEOPLE_SECTION_ENTRY_CHANGED
    decision = gate.check(actor, person, kind.category, Level.WRITE, action=action)
    with transaction.atomic():
        # The lock makes a second writer wait for the first and then see its version.
        row = kind.model.objects.select_for_update().filter(pk=entry.pk).first()
        if row is None:
            raise Conflict(_("Someone else removed this entry in the meantime."))
        if row.version != version:
            raise StaleEdit(row)
        if isinstance(row, MedicationIntake) and row.is_stopped:
            raise ValidationError(
                _("This medication line is stopped and stays as it was. Add a new line to start it again."),
                code="stopped",
            )
        changed = _apply(kind, row, fields)
        if not changed:
            return row
        row.version += 1
        _save_new(actor, kind, row)
        _log(actor, person, action, kind, decision, entry=str(row.public_id), fields=sorted(changed))
    return row


def save_singleton(actor: User, person: Person, code: str, *, version: int, **fields: Any) -> SectionRecord:
    """Save a one-per-person section (home, own words, advance care planning). Version 0 means
    the user saw none yet: the first save creates it, and a second first save is a conflict."""
    kind = sections.kind(code)
    if not kind.singleton:
        raise ValueError(f"The {code} section is a list.")
    existing = kind.model.objects.filter(person=person).first()
    if existing is not None:
        existing.person = person
        if version == 0:
            gate.check(actor, person, kind.category, Level.WRITE, action=Action.PEOPLE_SECTION_ENTRY_CHANGED)
            raise StaleEdit(existing)
        return change_entry(actor, existing, version=version, **fields)
    if version != 0:
        gate.check(actor, person, kind.category, Level.WRITE, action=Action.PEOPLE_SECTION_ENTRY_CHANGED)
        raise Conflict(_("Someone else removed this entry in the meantime."))
    action = Action.PEOPLE_SECTION_ENTRY_ADDED
    decision = gate.check(actor, person, kind.category, Level.WRITE, action=action)
    entry = kind.model(person=person)
    _apply(kind, entry, fields)
    try:
        with transaction.atomic():
            _save_new(actor, kind, entry)
            _log(actor, person, action, kind, decision, entry=str(entry.public_id), fields=sorted(fields))
    except IntegrityError as error:  # someone else saved the first version at the same moment
        raise StaleEdit(kind.model.objects.get(person=person)) from error
    return entry


def remove_entry(actor: User, entry: SectionRecord, *, version: int) -> None:
    """Remove a row from a list section; the history keeps what it held. A medication line is
    never removed: it is stopped (stop_medication), so the schedule's history stays readable."""
    kind = sections.kind_of(entry)
    if kind.singleton or not kind.generic:
        raise ValueError(f"Entries of the {kind.code} section are not removed.")
    if isinstance(entry, MedicationIntake):
        raise ValidationError(
            _("A medication line is not removed: stop it, with the date and the reason."), code="stop_instead"
        )
    person = entry.person
    action = Action.PEOPLE_SECTION_ENTRY_REMOVED
    decision = gate.check(actor, person, kind.category, Level.WRITE, action=action)
    with transaction.atomic():
        row = kind.model.objects.select_for_update().filter(pk=entry.pk).first()
        if row is None:
            raise Conflict(_("Someone else removed this entry in the meantime."))
        if row.version != version:
            raise StaleEdit(row)
        row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        public_id = str(row.public_id)
        row.delete()
        _log(actor, person, action, kind, decision, entry=public_id)


def stop_medication(
    actor: User, entry: MedicationIntake, *, version: int, stopped_on: date | None, reason: str
) -> MedicationIntake:
    """Stop a line of the medication schedule (issue 11): it leaves the active schedule and the
    printed summary, stays listed as stopped with its date and reason, and the history keeps
    every version. A stop is dated today or earlier; the reason is required."""
    kind = sections.kind("medication")
    person = entry.person
    action = Action.PEOPLE_MEDICATION_STOPPED
    decision = gate.check(actor, person, kind.category, Level.WRITE, action=action)
    errors: dict[str, list[ValidationError]] = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = [ValidationError(_("Say why the medication is stopped."), code="required")]
    elif len(reason) > 300:
        errors["reason"] = [ValidationError(_("Say why in at most 300 characters."), code="too_long")]
    if stopped_on is None:
        errors["stopped_on"] = [ValidationError(_("Enter the date the medication is stopped."), code="required")]
    elif stopped_on > timezone.localdate():
        errors["stopped_on"] = [
            ValidationError(_("A stop is recorded on the day it happens or later, not in advance."), code="future_date")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = MedicationIntake.objects.select_for_update().filter(pk=entry.pk).first()
        if row is None:
            raise Conflict(_("Someone else removed this entry in the meantime."))
        if row.version != version:
            raise StaleEdit(row)
        if row.is_stopped:
            raise ValidationError(_("This medication line is already stopped."), code="already_stopped")
        row.stopped_on = stopped_on
        row.stop_reason = reason
        row.version += 1
        _save_new(actor, kind, row)
        _log(actor, person, action, kind, decision, entry=str(row.public_id), fields=["stop_reason", "stopped_on"])
    row.person = person
    return row


# ── Medication problems (DOS-06) ─────────────────────────────────────────────────────────────


def medication_problem_recipients(person: Person, now: datetime | None = None) -> list[User]:
    """Who is told of a medication problem: the team's pharmacists, then its GPs; a team with
    neither tells its care coordinators, so a report always reaches someone. Excluded or
    deactivated users are never told."""
    now = now or timezone.now()
    members = list(
        Membership.objects.active(now)
        .filter(person=person, user__is_active=True)
        .exclude(user__in=Exclusion.objects.active(now).filter(person=person).values("excluded"))
        .select_related("user")
        .order_by("since", "pk")
    )
    chosen = [m.user for m in members if m.profile == Profile.PHARMACIST]
    chosen += [m.user for m in members if m.profile == Profile.GP]
    if not chosen:
        chosen = [m.user for m in members if m.is_coordinator]
    return list({user.pk: user for user in chosen}.values())


def report_medication_problem(
    actor: User, person: Person, *, kind: str, description: str, medication: str = ""
) -> MedicationProblem:
    """Report a side effect or an intake problem. Anyone who may read the medication schedule
    may report (the person, the informal caregiver and the home-care worker notice them first);
    the pharmacist(s) and GP(s) are notified in-app, and the first of them owns the report
    until someone marks it handled."""
    section = sections.kind("medication_problems")
    action = Action.PEOPLE_MEDICATION_PROBLEM_REPORTED
    decision = gate.check(actor, person, section.category, Level.READ, action=action, adds_to_dossier=True)
    recipients = medication_problem_recipients(person)
    problem = MedicationProblem(
        person=person,
        kind=kind,
        description=description.strip(),
        medication=medication.strip(),
        reported_by=actor,
        owner=recipients[0] if recipients else None,
    )
    problem.full_clean(exclude=["person", "updated_by", "reported_by", "owner"], validate_unique=False)
    with transaction.atomic():
        _save_new(actor, section, problem)
        _log(actor, person, action, section, decision, entry=str(problem.public_id), problem=kind)
        # The notification holds no health data: the kind and who reported; the text is
        # rendered in the reader's language.
        params = {"reporter": str(actor), "kind": kind}
        for recipient in recipients:
            if recipient.pk != actor.pk:
                notify(recipient, Notification.Kind.MEDICATION_PROBLEM, person=person, params=params)
    return problem


def mark_problem_handled(actor: User, problem: MedicationProblem, *, version: int, note: str = "") -> MedicationProblem:
    """Close a reported problem: whoever may change the medication schedule, or the team's
    pharmacist, who receives the reports and follows them up (access.rules)."""
    section = sections.kind("medication_problems")
    person = problem.person
    action = Action.PEOPLE_MEDICATION_PROBLEM_HANDLED
    decision = gate.enforce(actor, person, rules.follows_up_medication_problems(actor, person), action=action)
    with transaction.atomic():
        row = MedicationProblem.objects.select_for_update().filter(pk=problem.pk).first()
        if row is None:
            raise Conflict(_("Someone else removed this entry in the meantime."))
        if row.version != version:
            raise StaleEdit(row)
        if not row.is_open:
            raise ValidationError(_("This problem is already marked as handled."), code="already_handled")
        row.handled_at = timezone.now()
        row.handled_by = actor
        row.handled_note = note.strip()
        row.version += 1
        row.full_clean(exclude=["person", "updated_by", "reported_by", "owner", "handled_by"], validate_unique=False)
        _save_new(actor, section, row)
        _log(actor, person, action, section, decision, entry=str(row.public_id))
    return row
