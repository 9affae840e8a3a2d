"""The rules of access that are not cells of the matrix, each a named function with its reason.

The matrix (access.gate.decide) says which role may read or write which category. A few rights
are not a category at all: who manages the person's own rights, who records consent, who sees
the person's access log, who closes a dossier, what the zone roles may do. They live here, and
nowhere else: services, queries, views and templates ask these functions (docs/access.md).

A rule that decides about one person returns a gate Decision, so that access.gate.enforce()
audits it and answers a refusal as the decision says (404, or 403 with a sentence).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from access.gate import (
    Decision,
    decide,
    has_consent_or_legal_basis,
    is_excluded,
    relationships_at,
    unless_closed,
    write_lock,
)
from access.models import Consent, MatrixProfile
from accounts import queries as account_queries
from accounts.models import User
from core import memo
from core.vocab import PRIVATE_PROFILES, Category, Level, Profile
from people.models import Person

# The relationship kinds that stand for the person: the person themself and their legal representative.
OWN_KINDS = ("self", "representative")


def _deny(reason: str, category: str, level: str, kind: str = "", profile: str = "") -> Decision:
    return Decision(False, reason, category, level, kind, profile)


# ── Zone roles ──────────────────────────────────────────────────────────────────────────────


def is_zone_admin(user: User) -> bool:
    """The zone administrator runs the zone: the matrix, invitations, reopening a dossier. A
    zone role, not a care role: it never opens a dossier by itself (the matrix gives it nothing).
    The profile check itself is accounts' (accounts.queries.is_zone_admin), a layer below, whose
    own pages (users, invitations) need it too."""
    return account_queries.is_zone_admin(user)


def _acts_as(user: User, *profiles: str) -> bool:
    """A logged-in, active account of one of these zone profiles."""
    return bool(user.is_authenticated and user.is_active and user.profile in profiles)


def is_dpo(user: User) -> bool:
    """The data protection officer alone searches the access log by user (NEN 7513)."""
    return _acts_as(user, Profile.DPO)


def reads_internal_notes(user: User) -> bool:
    """The matrix's working notes (a rule marked "our own choice, to be reviewed by the care zone")
    are for the zone admin, who reviews them, and the DPO; everyone else reads what the rule is
    based on in plain words (issue 11)."""
    return is_zone_admin(user) or is_dpo(user)


def curates_social_map(user: User) -> bool:
    """The zone admin and the helpdesk keep the social map current; no care role does."""
    return _acts_as(user, Profile.ZONE_ADMIN, Profile.HELPDESK)


def lists_closed_dossiers(user: User) -> bool:
    """The zone admin (who reopens) and the DPO (who answers for the purge) see the list of closed
    dossiers; it names persons, so nobody else does."""
    return is_zone_admin(user) or is_dpo(user)


def may_register_person(user: User) -> bool:
    """Which profiles may register a person is matrix data (`may_register` of each profile in
    access/matrix/default.toml, with its rationale): registering makes the registrant a member of
    the care team, so the zone roles may not. Only ever a professional, whatever the matrix says:
    the registrant gets a legal basis (GDPR art. 9(2)(h)) the person's own circle has no ground for."""
    if not (user.is_authenticated and user.is_active and user.is_professional):
        return False
    return memo.remember(
        ("may_register", user.profile),
        lambda: MatrixProfile.objects.filter(code=user.profile, may_register=True).exists(),
    )


def may_use_emergency_access(user: User) -> bool:
    """Only the health professionals (`health_professional` of the matrix's profiles) may break
    the glass: the regulated professions who may have to act at once for a stranger."""
    return bool(user.is_authenticated and user.is_active) and memo.remember(
        ("health_professional", user.profile),
        lambda: MatrixProfile.objects.filter(code=user.profile, health_professional=True).exists(),
    )


# ── The person's own rights ─────────────────────────────────────────────────────────────────


def stands_for_the_person(relationship: str) -> bool:
    """Whether a relationship kind (a decision's `relationship`) is the person themself or their
    legal representative: the two who hold the person's own rights."""
    return relationship in OWN_KINDS


def is_person_or_representative(actor: User, person: Person, now: datetime | None = None) -> bool:
    """The person themself or their legal representative. Only they manage the person's own
    rights (consent, exclusions, mandates), read the access log, download the subject-access
    export: a mandate, a team role or coordination never suffices, since a mandate holder
    could otherwise widen their own mandate and a team could silence the person."""
    return actor.is_active and any(rel.kind in OWN_KINDS for rel in relationships_at(actor, person, now))


def is_coordinator(actor: User, person: Person, now: datetime | None = None) -> bool:
    """The care coordinator of the person's team (TEAM-02): manages the team, merges duplicate
    records, asks "why can't X see this?", closes the dossier."""
    return any(rel.is_coordinator for rel in relationships_at(actor, person, now))


def own_rights(actor: User, person: Person, now: datetime | None = None, *, change: bool = False) -> Decision:
    """May the actor see or (`change`) manage consent, exclusions and mandates? Only the person
    or their legal representative (is_person_or_representative). Anyone else gets the outsider's
    404. A change to a closed dossier is refused with a 403 that says why.

    Consent belongs to the acp category; opening the page (`change` False) is logged as a read,
    only a change as a write."""
    level = Level.WRITE if change else Level.READ
    if not actor.is_active:
        return _deny("inactive", Category.ACP, level)
    found = relationships_at(actor, person, now)
    own = [rel for rel in found if rel.kind in OWN_KINDS]
    if own:
        # A representative acts for the person: the log names the person as the one acted for.
        granted = Decision(True, "granted", Category.ACP, level, own[0].kind, own[0].profile, own[0].acting_for_id)
        return unless_closed(granted, person) if change else granted
    if not found:
        return _deny("no_relationship", Category.ACP, level)
    return _deny("not_person_or_representative", Category.ACP, level, found[0].kind, found[0].profile)


def holds_recording_basis(actor: User, person: Person, now: datetime) -> bool:
    """A legal basis naming the actor that covers recording consent (the registration basis,
    people.services.REGISTRATION_LEGAL_BASIS, covers identity and acp)."""
    rows = Consent.objects.active(now).filter(person=person, basis=Consent.Basis.LEGAL_BASIS, holder=actor)
    return any(row.categories is None or Category.ACP in row.categories for row in rows)


def consent_recording(actor: User, person: Person, now: datetime | None = None, *, change: bool = False) -> Decision:
    """May the actor record consent, or a legal representative? The person or their
    representative give consent; a professional who holds the registration legal basis, or a
    team member whom the matrix lets write acp, records the consent the person expressed.
    Consent itself is not required to record it (it is what is being recorded)."""
    decision = _consent_recording(actor, person, now)
    if change:
        return unless_closed(decision, person)
    # Opening the page to record consent reads; only recording it writes (the log says which).
    return replace(decision, level=Level.READ)


def _consent_recording(actor: User, person: Person, now: datetime | None) -> Decision:
    own = own_rights(actor, person, now)
    if own.allowed or own.reason in ("inactive", "no_relationship"):
        return own
    found = relationships_at(actor, person, now)
    if is_excluded(person, actor, now):
        return _deny("excluded", Category.ACP, Level.WRITE, found[0].kind, found[0].profile)
    if holds_recording_basis(actor, person, now or timezone.now()):
        rel = found[0]
        return Decision(True, "granted", Category.ACP, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
    decision = decide(actor, person, Category.ACP, Level.WRITE, now)
    if decision.reason == "no_consent":
        # Relationship and matrix hold (decide checks them first); the exclusion was checked above.
        rel = next(r for r in found if r.kind == decision.relationship)
        return Decision(True, "granted", Category.ACP, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
    return decision


def person_log(actor: User, person: Person) -> Decision:
    """May the actor read "who looked at my dossier"? Only the person and their representative
    (ACC-03): anyone else, a mandate holder or the care team included, gets the outsider's 404.

    The access log is no category of the matrix: the row names no category (its action says what
    was opened), so that a refusal is never shown as a refused read of a part of the dossier."""
    allowed = is_person_or_representative(actor, person)
    return Decision(
        allowed,
        "granted" if allowed else "not_person_or_representative",
        "",
        Level.READ,
        relationship="self_or_representative" if allowed else "",
    )


def subject_access_export(actor: User, person: Person) -> Decision:
    """May the actor download everything Schakel holds on the person (GDPR art. 15)? The person
    and their representative only. Someone who knows the person (a team member, a mandate
    holder) is told so with a 403, since a 404 would hide nothing from them; a stranger gets 404,
    and so does someone the person excluded, who must not learn that they were."""
    if is_person_or_representative(actor, person):
        return Decision(True, "granted", Category.IDENTITY, Level.READ)
    found = relationships_at(actor, person, None) if actor.is_active else []
    if found and is_excluded(person, actor):
        return Decision(False, "excluded", Category.IDENTITY, Level.READ, found[0].kind, found[0].profile)
    if found:
        refusal = Decision(False, "not_person_or_representative", Category.IDENTITY, Level.READ)
        return refusal.answered_with_403(_("Only the person and their legal representative can download this export."))
    return Decision(False, "no_relationship", Category.IDENTITY, Level.READ)


def explanation(actor: User, person: Person, now: datetime, *, about_someone_else: bool) -> Decision:
    """May the actor ask "why can or can't I see this?" Anyone with an active relationship may
    ask about themself; only the person, their representative and the coordinator may ask about
    someone else. An excluded user is refused like anyone without access, so they never learn
    that they were excluded."""
    if not actor.is_active:
        return Decision(False, "inactive", "", "read")
    rels = relationships_at(actor, person, now)
    if not rels:
        return Decision(False, "no_relationship", "", "read")
    if is_excluded(person, actor, now):
        return Decision(False, "excluded", "", "read", rels[0].kind, rels[0].profile)
    privileged = [rel for rel in rels if rel.kind in OWN_KINDS or rel.is_coordinator]
    if about_someone_else and not privileged:
        return Decision(False, "not_person_representative_or_coordinator", "", "read", rels[0].kind, rels[0].profile)
    chosen = (privileged or rels)[0]
    return Decision(True, "granted", "", "read", chosen.kind, chosen.profile, chosen.acting_for_id)


def may_ask_about_others(actor: User, person: Person, now: datetime) -> bool:
    """The person, their representative and the coordinator may ask why someone else can or
    can't see a category: they decide about the team and the person's rights."""
    return any(rel.kind in OWN_KINDS or rel.is_coordinator for rel in relationships_at(actor, person, now))


# ── Medication problems ─────────────────────────────────────────────────────────────────────

# Seed 004: "problemen met medicatie melden bij apotheek, dokter". A reported intake problem or
# side effect goes to the team's pharmacist (and GP), who follows it up; the pharmacist's matrix
# row only reads the schedule, so following up is this rule, not a cell.
FOLLOWS_UP_MEDICATION_PROBLEMS = frozenset({Profile.PHARMACIST})


def follows_up_medication_problems(actor: User, person: Person, now: datetime | None = None) -> Decision:
    """May the actor follow up reported medication problems: mark one handled, and write to the
    team about medication? Whoever may change the medication schedule, and a pharmacist on the
    care team who may read it (the reports go to them, people.services). Not under emergency
    access, which only reads. A reader who may not is told so with a 403 (the gate's answer to a
    write refused to a reader); anyone else gets the outsider's 404."""
    write = decide(actor, person, Category.MEDICATION, Level.WRITE, now)
    if write.allowed:
        return write
    read = decide(actor, person, Category.MEDICATION, Level.READ, now)
    if not read.allowed:
        return write
    team = [
        rel
        for rel in relationships_at(actor, person, now)
        if rel.kind == "team" and rel.profile in FOLLOWS_UP_MEDICATION_PROBLEMS
    ]
    if not team:
        return write
    granted = Decision(True, "granted", Category.MEDICATION, Level.READ, team[0].kind, team[0].profile)
    return unless_closed(granted, person)


# ── Early signals ───────────────────────────────────────────────────────────────────────────


def records_early_signals(actor: User, person: Person, category: str, now: datetime | None = None) -> Decision:
    """May the actor record an early signal (PLAN-06: a fall, a caregiver at the end of their
    strength) filed under `category`? Every active member of the care team, whatever their
    role, and the person themself or their representative: those who notice first (the informal
    caregiver, the home-care worker, a neighbour) often may not read the category the signal
    belongs to, and recording one changes nothing already in the dossier. Reading the signals
    afterwards needs read on their category; following them up needs write on the plan (the
    gate's cells). Not under emergency access or a mandate alone, not for an excluded member,
    never on a closed dossier. Someone with another relationship is told so with a 403;
    anyone else gets the outsider's 404."""
    if not actor.is_active:
        return _deny("inactive", category, Level.WRITE)
    found = relationships_at(actor, person, now)
    if not found:
        return _deny("no_relationship", category, Level.WRITE)
    first = found[0]
    if is_excluded(person, actor, now):
        return _deny("excluded", category, Level.WRITE, first.kind, first.profile)
    for rel in found:
        if rel.kind == "team" or rel.kind in OWN_KINDS:
            granted = Decision(True, "granted", category, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
            return unless_closed(granted, person)
    refusal = _deny("not_team_member", category, Level.WRITE, first.kind, first.profile)
    return refusal.answered_with_403(_("Only members of the care team can record an early signal."))


def sees_open_emergency_accesses(actor: User, person: Person) -> bool:
    """Who is shown, on top of the dossier, every emergency access open on the person now: the
    person, their legal representative and the care coordinator, who are each notified of it
    anyway. Anyone else is shown only their own emergency access."""
    return is_person_or_representative(actor, person) or is_coordinator(actor, person)


def sees_professional_contacts(actor: User, person: Person) -> bool:
    """Team members' priority numbers and e-mail addresses are for professionals only (TEAM-04):
    a member in a professional role, or a professional under emergency access."""
    return any(rel.profile not in PRIVATE_PROFILES for rel in relationships_at(actor, person, None))


# ── The care plan: "did it help?" (PLAN-04) ───────────────────────────────────────────────────

# The person's circle on the care team who answer "did it help?" in their own name, as the person
# and their legal representative do. A neighbour or volunteer does not: they do not read the plan.
ANSWERS_DID_IT_HELP = frozenset({Profile.INFORMAL_CAREGIVER, Profile.FAMILY, Profile.TRUST_PERSON})


def did_it_help_answer(actor: User, person: Person, now: datetime | None = None) -> Decision:
    """May the actor answer whether a done action of the person helped (PLAN-04)? The person,
    their legal representative, and the informal caregivers, family and trust persons of the
    care team answer in their own name; each must be able to read the plan. A professional whom
    the matrix lets write the plan records the answer the person or a caregiver gave them: the
    decision then names the person as the one acted for (acting_for, NEN 7513), as a mandate
    does. Someone else who reads the plan (a pharmacist, say) is told so with a 403; anyone who
    may not read the plan gets the gate's refusal (the outsider's 404). A closed dossier refuses
    an answer, as it refuses a write."""
    read = decide(actor, person, Category.PLAN, Level.READ, now)
    if not read.allowed:
        return replace(read, level=Level.WRITE)
    circle = [
        rel
        for rel in relationships_at(actor, person, now)
        if rel.kind in OWN_KINDS or (rel.kind == "team" and rel.profile in ANSWERS_DID_IT_HELP)
    ]
    if circle:
        rel = circle[0]
        granted = Decision(True, "granted", Category.PLAN, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
        return unless_closed(granted, person)
    write = decide(actor, person, Category.PLAN, Level.WRITE, now)
    if write.allowed:
        return replace(write, acting_for_id=person.account_id)
    if write.status == 403 and write.reason == "closed":
        return write
    refusal = _deny("not_person_or_circle", Category.PLAN, Level.WRITE, read.relationship, read.profile)
    return refusal.answered_with_403(
        _(
            "Only the person, their representative or a caregiver says whether an action helped; "
            "a professional who keeps the plan can write down their answer."
        )
    )


# ── The care plan's actions ─────────────────────────────────────────────────────────────────


def _as_owner(
    actor: User, person: Person, owner_user_id: int, owner_active: bool, level: str, now: datetime | None
) -> Decision:
    """The owner of one action of the person's plan, through an active membership of the
    person's care team: granted with no matrix cell (the action was given to them), but still
    only with an active team relationship, consent (or a relationship that needs none) and no
    exclusion. Anyone else is refused with the reason `not_owner` (404 unless told otherwise)."""
    category = Category.PLAN
    if not actor.is_active:
        return _deny("inactive", category, level)
    found = relationships_at(actor, person, now)
    if not found:
        return _deny("no_relationship", category, level)
    if is_excluded(person, actor, now):
        return _deny("excluded", category, level, found[0].kind, found[0].profile)
    team = [rel for rel in found if rel.kind == "team"]
    if not team or owner_user_id != actor.pk or not owner_active:
        return _deny("not_owner", category, level, found[0].kind, found[0].profile)
    rel = team[0]
    if rel.needs_consent and not has_consent_or_legal_basis(person, actor, category, now or timezone.now()):
        return _deny("no_consent", category, level, rel.kind, rel.profile)
    return Decision(True, "granted", category, level, rel.kind, rel.profile, rel.acting_for_id)


def reads_own_action(
    actor: User, person: Person, owner_user_id: int, *, owner_active: bool, now: datetime | None = None
) -> Decision:
    """May the actor open one action of the person's plan? Whoever may read the plan (the gate),
    and its owner: a neighbour or volunteer (plan and wishes: none in the matrix) sees the
    actions assigned to them and nothing else of the plan (issue 12, "the neighbour rule",
    docs/access.md). Any other action is refused with the outsider's 404, identical to an id
    that does not exist: the answer never tells that the action exists."""
    read = decide(actor, person, Category.PLAN, Level.READ, now)
    if read.allowed:
        return read
    own = _as_owner(actor, person, owner_user_id, owner_active, Level.READ, now)
    return own if own.allowed else read


def owns_action(
    actor: User, person: Person, owner_user_id: int, *, owner_active: bool, now: datetime | None = None
) -> Decision:
    """May the actor answer for an action: accept it, decline it, move its status along? Only
    its owner, through an active membership of the care team (a caregiver or a neighbour owns
    actions too, without writing the plan). Someone who may read the plan is told with a 403
    that only the owner may; anyone else gets the outsider's 404. A closed dossier refuses it."""
    decision = _as_owner(actor, person, owner_user_id, owner_active, Level.WRITE, now)
    if decision.allowed:
        return unless_closed(decision, person)
    if decision.reason == "not_owner" and decide(actor, person, Category.PLAN, Level.READ, now).allowed:
        return decision.answered_with_403(_("Only the person this action is assigned to can do this."))
    return decision


def sees_own_actions_only(actor: User, person: Person, now: datetime | None = None) -> bool:
    """For the "why" page: a team member whom the matrix gives no access to the plan still opens
    the actions assigned to them (reads_own_action)."""
    return any(rel.kind == "team" for rel in relationships_at(actor, person, now)) and not is_excluded(
        person, actor, now
    )


# ── Closing a dossier, merging records ──────────────────────────────────────────────────────


def closing(actor: User, person: Person, now: datetime | None = None) -> Decision:
    """May the actor close the dossier (for some reason)? The zone admin, the coordinator, the
    person or their representative. Like the gate, someone with no relationship gets the
    outsider's 404; the others learn with a 403 that they may not."""
    if not actor.is_active:
        return Decision(False, "inactive", Category.IDENTITY, Level.WRITE)
    if is_zone_admin(actor):
        return Decision(True, "granted", Category.IDENTITY, Level.WRITE, "zone_admin", actor.profile)
    found = relationships_at(actor, person, now)
    if not found:
        return Decision(False, "no_relationship", Category.IDENTITY, Level.WRITE)
    first = found[0]
    if is_excluded(person, actor, now):
        return Decision(False, "excluded", Category.IDENTITY, Level.WRITE, first.kind, first.profile)
    for rel in found:
        if rel.is_coordinator or rel.kind in OWN_KINDS:
            return Decision(True, "granted", Category.IDENTITY, Level.WRITE, rel.kind, rel.profile, rel.acting_for_id)
    refusal = Decision(False, "not_coordinator_or_person", Category.IDENTITY, Level.WRITE, first.kind, first.profile)
    return refusal.answered_with_403(_("Only the care coordinator, the person or their representative can do this."))


def may_merge(actor: User, person: Person) -> bool:
    """A record registered without INSZ is merged into the INSZ record by the coordinator of
    both (the service checks the second record): they know the team and can tell it is one
    person."""
    return not person.shown_insz and is_coordinator(actor, person)


def may_review_duplicate(actor: User, record: Person) -> bool:
    """A record registered with a known person's INSZ (people.services.register_person) is
    merged into the person's record, or dismissed, by that person's care coordinator: they know
    the person and can tell whether it is them. The registrant is never told of the link."""
    known = record.possible_duplicate_of
    return (
        known is not None
        and record.merged_into_id is None
        and known.merged_into_id is None
        and is_coordinator(actor, known)
    )


# ── Meetings ────────────────────────────────────────────────────────────────────────────────


def agenda_question(actor: User, person: Person, *, meeting_planned: bool, now: datetime | None = None) -> Decision:
    """May the actor put a question on a meeting's agenda beforehand (MDO-01)? Anyone the gate
    lets read the care plan (category `plan`) through a lasting relationship: a team member, the
    person's caregivers included, the person themself or their representative; and only while
    the meeting is planned. Plan *write* is not needed: the person and the caregiver read the
    plan and ask their own questions; asking adds a question, it changes nothing of the plan.

    Not under emergency access, which only reads. A closed dossier refuses it as it refuses a
    write. Someone who may read the plan but asks about a meeting that is closed or cancelled is
    told why with a 403; anyone else gets the gate's own answer (the outsider's 404)."""
    read = decide(actor, person, Category.PLAN, Level.READ, now)
    if not read.allowed:
        return read
    if read.relationship == "break_glass":
        refusal = replace(read, allowed=False, reason="emergency_read_only")
        return refusal.answered_with_403(_("Emergency access only reads: it adds no question to an agenda."))
    if not meeting_planned:
        refusal = replace(read, allowed=False, reason="meeting_not_planned")
        return refusal.answered_with_403(_("Questions are added before the meeting: this one is closed or cancelled."))
    return unless_closed(read, person)


# ── What pages offer ────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PersonPageFlags:
    """What the person's pages offer the actor. Offering is not allowing: each page and change
    passes the gate again, audited."""

    manages_own_rights: bool  # the access log, the export, consent and exclusions
    may_record_consent: bool
    may_merge: bool
    may_close: bool
    reads_plan: bool  # the care plan's page (plans:plan)


def person_page_flags(actor: User, person: Person) -> PersonPageFlags:
    own = is_person_or_representative(actor, person)
    return PersonPageFlags(
        manages_own_rights=own,
        # A professional who may record the consent the person expressed gets the way there.
        may_record_consent=not own and consent_recording(actor, person).allowed,
        may_merge=may_merge(actor, person),
        may_close=not write_lock(person) and closing(actor, person).allowed,
        reads_plan=decide(actor, person, Category.PLAN, Level.READ).allowed,
    )


@dataclass(frozen=True)
class HomeOffers:
    """What a care worker's home page offers (people/home.html): only what the user may do."""

    register_person: bool
    emergency_access: bool


def home_offers(user: User) -> HomeOffers:
    return HomeOffers(register_person=may_register_person(user), emergency_access=may_use_emergency_access(user))


@dataclass(frozen=True)
class NavigationFlags:
    """The menu entries of the zone roles (templates/base.html reads only these)."""

    invites: bool
    curates_social_map: bool
    searches_access_log: bool
    registers_persons: bool
    keeps_actions: bool


def keeps_actions(user: User) -> bool:
    """Who has "My actions" in the menu: anyone who can be on a care team and own an action of a
    plan; the zone administrator and the DPO run the zone and are never on a team."""
    return bool(user.is_authenticated and user.is_active and user.profile not in (Profile.ZONE_ADMIN, Profile.DPO))


def navigation_flags(user: User) -> NavigationFlags:
    return NavigationFlags(
        invites=is_zone_admin(user),
        curates_social_map=curates_social_map(user),
        searches_access_log=is_dpo(user),
        registers_persons=may_register_person(user),
        keeps_actions=keeps_actions(user),
    )
