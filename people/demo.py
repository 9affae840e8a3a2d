"""Synthetic dossiers for the demo care zone (demo/zone.py): every section for Jozef, several
for the others. Every name, number and address is invented; phone numbers use the unassigned
99 blocks, e-mail addresses the reserved .example domain.

The rows are written directly, as the rest of the demo zone is: the loader runs once in one
transaction, outside any request, so it does not pass the gate; each row still gets its first
history row with the professional who would have written it.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from core.vocab import Profile
from notifications.models import Notification
from notifications.services import notify
from people.models import MedicationProblem, Person
from people.sections import kind

# (section, author's profile, fields) per demo person, by given name.
DOSSIERS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "Jozef": [
        (
            "contacts",
            Profile.GP,
            {
                "name": "Dr. An Peeters",
                "kind": "professional",
                "role": "huisarts, Wijkgezondheidscentrum De Schakel",
                "email": "gp@demo.schakel.example",
                "phone": "+3214990101",
            },
        ),
        (
            "contacts",
            Profile.NURSE,
            {
                "name": "Thuisverpleging Kempen",
                "kind": "service",
                "role": "thuisverpleging, dagelijks",
                "phone": "+3214990102",
                "mobile": "+32470990102",
                "notes": "24/7 wachtdienst via het vaste nummer",
            },
        ),
        (
            "contacts",
            Profile.GP,  # the pharmacist only reads the care team
            {
                "name": "Apotheek Maes",
                "kind": "service",
                "role": "huisapotheker",
                "phone": "+3214990103",
                "email": "apotheek@demo.schakel.example",
            },
        ),
        (
            "contacts",
            Profile.SOCIAL_WORKER,
            {
                "name": "OCMW Geel, sociale dienst",
                "kind": "agency",
                "role": "maatschappelijk werk",
                "phone": "+3214990104",
            },
        ),
        (
            "contacts",
            Profile.GP,
            {
                "name": "Greta Smets",
                "kind": "trust_person",
                "role": "vertrouwenspersoon, nicht",
                "mobile": "+32499990105",
            },
        ),
        (
            "contacts",
            Profile.GP,
            {
                "name": "Marie Claes",
                "kind": "family",
                "role": "dochter, mantelzorger",
                "mobile": "+32499990106",
                "email": "informal-caregiver@demo.schakel.example",
            },
        ),
        (
            "family",
            Profile.SOCIAL_WORKER,
            {
                "name": "Marie Claes",
                "relation": "child",
                "involvement": "daily",
                "helps_with": "boodschappen, administratie, medicatie klaarzetten",
            },
        ),
        (
            "family",
            Profile.SOCIAL_WORKER,
            {"name": "Bart Wouters", "relation": "child", "involvement": "monthly", "helps_with": "klusjes in huis"},
        ),
        (
            "family",
            Profile.SOCIAL_WORKER,
            {"name": "Elise Dubois", "relation": "grandchild", "involvement": "rarely", "lives_with": False},
        ),
        (
            "home",
            Profile.NURSE,
            {
                "lives_alone": True,
                "housing": "house",
                "stairs": "inside",
                "aids": ["walker", "grab_bars", "shower_chair", "alarm"],
                "hygiene": "some_help",
                "safety_risks": ["falls"],
                "household": "some_help",
                "meals": "delivery",
                "load_on_surroundings": "heavy",
                "remarks": "Slaapkamer boven; traplift aangevraagd.",
            },
        ),
        (
            "visits",
            Profile.NURSE,
            {
                "who": "Sofie Janssens",
                "service": "Thuisverpleging Kempen",
                "weekday": 0,
                "start_time": time(7, 45),
                "end_time": time(8, 15),
                "tasks": "wassen, steunkousen, medicatie",
            },
        ),
        (
            "visits",
            Profile.NURSE,
            {
                "who": "Sofie Janssens",
                "service": "Thuisverpleging Kempen",
                "weekday": 2,
                "start_time": time(7, 45),
                "end_time": time(8, 15),
                "tasks": "wassen, steunkousen, medicatie",
            },
        ),
        (
            "visits",
            Profile.NURSE,
            {
                "who": "Sofie Janssens",
                "service": "Thuisverpleging Kempen",
                "weekday": 4,
                "start_time": time(7, 45),
                "end_time": time(8, 15),
                "tasks": "wassen, steunkousen, medicatie",
            },
        ),
        (
            "visits",
            Profile.HOME_CARE_WORKER,
            {
                "who": "Ilse Goossens",
                "service": "Familiehulp",
                "weekday": 1,
                "start_time": time(9),
                "end_time": time(12),
                "tasks": "poetsen, was, samen boodschappen",
            },
        ),
        (
            "visits",
            Profile.SOCIAL_WORKER,
            {
                "who": "Warme maaltijden OCMW",
                "service": "OCMW Geel",
                "weekday": 3,
                "start_time": time(11, 30),
                "end_time": time(11, 45),
                "tasks": "maaltijden voor drie dagen",
            },
        ),
        (
            "visits",
            Profile.PHYSIOTHERAPIST,
            {
                "who": "Thomas Willems",
                "service": "kinesitherapie",
                "weekday": 3,
                "start_time": time(14),
                "end_time": time(14, 30),
                "tasks": "evenwichtsoefeningen, valpreventie",
            },
        ),
        (
            "visits",
            Profile.SOCIAL_WORKER,
            {
                "who": "Marie Claes",
                "service": "",
                "weekday": 5,
                "start_time": time(10),
                "end_time": time(16),
                "tasks": "boodschappen, gezelschap, medicatie klaarzetten voor de week",
            },
        ),
        (
            "help_history",
            Profile.SOCIAL_WORKER,
            {
                "what": "Poetshulp",
                "provider": "Dienstencheques Kempen",
                "started_on": date(2021, 3, 1),
                "ended_on": date(2024, 9, 30),
                "notes": "Gestopt: overgestapt naar Familiehulp.",
            },
        ),
        (
            "help_history",
            Profile.SOCIAL_WORKER,
            {"what": "Familiehulp, 3 uur per week", "provider": "Familiehulp", "started_on": date(2024, 10, 7)},
        ),
        (
            "help_history",
            Profile.SOCIAL_WORKER,
            {"what": "Warme maaltijden", "provider": "OCMW Geel", "started_on": date(2025, 1, 13)},
        ),
        (
            "help_history",
            Profile.NURSE,
            {
                "what": "Thuisverpleging na heupoperatie",
                "provider": "Thuisverpleging Kempen",
                "started_on": date(2025, 4, 2),
            },
        ),
        (
            "needs",
            Profile.NURSE,
            {"domain": "mobility", "description": "Hulp en toezicht op de trap", "status": "partly"},
        ),
        (
            "needs",
            Profile.SOCIAL_WORKER,
            {"domain": "social", "description": "Voelt zich eenzaam op zondag", "status": "unmet"},
        ),
        (
            "needs",
            Profile.NURSE,
            {"domain": "medication", "description": "Medicatie wordt per week klaargezet", "status": "met"},
        ),
        (
            "medication",
            Profile.GP,
            {"medication": "Metformine 500 mg", "dose": "1 tablet", "time_of_day": time(8), "with_food": True},
        ),
        (
            "medication",
            Profile.GP,
            {"medication": "Amlodipine 5 mg", "dose": "1 tablet", "time_of_day": time(8), "with_food": False},
        ),
        (
            "medication",
            Profile.GP,
            {"medication": "Metformine 500 mg", "dose": "1 tablet", "time_of_day": time(18), "with_food": True},
        ),
        (
            "medication",
            Profile.GP,
            {
                "medication": "Paracetamol 1 g",
                "dose": "1 bruistablet indien pijn",
                "time_of_day": time(21),
                "with_food": False,
                "notes": "maximaal 3 per dag",
            },
        ),
        (
            # A stopped line: listed apart with its date and reason, not in the schedule (issue 11).
            "medication",
            Profile.GP,
            {
                "medication": "Ibuprofen 400 mg",
                "dose": "1 tablet",
                "time_of_day": time(12),
                "with_food": True,
                "stopped_on": date(2026, 6, 2),
                "stop_reason": "Maagklachten; vervangen door paracetamol",
            },
        ),
        (
            "allergies",
            Profile.GP,
            {
                "substance": "Penicilline",
                "kind": "medication",
                "reaction": "huiduitslag, zwelling",
                "severity": "severe",
                "noted_on": date(1998, 6, 1),
            },
        ),
        (
            "allergies",
            Profile.NURSE,
            {"substance": "Pleisters (latex)", "kind": "environment", "reaction": "roodheid", "severity": "mild"},
        ),
        (
            "vaccinations",
            Profile.GP,
            {"vaccine": "Griep (influenza)", "given_on": date(2025, 10, 14), "next_due": date(2026, 10, 1)},
        ),
        ("vaccinations", Profile.GP, {"vaccine": "COVID-19", "given_on": date(2025, 10, 14)}),
        ("vaccinations", Profile.GP, {"vaccine": "Pneumokokken", "given_on": date(2022, 3, 9), "notes": "eenmalig"}),
        (
            "own_words",
            Profile.PERSON,
            {
                "life_goals": "Zo lang mogelijk thuis blijven wonen, bij mijn tuin en mijn kat Minou.",
                "own_needs": "Iemand die op zondag eens langskomt. Hulp op de trap 's avonds.",
            },
        ),
        (
            "preferences",
            Profile.PERSON,
            {"area": "appearance", "text": "Elke eerste dinsdag van de maand naar kapper Lucienne"},
        ),
        (
            "preferences",
            Profile.PERSON,
            {"area": "celebrations", "text": "Verjaardag van Marie (12 juni) samen vieren"},
        ),
        ("preferences", Profile.PERSON, {"area": "routine", "text": "Staat laat op; liefst geen bezoek voor 7.30 uur"}),
        ("preferences", Profile.PERSON, {"area": "faith", "text": "Zondagmis op tv om 10 uur"}),
        (
            "care_planning",
            Profile.GP,
            {
                "has_directive": True,
                "directive_date": date(2023, 5, 2),
                "directive_kept": "kopie bij de huisarts, origineel in de kast in de living",
                "trust_person": "Greta Smets",
                "trust_person_since": date(2023, 5, 2),
                "discussed_on": date(2025, 11, 4),
                "remarks": (
                    "DNR 2: niet reanimeren, geen opname op intensieve zorg. Geen ziekenhuisopname meer "
                    "voor uitgebreide onderzoeken; comfort gaat voor."
                ),
            },
        ),
        (
            "capacity",
            Profile.GP,
            {
                "assessed_by": "Dr. An Peeters (huisarts)",
                "assessed_on": date(2025, 11, 4),
                "decisions": "zorg en behandeling, verhuis naar een woonzorgcentrum",
                "outcome": "capable",
                "decides_when_impaired": "Greta Smets (vertrouwenspersoon)",
            },
        ),
    ],
    "Simone": [
        (
            "contacts",
            Profile.GP,
            {"name": "Bart Wouters", "kind": "other", "role": "administrateur (bewindvoerder)", "phone": "+3214990201"},
        ),
        (
            "home",
            Profile.NURSE,
            {
                "lives_alone": True,
                "housing": "apartment",
                "stairs": "none",
                "aids": ["walker", "alarm"],
                "hygiene": "full_help",
                "meals": "delivery",
                "load_on_surroundings": "moderate",
            },
        ),
        (
            "visits",
            Profile.NURSE,
            {
                "who": "Sofie Janssens",
                "service": "Soins à domicile",
                "weekday": 0,
                "start_time": time(8),
                "end_time": time(8, 45),
                "tasks": "toilette, médicaments",
            },
        ),
        (
            "visits",
            Profile.NURSE,
            {
                "who": "Sofie Janssens",
                "service": "Soins à domicile",
                "weekday": 3,
                "start_time": time(8),
                "end_time": time(8, 45),
                "tasks": "toilette, médicaments",
            },
        ),
        (
            "medication",
            Profile.GP,
            {"medication": "Donepezil 10 mg", "dose": "1 comprimé", "time_of_day": time(20), "with_food": False},
        ),
        (
            "capacity",
            Profile.GP,
            {
                "assessed_by": "Dr. An Peeters (huisarts)",
                "assessed_on": date(2025, 6, 12),
                "decisions": "gestion des biens, choix du lieu de vie",
                "outcome": "impaired",
                "decides_when_impaired": "Bart Wouters (administrateur)",
            },
        ),
        (
            "care_planning",
            Profile.GP,
            {"has_directive": False, "representative": "Bart Wouters", "representative_since": date(2024, 2, 1)},
        ),
    ],
    "Achille": [
        (
            "family",
            Profile.SOCIAL_WORKER,
            {
                "name": "Lucie Vandenberghe",
                "relation": "partner",
                "involvement": "daily",
                "lives_with": True,
                "helps_with": "tout le ménage",
            },
        ),
        (
            "home",
            Profile.SOCIAL_WORKER,
            {
                "lives_alone": False,
                "housing": "house",
                "stairs": "entrance",
                "household": "full_help",
                "meals": "family",
                "load_on_surroundings": "overloaded",
            },
        ),
        (
            "needs",
            Profile.SOCIAL_WORKER,
            {"domain": "emotional", "description": "Répit pour son épouse", "status": "unmet"},
        ),
        ("allergies", Profile.GP, {"substance": "Arachides", "kind": "food", "severity": "moderate"}),
    ],
    "Maria": [
        (
            "visits",
            Profile.HOME_CARE_WORKER,
            {
                "who": "Ilse Goossens",
                "service": "Familiehulp",
                "weekday": 4,
                "start_time": time(13),
                "end_time": time(16),
                "tasks": "poetsen en strijken",
            },
        ),
        (
            "medication",
            Profile.GP,
            {"medication": "Furosemide 40 mg", "dose": "1 tablet", "time_of_day": time(8), "with_food": False},
        ),
        (
            "preferences",
            Profile.SOCIAL_WORKER,
            {"area": "hobbies", "text": "Kaarten in het dienstencentrum op woensdag"},
        ),
    ],
    "Fatima": [
        (
            "contacts",
            Profile.SOCIAL_WORKER,
            {"name": "CPAS Molenbeek", "kind": "agency", "role": "service social", "phone": "+3214990501"},
        ),
        (
            "family",
            Profile.SOCIAL_WORKER,
            {
                "name": "Yousra Ait Ouali",
                "relation": "child",
                "involvement": "weekly",
                "helps_with": "traduction, rendez-vous",
            },
        ),
        ("preferences", Profile.SOCIAL_WORKER, {"area": "food", "text": "Repas halal"}),
    ],
    "Georges": [
        (
            "home",
            Profile.OCCUPATIONAL_THERAPIST,
            {
                "lives_alone": True,
                "housing": "apartment",
                "stairs": "both",
                "aids": ["cane"],
                "safety_risks": ["clutter", "no_detector"],
                "hygiene": "independent",
            },
        ),
        ("vaccinations", Profile.GP, {"vaccine": "Grippe (influenza)", "given_on": date(2025, 10, 20)}),
    ],
    "Rosa": [
        (
            "help_history",
            Profile.SOCIAL_WORKER,
            {
                "what": "Kortverblijf",
                "provider": "WZC Hemelrijck",
                "started_on": date(2025, 7, 1),
                "ended_on": date(2025, 7, 21),
            },
        ),
        ("own_words", Profile.SOCIAL_WORKER, {"life_goals": "Terug zelf naar de markt kunnen gaan."}),
    ],
}


def _write(person: Person, code: str, author: User, fields: dict[str, Any], at: datetime) -> None:
    """One section row, as `author` would have written it `at` (its first history row too)."""
    entry = kind(code).model(person=person, updated_by=author, updated_at=at, **fields)
    entry.full_clean(exclude=["person", "updated_by"], validate_unique=False)
    entry._history_user = author  # type: ignore[attr-defined]  # django-simple-history records it
    entry._history_date = at  # type: ignore[attr-defined]  # and when, for "last changed by … on …"
    entry.save()


def load_dossiers(users: dict[str, User], persons: list[Person]) -> None:
    """Write the demo dossiers (called once by demo.zone.load, in its transaction)."""
    now = timezone.now()
    by_name = {person.given_name: person for person in persons}
    for given_name, rows in DOSSIERS.items():
        person = by_name[given_name]
        for index, (code, author_profile, fields) in enumerate(rows):
            _write(person, code, users[author_profile], fields, now - timedelta(days=60 - index))
    jozef = by_name["Jozef"]
    # Overdue whenever the demo is loaded, so that the dossier's summary flags it (issue 11).
    overdue = {
        "vaccine": "Tetanus-difterie (Td)",
        "given_on": date(2016, 2, 10),
        "next_due": timezone.localdate(now) - timedelta(days=21),
        "notes": "herhaling om de 10 jaar",
    }
    _write(jozef, "vaccinations", users[Profile.GP], overdue, now - timedelta(days=30))
    problem = MedicationProblem(
        person=jozef,
        kind=MedicationProblem.Kind.SIDE_EFFECT,
        medication="Amlodipine 5 mg",
        description="Gezwollen enkels sinds twee weken.",
        reported_by=users[Profile.INFORMAL_CAREGIVER],
        owner=users[Profile.PHARMACIST],
        updated_by=users[Profile.INFORMAL_CAREGIVER],
    )
    problem._history_user = users[Profile.INFORMAL_CAREGIVER]  # type: ignore[attr-defined]  # django-simple-history records it
    problem.save()
    params = {"reporter": str(problem.reported_by), "kind": problem.kind}
    for profile in (Profile.PHARMACIST, Profile.GP):
        notify(users[profile], Notification.Kind.MEDICATION_PROBLEM, person=jozef, params=params)
