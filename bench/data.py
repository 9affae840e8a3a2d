"""The benchmark data set, built with bulk inserts into the benchmark's own database.

Sizes: "zone" is a care zone (5,000 persons, ~400 professionals, 40,000 team memberships,
5 million audit rows); "tiny" is the CI smoke test. Every name is made of fixed syllables and
every INSZ is synthetic (checksum-valid, serials from 900 up): nothing here is real data.

The audit rows form valid hash chains (audit.chain.row_hash, spread over AUDIT_STREAMS streams,
chain heads set), so `manage.py verify_audit` passes on the result.

Run only by bench.run (`make bench`), which creates the database first, through the command
that exists only under bench.settings (which refuses any database but the benchmark's):
    manage.py bench_data build --size zone
    manage.py bench_data sessions --clients 8 --out var/bench-clients.json
"""

import multiprocessing
import os
import queue
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.color import no_style
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from access.models import Consent
from accounts.models import Organisation, User
from audit import chain
from audit.models import AuditEntry, ChainHead
from core.actions import Action
from core.models import Municipality
from core.vocab import Category, Profile
from demo.zone import synthetic_insz
from people.models import Person
from people.sections import SECTIONS
from teams.models import Membership
from teams.services import default_until


@dataclass(frozen=True)
class Size:
    persons: int
    professionals: int
    memberships: int
    audit_rows: int


SIZES = {
    "tiny": Size(persons=50, professionals=40, memberships=400, audit_rows=5_000),
    "zone": Size(persons=5_000, professionals=400, memberships=40_000, audit_rows=5_000_000),
    # The zone's people, teams and dossiers with a tenth of its audit rows: quick to build, for
    # profiling a change on a busy machine (`bench_data build --size mid`; not used by bench.run).
    "mid": Size(persons=5_000, professionals=400, memberships=40_000, audit_rows=500_000),
}

# Professionals per profile in a zone of 400 (scaled for other sizes). Every team has a GP, a
# nurse and a pharmacist; the rest of a team is drawn from everyone else.
PROFILE_MIX = {
    Profile.GP: 80,
    Profile.NURSE: 100,
    Profile.PHARMACIST: 40,
    Profile.HOME_CARE_WORKER: 60,
    Profile.SOCIAL_WORKER: 25,
    Profile.PHYSIOTHERAPIST: 30,
    Profile.OCCUPATIONAL_THERAPIST: 10,
    Profile.PSYCHOLOGIST: 10,
    Profile.SPECIALIST: 20,
    Profile.HOSPITAL_LIAISON: 10,
    Profile.CARE_COORDINATOR: 15,
}
CORE_PROFILES = (Profile.GP, Profile.NURSE, Profile.PHARMACIST)

# Invented syllables, so no generated name is a real person's by design.
GIVEN_HEADS = ["Ar", "Be", "Ci", "Da", "El", "Fe", "Gi", "Ha", "Il", "Jo", "Ka", "Le", "Mi", "No", "Ou", "Ro"]
GIVEN_TAILS = ["bel", "dine", "lia", "mon", "nora", "ric", "sette", "tan", "vina", "wout"]
FAMILY_PREFIXES = ["", "", "", "Van ", "De ", "Le "]
FAMILY_ROOTS = ["Bral", "Dorm", "Gelv", "Hunt", "Kors", "Lomb", "Mers", "Pold", "Rusk", "Stev", "Troy", "Wyng"]
FAMILY_TAILS = ["aert", "ans", "eel", "elinck", "ier", "mans", "oot", "ens", "ynck", "ix"]

CONSENT_SHARE = 0.98  # the rest have no consent on file, so the gate refuses their teams
REFUSAL_SHARE = 0.03  # audit rows that record a refusal of an outsider
AUDIT_SPAN = timedelta(days=730)  # the audit rows cover the last two years
BATCH = 50_000


def given_name(rng: random.Random) -> str:
    return rng.choice(GIVEN_HEADS) + rng.choice(GIVEN_TAILS)


def family_name(rng: random.Random) -> str:
    return rng.choice(FAMILY_PREFIXES) + rng.choice(FAMILY_ROOTS) + rng.choice(FAMILY_TAILS)


def random_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def profile_counts(size: Size) -> dict[str, int]:
    total = sum(PROFILE_MIX.values())
    return {profile: max(1, round(size.professionals * n / total)) for profile, n in PROFILE_MIX.items()}


def build_users(rng: random.Random, size: Size) -> list[User]:
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Praktijk {family_name(rng)} (bench)") for _ in range(max(4, size.professionals // 10))]
    )
    # One hash for all: hashing 400 passwords one by one would take minutes and measure nothing.
    password = make_password("bench-only-password-not-used")
    users = []
    for profile, count in profile_counts(size).items():
        for n in range(count):
            users.append(
                User(
                    email=f"{profile.replace('_', '-')}-{n:03d}@bench.schakel.example",
                    full_name=f"{given_name(rng)} {family_name(rng)}",
                    profile=profile,
                    language=rng.choices(["nl", "fr"], weights=[7, 3])[0],
                    organisation=rng.choice(organisations),
                    password=password,
                    public_id=random_uuid(rng),
                )
            )
    return User.objects.bulk_create(users, batch_size=1000)


def build_persons(rng: random.Random, size: Size, registrars: list[User], now: datetime) -> list[Person]:
    municipalities: list[int | None] = list(Municipality.objects.values_list("pk", flat=True)) or [None]
    seen: set[str] = set()
    persons: list[Person] = []
    while len(persons) < size.persons:
        born = date(1925, 1, 1) + timedelta(days=rng.randrange(41 * 365))
        insz = synthetic_insz(born, rng.randrange(900, 999))
        if insz in seen:
            continue
        seen.add(insz)
        persons.append(
            Person(
                public_id=random_uuid(rng),
                insz=insz,
                local_id=f"L-BENCH{len(persons):06d}",
                given_name=given_name(rng),
                family_name=family_name(rng),
                birth_date=born,
                municipality_id=rng.choice(municipalities),
                registered_by=rng.choice(registrars),
                registered_at=now - timedelta(days=rng.randrange(30, 900)),
            )
        )
    return Person.objects.bulk_create(persons, batch_size=1000)


def build_teams(
    rng: random.Random, size: Size, persons: list[Person], users: list[User], now: datetime
) -> tuple[list[tuple[int, int]], list[int]]:
    """Memberships and consents. Returns the active (person, user) pairs and the consented persons."""
    by_profile: dict[str, list[User]] = {}
    for user in users:
        by_profile.setdefault(user.profile, []).append(user)
    per_person = size.memberships // size.persons
    memberships, consents, active_pairs, consented = [], [], [], []
    for person in persons:
        team = [rng.choice(by_profile[profile]) for profile in CORE_PROFILES]
        while len(team) < per_person:
            user = rng.choice(users)
            if user not in team:
                team.append(user)
        coordinators = [user for user in team if user.profile == Profile.CARE_COORDINATOR]
        coordinator = coordinators[0] if coordinators else team[0]
        for index, user in enumerate(team):
            since = now - timedelta(days=rng.randrange(10, 400))
            # Some teams keep a member whose occasional relationship has ended: the gate skips it.
            ended = index == per_person - 1 and rng.random() < 0.3
            if ended:
                since = now - timedelta(days=rng.randrange(500, 900))
            memberships.append(
                Membership(
                    public_id=random_uuid(rng),
                    person=person,
                    user=user,
                    profile=user.profile,
                    is_coordinator=user is coordinator,
                    since=since,
                    until=default_until(user.profile, since, "occasional" if ended else "regular"),
                    added_by=coordinator,
                )
            )
            if not ended:
                active_pairs.append((person.pk, user.pk))
        if rng.random() < CONSENT_SHARE:
            consented.append(person.pk)
            consents.append(
                Consent(
                    person=person,
                    basis=Consent.Basis.CONSENT,
                    given_by="person",
                    recorded_by=coordinator,
                    since=now - timedelta(days=rng.randrange(400, 500)),
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Consent.objects.bulk_create(consents, batch_size=2000)
    return active_pairs, consented


# ── Dossier sections ─────────────────────────────────────────────────────────────────────────
#
# Each person gets a few rows in every section, as a dossier in use has, and a history: every row
# was created in the past and about one in four was changed since (version 2, two history rows),
# so the dossier page reads what it would read in a real zone. Fixed phrases, nothing real.

CHANGED_SHARE = 0.25
# Rows per person in each list section: (fewest, most).
SECTION_ROWS = {
    "contacts": (3, 5),
    "family": (1, 3),
    "visits": (3, 6),
    "help_history": (2, 4),
    "needs": (2, 4),
    "medication": (3, 6),
    "medication_problems": (0, 2),
    "allergies": (0, 2),
    "vaccinations": (1, 3),
    "preferences": (1, 3),
    "capacity": (0, 1),
}
SINGLETONS = ("home", "own_words", "care_planning")
SERVICES = ["Thuisverpleging Wyng", "Familiehulp Bral", "Dienstencentrum Kors", "Apotheek Lomb", "OCMW Mers"]
MEDICATIONS = ["Metformine 500 mg", "Amlodipine 5 mg", "Pantoprazol 20 mg", "Paracetamol 1 g", "Bisoprolol 2,5 mg"]
SUBSTANCES = ["Penicilline", "Latex", "Pinda", "Graspollen", "Ibuprofen"]
VACCINES = ["Influenza", "COVID-19", "Pneumokokken", "Tetanus"]


def _phone(rng: random.Random) -> str:
    return f"+3214{rng.randrange(100000, 999999)}"


def section_values(code: str, rng: random.Random, n: int) -> dict[str, Any]:
    """The field values of the n-th row of a section for one person (synthetic)."""
    if code == "contacts":
        kind = rng.choice(["professional", "service", "agency", "neighbour"])
        return {"name": rng.choice(SERVICES), "kind": kind, "role": "home nursing", "phone": _phone(rng)}
    if code == "family":
        return {
            "name": f"{given_name(rng)} {family_name(rng)}",
            "relation": rng.choice(["partner", "child", "grandchild", "sibling"]),
            "involvement": rng.choice(["daily", "weekly", "monthly"]),
            "helps_with": "shopping and paperwork",
        }
    if code == "home":
        return {"lives_alone": rng.random() < 0.5, "stairs": "inside", "aids": ["walker"], "meals": "delivery"}
    if code == "visits":
        start = rng.randrange(7, 18)
        return {
            "who": f"{given_name(rng)} ({rng.choice(SERVICES)})",
            "weekday": n % 7,
            "start_time": dt_time(start),
            "end_time": dt_time(start, 45),
            "tasks": rng.choice(["washing", "medication round", "shopping", "cleaning"]),
        }
    if code == "help_history":
        started = date(2020, 1, 1) + timedelta(days=rng.randrange(2000))
        return {"what": "Family help", "provider": rng.choice(SERVICES), "started_on": started}
    if code == "needs":
        return {
            "domain": rng.choice(["mobility", "nutrition", "household", "social", "memory"]),
            "description": "Help on the stairs and with the shopping",
            "status": rng.choice(["unmet", "partly", "met"]),
        }
    if code == "medication":
        return {
            "medication": rng.choice(MEDICATIONS),
            "dose": "1 tablet",
            "time_of_day": dt_time(rng.choice([8, 12, 18, 21])),
            "with_food": rng.random() < 0.5,
        }
    if code == "allergies":
        return {"substance": rng.choice(SUBSTANCES), "kind": "medication", "severity": "moderate"}
    if code == "vaccinations":
        return {"vaccine": rng.choice(VACCINES), "given_on": date(2021, 10, 1) + timedelta(days=rng.randrange(1400))}
    if code == "own_words":
        return {"life_goals": "Stay at home with my cat.", "own_needs": "Someone to walk with on Sundays."}
    if code == "preferences":
        return {"area": rng.choice(["routine", "food", "appearance", "hobbies"]), "text": "Coffee at ten, no sugar"}
    if code == "care_planning":
        return {"has_directive": rng.random() < 0.4, "trust_person": f"{given_name(rng)} {family_name(rng)}"}
    if code == "capacity":
        return {
            "assessed_by": "the GP",
            "assessed_on": date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
            "decisions": "moving to a care home",
            "outcome": rng.choice(["capable", "partly"]),
        }
    raise ValueError(code)


def _problem_values(rng: random.Random, team: list[int], now: datetime) -> dict[str, Any]:
    reported_at = now - timedelta(days=rng.randrange(1, 200))
    handled = rng.random() < 0.5
    return {
        "kind": rng.choice(["side_effect", "intake", "supply"]),
        "medication": rng.choice(MEDICATIONS),
        "description": "Dizzy after the morning pills.",
        "reported_by_id": rng.choice(team),
        "reported_at": reported_at,
        "owner_id": rng.choice(team),
        "handled_at": reported_at + timedelta(days=2) if handled else None,
        "handled_by_id": rng.choice(team) if handled else None,
    }


def insert_rows(model: type[Any], records: list[dict[str, Any]]) -> None:
    """Insert complete rows (ids included) in one statement: bulk_create's batches (on SQLite a few
    dozen rows, cut by the variable limit) made the dossiers' 300,000 rows take minutes."""
    if not records:
        return
    fields = [field for field in model._meta.concrete_fields if field.attname in records[0]]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - fixed names
    params = [
        tuple(field.get_db_prep_save(record[field.attname], connection) for field in fields) for record in records
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY, as for the audit rows: executemany costs a round trip per row there.
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, params)


def build_sections(rng: random.Random, persons: list[Person], pairs: list[tuple[int, int]], now: datetime) -> int:
    """A few rows per section for every person, each with its history rows. Returns the row count.

    The tables are new (bench.run recreates the database), so the rows get their ids here, which
    the history rows need; the sequences are moved past them at the end."""
    teams: dict[int, list[int]] = {}
    for person_id, user_id in pairs:
        teams.setdefault(person_id, []).append(user_id)
    total = 0
    for code, kind in SECTIONS.items():
        model, history_model = kind.model, kind.model.history.model
        defaults = {
            field.attname: field.get_default() for field in model._meta.concrete_fields if not field.primary_key
        }
        rows: list[Any] = []
        records: list[Any] = []
        low, high = (1, 1) if code in SINGLETONS else SECTION_ROWS[code]
        for person in persons:
            team: list[Any] = teams.get(person.pk) or [person.registered_by_id]
            for n in range(rng.randint(low, high)):
                values = (
                    _problem_values(rng, team, now) if code == "medication_problems" else section_values(code, rng, n)
                )
                created = now - timedelta(days=rng.randrange(30, 700))
                changed = rng.random() < CHANGED_SHARE
                author = rng.choice(team)
                row = {
                    **defaults,
                    **values,
                    "id": len(rows) + 1,
                    "person_id": person.pk,
                    "public_id": random_uuid(rng),
                    "version": 1,
                    "updated_at": created,
                    "updated_by_id": author,
                }
                record = {"history_change_reason": None}
                records.append(
                    {**row, **record, "history_date": created, "history_type": "+", "history_user_id": author}
                )
                if changed:
                    # The creation as it was (version 1, by its author), then the change.
                    editor = rng.choice(team)
                    row |= {
                        "version": 2,
                        "updated_at": created + timedelta(days=rng.randrange(1, 29)),
                        "updated_by_id": editor,
                    }
                    records.append(
                        {
                            **row,
                            **record,
                            "history_date": row["updated_at"],
                            "history_type": "~",
                            "history_user_id": editor,
                        }
                    )
                rows.append(row)
        insert_rows(model, rows)
        insert_rows(history_model, records)
        total += len(rows)
    models = [kind.model for kind in SECTIONS.values()]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return total


@dataclass(frozen=True)
class AuditPlan:
    """What each chain worker needs to make its share of the audit rows."""

    count: int
    streams: int
    workers: int
    start: datetime
    step: timedelta
    pairs: list[tuple[int, int]]
    person_ids: list[int]
    labels: dict[int, tuple[str, str]]  # user id -> (label, profile)
    key: bytes
    sqlite: bool


def request_id(rng: random.Random) -> str:
    """A UUID4-shaped request id (str(uuid.UUID(...)) costs more than the row's hash)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def chain_worker(plan: AuditPlan, worker: int, out: Any) -> None:
    """Make the rows of the streams this worker owns, in time order, chained per stream, and put
    them on `out` in batches ready to insert; then put the final chain heads (a dict).

    Chains are independent, so each worker owns whole streams and the hashing spreads over the
    machine's cores."""
    rng = random.Random(1000 + worker)
    heads = {stream: (0, chain.GENESIS) for stream in range(plan.streams) if stream % plan.workers == worker}
    user_ids = list(plan.labels)
    batch: list[tuple[Any, ...]] = []
    for i in range(plan.count):
        stream = i % plan.streams
        if stream not in heads:
            continue
        seq, prev = heads[stream]
        if rng.random() < REFUSAL_SHARE:
            person_id, actor_id = rng.choice(plan.person_ids), rng.choice(user_ids)
            relationship, allowed, reason = "", False, "no_relationship"
        else:
            person_id, actor_id = rng.choice(plan.pairs)
            relationship, allowed, reason = "team", True, "granted"
        label, profile = plan.labels[actor_id]
        values: dict[str, Any] = {
            "stream": stream,
            "seq": seq + 1,
            "created_at": plan.start + plan.step * i,
            "event": "access",
            "action": Action.PEOPLE_PERSON_VIEWED,
            "person_id": person_id,
            "actor_id": actor_id,
            "actor_label": label,
            "actor_profile": profile,
            "acting_for_id": None,
            "relationship": relationship,
            "category": Category.IDENTITY.value,
            "level": "read",
            "allowed": allowed,
            "reason": reason,
            "request_id": request_id(rng),
            "detail": {},
        }
        hash_ = chain.row_hash(values, prev, plan.key)
        heads[stream] = (seq + 1, hash_)
        values["prev_hash"], values["hash"], values["detail"] = prev, hash_, "{}"
        if plan.sqlite:
            # What Django stores on SQLite for an aware UTC datetime: the naive UTC time as text.
            values["created_at"] = str(values["created_at"].replace(tzinfo=None))
        batch.append(tuple(values[name] for name in chain.STORED_FIELDS))
        if len(batch) >= BATCH:
            out.put(batch)
            batch = []
    out.put(batch)
    out.put(heads)


def audit_batches(plan: AuditPlan, heads: dict[int, tuple[int, str]]) -> Iterator[list[tuple[Any, ...]]]:
    """Start the chain workers, then yield their batches, taking from each in turn (so rows land
    roughly in time order); fill `heads` as the workers finish."""
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=4) for _ in range(plan.workers)]
    # Daemons, so that a failed build does not leave them waiting on a full queue.
    workers = [
        context.Process(target=chain_worker, args=(plan, n, queues[n]), daemon=True) for n in range(plan.workers)
    ]
    connection.close()  # the children must not share the parent's database connection
    for process in workers:
        process.start()
    tune_for_bulk_load()
    return _collect(workers, queues, heads)


def _collect(
    workers: list[Any], queues: list[Any], heads: dict[int, tuple[int, str]]
) -> Iterator[list[tuple[Any, ...]]]:
    live = list(range(len(workers)))
    try:
        while live:
            for n in list(live):
                item = _next_item(workers[n], queues[n])
                if isinstance(item, dict):
                    heads.update(item)
                    live.remove(n)
                elif item:
                    yield item
    finally:
        for process in workers:
            if process.is_alive() and live:
                process.terminate()
            process.join()


def _next_item(worker: Any, out: Any) -> Any:
    while True:
        try:
            return out.get(timeout=5)
        except queue.Empty:
            if not worker.is_alive():
                raise RuntimeError(f"an audit chain worker died (exit code {worker.exitcode})") from None


def tune_for_bulk_load() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # This connection only; the server opens its own with the app's pragmas.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
            cursor.execute("PRAGMA threads=2")  # CREATE INDEX may sort with a helper thread


def set_chain_heads(heads: dict[int, tuple[int, str]]) -> None:
    """The heads live outside the audit table; verify_audit compares each chain's end with them."""
    ChainHead.objects.all().delete()
    ChainHead.objects.bulk_create(
        [
            ChainHead(stream=stream, seq=seq, hash=hash_, mac=chain.head_mac(stream, seq, hash_))
            for stream, (seq, hash_) in sorted(heads.items())
            if seq
        ]
    )


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that back no constraint."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conindid::regclass::text FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        else:
            # Indexes of UNIQUE/PRIMARY KEY constraints have no SQL in sqlite_master.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return cursor.fetchall()


def insert_audit_rows(batches: Iterator[list[tuple[Any, ...]]]) -> float:
    """Insert the rows with the table's secondary indexes dropped, then rebuild them: one sort
    per index instead of millions of random index updates (several times faster)."""
    table = AuditEntry._meta.db_table
    columns = ", ".join(chain.STORED_FIELDS)
    indexes = secondary_indexes(table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: far faster than INSERTs for millions of rows.
            cursor.execute("SET synchronous_commit = off")  # this connection only: a bulk load, redone if it fails
            cursor.execute("SET maintenance_work_mem = '512MB'")
            with transaction.atomic(), cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(chain.STORED_FIELDS))})"  # noqa: S608 - fixed names
            for batch in batches:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
        started = time.perf_counter()
        for _, create in indexes:
            cursor.execute(create)
    return time.perf_counter() - started  # the index rebuild, reported apart


def build_audit(
    size: Size, pairs: list[tuple[int, int]], users: list[User], person_ids: list[int], now: datetime
) -> float:
    """Audit rows over the last two years, as if the zone had been in use all that time.
    Returns the seconds spent rebuilding the indexes."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    plan = AuditPlan(
        count=size.audit_rows,
        streams=settings.AUDIT_STREAMS,
        workers=max(1, min(cores, settings.AUDIT_STREAMS, 8)),
        start=now - AUDIT_SPAN,
        step=AUDIT_SPAN / max(size.audit_rows, 1),
        pairs=pairs,
        person_ids=person_ids,
        labels={user.pk: (str(user), user.profile) for user in users},
        key=chain._key(),  # the key the server and verify_audit use, computed once, not per row
        sqlite=connection.vendor == "sqlite",
    )
    heads: dict[int, tuple[int, str]] = {}
    index_seconds = insert_audit_rows(audit_batches(plan, heads))
    set_chain_heads(heads)
    return index_seconds


def build(size_name: str) -> dict[str, Any]:
    """Fill the (freshly migrated) benchmark database. Returns the timings of each step."""
    size = SIZES[size_name]
    if Person.objects.exists():
        raise SystemExit("The benchmark database is not empty; bench.run recreates it before building.")
    rng = random.Random(3)
    now = timezone.now()
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    tune_for_bulk_load()
    with transaction.atomic():
        users = build_users(rng, size)
        registrars = [user for user in users if user.profile in (Profile.GP, Profile.CARE_COORDINATOR)]
        persons = build_persons(rng, size, registrars, now)
        pairs, consented = build_teams(rng, size, persons, users, now)
        step = time.perf_counter()
        section_rows = build_sections(rng, persons, pairs, now)
        timings["sections_s"] = round(time.perf_counter() - step, 1)  # within people_s
    timings["people_s"] = round(time.perf_counter() - started, 1)
    step = time.perf_counter()
    timings["audit_indexes_s"] = round(build_audit(size, pairs, users, [person.pk for person in persons], now), 1)
    timings["audit_rows_s"] = round(time.perf_counter() - step, 1)
    step = time.perf_counter()
    if connection.vendor == "postgresql":
        # What autovacuum and the checkpointer would do soon after a bulk load: done now, so that
        # the measurements do not run into them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("CHECKPOINT")
    timings["analyze_s"] = round(time.perf_counter() - step, 1)
    timings["total_s"] = round(time.perf_counter() - started, 1)
    counts = {
        "persons": Person.objects.count(),
        "professionals": User.objects.count(),
        "memberships": Membership.objects.count(),
        "consents": Consent.objects.count(),
        "section_rows": section_rows,
        "audit_rows": size.audit_rows,
        "audit_streams": settings.AUDIT_STREAMS,
    }
    return {"size": size_name, "counts": counts, "timings": timings, "persons_with_consent": len(consented)}


# The pages the load client reads, by the name bench.run reports them under. "section" is the
# issue's "audited read of one person section": one gate check, one audit row. "dossier" is the
# dossier overview (people:detail), which checks and audits each category it shows.
PAGES = {"section": "people:section-contacts", "dossier": "people:detail"}


def session_cookie(user: User) -> str:
    """Log the user in as the login form would (a session in the database); their cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def create_sessions(clients: int) -> list[dict[str, Any]]:
    """Log N professionals in (a session each, as the login form would make) and list, for
    each, the pages of persons whose team they are on now and who gave consent."""
    now = timezone.now()
    consented = set(Consent.objects.active(now).values_list("person_id", flat=True))
    persons: dict[int, list[uuid.UUID]] = {}
    active = Membership.objects.active(now).select_related("person").order_by("user_id", "person_id")
    for membership in active:
        if membership.person_id in consented:
            persons.setdefault(membership.user_id, []).append(membership.person.public_id)
    # Round-robin over profiles, so that the clients are a mix of roles, not 8 GPs.
    users = User.objects.filter(pk__in=[pk for pk, ids in persons.items() if len(ids) >= 3]).order_by("pk")
    by_profile: dict[str, list[User]] = {}
    for user in users:
        by_profile.setdefault(user.profile, []).append(user)
    chosen: list[User] = []
    while len(chosen) < clients and any(by_profile.values()):
        for waiting in by_profile.values():
            if waiting and len(chosen) < clients:
                chosen.append(waiting.pop(0))
    result = []
    for user in chosen:
        result.append(
            {
                "user": user.email,
                "profile": user.profile,
                "cookie": session_cookie(user),
                "pages": {
                    page: [reverse(name, args=[pid]) for pid in persons[user.pk]] for page, name in PAGES.items()
                },
            }
        )
    return result
