"""The synthetic demo care zone: one login per profile, persons with teams, consent, a legal
representative, a mandate, an exclusion, and a person registered without INSZ.

Every name is invented and every INSZ is synthetic (checksum-valid, serials from 900 up);
nothing here is real personal data.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from access.models import BreakGlassAccess, Consent, Exclusion, Mandate, Representation
from accounts.models import Organisation, User
from audit import chain
from audit import services as audit_services
from audit.models import AuditEntry
from core import geography
from core.actions import Action
from core.models import CareZone, Municipality
from core.vocab import Category, Level, Profile
from demo import directory as demo_directory
from meetings import demo as meetings_demo
from people import demo as people_demo
from people.models import Person
from plans import demo as plans_demo
from teams.models import Membership, MessageRead, TeamMessage
from teams.services import default_until

DEMO_PASSWORD = "schakel-demo-2026"
DEMO_DOMAIN = "demo.schakel.example"

DEMO_USERS = [
    (Profile.PERSON, "Jozef Wouters", "nl"),
    (Profile.REPRESENTATIVE, "Bart Wouters", "nl"),
    (Profile.TRUST_PERSON, "Greta Smets", "nl"),
    (Profile.INFORMAL_CAREGIVER, "Marie Claes", "nl"),
    (Profile.FAMILY, "Elise Dubois", "fr"),
    (Profile.NEIGHBOUR, "Karim El Amrani", "fr"),
    (Profile.GP, "Dr. An Peeters", "nl"),
    (Profile.SPECIALIST, "Dr. Hélène Lambert", "fr"),
    (Profile.HOSPITAL_DOCTOR, "Dr. Pieter Verhoeven", "nl"),
    (Profile.NURSE, "Sofie Janssens", "nl"),
    (Profile.HOSPITAL_LIAISON, "Nathalie Renard", "fr"),
    (Profile.PHARMACIST, "Luc Maes", "nl"),
    (Profile.PHYSIOTHERAPIST, "Thomas Willems", "nl"),
    (Profile.OCCUPATIONAL_THERAPIST, "Camille Leroy", "fr"),
    (Profile.SOCIAL_WORKER, "Yasmina Benali", "fr"),
    (Profile.HOME_CARE_WORKER, "Ilse Goossens", "nl"),
    (Profile.CARE_COORDINATOR, "Koen Mertens", "nl"),
    (Profile.PSYCHOLOGIST, "Julie Desmet", "fr"),
    (Profile.HELPDESK, "Helpdesk Zorgzone", "nl"),
    (Profile.ZONE_ADMIN, "Zone Admin", "nl"),
    (Profile.DPO, "Data Protection Officer", "nl"),
]

# (given, family, birth date, serial, postcode, lives where)
DEMO_PERSONS = [
    ("Jozef", "Wouters", date(1941, 3, 14), 901, "2440"),
    ("Simone", "Dupont", date(1938, 11, 2), 902, "1070"),
    ("Achille", "Vandenberghe", date(1945, 6, 30), 903, "1030"),
    ("Maria", "Van Dyck", date(1936, 1, 21), 904, "2400"),
    ("Fatima", "Ait Ouali", date(1950, 9, 9), 906, "1080"),
    ("Georges", "Mathieu", date(1943, 4, 4), 905, "1050"),
    ("Rosa", "Verlinden", date(1939, 12, 24), 908, "2260"),
]


def synthetic_insz(born: date, serial: int) -> str:
    base = f"{born:%y%m%d}{serial:03d}"
    number = int(base) if born.year < 2000 else 2_000_000_000 + int(base)
    return f"{base}{97 - number % 97:02d}"


def email_for(profile: str) -> str:
    return f"{profile.replace('_', '-')}@{DEMO_DOMAIN}"


def refuse_in_production() -> None:
    if settings.SCHAKEL_ENVIRONMENT == "production":
        raise ImproperlyConfigured("The demo care zone is never loaded under production settings.")


def load() -> list[tuple[str, str]]:
    """Create the demo zone once (a second run changes nothing). Returns (profile, e-mail)."""
    refuse_in_production()
    # The plans and meetings are written through their services, which pass the gate: its
    # audit rows wait for the end of the loader's transaction (as in a request, audit.middleware).
    with audit_services.independent_writes():
        return _load()


@transaction.atomic
def _load() -> list[tuple[str, str]]:
    logins = [(str(Profile(profile).label), email_for(profile)) for profile, _, _ in DEMO_USERS]
    if User.objects.filter(email=email_for(Profile.GP)).exists():
        return logins
    # Normally loaded by a migration; a flushed test database has lost it.
    geography.load(CareZone, Municipality)
    geography.load_zone_names(CareZone)
    practice = Organisation.objects.create(name="Wijkgezondheidscentrum De Schakel (demo)", kbo_number="0566988259")
    users: dict[str, User] = {}
    for profile, name, language in DEMO_USERS:
        users[profile] = User.objects.create_user(
            email_for(profile),
            DEMO_PASSWORD,
            full_name=name,
            profile=profile,
            language=language,
            organisation=practice
            if profile not in ("person", "representative", "trust_person", "informal_caregiver", "family", "neighbour")
            else None,
            is_staff=profile == Profile.ZONE_ADMIN,
        )
    now = timezone.now()
    persons = []
    for given, family, born, serial, postcode in DEMO_PERSONS:
        persons.append(
            Person.objects.create(
                insz=synthetic_insz(born, serial),
                local_id=f"L-DEMO{serial}",
                given_name=given,
                family_name=family,
                birth_date=born,
                municipality=Municipality.objects.filter(postcode=postcode).first(),
                registered_by=users[Profile.GP],
                registered_at=now - timedelta(days=200),
            )
        )
    persons.append(
        Person.objects.create(
            local_id="L-DEMO999",
            given_name="Onbekend",
            family_name="Zonder INSZ",
            municipality=Municipality.objects.filter(postcode="1000").first(),
            registered_by=users[Profile.SOCIAL_WORKER],
        )
    )
    jozef = persons[0]
    jozef.account = users[Profile.PERSON]
    jozef.save(update_fields=["account"])

    professionals = [
        Profile.GP,
        Profile.NURSE,
        Profile.PHARMACIST,
        Profile.HOME_CARE_WORKER,
        Profile.SOCIAL_WORKER,
        Profile.PHYSIOTHERAPIST,
        Profile.OCCUPATIONAL_THERAPIST,
        Profile.PSYCHOLOGIST,
        Profile.SPECIALIST,
        Profile.HOSPITAL_LIAISON,
        Profile.CARE_COORDINATOR,
    ]
    for index, person in enumerate(persons):
        coordinator = Profile.CARE_COORDINATOR if index % 2 else Profile.GP
        for profile in professionals[: 5 + index % 6]:
            Membership.objects.create(
                person=person,
                user=users[profile],
                profile=profile,
                is_coordinator=profile == coordinator,
                since=now - timedelta(days=180),
                until=default_until(profile, now),
                added_by=users[coordinator],
            )
        if coordinator == Profile.CARE_COORDINATOR and Profile.CARE_COORDINATOR not in professionals[: 5 + index % 6]:
            Membership.objects.create(
                person=person,
                user=users[coordinator],
                profile=coordinator,
                is_coordinator=True,
                since=now - timedelta(days=180),
                until=default_until(coordinator, now),
            )
        if person.insz:
            Consent.objects.create(
                person=person,
                basis=Consent.Basis.CONSENT,
                given_by="person",
                recorded_by=users[coordinator],
                since=now - timedelta(days=180),
            )
        else:
            Consent.objects.create(
                person=person,
                basis=Consent.Basis.LEGAL_BASIS,
                holder=users[Profile.SOCIAL_WORKER],
                legal_basis="GDPR art. 9(2)(h): registration",
                categories=[Category.IDENTITY, Category.ACP],
                recorded_by=users[Profile.SOCIAL_WORKER],
            )
            Membership.objects.get_or_create(
                person=person,
                user=users[Profile.SOCIAL_WORKER],
                defaults={"profile": Profile.SOCIAL_WORKER, "since": now},
            )

    for profile in (Profile.INFORMAL_CAREGIVER, Profile.FAMILY, Profile.NEIGHBOUR, Profile.TRUST_PERSON):
        Membership.objects.create(person=jozef, user=users[profile], profile=profile, since=now - timedelta(days=90))
    Representation.objects.create(
        person=persons[1],
        representative=users[Profile.REPRESENTATIVE],
        legal_ground="Bewindvoering (court-appointed administrator)",
        recorded_by=users[Profile.GP],
    )
    Mandate.objects.create(
        person=jozef,
        holder=users[Profile.INFORMAL_CAREGIVER],
        granted_by=users[Profile.PERSON],
        categories=[Category.WISHES, Category.PLAN, Category.SITUATION],
    )
    # Jozef excluded the psychologist: she is refused even though she is on his team.
    Exclusion.objects.create(person=jozef, excluded=users[Profile.PSYCHOLOGIST], recorded_by=users[Profile.PERSON])
    Membership.objects.get_or_create(
        person=jozef, user=users[Profile.PSYCHOLOGIST], defaults={"profile": Profile.PSYCHOLOGIST, "since": now}
    )
    _demo_team_extras(users, persons)
    _demo_access_log(users, jozef)
    people_demo.load_dossiers(users, persons)  # synthetic dossier sections
    plans = plans_demo.load_plans(users, persons)  # care plans, GAS, actions (plans/demo.py)
    meetings_demo.load_meetings(users, persons, plans)  # Jozef's past MDOs and the next one
    demo_directory.load()  # the synthetic social map (demo/directory.py)
    return logins


def _demo_team_extras(users: dict[str, User], persons: list[Person]) -> None:
    """Jozef's team: reachability (every number is fictitious: the whole team, Jozef and his
    family see the ordinary and 24/7 numbers, professionals also the priority ones) and a few
    team messages in different categories, so each role sees a different part of the thread."""
    jozef = persons[0]
    reachability = {
        # hours, ordinary number, 24/7 line, priority number, priority e-mail
        Profile.GP: ("ma–vr 8–18, za 9–12", "+3214000011", "", "+3214000001", "prio.peeters@demo.schakel.example"),
        Profile.NURSE: ("elke dag 7–20", "+3214000012", "+3214000020", "+3214000002", ""),
        Profile.PHARMACIST: ("ma–za 8.30–18.30", "+3214000013", "", "+3214000003", ""),
        Profile.HOME_CARE_WORKER: ("ma, wo, vr 9–12", "+3214000014", "", "", ""),
        Profile.SOCIAL_WORKER: ("di en do 9–16", "+3214000015", "", "", "sociaal@demo.schakel.example"),
        Profile.INFORMAL_CAREGIVER: ("na 17 uur en in het weekend", "+32470000016", "", "", ""),
    }
    for profile, (hours, phone, line, priority, email) in reachability.items():
        Membership.objects.filter(person=jozef, user=users[profile]).update(
            hours=hours, phone=phone, phone_24_7=line, priority_phone=priority, priority_email=email
        )
    Membership.objects.filter(person=jozef, user=users[Profile.NURSE]).update(assignment="Wondzorg en medicatie")
    Membership.objects.filter(person=jozef, user=users[Profile.HOME_CARE_WORKER]).update(
        assignment="Boodschappen en huishouden"
    )
    Membership.objects.filter(person=jozef, user=users[Profile.INFORMAL_CAREGIVER]).update(
        assignment="Dagelijks bezoek, administratie"
    )
    now = timezone.now()
    messages = [
        (
            Profile.NURSE,
            Category.MEDICAL,
            "Wonde aan de linkerhiel is rood en warm. Graag een blik bij uw volgend huisbezoek.",
            [Profile.GP],
            50,
        ),
        (Profile.GP, Category.PLAN, "Teamoverleg vrijdag om 14 uur bij Jozef thuis. Wie kan erbij zijn?", [], 30),
        (
            # The pharmacist only reads the schedule; following up the reported problem, they
            # write about medication (access.rules.follows_up_medication_problems).
            Profile.PHARMACIST,
            Category.MEDICATION,
            "Gezwollen enkels passen bij amlodipine. Kunnen we de dosis bespreken bij het teamoverleg?",
            [Profile.GP],
            24,
        ),
        (
            Profile.SOCIAL_WORKER,
            Category.SITUATION,
            "De aanvraag voor poetshulp is goedgekeurd, start volgende week.",
            [],
            20,
        ),
        (
            Profile.INFORMAL_CAREGIVER,
            Category.CAREGIVER,
            "Ik ben de komende twee weken minder beschikbaar door werk.",
            [Profile.GP],
            6,
        ),
        (
            Profile.PERSON,
            Category.WISHES,
            "Ik wil graag 's middags rusten, liefst geen bezoek tussen 13 en 15 uur.",
            [],
            2,
        ),
    ]
    for author, category, body, addressees, hours_ago in messages:
        message = TeamMessage.objects.create(
            person=jozef,
            author=users[author],
            category=category,
            body=body,
            created_at=now - timedelta(hours=hours_ago),
        )
        message.addressees.set([users[profile] for profile in addressees])
        MessageRead.objects.create(message=message, user=users[author], read_at=message.created_at)


def _demo_access_log(users: dict[str, User], jozef: Person) -> None:
    """A week of synthetic history in Jozef's access log, so that "Who looked at your dossier"
    shows visits, his own, an emergency access with a refused change, and a refusal. Written
    through the audit chain like any row, so that verify_audit finds nothing to report."""
    now = timezone.now()
    doctor = users[Profile.HOSPITAL_DOCTOR]
    reason = "Opgenomen op de spoed na een val, niet aanspreekbaar; medicatielijst nodig."
    opened = now - timedelta(days=5, hours=3)
    BreakGlassAccess.objects.create(
        person=jozef, actor=doctor, reason=reason, since=opened, until=opened + timedelta(hours=24)
    )
    rows: list[dict[str, object]] = []

    def row(profile: str, when: datetime, action: str, category: str = "", **fields: object) -> None:
        actor = users[profile]
        values: dict[str, object] = {
            "created_at": when,
            "event": AuditEntry.Event.ACCESS,
            "action": action,
            "person_id": jozef.pk,
            "actor_id": actor.pk,
            "actor_label": str(actor),
            "actor_profile": actor.profile,
            "acting_for_id": None,
            "relationship": "team",
            "category": category,
            "level": Level.READ,
            "allowed": True,
            "reason": "granted",
            "request_id": "",
            "detail": {},
        }
        rows.append(values | fields)

    emergency = {"event": AuditEntry.Event.BREAK_GLASS, "relationship": "break_glass"}
    row(Profile.HOSPITAL_DOCTOR, opened, Action.ACCESS_BREAK_GLASS, detail={"reason": reason}, **emergency)
    for minute, category in enumerate((Category.IDENTITY, Category.MEDICATION, Category.MEDICAL, Category.ACP), 1):
        row(
            Profile.HOSPITAL_DOCTOR,
            opened + timedelta(minutes=minute),
            Action.PEOPLE_DOSSIER_VIEWED,
            category,
            **emergency,
        )
    row(
        Profile.HOSPITAL_DOCTOR,
        opened + timedelta(minutes=9),
        Action.PEOPLE_SECTION_ENTRY_ADDED,
        Category.MEDICATION,
        level=Level.WRITE,
        allowed=False,
        reason="emergency_read_only",
        **emergency,
    )
    # The psychologist Jozef excluded tried to open his dossier.
    refused = now - timedelta(days=3, hours=6)
    row(Profile.PSYCHOLOGIST, refused, Action.PEOPLE_PERSON_VIEWED, Category.IDENTITY, allowed=False, reason="excluded")
    nurse = now - timedelta(days=2, hours=4)
    for minute, category in enumerate((Category.IDENTITY, Category.TEAM, Category.MEDICATION, Category.SITUATION)):
        row(Profile.NURSE, nurse + timedelta(minutes=minute), Action.PEOPLE_DOSSIER_VIEWED, category)
    change = {"event": AuditEntry.Event.CHANGE, "level": Level.WRITE}
    row(
        Profile.NURSE, nurse + timedelta(minutes=12), Action.PEOPLE_SECTION_ENTRY_CHANGED, Category.MEDICATION, **change
    )
    own = now - timedelta(days=1, hours=8)
    for category in (Category.IDENTITY, Category.WISHES, Category.PLAN):
        row(Profile.PERSON, own, Action.PEOPLE_DOSSIER_VIEWED, category, relationship="self")
    gp = now - timedelta(hours=20)
    for minute, category in enumerate((Category.IDENTITY, Category.MEDICAL, Category.MEDICATION, Category.ACP)):
        row(Profile.GP, gp + timedelta(minutes=minute), Action.PEOPLE_DOSSIER_VIEWED, category)
    # In the order they happened, as the chain would have received them.
    chain.append_many(sorted(rows, key=lambda values: values["created_at"]))
