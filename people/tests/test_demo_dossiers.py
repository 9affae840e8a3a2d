"""The demo zone's dossiers: every section for Jozef, several for the others, all valid."""

import pytest
from django.urls import reverse

from accounts.models import User
from conftest import client_for
from demo import zone
from people.models import Person
from people.sections import SECTIONS


@pytest.mark.django_db
def test_jozef_has_every_section_and_the_others_several():
    zone.load()
    persons = {person.given_name: person for person in Person.objects.all()}
    jozef = persons["Jozef"]
    filled = {code for code, kind in SECTIONS.items() if kind.model.objects.filter(person=jozef).exists()}
    assert filled == set(SECTIONS)
    for name in ("Simone", "Achille", "Maria", "Fatima", "Georges", "Rosa"):
        count = sum(kind.model.objects.filter(person=persons[name]).exists() for kind in SECTIONS.values())
        assert count >= 2, name
    history = SECTIONS["medication"].model.history.filter(person_id=jozef.pk)
    assert {record.history_user.profile for record in history} == {"gp"}


@pytest.mark.django_db
def test_the_demo_gp_reads_jozefs_whole_dossier():
    zone.load()
    jozef = Person.objects.get(given_name="Jozef")
    gp = User.objects.get(email=zone.email_for("gp"))
    gp.language = "en"
    gp.save(update_fields=["language"])
    body = client_for(gp).get(reverse("people:detail", args=[jozef.public_id])).content.decode()
    assert body.count('<h2 id="group-') == 9
    assert "07:45–08:15: Sofie Janssens (Thuisverpleging Kempen)" in body
    assert "Gezwollen enkels sinds twee weken." in body
