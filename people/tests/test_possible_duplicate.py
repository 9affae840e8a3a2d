"""A record registered with a known person's INSZ by someone who may not read that person: the
person's care coordinator is told, and merges or dismisses it (issue 11, the INSZ probe)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access import gate
from access import services as access_services
from access.models import BreakGlassAccess
from audit.models import AuditEntry
from conftest import client_for
from notifications.models import Notification
from notifications.services import render_text
from people import services
from people.models import Person
from people.tests.factories import PersonFactory, join_team, synthetic_insz
from teams.models import Membership

REASON = "Found unconscious at home, brought to the emergency department."


@pytest.fixture
def record(person, outsider):
    return services.register_person(outsider, given_name="Anna", family_name="Smets", insz=person.insz)


def _review_url(record):
    return reverse("people:possible-duplicates", args=[record.possible_duplicate_of.public_id])


def test_the_coordinator_is_told_in_app_naming_nobody(person, record, gp, outsider):
    told = Notification.objects.get(kind=Notification.Kind.POSSIBLE_DUPLICATE)
    assert (told.recipient, told.person) == (gp, person)
    text = render_text(told)
    assert outsider.full_name not in text and "Anna" not in text and person.family_name not in text
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_with_no_coordinator_the_zone_admins_are_told(person, gp, outsider, zone_admin):
    Membership.objects.filter(person=person, user=gp).update(is_coordinator=False)
    services.register_person(outsider, given_name="Anna", family_name="Smets", insz=person.insz)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [zone_admin.pk]


def test_the_coordinator_sees_the_record_on_the_dossier_and_reviews_it(person, record, gp_client):
    page = gp_client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert _review_url(record) in page
    review = gp_client.get(_review_url(record))
    assert review.status_code == 200
    assert "Anna Smets" in review.content.decode()
    row = AuditEntry.objects.get(action="people.duplicate_viewed", person_id=record.pk)
    assert (row.allowed, row.relationship) == (True, "duplicate_review")


def test_nobody_else_sees_the_link_or_the_record(person, record, nurse, outsider):
    url = _review_url(record)
    nurse_client = client_for(nurse)
    assert "Anna" not in nurse_client.get(url).content.decode()  # a member, not the coordinator
    assert nurse_client.post(url, {"record": record.public_id, "decision": "dismiss"}).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    nurse_page = nurse_client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert url not in nurse_page
    # The registrant's own record says nothing of the person it may duplicate.
    page = client_for(outsider).get(reverse("people:detail", args=[record.public_id])).content.decode()
    assert str(person.public_id) not in page and person.given_name not in page
    record.refresh_from_db()
    assert record.possible_duplicate_of == person


def test_the_coordinator_merges_the_record_and_its_team_comes_over(person, record, gp, gp_client, outsider):
    response = gp_client.post(_review_url(record), {"record": record.public_id, "decision": "merge"})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    record.refresh_from_db()
    assert record.merged_into == person
    assert Membership.objects.filter(person=person, user=outsider).exists()
    assert gate.decide(outsider, person, "identity", "read").allowed
    rows = AuditEntry.objects.filter(action="people.persons_merged", allowed=True)
    assert {row.person_id for row in rows} == {person.pk, record.pk}


def test_the_coordinator_dismisses_the_record(person, record, gp_client, outsider):
    response = gp_client.post(_review_url(record), {"record": record.public_id, "decision": "dismiss"})

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.possible_duplicate_of, record.merged_into, record.claimed_insz) == (None, None, person.insz)
    assert not Membership.objects.filter(person=person, user=outsider).exists()
    assert AuditEntry.objects.filter(action="people.duplicate_dismissed", person_id=person.pk).exists()
    assert "Anna" not in gp_client.get(reverse("people:possible-duplicates", args=[person.public_id])).content.decode()


def test_only_the_coordinator_merges_or_dismisses(person, record, nurse, outsider):
    for user in (nurse, outsider):
        with pytest.raises(gate.Refused):
            services.merge_possible_duplicate(user, record)
        with pytest.raises(gate.Refused):
            services.dismiss_possible_duplicate(user, record)
    record.refresh_from_db()
    assert (record.possible_duplicate_of, record.merged_into) == (person, None)


def test_the_registrant_cannot_merge_the_record_as_if_it_had_no_insz(person, record, outsider):
    Membership.objects.filter(person=record, user=outsider).update(is_coordinator=True)
    with pytest.raises(ValidationError) as refused:
        services.merge_into_insz(outsider, record, person.insz)
    assert refused.value.code == "alias_has_insz"  # as for any record with an INSZ


# ── A claimed INSZ never answers an INSZ lookup ────────────────────────────────────────────


def test_emergency_access_finds_the_person_never_the_separate_record(person, record, make_user):
    from core.vocab import Profile

    doctor = make_user(Profile.GP, "Dr. Spoed Janssens")
    grant = access_services.break_glass(doctor, person.insz, REASON)
    assert grant.person == person


def test_a_claimed_insz_alone_opens_no_emergency_access(outsider, make_user):
    from core.vocab import Profile

    claimed = synthetic_insz(77777)
    PersonFactory(insz=None, claimed_insz=claimed)
    doctor = make_user(Profile.GP, "Dr. Spoed Janssens")
    with pytest.raises(ValidationError) as refused:
        access_services.break_glass(doctor, claimed, REASON)
    assert refused.value.code == "no_emergency_access"
    assert not BreakGlassAccess.objects.exists()
    assert not Person.objects.filter(insz=claimed).exists()


def test_a_claimed_insz_is_no_merge_target(person, gp, outsider):
    claimed = synthetic_insz(77777)
    claiming = PersonFactory(insz=None, claimed_insz=claimed, registered_by=outsider)
    join_team(claiming, gp, is_coordinator=True)  # found by its claimed INSZ, it would be merged
    alias = services.register_person(gp, given_name="Jef", family_name="Onbekend")
    Membership.objects.filter(person=alias, user=gp).update(is_coordinator=True)
    with pytest.raises(ValidationError) as refused:
        services.merge_into_insz(gp, alias, claimed)
    assert refused.value.code == "no_coordinated_record"
    claiming.refresh_from_db()
    assert claiming.aliases.count() == 0


def test_the_registrant_sees_the_claimed_insz_wherever_an_insz_is_shown(person, record, outsider):
    from people.persondata import identity_json

    client = client_for(outsider)
    for url in (reverse("people:summary", args=[record.public_id]), reverse("home")):
        assert person.display_id in client.get(url).content.decode()
    assert identity_json(record)["insz"] == person.insz
    api = client.get(reverse("api:person-detail", args=[record.public_id]))
    assert api.status_code == 200 and api.json()["insz"] == person.insz
