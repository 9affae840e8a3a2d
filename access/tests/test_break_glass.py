"""Break the glass: one declared route, the exact INSZ and a reason; health professionals only;
an exclusion still blocks it; emergency categories read-only for a limited time; rate-limited;
audited even without a match; notified; and the answer never tells whether the person exists."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import gate, services
from access.models import BreakGlassAccess, MatrixCategory
from access.tests.factories import ExclusionFactory
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from audit.queries import person_log
from conftest import client_for
from core.vocab import Category, Level, Profile
from notifications.models import Notification
from people.tests.factories import PersonFactory, synthetic_insz

REASON = "Found unconscious at home, brought to the emergency department."
NO_ACCESS = "No emergency access was opened."


@pytest.fixture
def doctor(db):
    """An emergency-department doctor with no relationship to anyone."""
    return UserFactory(profile=Profile.HOSPITAL_DOCTOR, full_name="Dr. Noor El Amrani", language="en")


def _digest(insz: str) -> str:
    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), insz.encode(), hashlib.sha256).hexdigest()


def _unknown_insz() -> str:
    return synthetic_insz(12345)


def test_a_health_professional_opens_the_emergency_categories_read_only(person, doctor):
    assert gate.decide(doctor, person, Category.MEDICATION, Level.READ).reason == "no_relationship"
    grant = services.break_glass(doctor, person.insz, REASON)
    assert (grant.person, grant.actor, grant.reason) == (person, doctor, REASON)
    assert grant.until - grant.since == timedelta(hours=24)
    emergency = set(MatrixCategory.objects.filter(emergency=True).values_list("code", flat=True))
    for category in Category.values:
        read = gate.decide(doctor, person, category, Level.READ)
        assert read.allowed == (category in emergency), category
        assert gate.decide(doctor, person, category, Level.WRITE).allowed is False


def test_the_grant_expires_after_the_configured_hours(person, doctor, settings):
    settings.ACCESS_BREAK_GLASS_HOURS = 2
    start = timezone.now()
    services.break_glass(doctor, person.insz, REASON, now=start)
    inside, after = start + timedelta(hours=1, minutes=59), start + timedelta(hours=2, seconds=1)
    assert gate.decide(doctor, person, Category.MEDICATION, Level.READ, now=inside).allowed is True
    assert gate.decide(doctor, person, Category.MEDICATION, Level.READ, now=after).reason == "no_relationship"


def test_the_default_period_is_24_hours(person, doctor):
    start = timezone.now()
    services.break_glass(doctor, person.insz, REASON, now=start)
    assert gate.decide(doctor, person, Category.ACP, Level.READ, now=start + timedelta(hours=23)).allowed is True
    later = start + timedelta(hours=24, seconds=1)
    assert gate.decide(doctor, person, Category.ACP, Level.READ, now=later).reason == "no_relationship"


def test_a_success_is_audited_as_break_the_glass_without_the_insz(person, doctor):
    services.break_glass(doctor, f" {person.display_id} ", REASON)  # grouped as on the eID: still exact
    row = AuditEntry.objects.get(actor_id=doctor.pk)
    assert (row.event, row.action, row.person_id, row.allowed, row.relationship) == (
        "break_glass",
        "access.break_glass",
        person.pk,
        True,
        "break_glass",
    )
    assert row.detail["insz_hmac"] == _digest(person.insz)
    assert row.detail["reason"] == REASON
    assert person.insz not in json.dumps(row.detail)


def test_the_person_sees_it_in_their_access_log(person, doctor):
    services.break_glass(doctor, person.insz, REASON)
    gate.check(doctor, person, Category.MEDICATION, Level.READ, action="test.read")
    events = list(person_log(person).filter(actor_id=doctor.pk).values_list("event", "allowed"))
    assert events == [("break_glass", True), ("break_glass", True)]


def test_the_coordinator_and_the_person_are_notified(person, doctor, gp, person_user, representative):
    zone_admin = UserFactory(profile=Profile.ZONE_ADMIN)
    services.break_glass(doctor, person.insz, REASON)
    rows = Notification.objects.filter(kind=Notification.Kind.BREAK_GLASS, person=person)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([gp.pk, person_user.pk, representative.pk])
    assert rows.first().params["actor"] == "Dr. Noor El Amrani"
    assert (rows.first().params["profile"], rows.first().params["reason"]) == ("hospital_doctor", REASON)
    assert not Notification.objects.filter(recipient=zone_admin).exists()


def test_without_a_coordinator_every_active_zone_admin_is_notified(doctor):
    person = PersonFactory()  # no account, no team
    admins = [UserFactory(profile=Profile.ZONE_ADMIN), UserFactory(profile=Profile.ZONE_ADMIN)]
    UserFactory(profile=Profile.ZONE_ADMIN, is_active=False)
    services.break_glass(doctor, person.insz, REASON)
    recipients = sorted(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == sorted(admin.pk for admin in admins)


def test_no_match_is_audited_with_a_keyed_hash_only_and_says_nothing(doctor):
    insz = _unknown_insz()
    with pytest.raises(ValidationError) as raised:
        services.break_glass(doctor, insz, REASON)
    assert raised.value.messages == [NO_ACCESS]
    row = AuditEntry.objects.get(actor_id=doctor.pk)
    assert (row.event, row.action, row.allowed, row.reason, row.person_id) == (
        "break_glass",
        "access.break_glass",
        False,
        "no_match",
        None,
    )
    assert row.detail == {"insz_hmac": _digest(insz)}
    assert BreakGlassAccess.objects.count() == 0


def test_an_exclusion_blocks_it_with_the_same_answer(person, person_user, doctor):
    ExclusionFactory(person=person, excluded=doctor)
    with pytest.raises(ValidationError) as raised:
        services.break_glass(doctor, person.insz, REASON)
    assert raised.value.messages == [NO_ACCESS]
    assert BreakGlassAccess.objects.count() == 0
    row = AuditEntry.objects.get(actor_id=doctor.pk)
    assert (row.allowed, row.reason, row.person_id) == (False, "excluded", person.pk)
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("profile", [Profile.SOCIAL_WORKER, Profile.HOME_CARE_WORKER, Profile.ZONE_ADMIN])
def test_only_health_professionals_may_and_the_answer_is_the_same(person, profile):
    actor = UserFactory(profile=profile)
    with pytest.raises(ValidationError) as raised:
        services.break_glass(actor, person.insz, REASON)
    assert raised.value.messages == [NO_ACCESS]
    row = AuditEntry.objects.get(actor_id=actor.pk)
    # The INSZ named the person: the refused attempt is in the person's own log.
    assert (row.reason, row.person_id) == ("not_health_professional", person.pk)
    assert BreakGlassAccess.objects.count() == 0


@pytest.mark.parametrize(("insz", "reason"), [("12345678901", REASON), ("", REASON), ("12345678901", "")])
def test_an_invalid_insz_is_refused_clearly_and_changes_nothing(doctor, insz, reason):
    with pytest.raises(ValidationError) as raised:
        services.break_glass(doctor, insz, reason)
    assert raised.value.code == "invalid_insz"
    assert (BreakGlassAccess.objects.count(), AuditEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize("reason", ["too short", "", None])
def test_an_attempt_without_a_reason_is_refused_and_shown_in_the_persons_log(person, doctor, reason):
    with pytest.raises(ValidationError) as raised:
        services.break_glass(doctor, person.insz, reason)
    assert raised.value.code == "reason_too_short"
    assert BreakGlassAccess.objects.count() == 0
    row = person_log(person).get()
    assert (row.actor_id, row.event, row.allowed, row.reason) == (doctor.pk, "break_glass", False, "reason_too_short")
    # Refused before anything was looked at: it does not use up one of the day's attempts.
    assert services.break_glass_attempts(doctor, timezone.now()) == 0


def _refused_attempt(case, person, doctor, settings):
    """One refused emergency attempt naming the person, refused for `case`; returns the actor."""
    actor = doctor
    reason = REASON
    if case == "excluded":
        ExclusionFactory(person=person, excluded=doctor)
    elif case == "not_health_professional":
        actor = UserFactory(profile=Profile.SOCIAL_WORKER)
    elif case == "reason_too_short":
        reason = ""
    elif case == "rate_limited":
        settings.ACCESS_BREAK_GLASS_PER_DAY = 1
        with pytest.raises(ValidationError):
            services.break_glass(doctor, _unknown_insz(), REASON)
    with pytest.raises(ValidationError):
        services.break_glass(actor, person.insz, reason)
    return actor


@pytest.mark.parametrize("case", ["excluded", "not_health_professional", "reason_too_short", "rate_limited"])
def test_every_refused_attempt_naming_the_person_is_in_their_log(person, doctor, settings, case):
    actor = _refused_attempt(case, person, doctor, settings)
    rows = list(person_log(person).values_list("actor_id", "event", "action", "allowed", "reason"))
    assert rows == [(actor.pk, "break_glass", "access.break_glass", False, case)]
    assert BreakGlassAccess.objects.count() == 0


def test_attempts_are_rate_limited_per_rolling_day(person, doctor, settings, monkeypatch):
    settings.ACCESS_BREAK_GLASS_PER_DAY = 3
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    for n in range(3):  # attempts without a match count too
        with pytest.raises(ValidationError):
            services.break_glass(doctor, synthetic_insz(20000 + n), REASON)
    with pytest.raises(ValidationError) as raised:
        services.break_glass(doctor, person.insz, REASON)
    assert raised.value.code == "rate_limited"
    assert BreakGlassAccess.objects.count() == 0
    assert AuditEntry.objects.filter(actor_id=doctor.pk, reason="rate_limited").count() == 1
    # A day later the oldest attempts have left the window.
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=24, minutes=1))
    grant = services.break_glass(doctor, person.insz, REASON)
    assert grant.person == person


def test_another_users_attempts_do_not_count(person, doctor, settings):
    settings.ACCESS_BREAK_GLASS_PER_DAY = 1
    colleague = UserFactory(profile=Profile.HOSPITAL_DOCTOR)
    with pytest.raises(ValidationError):
        services.break_glass(colleague, _unknown_insz(), REASON)
    assert services.break_glass(doctor, person.insz, REASON).actor == doctor


# ── the page and the API ────────────────────────────────────────────────────────────────────


def test_the_page_opens_access_and_leads_to_the_persons_page(person, doctor):
    client = client_for(doctor)
    url = reverse("access:break-glass")
    assert client.get(url).status_code == 200
    response = client.post(url, {"insz": person.insz, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("case", ["no_match", "excluded", "not_health_professional"])
def test_the_page_gives_one_answer_for_every_refusal(person, person_user, doctor, case):
    actor = UserFactory(profile=Profile.SOCIAL_WORKER, language="en") if case == "not_health_professional" else doctor
    if case == "excluded":
        ExclusionFactory(person=person, excluded=doctor)
    insz = _unknown_insz() if case == "no_match" else person.insz
    response = client_for(actor).post(reverse("access:break-glass"), {"insz": insz, "reason": REASON})
    body = response.content.decode()
    assert response.status_code == 200
    assert NO_ACCESS in body
    assert person.family_name not in body
    assert AuditEntry.objects.get(actor_id=actor.pk).reason == case


def test_the_page_asks_for_a_reason_of_ten_characters(person, doctor):
    response = client_for(doctor).post(reverse("access:break-glass"), {"insz": person.insz, "reason": "urgent"})
    assert response.status_code == 200
    assert BreakGlassAccess.objects.count() == 0
    assert response.context["form"].errors["reason"] == [
        "Give the reason for emergency access in at least 10 characters."
    ]
    # The page lets the attempt reach the service, which writes it in the person's log.
    assert person_log(person).get().reason == "reason_too_short"


def test_the_home_page_links_to_emergency_access(doctor):
    body = client_for(doctor).get(reverse("home")).content.decode()
    assert reverse("access:break-glass") in body


def test_break_the_glass_is_one_declared_route():
    from tests.routes import all_routes

    routes = [(r.name, r.scope, r.methods) for r in all_routes() if "emergency" in r.pattern or "break" in r.name]
    assert routes == [("access:break-glass", "own_account", ("GET", "POST"))]
