"""Registering a person, with or without INSZ (a local id for the homeless, the undocumented, or
someone whose number is not known yet)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import gate
from access.models import Consent, MatrixProfile
from access.tests.factories import ExclusionFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from audit.queries import person_log
from conftest import client_for, in_english
from core.vocab import Category, Level, Profile
from people import services
from people.models import Person
from people.services import REGISTRATION_LEGAL_BASIS
from people.tests.factories import synthetic_insz
from teams.models import Membership

REGISTER = reverse("people:register")
INSZ = synthetic_insz(12345)
NOT_REGISTERED = (
    "Nobody was registered. If this person is already known in Schakel, you cannot register them again: "
    "ask their care coordinator to add you to the care team (the person's consent then covers you), "
    "or, in an emergency, use emergency access."
)


def test_a_person_without_insz_gets_a_local_id(gp):
    person = services.register_person(gp, given_name=" Jef ", family_name="Onbekend")

    assert person.insz is None
    assert re.fullmatch(r"L-[0-9A-F]{10}", person.local_id)
    assert person.display_id == person.local_id
    assert (person.given_name, person.registered_by) == ("Jef", gp)


def test_two_persons_without_insz_can_be_registered(gp):
    first = services.register_person(gp, given_name="Jef", family_name="Onbekend")
    second = services.register_person(gp, given_name="Jan", family_name="Onbekend")
    assert first.local_id != second.local_id
    assert Person.objects.filter(insz=None).count() == 2


def test_an_insz_is_shown_grouped_as_on_the_eid(gp):
    person = services.register_person(gp, given_name="An", family_name="Smets", insz=INSZ)
    assert person.insz == INSZ
    assert person.display_id == f"{INSZ[:2]}.{INSZ[2:4]}.{INSZ[4:6]}-{INSZ[6:9]}.{INSZ[9:]}"


def test_the_registrant_joins_the_team_with_a_named_legal_basis_and_it_is_audited(nurse):
    person = services.register_person(nurse, given_name="Jef", family_name="Onbekend")

    membership = Membership.objects.get(person=person)
    assert (membership.user, membership.profile, membership.is_coordinator) == (nurse, Profile.NURSE, False)
    assert membership.until is not None  # a professional relationship expires
    basis = Consent.objects.get(person=person)
    assert (basis.basis, basis.legal_basis, basis.holder, basis.categories) == (
        Consent.Basis.LEGAL_BASIS,
        REGISTRATION_LEGAL_BASIS,
        nurse,
        ["identity", "acp"],
    )
    row = AuditEntry.objects.get(action="people.person_registered")
    assert (row.event, row.person_id, row.actor_id, row.category, row.allowed) == (
        "change",
        person.pk,
        nurse.pk,
        "identity",
        True,
    )
    assert row.detail == {"legal_basis": REGISTRATION_LEGAL_BASIS}


def test_the_legal_basis_covers_identity_and_consent_only(nurse):
    person = services.register_person(nurse, given_name="Jef", family_name="Onbekend")

    assert gate.decide(nurse, person, Category.IDENTITY, Level.WRITE).allowed
    assert gate.decide(nurse, person, Category.ACP, Level.READ).allowed
    assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).reason == "no_consent"


def test_a_known_insz_gets_a_separate_record_as_a_new_one_would(gp, nurse):
    known = services.register_person(gp, given_name="An", family_name="Smets", insz=INSZ)

    response = client_for(nurse).post(REGISTER, {"given_name": "Anna", "family_name": "Smets", "insz": INSZ})

    record = Person.objects.get(given_name="Anna")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[record.public_id])
    # The number is kept apart from the unique column, shown to the record's readers as its INSZ.
    assert (record.insz, record.claimed_insz, record.possible_duplicate_of) == (None, INSZ, known)
    assert record.display_id == known.display_id
    membership = Membership.objects.get(person=record)
    assert (membership.user, membership.is_coordinator) == (nurse, False)
    basis = Consent.objects.get(person=record)
    assert (basis.legal_basis, basis.holder) == (REGISTRATION_LEGAL_BASIS, nurse)
    registered = AuditEntry.objects.get(action="people.person_registered", person_id=record.pk)
    assert (registered.actor_id, registered.allowed) == (nurse.pk, True)
    refusal = AuditEntry.objects.get(actor_id=nurse.pk, person_id=known.pk)
    assert (refusal.action, refusal.allowed, refusal.reason) == ("people.register_duplicate", False, "duplicate_insz")
    # Nothing of the known person reaches the new record.
    assert not Membership.objects.filter(person=record).exclude(user=nurse).exists()


def test_the_answer_for_a_race_lost_is_translated(nurse):
    from django.utils import translation

    with translation.override("nl"):
        expected = translation.gettext(NOT_REGISTERED)
        assert services.not_registered().messages == [expected]
    assert expected != NOT_REGISTERED


# ── The INSZ probe: a known INSZ teaches nothing, and the person sees the attempt ─────────────


def _post(user, insz, **fields):
    return client_for(user).post(REGISTER, {"given_name": "Anna", "family_name": "Smets", "insz": insz, **fields})


def _as_seen(user, response):
    """What the registrant can tell from a registration: status, where it leads, the messages
    and the dossier page it leads to, with the record's own ids taken out."""
    client = client_for(user)
    page = client.get(response["Location"])
    record = Person.objects.get(public_id=page.context["person"].public_id)
    body = page.content.decode().replace(str(record.public_id), "ID").replace(record.local_id, "LOCAL")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    shown = [str(m) for m in page.context["messages"]]
    return response.status_code, re.sub(r"[0-9a-f-]{36}", "ID", response["Location"]), shown, body


def test_a_known_insz_and_an_unknown_one_look_the_same_to_the_registrant(person, outsider):
    new_insz = synthetic_insz(54321)
    # Two registrations, each with the number the other would have had, so the pages compare.
    known_answer = _as_seen(outsider, _post(outsider, person.insz))
    Person.objects.filter(given_name="Anna").update(given_name="Other")
    unknown_answer = _as_seen(outsider, _post(outsider, new_insz))

    formatted = Person(insz=new_insz).display_id
    assert formatted in unknown_answer[3]
    assert known_answer[:3] == unknown_answer[:3]
    assert known_answer[3].replace(person.display_id, formatted) == unknown_answer[3]
    assert person.family_name not in known_answer[3] and person.given_name not in known_answer[3]
    assert "already" not in known_answer[3]


def test_trying_a_known_insz_twice_answers_as_trying_a_new_one_twice(person, outsider):
    new_insz = synthetic_insz(54321)
    first_known, first_new = _post(outsider, person.insz), _post(outsider, new_insz)
    again_known, again_new = _post(outsider, person.insz), _post(outsider, new_insz)

    assert again_known.status_code == again_new.status_code == 302
    assert again_known["Location"] == first_known["Location"]  # led to the record registered first
    assert again_new["Location"] == first_new["Location"]
    assert Person.objects.filter(registered_by=outsider).count() == 2
    assert person_log(person).filter(actor_id=outsider.pk, action="people.register_duplicate").count() == 2


def test_an_excluded_member_gets_a_separate_record_as_an_outsider_does(person, nurse, outsider):
    ExclusionFactory(person=person, excluded=nurse)
    excluded, stranger = _post(nurse, person.insz), _post(outsider, person.insz)
    assert excluded.status_code == stranger.status_code == 302
    records = Person.objects.filter(possible_duplicate_of=person)
    assert sorted(r.registered_by.pk for r in records) == sorted([nurse.pk, outsider.pk])
    assert Person.objects.filter(insz=person.insz).get() == person


def test_a_member_who_already_opens_the_dossier_is_led_there(person, nurse):
    response = _post(nurse, person.insz)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    assert Person.objects.filter(insz=person.insz).count() == 1
    assert not Person.objects.filter(claimed_insz=person.insz).exists()


def test_the_attempt_is_in_the_persons_own_log(person, outsider):
    _post(outsider, person.insz)
    row = person_log(person).get(actor_id=outsider.pk)
    assert (row.action, row.event, row.allowed, row.reason, row.category) == (
        "people.register_duplicate",
        "change",
        False,
        "duplicate_insz",
        "identity",
    )


def test_the_page_offers_the_ways_to_ask_access(outsider, zone_admin):
    page = client_for(outsider).get(REGISTER).content.decode()
    assert "ask their care coordinator to add you to the care team" in page
    assert reverse("access:break-glass") in page
    social_worker = in_english(UserFactory(profile=Profile.SOCIAL_WORKER))
    page = client_for(social_worker).get(REGISTER).content.decode()
    assert "ask their care coordinator to add you to the care team" in page
    assert reverse("access:break-glass") not in page  # not a health professional


def test_registration_attempts_are_rate_limited_per_user(person, outsider, gp, settings, monkeypatch):
    settings.PEOPLE_REGISTER_PER_DAY = 2
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    services.register_person(outsider, given_name="Jef", family_name="Onbekend")  # registered: counts
    # A separate record at a known INSZ counts once, though it is also in the person's log.
    services.register_person(outsider, given_name="An", family_name="Smets", insz=person.insz)
    before = Person.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.register_person(outsider, given_name="Nieuw", family_name="Iemand", insz=INSZ)

    assert refused.value.code == "rate_limited"
    assert Person.objects.count() == before
    assert AuditEntry.objects.filter(actor_id=outsider.pk, reason="rate_limited").count() == 1
    # At a known INSZ the refusal for the limit is in the person's log too.
    with pytest.raises(ValidationError):
        services.register_person(outsider, given_name="An", family_name="Smets", insz=person.insz)
    assert person_log(person).filter(actor_id=outsider.pk, reason="rate_limited").count() == 1
    # Another user's count is their own; a day later the window has moved on.
    assert services.register_person(gp, given_name="Jan", family_name="Onbekend").registered_by == gp
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=24, minutes=1))
    assert services.register_person(outsider, given_name="Nieuw", family_name="Iemand", insz=INSZ).insz == INSZ


def test_the_rate_limit_is_a_setting():
    from django.conf import settings

    assert settings.PEOPLE_REGISTER_PER_DAY == 30


def test_an_invalid_insz_is_refused_with_a_clear_message(gp_client):
    response = gp_client.post(REGISTER, {"given_name": "An", "family_name": "Smets", "insz": "12345678901"})
    assert response.status_code == 200
    assert response.context["form"].errors["insz"] == [
        "12345678901 is not a valid INSZ/NISS or BIS number; check the 11 digits."
    ]
    assert not Person.objects.exists()


def test_registering_through_the_page_leads_to_the_new_record(gp, gp_client):
    response = gp_client.post(REGISTER, {"given_name": "Jef", "family_name": "Onbekend", "insz": ""})

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    page = gp_client.get(response["Location"]).content.decode()
    assert "<dt>Local id</dt><dd>" + person.local_id + "</dd>" in page
    assert "Registered without INSZ." in page


def test_the_register_page_labels_every_field(gp_client):
    page = gp_client.get(REGISTER).content.decode()
    for field, label in [
        ("given_name", "Given name"),
        ("family_name", "Family name"),
        ("insz", "INSZ/NISS number"),
        ("birth_date", "Date of birth"),
        ("municipality", "Municipality"),
    ]:
        assert f'<label for="id_{field}">{label}:</label>' in page
    assert 'aria-describedby="id_insz_helptext"' in page and 'id="id_insz_helptext"' in page


def test_only_a_professional_can_register(person_user):
    with pytest.raises(gate.Refused) as refused:
        services.register_person(person_user, given_name="Jef", family_name="Onbekend")
    assert refused.value.decision.reason == "not_registering_profile"
    assert not Person.objects.filter(given_name="Jef").exists()


# ── Who may register is matrix data ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("profile", [Profile.ZONE_ADMIN, Profile.HELPDESK, Profile.DPO])
def test_the_zone_roles_may_not_register(db, profile):
    user = in_english(UserFactory(profile=profile))
    client = client_for(user)

    page, posted = client.get(REGISTER), client.post(REGISTER, {"given_name": "Jef", "family_name": "Onbekend"})

    assert page.status_code == posted.status_code == 403
    assert "Your role does not register persons." in posted.content.decode()
    assert not Person.objects.exists() and not Membership.objects.exists()
    refusals = AuditEntry.objects.filter(actor_id=user.pk, action="people.register_refused")
    assert list(refusals.values_list("allowed", "reason").distinct()) == [(False, "not_registering_profile")]
    assert reverse("people:register") not in client.get(reverse("home")).content.decode()


def test_the_home_page_offers_registering_to_who_may(gp_client):
    assert REGISTER in gp_client.get(reverse("home")).content.decode()


def test_the_matrix_decides_who_registers(nurse):
    MatrixProfile.objects.filter(code=Profile.NURSE).update(may_register=False)
    with pytest.raises(gate.Refused):
        services.register_person(nurse, given_name="Jef", family_name="Onbekend")
    assert REGISTER not in client_for(nurse).get(reverse("home")).content.decode()
    MatrixProfile.objects.filter(code=Profile.NURSE).update(may_register=True)
    assert services.register_person(nurse, given_name="Jef", family_name="Onbekend").registered_by == nurse


def test_the_matrix_never_lets_the_persons_circle_register(caregiver):
    MatrixProfile.objects.filter(code=Profile.INFORMAL_CAREGIVER).update(may_register=True)
    with pytest.raises(gate.Refused):
        services.register_person(caregiver, given_name="Jef", family_name="Onbekend")
