"""The four conditions of the gate, one at a time, and what check() leaves in the audit log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access import gate
from access.models import Consent, Representation
from access.tests.factories import BreakGlassAccessFactory, ExclusionFactory, MandateFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.vocab import Category, Level, Profile
from people.services import register_person
from people.tests.factories import PersonFactory, join_team

READ, WRITE = Level.READ, Level.WRITE


def test_team_member_with_consent_reads_what_the_matrix_allows(person, nurse):
    decision = gate.decide(nurse, person, Category.MEDICATION, WRITE)
    assert (decision.allowed, decision.reason, decision.relationship, decision.profile) == (
        True,
        "granted",
        "team",
        Profile.NURSE,
    )


def test_no_relationship_is_refused(person, outsider):
    assert gate.decide(outsider, person, Category.IDENTITY, READ).reason == "no_relationship"


def test_an_ended_membership_no_longer_gives_access(person, nurse):
    nurse.memberships.filter(person=person).update(until=timezone.now() - timedelta(seconds=1))
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "no_relationship"


def test_professional_relationships_expire_after_the_regular_period(person, nurse, settings):
    membership = nurse.memberships.get(person=person)
    assert (membership.until - membership.since).days == settings.ACCESS_RELATIONSHIP_DAYS["regular"]
    later = membership.until + timedelta(minutes=1)
    assert gate.decide(nurse, person, Category.MEDICATION, READ, now=later).reason == "no_relationship"


def test_the_matrix_refuses_a_category_the_profile_may_not_see(person, caregiver):
    assert gate.decide(caregiver, person, Category.MEDICAL, READ).reason == "matrix"


def test_withdrawn_consent_refuses_the_team(person, nurse):
    Consent.objects.filter(person=person).update(until=timezone.now())
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "no_consent"


def test_the_person_and_their_representative_need_no_consent(person, person_user):
    Consent.objects.filter(person=person).update(until=timezone.now())
    representative = UserFactory(profile=Profile.REPRESENTATIVE)
    Representation.objects.create(
        person=person, representative=representative, legal_ground="court", recorded_by=person_user
    )
    assert gate.decide(person_user, person, Category.MEDICAL, READ).allowed
    assert gate.decide(representative, person, Category.MEDICAL, READ).relationship == "representative"


def test_registration_gives_the_registrant_a_legal_basis_for_identity_and_consent_only(db):
    gp = UserFactory(profile=Profile.GP)
    colleague = UserFactory(profile=Profile.NURSE)
    person = register_person(gp, given_name="Rita", family_name="Jacobs")
    join_team(person, colleague)
    assert gate.decide(gp, person, Category.IDENTITY, WRITE).allowed
    assert gate.decide(gp, person, Category.ACP, WRITE).allowed
    assert gate.decide(gp, person, Category.MEDICATION, READ).reason == "no_consent"
    # The legal basis is the registrant's own: a colleague on the team still needs consent.
    assert gate.decide(colleague, person, Category.IDENTITY, READ).reason == "no_consent"


def test_an_exclusion_refuses_even_a_team_member(person, nurse, person_user):
    ExclusionFactory(person=person, excluded=nurse)
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "excluded"


def test_a_mandate_acts_for_the_person_within_its_scope_only(person, person_user):
    holder = UserFactory(profile=Profile.FAMILY)
    MandateFactory(person=person, holder=holder, categories=[Category.WISHES])
    decision = gate.decide(holder, person, Category.WISHES, WRITE)
    assert (decision.allowed, decision.relationship, decision.acting_for_id) == (True, "mandate", person_user.pk)
    # The person's row reads medical, but the mandate does not cover it: that is the reason logged.
    assert gate.decide(holder, person, Category.MEDICAL, READ).reason == "outside_scope"
    assert gate.decide(holder, person, Category.CAREGIVER, READ).reason == "matrix"  # not the person's either


def test_break_the_glass_opens_emergency_categories_read_only(person):
    doctor = UserFactory(profile=Profile.HOSPITAL_DOCTOR)
    BreakGlassAccessFactory(person=person, actor=doctor)
    assert gate.decide(doctor, person, Category.MEDICATION, READ).relationship == "break_glass"
    # The true reasons: emergency access is read-only, and opens the emergency categories only.
    write = gate.decide(doctor, person, Category.MEDICATION, WRITE)
    assert (write.reason, write.relationship, write.status) == ("emergency_read_only", "break_glass", 403)
    assert gate.decide(doctor, person, Category.CAREGIVER, READ).reason == "outside_scope"


def test_an_exclusion_still_blocks_break_the_glass(person, person_user):
    doctor = UserFactory(profile=Profile.HOSPITAL_DOCTOR)
    BreakGlassAccessFactory(person=person, actor=doctor, reason="Emergency", until=timezone.now() + timedelta(hours=1))
    ExclusionFactory(person=person, excluded=doctor)
    assert gate.decide(doctor, person, Category.MEDICATION, READ).reason == "excluded"


def test_a_deactivated_account_is_refused(person, nurse):
    nurse.is_active = False
    nurse.save()
    assert gate.decide(nurse, person, Category.MEDICATION, READ).reason == "inactive"


def test_decide_writes_nothing(person, nurse, outsider):
    gate.decide(nurse, person, Category.MEDICATION, READ)
    gate.decide(outsider, person, Category.MEDICATION, READ)
    assert AuditEntry.objects.count() == 0


def test_check_audits_grants_and_refusals_and_raises_a_404_for_refusals(person, nurse, outsider):
    gate.check(nurse, person, Category.MEDICATION, READ, action="test.read")
    with pytest.raises(gate.Refused):
        gate.check(outsider, person, Category.MEDICATION, READ, action="test.read")
    rows = list(AuditEntry.objects.order_by("id").values_list("actor_id", "allowed", "reason", "category", "person_id"))
    assert rows == [
        (nurse.pk, True, "granted", "medication", person.pk),
        (outsider.pk, False, "no_relationship", "medication", person.pk),
    ]


def test_a_refusal_is_a_404():
    from django.http import Http404

    assert issubclass(gate.Refused, Http404)


def test_persons_without_a_relationship_are_not_listed(person, outsider, nurse):
    from people.queries import persons_for

    PersonFactory()
    assert persons_for(outsider).persons == []
    assert persons_for(nurse).persons == [person]


def test_the_decision_says_how_a_refusal_is_answered(person, nurse, outsider):
    # A nurse reads the team but may not change it: she knows the dossier, so a 403.
    assert gate.decide(nurse, person, Category.TEAM, READ).allowed
    refused_write = gate.decide(nurse, person, Category.TEAM, WRITE)
    assert (refused_write.allowed, refused_write.status) == (False, 403)
    assert refused_write.message
    # A category she may not even read stays the outsider's 404, with nothing said.
    hidden = gate.decide(nurse, person, Category.MENTAL_HEALTH, WRITE)
    assert (hidden.allowed, hidden.status, hidden.message) == (False, 404, "")
    # An outsider always gets the 404.
    outsider_write = gate.decide(outsider, person, Category.MEDICAL, WRITE)
    assert (outsider_write.status, outsider_write.message) == (404, "")


def test_refused_carries_its_decision(person, outsider):
    with pytest.raises(gate.Refused) as refused:
        gate.check(outsider, person, Category.IDENTITY, READ, action="test.read")
    assert refused.value.decision.reason == "no_relationship"
    assert refused.value.decision.status == 404
