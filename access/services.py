"""Changes to who may see a person's data: consent, exclusions, mandates, representation,
break-the-glass, and the access matrix (docs/access.md).

Each change is authorised first, with the refusal committed to the audit on its own, and then
made and audited in one transaction. Effects on access are immediate: the gate reads these rows
on every request.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate, matrix, rules, signals
from access.models import (
    BreakGlassAccess,
    Consent,
    Exclusion,
    Mandate,
    MatrixCell,
    Representation,
)
from accounts.models import User
from audit import services as audit
from audit.models import AuditEntry
from core.actions import Action
from core.errors import Conflict
from core.identifiers import normalise_insz
from core.vocab import Category, Level, Profile
from people.models import Person

BREAK_GLASS_ACTION = Action.ACCESS_BREAK_GLASS
BREAK_GLASS_MIN_REASON = 10
GIVERS = ("person", "representative")

T = TypeVar("T")


# ── rights the person grants and ends ───────────────────────────────────────────────────────
#
# Consent, an exclusion, a mandate and a legal representation are one shape: a row the person
# (or whoever access.rules lets record it) puts on file, effective at once, and ends later. Each
# kind is a Right: its action codes, who may grant and who may end it (rules of access.rules),
# the rows in force, and how ending one is recorded. Granting validates what differs per kind;
# ending is one function for all four. Each change is authorised first (the refusal committed to
# the audit on its own, a closed dossier refused with a 403), then made and audited in one
# transaction with the decision that let it through.

Rule = Callable[..., gate.Decision]


@dataclass(frozen=True)
class Right:
    kind: str
    granted: Action
    ended: Action
    may_grant: Rule  # called as rule(actor, person, now, change=True)
    may_end: Rule
    party: str  # the detail key naming the other user ("excluded", "holder", ...); "" for consent
    in_force: Callable[[Person, User | None, datetime], QuerySet[Any]]  # the rows an end would end
    end_fields: Callable[[User, datetime], dict[str, object]]
    nothing_to_end: Callable[[User | None], ValidationError]


def _open_mandates(person: Person, holder: User | None, now: datetime) -> QuerySet[Mandate]:
    """In force now or starting later, and not revoked."""
    return Mandate.objects.filter(person=person, holder=holder, revoked_by=None).filter(
        Q(until__isnull=True) | Q(until__gt=now)
    )


CONSENT = Right(
    kind="consent",
    granted=Action.ACCESS_CONSENT_RECORDED,
    ended=Action.ACCESS_CONSENT_WITHDRAWN,
    may_grant=rules.consent_recording,
    may_end=rules.own_rights,  # only the person or the representative withdraw it
    party="",
    in_force=lambda person, _other, now: Consent.objects.active(now).filter(person=person, basis=Consent.Basis.CONSENT),
    end_fields=lambda actor, now: {"until": now, "withdrawn_by": actor},
    nothing_to_end=lambda _other: ValidationError(_("There is no consent on file to withdraw."), code="no_consent"),
)
EXCLUSION = Right(
    kind="exclusion",
    granted=Action.ACCESS_USER_EXCLUDED,
    ended=Action.ACCESS_EXCLUSION_LIFTED,
    may_grant=rules.own_rights,
    may_end=rules.own_rights,
    party="excluded",
    in_force=lambda person, other, now: Exclusion.objects.active(now).filter(person=person, excluded=other),
    end_fields=lambda _actor, now: {"until": now},
    nothing_to_end=lambda other: ValidationError(
        _("%(name)s is not excluded."), code="not_excluded", params={"name": other}
    ),
)
MANDATE = Right(
    kind="mandate",
    granted=Action.ACCESS_MANDATE_GRANTED,
    ended=Action.ACCESS_MANDATE_REVOKED,
    may_grant=rules.own_rights,
    may_end=rules.own_rights,
    party="holder",
    in_force=_open_mandates,
    end_fields=lambda actor, now: {"until": now, "revoked_by": actor},
    nothing_to_end=lambda other: ValidationError(
        _("%(name)s holds no mandate."), code="no_mandate", params={"name": other}
    ),
)
REPRESENTATION = Right(
    kind="representation",
    granted=Action.ACCESS_REPRESENTATION_RECORDED,
    ended=Action.ACCESS_REPRESENTATION_ENDED,
    # A decision taken outside Schakel, recorded by whoever may record consent.
    may_grant=rules.consent_recording,
    may_end=rules.consent_recording,
    party="representative",
    in_force=lambda person, other, now: Representation.objects.active(now).filter(person=person, representative=other),
    end_fields=lambda _actor, now: {"until": now},
    nothing_to_end=lambda other: ValidationError(
        _("%(name)s does not represent the person."), code="not_representative", params={"name": other}
    ),
)
RIGHTS = {right.kind: right for right in (CONSENT, EXCLUSION, MANDATE, REPRESENTATION)}


def _authorised(actor: User, person: Person, rule: Rule, action: str, now: datetime) -> gate.Decision:
    return gate.enforce(actor, person, rule(actor, person, now, change=True), action=action)


def _party(right: Right, other: User | None) -> dict[str, object]:
    return {right.party: str(other.public_id)} if right.party and other is not None else {}


def _grant(
    actor: User, person: Person, right: Right, decision: gate.Decision, create: Callable[[], T], detail: dict[str, Any]
) -> T:
    """Put a validated right on file and audit it with the decision that let it through."""
    with transaction.atomic():
        row = create()
        audit.log_change(actor, person, right.granted, decision=decision, detail=detail)
    return row


def end(actor: User, person: Person, right: Right, other: User | None = None, *, now: datetime | None = None) -> int:
    """End a right in force (withdraw consent, lift an exclusion, revoke a mandate, end a
    representation): effective at once, since the gate reads these rows on every request."""
    now = now or timezone.now()
    decision = _authorised(actor, person, right.may_end, right.ended, now)
    rows = right.in_force(person, other, now)
    if not rows.exists():
        raise right.nothing_to_end(other)
    with transaction.atomic():
        count = rows.update(**right.end_fields(actor, now))
        audit.log_change(actor, person, right.ended, decision=decision, detail=_party(right, other) or None)
    return count


def record_consent(actor: User, person: Person, *, given_by: str = "", now: datetime | None = None) -> Consent:
    """Put the person's consent to share with their care team on file.

    The person or their representative give it themselves; a professional who holds the
    registration legal basis, or a team member whom the matrix lets write acp, records the
    consent the person (or representative) expressed, saying who gave it.
    """
    now = now or timezone.now()
    decision = _authorised(actor, person, CONSENT.may_grant, CONSENT.granted, now)
    if decision.relationship == "self":
        given_by = "person"
    elif decision.relationship == "representative":
        given_by = "representative"
    elif given_by not in GIVERS:
        raise ValidationError(
            _("Say who gave the consent: the person or their legal representative."), code="given_by_required"
        )
    if CONSENT.in_force(person, None, now).exists():
        raise ValidationError(_("The person's consent is already on file."), code="consent_exists")

    def create() -> Consent:
        return Consent.objects.create(
            person=person, basis=Consent.Basis.CONSENT, given_by=given_by, recorded_by=actor, since=now
        )

    return _grant(actor, person, CONSENT, decision, create, {"given_by": given_by})


def withdraw_consent(actor: User, person: Person, *, now: datetime | None = None) -> int:
    """End the person's consent. The care team loses access at once; the legal basis of the
    professional who registered the person stays (identity, and recording a new consent)."""
    return end(actor, person, CONSENT, now=now)


def exclude_user(actor: User, person: Person, excluded: User, *, now: datetime | None = None) -> Exclusion:
    """The person excludes a named user from their whole dossier, emergencies included (ACC-02)."""
    now = now or timezone.now()
    decision = _authorised(actor, person, EXCLUSION.may_grant, EXCLUSION.granted, now)
    if excluded.pk in (actor.pk, person.account_id):
        raise ValidationError(_("You cannot exclude yourself or the person."), code="exclude_self")
    if gate.is_excluded(person, excluded, now):
        raise ValidationError(_("%(name)s is already excluded."), code="already_excluded", params={"name": excluded})

    def create() -> Exclusion:
        return Exclusion.objects.create(person=person, excluded=excluded, recorded_by=actor, since=now)

    return _grant(actor, person, EXCLUSION, decision, create, _party(EXCLUSION, excluded))


def lift_exclusion(actor: User, person: Person, excluded: User, *, now: datetime | None = None) -> int:
    return end(actor, person, EXCLUSION, excluded, now=now)


def grant_mandate(
    actor: User,
    person: Person,
    holder: User,
    categories: list[str],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> Mandate:
    """Let the holder act for the person on the named categories, for a period. The holder
    reads with the person's own row of the matrix, never more, and can never change consent,
    exclusions or mandates."""
    now = now or timezone.now()
    decision = _authorised(actor, person, MANDATE.may_grant, MANDATE.granted, now)
    since = since or now
    scope = sorted(set(categories))
    if not scope or any(code not in Category.values for code in scope):
        raise ValidationError(_("Choose at least one kind of information the mandate covers."), code="scope_required")
    if until is not None and until <= since:
        raise ValidationError(_("The mandate must end after it starts."), code="period_order")
    if holder.pk in (actor.pk, person.account_id):
        raise ValidationError(_("Choose someone other than the person to hold the mandate."), code="holder_self")
    if gate.is_excluded(person, holder, now):
        raise ValidationError(
            _("%(name)s is excluded; lift the exclusion first."), code="holder_excluded", params={"name": holder}
        )
    if MANDATE.in_force(person, holder, now).exists():
        raise ValidationError(
            _("%(name)s already holds a mandate; revoke it first to give a new one."),
            code="mandate_exists",
            params={"name": holder},
        )

    def create() -> Mandate:
        return Mandate.objects.create(
            person=person, holder=holder, categories=scope, granted_by=actor, since=since, until=until
        )

    detail = {
        **_party(MANDATE, holder),
        "categories": scope,
        "since": since.isoformat(),
        "until": until.isoformat() if until else None,
    }
    return _grant(actor, person, MANDATE, decision, create, detail)


def revoke_mandate(actor: User, person: Person, holder: User, *, now: datetime | None = None) -> int:
    return end(actor, person, MANDATE, holder, now=now)


def record_representation(
    actor: User,
    person: Person,
    representative: User,
    legal_ground: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Representation:
    """Record a legal representative (court-appointed administrator, parent, or one the person
    designated). A decision taken outside Schakel, recorded by whoever may record consent: the
    person, a representative, the registering professional, or a team member whom the matrix
    lets write acp. Consent is not needed: a representative matters most when consent cannot
    be given."""
    now = timezone.now()
    decision = _authorised(actor, person, REPRESENTATION.may_grant, REPRESENTATION.granted, now)
    since = since or now
    legal_ground = (legal_ground or "").strip()
    if not legal_ground:
        raise ValidationError(_("Name the legal ground of the representation."), code="legal_ground_required")
    if representative.pk == person.account_id:
        raise ValidationError(_("The person cannot be their own representative."), code="representative_self")
    if until is not None and until <= since:
        raise ValidationError(_("The representation must end after it starts."), code="period_order")
    if REPRESENTATION.in_force(person, representative, now).exists():
        raise ValidationError(
            _("%(name)s already represents the person."), code="already_representative", params={"name": representative}
        )

    def create() -> Representation:
        return Representation.objects.create(
            person=person,
            representative=representative,
            legal_ground=legal_ground,
            since=since,
            until=until,
            recorded_by=actor,
        )

    detail = {**_party(REPRESENTATION, representative), "legal_ground": legal_ground}
    return _grant(actor, person, REPRESENTATION, decision, create, detail)


def end_representation(actor: User, person: Person, representative: User, *, now: datetime | None = None) -> int:
    return end(actor, person, REPRESENTATION, representative, now=now)


# ── break the glass ─────────────────────────────────────────────────────────────────────────


def insz_digest(insz: str) -> str:
    """A keyed hash of an INSZ, so the audit can tell repeated attempts apart without ever
    holding the number itself."""
    return hmac.new(settings.SECRET_KEY.encode(), insz.encode(), hashlib.sha256).hexdigest()


def break_glass_attempts(actor: User, now: datetime) -> int:
    """Attempts in the rolling 24 hours, matched or not; refusals for the limit itself do not count."""
    return (
        AuditEntry.objects.filter(
            actor_id=actor.pk, action=BREAK_GLASS_ACTION, created_at__gt=now - timedelta(hours=24)
        )
        .exclude(reason="rate_limited")
        .count()
    )


def _no_emergency_access(actor: User, person: Person | None, reason: str, detail: dict[str, str]) -> ValidationError:
    audit.log_event(
        actor,
        BREAK_GLASS_ACTION,
        allowed=False,
        reason=reason,
        person=person,
        event=AuditEntry.Event.BREAK_GLASS,
        detail=detail,
    )
    # One answer for no match, an exclusion and a profile that may not: it never tells whether
    # the person is known.
    return ValidationError(_("No emergency access was opened."), code="no_emergency_access")


def break_glass(actor: User, insz: str, reason: str, *, now: datetime | None = None) -> BreakGlassAccess:
    """Emergency access for a health professional with no relationship (ACC-04): the exact
    INSZ and a reason; read-only, the emergency categories only, for ACCESS_BREAK_GLASS_HOURS;
    rate-limited; audited even without a match; notified to the coordinator (or the zone admin)
    and to the person."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            _("Give the reason for emergency access in at least %(n)d characters."),
            code="reason_too_short",
            params={"n": BREAK_GLASS_MIN_REASON},
        )
    insz = normalise_insz(insz or "")
    detail = {"insz_hmac": insz_digest(insz)}
    limit = settings.ACCESS_BREAK_GLASS_PER_DAY
    if break_glass_attempts(actor, now) >= limit:
        audit.log_event(
            actor,
            BREAK_GLASS_ACTION,
            allowed=False,
            reason="rate_limited",
            event=AuditEntry.Event.BREAK_GLASS,
            detail=detail,
        )
        raise ValidationError(
            _(
                "You have used emergency access %(n)d times in the last 24 hours, the most allowed. Contact the zone helpdesk."
            ),
            code="rate_limited",
            params={"n": limit},
        )
    if not rules.may_use_emergency_access(actor):
        raise _no_emergency_access(actor, None, "not_health_professional", detail)
    person = Person.objects.filter(insz=insz, merged_into=None).first()
    if person is None:
        raise _no_emergency_access(actor, None, "no_match", detail)
    if gate.is_excluded(person, actor, now):
        raise _no_emergency_access(actor, person, "excluded", detail)
    until = now + timedelta(hours=settings.ACCESS_BREAK_GLASS_HOURS)
    with transaction.atomic():
        grant = BreakGlassAccess.objects.create(person=person, actor=actor, reason=reason, since=now, until=until)
        audit.log_change(
            actor,
            person,
            BREAK_GLASS_ACTION,
            event=AuditEntry.Event.BREAK_GLASS,
            decision=gate.Decision(True, "granted", "", Level.READ, "break_glass", actor.profile),
            detail={**detail, "reason": reason, "until": until.isoformat()},
        )
        # The notifications app tells them (it sits above access and listens).
        signals.break_glass_opened.send(
            sender=BreakGlassAccess,
            person=person,
            actor=actor,
            grant=grant,
            recipients=break_glass_recipients(person, actor, now),
        )
    return grant


def break_glass_recipients(person: Person, actor: User, now: datetime) -> list[User]:
    """The person's coordinators, or with none every active zone admin; and the person
    themself and their legal representatives, so that they see it too."""
    coordinator_ids = person.memberships.active(now).filter(is_coordinator=True).values_list("user_id", flat=True)
    recipients = list(User.objects.filter(pk__in=coordinator_ids, is_active=True))
    if not recipients:
        recipients = list(User.objects.filter(profile=Profile.ZONE_ADMIN, is_active=True))
    own_ids = list(Representation.objects.active(now).filter(person=person).values_list("representative_id", flat=True))
    if person.account_id:
        own_ids.append(person.account_id)
    recipients += list(User.objects.filter(pk__in=own_ids, is_active=True))
    unique = {user.pk: user for user in recipients if user.pk != actor.pk}
    return sorted(unique.values(), key=lambda user: user.pk)


# ── the access matrix ───────────────────────────────────────────────────────────────────────


EDIT_CELL = Action.ACCESS_MATRIX_CELL_EDITED


def require_zone_admin(actor: User, action: str, detail: dict[str, str] | None = None) -> None:
    """Only the zone admin changes the matrix; anyone else gets 403, and the refusal is audited."""
    if rules.is_zone_admin(actor):
        return
    audit.log_event(actor, action, allowed=False, reason="not_zone_admin", event=AuditEntry.Event.CHANGE, detail=detail)
    raise PermissionDenied


def edit_cell(actor: User, cell: MatrixCell, level: str, *, version: int) -> MatrixCell:
    """The zone admin sets one cell. The history keeps who changed what, when; a later shipped
    file never overwrites the zone's value. Setting a cell back to the shipped level makes it
    follow the file again."""
    action = EDIT_CELL
    require_zone_admin(actor, action, {"profile": cell.profile, "category": cell.category})
    if level not in Level.values:
        raise ValidationError(_("Choose no access, read, or read and write."), code="invalid_level")
    with transaction.atomic():
        row = MatrixCell.objects.select_for_update().get(pk=cell.pk)
        if row.version != version:
            raise Conflict(_("Someone else changed this rule. Reload to see their change."))
        if row.level == level:
            raise ValidationError(_("The rule already has this level."), code="unchanged")
        before = row.level
        follows_file = level == row.shipped_level
        row.level = level
        row.edited_by = None if follows_file else actor
        row.edited_at = None if follows_file else timezone.now()
        row.version += 1
        row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history records it
        row.save()
        audit.log_change(
            actor,
            None,
            action,
            detail={"profile": row.profile, "category": row.category, "before": before, "after": level},
        )
    return row


def reload_matrix(actor: User, shipped: matrix.MatrixFile) -> list[matrix.CellChange]:
    """Load a newer shipped file: unedited cells follow it, the zone's edits are kept and the
    conflicts reported (access.matrix.load)."""
    action = Action.ACCESS_MATRIX_RELOADED
    require_zone_admin(actor, action, {"version": shipped.version})
    with transaction.atomic():
        changes = matrix.load(shipped, actor=actor)
        audit.log_change(
            actor,
            None,
            action,
            detail={
                "version": shipped.version,
                "changed": sum(1 for change in changes if not change.zone_edited),
                "kept": [f"{c.profile}.{c.category}" for c in changes if c.conflict],
            },
        )
    return changes
