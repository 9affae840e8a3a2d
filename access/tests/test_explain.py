"""Why can or can't I see this? The answer agrees with the gate, speaks the reader's language,
and shows an exclusion only to the person, their representative and the coordinator."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from access import gate, queries
from access.explain import explain_access
from access.models import MatrixCell
from access.tests.factories import ExclusionFactory, MandateFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from conftest import client_for
from core.vocab import Category, Level, Profile


def _row(rows, category):
    return next(row for row in rows if row.category == category)


def _url(person, about=None):
    url = reverse("access:explain", args=[person.public_id])
    return f"{url}?about={about.public_id}" if about else url


@pytest.mark.parametrize("who", ["gp", "nurse", "pharmacist", "caregiver", "person_user"])
def test_the_explanation_agrees_with_the_gate_for_every_category(request, person, who):
    actor = request.getfixturevalue(who)
    rows = explain_access(actor, person)
    assert [row.category for row in rows] == list(Category.values)
    for row in rows:
        assert row.read == gate.decide(actor, person, row.category, Level.READ).allowed
        assert row.write == gate.decide(actor, person, row.category, Level.WRITE).allowed


def test_a_nurse_reads_why_she_sees_medication_and_not_mental_health(person, nurse):
    rows = explain_access(nurse, person)
    medication, mental = _row(rows, "medication"), _row(rows, "mental_health")
    assert (medication.read, medication.write, mental.read, mental.write) == (True, True, False, False)
    assert medication.reasons[0].startswith("Relationship: care-team membership, in the role “nurse”.")
    assert medication.reasons[2].startswith("Consent: given by the person, on file since ")
    cell = MatrixCell.objects.get(profile="nurse", category="mental_health")
    assert mental.reasons == (
        "Relationship: care-team membership, in the role “nurse”. It ends on "
        + mental.reasons[0].split("It ends on ")[1],
        f"Access matrix: the role “nurse” has the level “no access” for “mental health”. Why: {cell.rationale_en} Source: the access rules of the Belgian health hubs ({cell.source}).",
    )


def test_read_only_is_explained_for_writing(person, pharmacist):
    medical = _row(explain_access(pharmacist, person), "medical")
    assert (medical.read, medical.write) == (True, False)
    assert medical.reasons[-1] == "Writing is not allowed: the access matrix gives this role read access only."


def test_the_rationale_is_in_the_readers_language(person, nurse):
    cell = MatrixCell.objects.get(profile="nurse", category="mental_health")
    with translation.override("fr"):
        reasons = " ".join(_row(explain_access(nurse, person), "mental_health").reasons)
    assert cell.rationale_fr in reasons
    assert cell.rationale_en not in reasons


def test_the_person_needs_no_consent_and_is_told_so(person, person_user):
    wishes = _row(explain_access(person_user, person), "wishes")
    assert (wishes.read, wishes.write) == (True, True)
    assert "No consent is needed: this is the person themself." in wishes.reasons


def test_missing_consent_is_named(person, nurse):
    from django.utils import timezone

    person.consents.update(until=timezone.now())
    medication = _row(explain_access(nurse, person), "medication")
    assert medication.read is False
    assert medication.reasons[-1] == "Neither the person's consent nor a legal basis covering this category is on file."


def test_a_zone_edit_is_named_in_the_explanation(person, nurse):
    from django.utils import timezone

    MatrixCell.objects.filter(profile="nurse", category="mental_health").update(level="read", edited_at=timezone.now())
    mental = _row(explain_access(nurse, person), "mental_health")
    assert mental.read is True
    assert "The care zone set this rule on " in mental.reasons[1]
    assert mental.reasons[1].endswith("the shipped file says “no access”.")


def test_a_mandate_names_its_scope(person, person_user):
    niece = UserFactory(profile=Profile.FAMILY, language="en")
    MandateFactory(person=person, holder=niece, categories=["medication"])
    rows = explain_access(niece, person)
    assert _row(rows, "medication").read is True
    assert "The mandate covers only: medication." in _row(rows, "medical").reasons


# ── who may ask, and what they are told ─────────────────────────────────────────────────────


def test_the_page_explains_to_a_team_member_and_is_audited(person, nurse_client, nurse):
    response = nurse_client.get(_url(person))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Why can or can't I see this?</h1>" in body
    assert "mental health" in body
    row = AuditEntry.objects.get(actor_id=nurse.pk, action="access.explained")
    assert (row.allowed, row.reason, row.relationship, row.person_id) == (True, "granted", "team", person.pk)


def test_someone_without_a_relationship_gets_a_404_and_an_audited_refusal(person, outsider_client, outsider):
    assert outsider_client.get(_url(person)).status_code == 404
    row = AuditEntry.objects.get(actor_id=outsider.pk)
    assert (row.action, row.allowed, row.reason) == ("access.explained", False, "no_relationship")


def test_the_excluded_professional_gets_the_same_404_as_an_outsider(
    person, person_user, gp, gp_client, outsider_client
):
    ExclusionFactory(person=person, excluded=gp)
    excluded = gp_client.get(_url(person))
    outsider = outsider_client.get(_url(person))
    assert (excluded.status_code, excluded.content) == (404, outsider.content)
    assert AuditEntry.objects.get(actor_id=gp.pk).reason == "excluded"


@pytest.mark.parametrize("asker", ["person_user", "representative", "gp"])
def test_the_person_representative_and_coordinator_see_why_an_excluded_member_cannot(
    request, person, person_user, nurse, asker
):
    ExclusionFactory(person=person, excluded=nurse)
    actor = request.getfixturevalue(asker)  # gp is the coordinator
    result = queries.explain(actor, person.public_id, about=nurse.public_id)
    medication = _row(result.rows, "medication")
    assert (result.subject, medication.read) == (nurse, False)
    assert medication.reasons[0].startswith("The person has excluded Sofie Janssens since ")
    row = AuditEntry.objects.get(actor_id=actor.pk, action="access.explained")
    assert (row.allowed, row.detail) == (True, {"about": str(nurse.public_id)})


def test_the_coordinator_page_shows_the_exclusion(person, person_user, nurse, gp_client):
    ExclusionFactory(person=person, excluded=nurse)
    body = gp_client.get(_url(person, about=nurse)).content.decode()
    assert "What Sofie Janssens can see, and why" in body
    assert "The person has excluded Sofie Janssens since" in body


def test_another_team_member_may_not_ask_about_a_colleague(person, nurse, nurse_client, gp):
    assert nurse_client.get(_url(person, about=gp)).status_code == 404
    row = AuditEntry.objects.get(actor_id=nurse.pk)
    assert (row.allowed, row.reason, row.detail) == (
        False,
        "not_person_representative_or_coordinator",
        {"about": str(gp.public_id)},
    )


def test_asking_about_someone_unrelated_is_refused_clearly(person, person_user, outsider):
    with pytest.raises(ValidationError) as raised:
        queries.explain(person_user, person.public_id, about=outsider.public_id)
    assert raised.value.code == "unknown_user"


def test_the_page_falls_back_to_the_reader_for_an_unknown_choice(person, person_client, outsider):
    response = person_client.get(_url(person, about=outsider))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose a person from the list." in body
    assert "No consent is needed: this is the person themself." in body


def test_a_mandate_holder_asking_is_audited_as_acting_for_the_person(person, person_user):
    niece = UserFactory(profile=Profile.FAMILY, language="en")
    MandateFactory(person=person, holder=niece, categories=["medication"])
    assert client_for(niece).get(_url(person)).status_code == 200
    row = AuditEntry.objects.get(actor_id=niece.pk)
    assert (row.relationship, row.acting_for_id) == ("mandate", person_user.pk)


def test_the_person_page_links_to_the_explanation(person, gp_client):
    body = gp_client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert reverse("access:explain", args=[person.public_id]) in body


def test_api_explains(person, gp_client, nurse, person_user):
    ExclusionFactory(person=person, excluded=nurse)
    response = gp_client.get(f"/api/access/persons/{person.public_id}/why?about={nurse.public_id}")
    data = response.json()
    assert (response.status_code, data["about"]) == (200, str(nurse.public_id))
    medication = next(row for row in data["rows"] if row["category"] == "medication")
    assert (medication["read"], medication["reasons"][0][:40]) == (False, "The person has excluded Sofie Janssens s")
