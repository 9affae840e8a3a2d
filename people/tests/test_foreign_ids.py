"""An entry id sent through this person's URL that is not one of this person's entries
(unknown, or another person's) gets one answer, the outsider's 404, and leaves a refused row in
the access log: the answer never tells whether the id exists elsewhere. Only an entry that this
person's section held, and someone removed meanwhile, is named as such."""

import uuid

from django.urls import reverse

from audit.models import AuditEntry
from conftest import client_for
from people import services
from people.models import Allergy
from people.tests.factories import PersonFactory, section_row

ALLERGY = {"substance": "Peanuts", "kind": "food", "severity": "mild"}


def _section(person):
    return reverse("people:section-allergies", args=[person.public_id])


def _refusals(actor, action):
    return AuditEntry.objects.filter(actor_id=actor.pk, action=action, allowed=False)


def test_changing_an_unknown_or_a_foreign_entry_answers_alike_and_audits_both(person, gp):
    foreign = section_row(PersonFactory(), "allergies", **ALLERGY)
    client = client_for(gp)
    foreign_response = client.post(_section(person), {"item": str(foreign.public_id), "version": "1", **ALLERGY})
    unknown_response = client.post(_section(person), {"item": str(uuid.uuid4()), "version": "1", **ALLERGY})
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    refused = _refusals(gp, "people.section_entry_changed")
    assert refused.count() == 2
    assert str(foreign.public_id) in {row.detail["item"] for row in refused}
    assert Allergy.objects.filter(person=person).count() == 0


def test_removing_an_unknown_or_a_foreign_entry_answers_alike_and_audits_both(person, gp):
    foreign = section_row(PersonFactory(), "allergies", **ALLERGY)
    client = client_for(gp)
    form = {"action": "remove", "version": "1"}
    foreign_response = client.post(_section(person), {**form, "item": str(foreign.public_id)})
    unknown_response = client.post(_section(person), {**form, "item": str(uuid.uuid4())})
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    assert _refusals(gp, "people.section_entry_removed").count() == 2
    assert Allergy.objects.filter(pk=foreign.pk).exists()


def test_the_api_answers_an_unknown_and_a_foreign_entry_alike_and_audits_both(person, gp):
    foreign = section_row(PersonFactory(), "allergies", **ALLERGY)
    client = client_for(gp)
    url = f"/api/persons/{person.public_id}/dossier/allergies"
    foreign_response = client.get(url, {"item": str(foreign.public_id)})
    unknown_response = client.get(url, {"item": str(uuid.uuid4())})
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    assert _refusals(gp, "people.section_viewed").count() == 2


def test_removing_an_entry_removed_meanwhile_from_this_persons_section_says_so(person, gp):
    allergy = section_row(person, "allergies", **ALLERGY)
    services.remove_entry(gp, allergy, version=1)
    response = client_for(gp).post(
        _section(person), {"action": "remove", "item": str(allergy.public_id), "version": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "Someone else removed this entry in the meantime." in response.content.decode()
    assert not _refusals(gp, "people.section_entry_removed").exists()


def test_changing_an_entry_removed_meanwhile_is_not_refused_as_unknown(person, gp):
    allergy = section_row(person, "allergies", **ALLERGY)
    services.remove_entry(gp, allergy, version=1)
    response = client_for(gp).post(_section(person), {"item": str(allergy.public_id), "version": "1", **ALLERGY})
    assert response.status_code == 200
    assert "Someone else removed this entry in the meantime." in response.content.decode()
    assert not _refusals(gp, "people.section_entry_changed").exists()
