"""Issue 11: the topic of a team message never widens who reads it. There is no default topic
(a nurse's message about a wound once went to the neighbour as "identity"); the page says who
will be able to read each topic before posting; someone the person excluded is never offered or
notified; and addressing someone who will not read the topic gets one neutral answer."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access.tests.factories import ExclusionFactory
from conftest import client_for
from core.vocab import Category, Profile
from notifications.models import Notification
from people.tests.factories import join_team
from teams import queries, services, topics
from teams.models import TeamMessage

LINK = "https://schakel.example/teams/person/x/messages/"


@pytest.fixture
def neighbour_member(person, neighbour):
    join_team(person, neighbour)
    return neighbour


@pytest.fixture
def excluded_physio(person, physio, person_user):
    """A physiotherapist on the team whom Jozef excluded."""
    join_team(person, physio)
    ExclusionFactory(person=person, excluded=physio, recorded_by=person_user)
    return physio


def _url(person):
    return reverse("teams:messages", args=[person.public_id])


def _readers_paragraph(page: str, code: str) -> str:
    found = re.search(rf'<p class="topic-readers" id="topic-{code}-readers"[^>]*>(.*?)</p>', page, re.S)
    assert found, code
    return found.group(1)


def test_every_category_is_a_topic_in_plain_words():
    assert set(topics.TOPICS) == set(Category.values)
    assert str(topics.TOPICS[Category.MEDICAL].label) == "Health and care (medical)"
    assert all(str(topic.hint) for topic in topics.TOPICS.values())


def test_the_form_chooses_no_topic_for_the_author(person, nurse_client):
    page = nurse_client.get(_url(person)).content.decode()
    radios = re.findall(r'<input type="radio" name="category"[^>]*>', page)
    assert len(radios) == 6  # identity, situation, plan, medical, medication, assessments
    assert not [radio for radio in radios if "checked" in radio]
    assert '<select name="category"' not in page  # a select would pre-select its first option
    assert "Health and care (medical)" in page
    assert "Complaints, wounds, illnesses, allergies, vaccinations." in page


def test_posting_without_a_topic_is_refused_and_nobody_is_told(person, nurse_client, neighbour_member):
    response = nurse_client.post(_url(person), {"body": "Drukwonde aan de hiel, graag nazien."})
    assert response.status_code == 200
    assert "Choose what the message is about: the topic decides who can read it." in response.content.decode()
    assert "Drukwonde aan de hiel, graag nazien." in response.content.decode()  # kept for the next try
    assert (TeamMessage.objects.count(), Notification.objects.count()) == (0, 0)


def test_the_service_and_the_api_require_a_topic(person, nurse, gp):
    with pytest.raises(ValidationError) as raised:
        services.post_message(nurse, person, category="", body="Pressure wound on the heel.", link=LINK)
    assert raised.value.error_dict["category"][0].code == "required"
    response = client_for(nurse).post(
        f"/api/teams/persons/{person.public_id}/messages",
        {"body": "Pressure wound on the heel."},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "the topic decides who can read it" in response.content.decode()
    assert (TeamMessage.objects.count(), Notification.objects.count()) == (0, 0)


def test_the_page_says_who_will_read_each_topic(person, nurse_client, gp, pharmacist, caregiver, neighbour_member):
    page = nurse_client.get(_url(person)).content.decode()
    medical = _readers_paragraph(page, "medical")
    assert "Dr. An Peeters (general practitioner)" in medical
    assert "Luc Maes (pharmacist)" in medical
    assert "Jozef Wouters (the person themself)" in medical
    assert "Marie Claes" not in medical and "Karim El Amrani" not in medical
    identity = _readers_paragraph(page, "identity")
    assert "Karim El Amrani (neighbour or volunteer)" in identity and "Marie Claes (informal caregiver)" in identity
    assert "Sofie Janssens" not in page.split('id="write-heading"')[1].split("</fieldset>")[0]  # not herself


def test_a_medical_message_never_reaches_the_neighbour(person, nurse, gp, pharmacist, neighbour_member, mailoutbox):
    response = client_for(nurse).post(_url(person), {"category": "medical", "body": "Pressure wound on the heel."})
    assert response.status_code == 302
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert neighbour_member.pk not in notified
    assert notified == {gp.pk, pharmacist.pk}
    assert neighbour_member.email not in [mail.to[0] for mail in mailoutbox]


def test_an_excluded_professional_is_never_offered_or_notified(person, nurse, nurse_client, excluded_physio):
    page = nurse_client.get(_url(person)).content.decode()
    assert str(excluded_physio.public_id) not in page
    assert "Thomas Willems" not in page
    assert excluded_physio not in [m.user for m in queries.get_thread(nurse, person.public_id).members]
    # The physiotherapist's role may read assessments; the exclusion still keeps them out.
    services.post_message(nurse, person, category=Category.ASSESSMENTS, body="Fall risk is high.", link=LINK)
    assert not Notification.objects.filter(recipient=excluded_physio).exists()


def test_addressing_a_non_reader_gets_one_neutral_answer(person, nurse, caregiver, excluded_physio):
    answers = []
    for addressee in (caregiver, excluded_physio):  # a role that may not read medical; an excluded one
        with pytest.raises(ValidationError) as raised:
            services.post_message(
                nurse, person, category=Category.MEDICAL, body="Wound.", addressees=[addressee], link=LINK
            )
        [error] = raised.value.error_dict["addressees"]
        assert error.code == "addressee_cannot_read"
        answers.append(error.messages[0].replace(str(addressee), "NAME"))
    assert (
        answers[0]
        == answers[1]
        == ("NAME will not be able to read this message. Choose among the readers shown for its topic.")
    )
    for secret in ("exclu", "matrix", "role", "consent"):
        assert secret not in answers[0]
    assert not TeamMessage.objects.exists()


def test_the_api_answers_an_excluded_addressee_like_any_non_reader(person, nurse, excluded_physio):
    response = client_for(nurse).post(
        f"/api/teams/persons/{person.public_id}/messages",
        {"category": "medical", "body": "Wound.", "addressees": [str(excluded_physio.public_id)]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "will not be able to read this message" in response.content.decode()
    assert "exclu" not in response.content.decode().lower()


def test_the_pharmacist_writes_to_the_team_about_medication_only(person, pharmacist, gp):
    # The shipped matrix lets the pharmacist only read; following up medication problems is a
    # rule (access.rules.follows_up_medication_problems), and so is writing about medication.
    assert queries.get_thread(pharmacist, person.public_id).writable == ["medication"]
    message = services.post_message(
        pharmacist, person, category=Category.MEDICATION, body="Amlodipine moved to the evening?", link=LINK
    )
    assert message.category == "medication"
    with pytest.raises(ValidationError):
        services.post_message(pharmacist, person, category=Category.MEDICAL, body="x", link=LINK)


def test_a_member_joins_the_readers_list_with_their_role(person, nurse, make_user):
    trust = make_user(Profile.TRUST_PERSON, "Greta Smets")
    join_team(person, trust)
    readers = queries.message_readers(person, [Category.IDENTITY], leave_out=nurse)[Category.IDENTITY]
    assert ("Greta Smets", "trust person", True) in [(str(r.user), r.role, r.member) for r in readers]
