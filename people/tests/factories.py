from datetime import date, time
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from access.models import Consent
from people.models import Person
from teams.models import Membership
from teams.services import default_until


def synthetic_insz(n: int) -> str:
    """A checksum-valid, synthetic INSZ for someone born 1940-01-01 + n days (never a real one:
    serial numbers from 900 up are not used for these fixtures' birth dates in practice)."""
    from datetime import date, timedelta

    born = date(1940, 1, 1) + timedelta(days=n % 20000)
    serial = 900 + n % 98
    base = f"{born:%y%m%d}{serial:03d}"
    check = 97 - int(base) % 97
    return f"{base}{check:02d}"


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    insz = factory.Sequence(synthetic_insz)
    local_id = factory.Sequence(lambda n: f"L-TEST{n:06d}")
    given_name = factory.Faker("first_name", locale="nl_BE")
    family_name = factory.Faker("last_name", locale="nl_BE")


def join_team(person, user, *, is_coordinator=False, profile=None):
    now = timezone.now()
    profile = profile or user.profile
    return Membership.objects.create(
        person=person,
        user=user,
        profile=profile,
        is_coordinator=is_coordinator,
        since=now,
        until=default_until(profile, now),
    )


def consent_for(person, *, recorded_by):
    return Consent.objects.create(
        person=person, basis=Consent.Basis.CONSENT, given_by="person", recorded_by=recorded_by
    )


# Rows of the dossier's sections, written straight to the database for tests that need data to
# read; tests of the changes themselves go through people.services.
SECTION_SAMPLES: dict[str, dict[str, Any]] = {
    "contacts": {
        "name": "Thuisverpleging De Kempen",
        "kind": "service",
        "role": "home nursing",
        "phone": "+3214123456",
    },
    "family": {"name": "Marie Claes", "relation": "child", "involvement": "daily", "helps_with": "shopping"},
    "home": {"lives_alone": True, "stairs": "inside", "aids": ["walker"], "meals": "delivery"},
    "visits": {
        "who": "Sofie Janssens",
        "weekday": 0,
        "start_time": time(8),
        "end_time": time(8, 30),
        "tasks": "washing",
    },
    "help_history": {"what": "Family help", "provider": "Familiehulp", "started_on": date(2024, 1, 8)},
    "needs": {"domain": "mobility", "description": "Help on the stairs"},
    "medication": {"medication": "Metformine 500 mg", "dose": "1 tablet", "time_of_day": time(8), "with_food": True},
    "allergies": {"substance": "Penicilline", "kind": "medication", "severity": "severe"},
    "vaccinations": {"vaccine": "Influenza", "given_on": date(2025, 10, 14)},
    "own_words": {"life_goals": "Stay at home with my cat.", "own_needs": "Someone to walk with."},
    "preferences": {"area": "appearance", "text": "The hairdresser on the first Tuesday of the month"},
    "care_planning": {"has_directive": True, "directive_date": date(2023, 5, 2), "trust_person": "Marie Claes"},
    "capacity": {
        "assessed_by": "Dr. An Peeters (GP)",
        "assessed_on": date(2025, 2, 1),
        "decisions": "moving to a care home",
        "outcome": "capable",
    },
}


def section_row(person, code, **fields):
    from people.sections import kind

    section = kind(code)
    return section.model.objects.create(person=person, **{**SECTION_SAMPLES[code], **fields})


def medication_problem(person, reported_by, **fields):
    from people.models import MedicationProblem

    values = {"kind": "side_effect", "description": "Dizzy after the morning pills.", "reported_by": reported_by}
    return MedicationProblem.objects.create(person=person, **{**values, **fields})
