"""Consent, exclusions, mandates and representation: who may change them, that each change is
audited, and that the gate follows at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import gate, rules, services
from access.models import Consent, Exclusion, Mandate, Representation
from access.tests.factories import MandateFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.vocab import Category, Level, Profile
from people.services import REGISTRATION_LEGAL_BASIS, register_person
from people.tests.factories import join_team

READ, WRITE = Level.READ, Level.WRITE


def _end_consent(person):
    Consent.objects.filter(person=person, basis=Consent.Basis.CONSENT).update(until=timezone.now())


@pytest.fixture
def daughter_with_mandate(person, person_user, caregiver):
    """Marie, Jozef's daughter (informal caregiver on his team), may act for him on his wishes."""
    MandateFactory(person=person, holder=caregiver, categories=[Category.WISHES])
    return caregiver


# ── recording consent ───────────────────────────────────────────────────────────────────────


def test_the_person_gives_consent_and_the_team_gets_access(person, person_user, nurse):
    _end_consent(person)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "no_consent"
    consent = services.record_consent(person_user, person, given_by="representative")
    assert (consent.basis, consent.given_by, consent.recorded_by, consent.holder) == (
        Consent.Basis.CONSENT,
        "person",
        person_user,
        None,
    )
    assert gate.decide(nurse, person, Category.MEDICATION, READ).allowed is True
    change = AuditEntry.objects.get(action="access.consent_recorded", event="change")
    assert (change.actor_id, change.person_id, change.relationship, change.detail) == (
        person_user.pk,
        person.pk,
        "self",
        {"given_by": "person"},
    )


def test_the_representative_gives_consent_as_representative(person, representative, nurse):
    _end_consent(person)
    consent = services.record_consent(representative, person)
    assert (consent.given_by, consent.recorded_by) == ("representative", representative)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).allowed is True


def test_the_registering_professional_records_consent_under_the_registration_basis(db):
    # A nurse may not write acp in the matrix: only the registration legal basis lets her record it.
    nurse = UserFactory(profile=Profile.NURSE)
    person = register_person(nurse, given_name="Rita", family_name="Jacobs")
    assert Consent.objects.get(person=person).legal_basis == REGISTRATION_LEGAL_BASIS
    consent = services.record_consent(nurse, person, given_by="person")
    assert (consent.basis, consent.given_by, consent.recorded_by) == (Consent.Basis.CONSENT, "person", nurse)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).allowed is True


def test_a_team_member_who_may_write_acp_records_a_renewed_consent(person, gp, nurse):
    _end_consent(person)  # the GP of the fixture holds no legal basis: the matrix lets a GP write acp
    consent = services.record_consent(gp, person, given_by="representative")
    assert (consent.given_by, consent.recorded_by) == ("representative", gp)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).allowed is True


def test_a_professional_must_say_who_gave_the_consent(person, gp):
    _end_consent(person)
    with pytest.raises(ValidationError) as raised:
        services.record_consent(gp, person, given_by="")
    assert raised.value.code == "given_by_required"
    assert Consent.objects.active().filter(person=person).count() == 0


def test_consent_already_on_file_is_not_recorded_twice(person, person_user):
    with pytest.raises(ValidationError) as raised:
        services.record_consent(person_user, person)
    assert raised.value.code == "consent_exists"
    assert Consent.objects.filter(person=person).count() == 1


@pytest.mark.parametrize(("who", "reason"), [("nurse", "matrix"), ("outsider", "no_relationship")])
def test_others_cannot_record_consent_and_the_refusal_is_audited(request, person, who, reason):
    actor = request.getfixturevalue(who)
    _end_consent(person)
    with pytest.raises(gate.Refused):
        services.record_consent(actor, person, given_by="person")
    assert Consent.objects.active().filter(person=person).count() == 0
    refusal = AuditEntry.objects.get(actor_id=actor.pk)
    assert (refusal.allowed, refusal.reason, refusal.action) == (False, reason, "access.consent_recorded")


def test_an_excluded_registrant_cannot_record_consent(db):
    gp = UserFactory(profile=Profile.GP)
    owner = UserFactory(profile=Profile.PERSON)
    person = register_person(gp, given_name="Rita", family_name="Jacobs")
    person.account = owner
    person.save()
    services.exclude_user(owner, person, gp)
    with pytest.raises(gate.Refused):
        services.record_consent(gp, person, given_by="person")
    assert Consent.objects.filter(person=person, basis=Consent.Basis.CONSENT).count() == 0


# ── withdrawing consent ─────────────────────────────────────────────────────────────────────


def test_after_withdrawal_a_team_nurse_is_refused_for_lack_of_consent(person, person_user, nurse):
    assert services.withdraw_consent(person_user, person) == 1
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "no_consent"
    consent = Consent.objects.get(person=person)
    assert (consent.withdrawn_by, consent.until is not None) == (person_user, True)
    change = AuditEntry.objects.get(action="access.consent_withdrawn", event="change")
    assert (change.actor_id, change.person_id, change.category) == (person_user.pk, person.pk, "acp")


def test_withdrawal_keeps_the_registration_basis_for_identity_only(db):
    gp = UserFactory(profile=Profile.GP)
    owner = UserFactory(profile=Profile.PERSON)
    person = register_person(gp, given_name="Rita", family_name="Jacobs")
    person.account = owner
    person.save()
    services.record_consent(gp, person, given_by="person")
    services.withdraw_consent(owner, person)
    assert gate.decide(gp, person, Category.IDENTITY, READ).allowed is True
    assert gate.decide(gp, person, Category.MEDICATION, READ).reason == "no_consent"


def test_withdrawing_without_consent_on_file_is_refused_clearly(person, person_user):
    _end_consent(person)
    with pytest.raises(ValidationError) as raised:
        services.withdraw_consent(person_user, person)
    assert raised.value.code == "no_consent"


@pytest.mark.parametrize("who", ["gp", "nurse", "daughter_with_mandate", "outsider"])
def test_only_the_person_or_representative_may_withdraw_consent(request, person, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(gate.Refused):
        services.withdraw_consent(actor, person)
    assert Consent.objects.active().filter(person=person).count() == 1
    refusal = AuditEntry.objects.get(actor_id=actor.pk, action="access.consent_withdrawn")
    expected = "no_relationship" if who == "outsider" else "not_person_or_representative"
    assert (refusal.allowed, refusal.reason) == (False, expected)


def test_the_representative_may_withdraw_consent(person, representative, nurse):
    services.withdraw_consent(representative, person)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "no_consent"


# ── exclusions ──────────────────────────────────────────────────────────────────────────────


def test_an_excluded_gp_is_refused_at_once_and_gets_a_404(person, person_user, gp, gp_client):
    assert gp_client.get(reverse("people:detail", args=[person.public_id])).status_code == 200
    exclusion = services.exclude_user(person_user, person, gp)
    assert (exclusion.excluded, exclusion.recorded_by) == (gp, person_user)
    assert gate.decide(gp, person, Category.MEDICAL, READ).reason == "excluded"
    assert gp_client.get(reverse("people:detail", args=[person.public_id])).status_code == 404
    change = AuditEntry.objects.get(action="access.user_excluded", event="change")
    assert (change.actor_id, change.detail) == (person_user.pk, {"excluded": str(gp.public_id)})


def test_lifting_an_exclusion_restores_access(person, person_user, gp):
    services.exclude_user(person_user, person, gp)
    assert services.lift_exclusion(person_user, person, gp) == 1
    assert gate.decide(gp, person, Category.MEDICAL, READ).allowed is True
    assert Exclusion.objects.active().filter(person=person).count() == 0


def test_the_representative_may_exclude(person, representative, nurse):
    services.exclude_user(representative, person, nurse)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "excluded"


def test_excluding_twice_or_oneself_is_refused_clearly(person, person_user, gp):
    services.exclude_user(person_user, person, gp)
    with pytest.raises(ValidationError) as twice:
        services.exclude_user(person_user, person, gp)
    with pytest.raises(ValidationError) as oneself:
        services.exclude_user(person_user, person, person_user)
    assert (twice.value.code, oneself.value.code) == ("already_excluded", "exclude_self")
    assert Exclusion.objects.filter(person=person).count() == 1


def test_lifting_an_exclusion_that_does_not_exist_is_refused(person, person_user, gp):
    with pytest.raises(ValidationError) as raised:
        services.lift_exclusion(person_user, person, gp)
    assert raised.value.code == "not_excluded"


@pytest.mark.parametrize("who", ["gp", "daughter_with_mandate"])
def test_a_coordinator_or_mandate_holder_may_not_exclude_or_lift(request, person, person_user, nurse, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(gate.Refused):
        services.exclude_user(actor, person, nurse)
    assert Exclusion.objects.filter(person=person).count() == 0
    services.exclude_user(person_user, person, nurse)
    with pytest.raises(gate.Refused):
        services.lift_exclusion(actor, person, nurse)
    assert Exclusion.objects.active().filter(person=person, excluded=nurse).count() == 1
    reasons = set(AuditEntry.objects.filter(actor_id=actor.pk, allowed=False).values_list("action", "reason"))
    assert reasons == {
        ("access.user_excluded", "not_person_or_representative"),
        ("access.exclusion_lifted", "not_person_or_representative"),
    }


# ── mandates ────────────────────────────────────────────────────────────────────────────────


def test_a_mandate_lets_the_holder_act_for_the_person_within_its_scope(person, person_user, caregiver):
    # The caregiver's own row reads wishes; the mandate (the person's row) lets her write them.
    assert gate.decide(caregiver, person, Category.WISHES, WRITE).reason == "matrix"
    until = timezone.now() + timedelta(days=30)
    mandate = services.grant_mandate(person_user, person, caregiver, [Category.WISHES], until=until)
    assert (mandate.categories, mandate.granted_by, mandate.until) == (["wishes"], person_user, until)
    decision = gate.decide(caregiver, person, Category.WISHES, WRITE)
    assert (decision.allowed, decision.relationship, decision.acting_for_id) == (True, "mandate", person_user.pk)
    assert gate.decide(caregiver, person, Category.MEDICAL, READ).reason == "outside_scope"
    assert gate.decide(caregiver, person, Category.WISHES, WRITE, now=until + timedelta(seconds=1)).reason == "matrix"


def test_acting_for_the_person_is_recorded_in_the_audit(person, person_user):
    niece = UserFactory(profile=Profile.FAMILY, language="en")
    services.grant_mandate(person_user, person, niece, [Category.MEDICATION])
    gate.check(niece, person, Category.MEDICATION, READ, action="test.read")
    row = AuditEntry.objects.get(actor_id=niece.pk)
    assert (row.relationship, row.acting_for_id, row.allowed) == ("mandate", person_user.pk, True)


def test_a_mandate_starting_later_is_not_in_force_yet(person, person_user):
    niece = UserFactory(profile=Profile.FAMILY, language="en")
    since = timezone.now() + timedelta(days=2)
    services.grant_mandate(person_user, person, niece, [Category.MEDICATION], since=since)
    assert gate.decide(niece, person, Category.MEDICATION, READ).reason == "no_relationship"
    assert gate.decide(niece, person, Category.MEDICATION, READ, now=since + timedelta(hours=1)).allowed is True


def test_revoking_a_mandate_ends_it_at_once(person, person_user, daughter_with_mandate):
    assert services.revoke_mandate(person_user, person, daughter_with_mandate) == 1
    assert gate.decide(daughter_with_mandate, person, Category.WISHES, WRITE).reason == "matrix"
    mandate = Mandate.objects.get(person=person)
    assert mandate.revoked_by == person_user
    assert AuditEntry.objects.filter(action="access.mandate_revoked", event="change").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"categories": []}, "scope_required"),
        ({"categories": ["gossip"]}, "scope_required"),
        ({"categories": ["wishes"], "until": timezone.now() - timedelta(days=1)}, "period_order"),
    ],
)
def test_a_mandate_needs_a_scope_and_a_period_that_makes_sense(person, person_user, kwargs, code):
    niece = UserFactory(profile=Profile.FAMILY, language="en")
    categories = kwargs.pop("categories")
    with pytest.raises(ValidationError) as raised:
        services.grant_mandate(person_user, person, niece, categories, **kwargs)
    assert raised.value.code == code
    assert Mandate.objects.filter(person=person).count() == 0


def test_a_second_mandate_to_the_same_holder_is_refused(person, person_user, daughter_with_mandate):
    with pytest.raises(ValidationError) as raised:
        services.grant_mandate(person_user, person, daughter_with_mandate, [Category.PLAN])
    assert raised.value.code == "mandate_exists"


def test_an_excluded_user_cannot_get_a_mandate(person, person_user, nurse):
    services.exclude_user(person_user, person, nurse)
    with pytest.raises(ValidationError) as raised:
        services.grant_mandate(person_user, person, nurse, [Category.PLAN])
    assert raised.value.code == "holder_excluded"


def test_a_mandate_holder_may_not_grant_or_revoke_mandates(person, daughter_with_mandate, nurse):
    with pytest.raises(gate.Refused):
        services.grant_mandate(daughter_with_mandate, person, nurse, [Category.PLAN])
    with pytest.raises(gate.Refused):
        services.revoke_mandate(daughter_with_mandate, person, daughter_with_mandate)
    assert list(Mandate.objects.values_list("holder_id", "until")) == [(daughter_with_mandate.pk, None)]


def test_the_representative_grants_a_mandate(person, representative, nurse):
    mandate = services.grant_mandate(representative, person, nurse, [Category.WISHES])
    assert mandate.granted_by == representative
    change = AuditEntry.objects.get(action="access.mandate_granted", event="change")
    assert (change.actor_id, change.relationship, change.detail["categories"]) == (
        representative.pk,
        "representative",
        ["wishes"],
    )


# ── legal representation ────────────────────────────────────────────────────────────────────


def test_the_gp_records_a_representative_who_may_then_manage_consent(person, gp, nurse):
    lawyer = UserFactory(profile=Profile.REPRESENTATIVE)
    row = services.record_representation(gp, person, lawyer, "Vrederechter Leuven, 12 May 2026")
    assert (row.representative, row.recorded_by) == (lawyer, gp)
    services.withdraw_consent(lawyer, person)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "no_consent"
    assert services.end_representation(gp, person, lawyer) == 1
    assert rules.is_person_or_representative(lawyer, person) is False


def test_the_person_names_their_own_representative(person, person_user):
    son = UserFactory(profile=Profile.REPRESENTATIVE)
    services.record_representation(person_user, person, son, "Written designation by the patient (patient rights law)")
    assert rules.is_person_or_representative(son, person) is True


def test_a_nurse_cannot_record_a_representative(person, nurse):
    with pytest.raises(gate.Refused):
        services.record_representation(nurse, person, UserFactory(profile=Profile.REPRESENTATIVE), "Court")
    assert Representation.objects.count() == 0


def test_a_representation_needs_a_legal_ground(person, gp):
    with pytest.raises(ValidationError) as raised:
        services.record_representation(gp, person, UserFactory(profile=Profile.REPRESENTATIVE), "  ")
    assert raised.value.code == "legal_ground_required"


def test_a_second_team_member_is_not_the_representative(person, gp):
    other = UserFactory(profile=Profile.NURSE)
    join_team(person, other)
    assert rules.is_person_or_representative(other, person) is False
