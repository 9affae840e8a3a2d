"""Merging a record registered without INSZ into the person's INSZ record: by the care
coordinator of both only; the alias stays; its audit rows stay where they are and the person's
log shows both; consents and exclusions are combined; old ids lead to the merged record."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access import gate
from access.models import Consent
from access.tests.factories import ExclusionFactory
from accounts.tests.factories import UserFactory
from audit import queries as audit_queries
from audit.models import AuditEntry
from conftest import client_for
from core.errors import Conflict
from core.vocab import Category, Level, Profile
from people import services
from people.models import Person
from people.tests.factories import PersonFactory, join_team
from teams.models import Membership


def merge_url(person) -> str:
    return reverse("people:merge", args=[person.public_id])


def test_the_coordinator_of_both_merges_and_the_alias_stays(gp, alias, person):
    services.merge_persons(gp, alias, person)

    alias.refresh_from_db()
    assert alias.merged_into == person and alias.merged_at is not None
    assert Person.objects.filter(pk=alias.pk).exists()
    assert list(person.aliases.all()) == [alias]
    changes = AuditEntry.objects.filter(event="change", action="people.persons_merged")
    assert sorted(changes.values_list("person_id", flat=True)) == sorted([alias.pk, person.pk])
    # The rows moved, per model; models the alias had no rows of are left out.
    assert changes.first().detail["moved"] == {"Membership": 2, "Consent": 1}


@pytest.mark.parametrize("by_insz", [False, True])
def test_the_merges_audit_rows_name_the_relationship_that_let_it_through(gp, alias, person, by_insz):
    """Each record's row takes category and relationship (and whom the actor acted for) from the
    gate's decision on that record, as every change's row does (NEN 7513)."""
    if by_insz:
        services.merge_into_insz(gp, alias, person.insz)
    else:
        services.merge_persons(gp, alias, person)
    rows = AuditEntry.objects.filter(event="change", action="people.persons_merged", allowed=True)
    assert sorted(rows.values_list("person_id", "category", "relationship", "acting_for_id")) == sorted(
        [(alias.pk, Category.IDENTITY, "team", None), (person.pk, Category.IDENTITY, "team", None)]
    )


def test_the_alias_audit_rows_stay_and_the_persons_log_shows_both(gp, nurse, alias, person):
    gate.check(nurse, alias, Category.IDENTITY, Level.READ, action="people.person_viewed")
    gate.check(gp, person, Category.IDENTITY, Level.READ, action="people.person_viewed")
    alias_rows = set(AuditEntry.objects.filter(person_id=alias.pk).values_list("pk", "hash"))

    services.merge_persons(gp, alias, person)

    assert alias_rows <= set(AuditEntry.objects.filter(person_id=alias.pk).values_list("pk", "hash"))
    logged = list(audit_queries.person_log(person).values_list("person_id", "actor_id", "action"))
    assert (alias.pk, nurse.pk, "people.person_viewed") in logged
    assert (person.pk, gp.pk, "people.person_viewed") in logged


def test_consents_and_exclusions_are_combined_so_an_exclusion_on_the_alias_blocks(gp, nurse, alias, person):
    """Jozef excluded the nurse while still registered as Jef: the exclusion holds on his record."""
    ExclusionFactory(person=alias, excluded=nurse, recorded_by=gp)
    assert gate.decide(nurse, person, Category.IDENTITY, Level.READ).allowed

    services.merge_persons(gp, alias, person)

    assert gate.decide(nurse, person, Category.IDENTITY, Level.READ).reason == "excluded"
    assert Consent.objects.filter(person=person).count() == 2
    assert not Consent.objects.filter(person=alias).exists()
    assert set(Membership.objects.filter(person=person).values_list("user_id", flat=True)) >= {gp.pk, nurse.pk}


def test_the_alias_id_leads_to_the_merged_record(gp, gp_client, alias, person, person_client):
    services.merge_persons(gp, alias, person)

    page = gp_client.get(reverse("people:detail", args=[alias.public_id]))
    assert page.status_code == 200
    assert page.context["person"] == person
    assert f"{alias.local_id}, merged on" in page.content.decode()
    api = gp_client.get(f"/api/persons/{alias.public_id}")
    assert api.json()["id"] == str(person.public_id)
    log = person_client.get(reverse("audit:person-log", args=[alias.public_id]))
    assert log.context["person"] == person


def test_a_team_member_who_is_not_coordinator_is_refused_and_nothing_changes(nurse, alias, person):
    with pytest.raises(ValidationError) as refused:
        services.merge_persons(nurse, alias, person)

    assert refused.value.code == "not_coordinator"
    alias.refresh_from_db()
    assert (alias.merged_into, alias.version) == (None, 1)
    assert Membership.objects.filter(person=alias).count() == 2
    refusal = AuditEntry.objects.get(actor_id=nurse.pk, allowed=False)
    assert (refusal.person_id, refusal.reason) == (alias.pk, "not_coordinator")


def test_the_coordinator_of_one_record_only_is_refused(gp, nurse, alias, person):
    other_gp = UserFactory(profile=Profile.GP)
    Membership.objects.filter(person=alias, is_coordinator=True).update(is_coordinator=False)
    join_team(alias, other_gp, is_coordinator=True)
    with pytest.raises(gate.Refused):  # no relationship with Jozef at all
        services.merge_persons(other_gp, alias, person)
    assert Person.objects.get(pk=alias.pk).merged_into is None


def test_merging_into_a_record_without_insz_is_refused(gp, alias):
    other = PersonFactory(insz=None)
    join_team(other, gp, is_coordinator=True)
    with pytest.raises(ValidationError) as refused:
        services.merge_persons(gp, alias, other)
    assert refused.value.code == "target_without_insz"
    assert Person.objects.get(pk=alias.pk).merged_into is None


def test_a_record_with_insz_is_not_merged_away(gp, alias, person):
    with pytest.raises(ValidationError) as refused:
        services.merge_persons(gp, person, alias)
    assert refused.value.code == "alias_has_insz"


def test_a_record_merged_meanwhile_is_not_merged_twice(gp, alias, person):
    """Two coordinators pass the checks at the same time; the second one's merge step finds the
    record merged already and moves nothing."""
    stale = Person.objects.get(pk=alias.pk)
    passed = {record.pk: gate.decide(gp, record, Category.IDENTITY, Level.WRITE) for record in (stale, person)}
    services.merge_persons(gp, alias, person)
    with pytest.raises(Conflict):
        services._merge(gp, stale, person, on_alias=passed[stale.pk], on_target=passed[person.pk])
    assert AuditEntry.objects.filter(event="change", action="people.persons_merged").count() == 2


def test_the_coordinator_merges_on_the_page_by_exact_insz(gp, gp_client, alias, person):
    page = gp_client.get(merge_url(alias))
    assert page.status_code == 200 and page.context["may_merge"] is True
    assert '<label for="id_insz">' in page.content.decode()

    response = gp_client.post(merge_url(alias), {"insz": person.display_id})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    assert Person.objects.get(pk=alias.pk).merged_into == person


def test_an_unknown_insz_and_a_record_one_does_not_coordinate_get_the_same_answer(gp, gp_client, alias):
    stranger = PersonFactory()  # registered, but not in the GP's care
    unknown = PersonFactory.build().insz  # a valid number nobody is registered with

    answers = [gp_client.post(merge_url(alias), {"insz": insz}) for insz in (stranger.insz, unknown)]

    for answer in answers:
        assert answer.status_code == 200
        assert answer.context["form"].non_field_errors() == [
            "You are not the care coordinator of a record with this INSZ."
        ]
    pages = [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", a.content.decode()) for a in answers]
    assert pages[0] == pages[1].replace(unknown, stranger.insz)
    assert Person.objects.get(pk=alias.pk).merged_into is None
    refusals = AuditEntry.objects.filter(actor_id=gp.pk, allowed=False).order_by("id")
    assert list(refusals.values_list("person_id", "reason")) == [(stranger.pk, "no_relationship"), (None, "not_found")]


def test_a_non_coordinator_sees_why_the_page_offers_no_merge(nurse, alias, person):
    page = client_for(nurse).get(merge_url(alias))
    assert page.status_code == 200 and page.context["may_merge"] is False
    assert "Only the care coordinator of both records can merge them." in page.content.decode()
    assert 'name="insz"' not in page.content.decode()


def test_the_person_page_offers_the_merge_to_the_coordinator_only(gp_client, nurse, alias):
    assert merge_url(alias) in gp_client.get(reverse("people:detail", args=[alias.public_id])).content.decode()
    nurse_page = client_for(nurse).get(reverse("people:detail", args=[alias.public_id])).content.decode()
    assert merge_url(alias) not in nurse_page
    assert "Registered without INSZ." in nurse_page


def test_the_api_merges_by_insz(gp, gp_client, alias, person):
    url = f"/api/persons/{alias.public_id}/merge"

    unknown = gp_client.post(url, {"insz": PersonFactory.build().insz}, content_type="application/json")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "no_coordinated_record")
    missing = gp_client.post(url, content_type="application/json")
    assert (missing.status_code, missing.json()["code"]) == (422, "insz_required")

    merged = gp_client.post(url, {"insz": person.insz}, content_type="application/json")

    assert merged.status_code == 200
    assert merged.json()["id"] == str(person.public_id)
    assert Person.objects.get(pk=alias.pk).merged_into == person


def test_the_api_refuses_an_outsider_with_a_404(outsider, alias, person):
    response = client_for(outsider).post(
        f"/api/persons/{alias.public_id}/merge", {"insz": person.insz}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=alias.pk).merged_into is None


def test_a_merge_keeps_one_coordinator(gp, alias, person):
    """The GP coordinates both records: the merged team has one coordinator membership (the
    database allows one per person), and the alias's membership stays, without the role."""
    services.merge_persons(gp, alias, person)
    flagged = Membership.objects.filter(person=person, is_coordinator=True)
    assert list(flagged.values_list("user", flat=True)) == [gp.pk]
    assert Membership.objects.filter(person=person, user=gp).count() == 2
