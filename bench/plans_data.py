"""The care-plan benchmark data set (`python -m bench.run --part plans`), built with bulk inserts
into the benchmark's own database, never in tests.

A zone of 1,000 persons with care teams (bench.data's users, persons, teams and consents), and a
living plan for every person: life goals, goals under them and actions under the goals, about
100,000 plan items in all, each with its django-simple-history rows (a "+" at creation, then
"~" for each change: accepted, started, done, rescheduled), as a plan in use has. On top of that:

- MEASURED_PERSONS persons with a plan of exactly 20 goals and 100 actions (the plan page read);
- CLIENTS home nurses on INBOX_TEAMS care teams each (the My actions inbox read), owning actions
  across those persons like every other member; each reads the plans of its share of the
  measured persons, so that every plan-page request is a full plan.

Audit rows as bench.data makes them (valid hash chains), fewer than the access part's.
Everything is synthetic: names from fixed syllables, fixed phrases, checksum-valid INSZ from 900.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from access.models import Consent
from accounts.models import User
from bench import data
from core.vocab import Profile
from people.models import Person
from plans.models import Goal, LifeGoal, PlanAction
from teams.models import Membership
from teams.services import default_until

CLIENTS = 8


@dataclass(frozen=True)
class PlanSize:
    people: data.Size  # persons, professionals, memberships, audit rows (bench.data)
    inbox_teams: int  # care teams of each inbox client
    measured_persons: int  # persons with the full plan (MEASURED_GOALS, MEASURED_ACTIONS)
    life_goals: tuple[int, int]  # per other person: (fewest, most)
    goals: tuple[int, int]
    actions: tuple[int, int]


SIZES = {
    "tiny": PlanSize(data.Size(60, 40, 480, 2_000), 20, 8, (1, 3), (2, 5), (5, 15)),
    "zone": PlanSize(data.Size(1_000, 400, 8_000, 300_000), 60, 40, (3, 6), (8, 16), (60, 110)),
}
MEASURED_LIFE_GOALS = 4
MEASURED_GOALS = 20
MEASURED_ACTIONS = 100

# The status an action has now, and its share. Changes before it (history "~" rows) follow
# STEPS: proposed, then accepted (open), started, done; some were rescheduled on the way.
STATUS_MIX = {
    PlanAction.Status.DONE: 50,
    PlanAction.Status.OPEN: 15,
    PlanAction.Status.IN_PROGRESS: 10,
    PlanAction.Status.CANCELLED: 8,
    PlanAction.Status.ON_HOLD: 5,
    PlanAction.Status.DECLINED: 4,
    PlanAction.Status.PROPOSED: 3,
}
STEPS: dict[str, list[str]] = {
    PlanAction.Status.PROPOSED: [],
    PlanAction.Status.DECLINED: [PlanAction.Status.DECLINED],
    PlanAction.Status.OPEN: [PlanAction.Status.OPEN],
    PlanAction.Status.IN_PROGRESS: [PlanAction.Status.OPEN, PlanAction.Status.IN_PROGRESS],
    PlanAction.Status.ON_HOLD: [PlanAction.Status.OPEN, PlanAction.Status.ON_HOLD],
    PlanAction.Status.DONE: [PlanAction.Status.OPEN, PlanAction.Status.IN_PROGRESS, PlanAction.Status.DONE],
    PlanAction.Status.CANCELLED: [PlanAction.Status.OPEN, PlanAction.Status.CANCELLED],
}
LIFE_GOALS = [
    "Blijven wonen in mijn eigen huis, met mijn kat.",
    "Op zaterdag naar de markt blijven gaan.",
    "Mijn kleinkinderen elke week zien.",
    "Weer zelf kunnen koken.",
    "Rester chez moi aussi longtemps que possible.",
    "Retourner au club de cartes le jeudi.",
]
GOALS = [
    "Veilig de trap op en af",
    "Medicatie op tijd en juist",
    "Gewicht stabiel houden",
    "Mantelzorger ontlasten",
    "Zelfstandig wassen en aankleden",
    "Sociaal contact buitenshuis",
    "Marcher 20 minutes par jour",
    "Éviter une nouvelle chute",
]
ACTIONS = [
    "Trapleuning laten plaatsen",
    "Pillendoos wekelijks klaarzetten",
    "Maaltijden aan huis aanvragen",
    "Dagopvang twee dagen per week regelen",
    "Kinesitherapie: evenwichtsoefeningen",
    "Huisbezoek ergotherapeut plannen",
    "Wegen bij elk bezoek en noteren",
    "Premie aanpassing woning aanvragen",
    "Organiser une garde de nuit",
    "Vérifier le schéma de médication avec le pharmacien",
]


def _status(rng: random.Random) -> str:
    return rng.choices(list(STATUS_MIX), weights=list(STATUS_MIX.values()))[0]


class PlanBuilder:
    """Rows with their ids (the tables are new), the history rows beside them."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.rows: dict[type[Any], list[dict[str, Any]]] = {LifeGoal: [], Goal: [], PlanAction: []}
        self.history: dict[type[Any], list[dict[str, Any]]] = {LifeGoal: [], Goal: [], PlanAction: []}
        self.defaults = {
            model: {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}
            for model in self.rows
        }

    def add(self, model: type[Any], values: dict[str, Any], author: int, created: datetime) -> dict[str, Any]:
        row = {
            **self.defaults[model],
            **values,
            "id": len(self.rows[model]) + 1,
            "public_id": data.random_uuid(self.rng),
            "version": 1,
            "created_at": created,
            "created_by_id": author,
            "updated_at": created,
            "updated_by_id": author,
        }
        self.rows[model].append(row)
        self._record(model, row, "+", author)
        return row

    def change(self, model: type[Any], row: dict[str, Any], editor: int, when: datetime, **values: Any) -> None:
        row.update(values, version=row["version"] + 1, updated_at=when, updated_by_id=editor)
        self._record(model, row, "~", editor)

    def _record(self, model: type[Any], row: dict[str, Any], kind: str, user: int) -> None:
        self.history[model].append(
            {
                **row,
                "history_date": row["updated_at"],
                "history_type": kind,
                "history_user_id": user,
                "history_change_reason": None,
            }
        )

    def plan(self, person: Person, team: list[tuple[int, int]], counts: tuple[int, int, int]) -> None:
        """One person's plan: `counts` life goals, goals, actions; `team` (membership, user) pairs."""
        rng, now = self.rng, self.now
        users = [user for _, user in team]
        life_goals = []
        for n in range(counts[0]):
            created = now - timedelta(days=rng.randrange(200, 700))
            life_goals.append(
                self.add(
                    LifeGoal,
                    {"person_id": person.pk, "text": rng.choice(LIFE_GOALS), "written_by": "person", "position": n},
                    rng.choice(users),
                    created,
                )
            )
        goals = []
        for n in range(counts[1]):
            created = now - timedelta(days=rng.randrange(150, 600))
            goal = self.add(
                Goal,
                {
                    "person_id": person.pk,
                    "life_goal_id": rng.choice(life_goals)["id"] if life_goals else None,
                    "title": rng.choice(GOALS),
                    "description": "Afgesproken met de persoon en de mantelzorger.",
                    "position": n,
                },
                rng.choice(users),
                created,
            )
            if rng.random() < 0.3:
                self.change(Goal, goal, rng.choice(users), created + timedelta(days=rng.randrange(1, 100)))
            goals.append(goal)
        for _ in range(counts[2]):
            self._action(person, rng.choice(goals) if goals else None, team)

    def _action(self, person: Person, goal: dict[str, Any] | None, team: list[tuple[int, int]]) -> None:
        rng, now = self.rng, self.now
        owner, owner_user = rng.choice(team)
        author = rng.choice(team)[1]
        status = _status(rng)
        created = now - timedelta(days=rng.randrange(20, 400))
        under_way = status in (PlanAction.Status.OPEN, PlanAction.Status.IN_PROGRESS, PlanAction.Status.PROPOSED)
        # Under way: a quarter overdue, the rest due in the coming months; the others in the past.
        due = (now + timedelta(days=rng.randrange(-30, 90))) if under_way else created + timedelta(days=60)
        row = self.add(
            PlanAction,
            {
                "person_id": person.pk,
                "goal_id": goal["id"] if goal else None,
                "title": rng.choice(ACTIONS),
                "details": "Zie afspraak in het overleg.",
                "owner_id": owner,
                "due_on": due.date() if rng.random() < 0.9 else None,
                "status": PlanAction.Status.OPEN if author == owner_user else PlanAction.Status.PROPOSED,
            },
            author,
            created,
        )
        if status == PlanAction.Status.DECLINED:
            row["decline_reason"] = "Geen tijd deze maand."
        when = created
        for step in STEPS[status]:
            if step == row["status"]:
                continue
            when = min(now, when + timedelta(days=rng.randrange(1, 20)))
            values: dict[str, Any] = {"status": step}
            if step == PlanAction.Status.OPEN:
                values["accepted_at"] = when
            if step == PlanAction.Status.DONE:
                values |= {"done_at": when, "outcome": "Gedaan, de persoon is tevreden."}
            if step == PlanAction.Status.ON_HOLD:
                values["hold_reason"] = "Opname in het ziekenhuis."
            self.change(PlanAction, row, owner_user if step != PlanAction.Status.CANCELLED else author, when, **values)
        if rng.random() < 0.2 and row["due_on"]:  # rescheduled once
            self.change(PlanAction, row, owner_user, min(now, when + timedelta(days=2)), due_on=row["due_on"])

    def insert(self) -> dict[str, int]:
        for model, rows in self.rows.items():
            data.insert_rows(model, rows)
            data.insert_rows(model.history.model, self.history[model])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.rows)):
                cursor.execute(statement)
        return {
            **{f"{model._meta.model_name}_rows": len(rows) for model, rows in self.rows.items()},
            **{f"{model._meta.model_name}_history_rows": len(rows) for model, rows in self.history.items()},
        }


def inbox_memberships(
    rng: random.Random, size: PlanSize, persons: list[Person], now: datetime
) -> tuple[list[User], dict[int, list[int]]]:
    """CLIENTS home nurses on size.inbox_teams teams each: their share of the measured persons
    (the first ones), the rest drawn from the others. Returns the nurses and, per nurse, the
    measured persons whose plan it reads."""
    nurses = list(User.objects.filter(profile=Profile.NURSE).order_by("pk")[:CLIENTS])
    existing = set(Membership.objects.values_list("person_id", "user_id"))
    measured = persons[: size.measured_persons]
    others = persons[size.measured_persons :]
    added, reads = [], {}
    for index, nurse in enumerate(nurses):
        mine = measured[index :: len(nurses)]
        reads[nurse.pk] = [person.pk for person in mine]
        teams = set(mine)
        while len(teams) < size.inbox_teams:
            teams.add(rng.choice(others))
        for person in teams:
            if (person.pk, nurse.pk) in existing:
                continue
            since = now - timedelta(days=rng.randrange(10, 400))
            added.append(
                Membership(
                    public_id=data.random_uuid(rng),
                    person=person,
                    user=nurse,
                    profile=nurse.profile,
                    since=since,
                    until=default_until(nurse.profile, since),
                )
            )
    Membership.objects.bulk_create(added, batch_size=2000)
    return nurses, reads


def build(size_name: str) -> dict[str, Any]:
    """Fill the (freshly migrated) benchmark database. Returns counts and timings."""
    size = SIZES[size_name]
    if Person.objects.exists():
        raise SystemExit("The benchmark database is not empty; bench.run recreates it before building.")
    rng = random.Random(12)
    now = timezone.now()
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    data.tune_for_bulk_load()
    with transaction.atomic():
        users = data.build_users(rng, size.people)
        registrars = [user for user in users if user.profile in (Profile.GP, Profile.CARE_COORDINATOR)]
        persons = data.build_persons(rng, size.people, registrars, now)
        data.build_teams(rng, size.people, persons, users, now)
        nurses, reads = inbox_memberships(rng, size, persons, now)
        # The measured persons' plans are read by the nurses: they must have consented.
        consented = set(Consent.objects.values_list("person_id", flat=True))
        Consent.objects.bulk_create(
            [
                Consent(
                    person=person,
                    basis=Consent.Basis.CONSENT,
                    given_by="person",
                    recorded_by=registrars[0],
                    since=now - timedelta(days=400),
                )
                for person in persons[: size.measured_persons]
                if person.pk not in consented
            ]
        )
        timings["people_s"] = round(time.perf_counter() - started, 1)
        step = time.perf_counter()
        teams: dict[int, list[tuple[int, int]]] = {}
        active = Membership.objects.active(now).values_list("pk", "person_id", "user_id").order_by("pk")
        for membership, person_id, user_id in active:
            teams.setdefault(person_id, []).append((membership, user_id))
        builder = PlanBuilder(rng, now)
        for index, person in enumerate(persons):
            if index < size.measured_persons:
                counts = (MEASURED_LIFE_GOALS, MEASURED_GOALS, MEASURED_ACTIONS)
            else:
                counts = tuple(rng.randint(*span) for span in (size.life_goals, size.goals, size.actions))  # type: ignore[assignment]  # three spans, three counts
            builder.plan(person, teams[person.pk], counts)
        plan_counts = builder.insert()
        timings["plans_s"] = round(time.perf_counter() - step, 1)
    step = time.perf_counter()
    pairs = [(person_id, user) for person_id, team in teams.items() for _, user in team]
    data.build_audit(size.people, pairs, users, [person.pk for person in persons], now)
    timings["audit_rows_s"] = round(time.perf_counter() - step, 1)
    step = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("CHECKPOINT")
    timings["analyze_s"] = round(time.perf_counter() - step, 1)
    timings["total_s"] = round(time.perf_counter() - started, 1)
    items = sum(plan_counts[f"{name}_rows"] for name in ("lifegoal", "goal", "planaction"))
    totals = {
        "persons": len(persons),
        "professionals": len(users),
        "memberships": Membership.objects.count(),
        "plan_items": items,
        **plan_counts,
        "audit_rows": size.people.audit_rows,
        "measured_persons": size.measured_persons,
        "inbox_teams": size.inbox_teams,
    }
    return {"size": size_name, "counts": totals, "timings": timings, "clients": _clients(nurses, reads)}


def _clients(nurses: list[User], reads: dict[int, list[int]]) -> list[dict[str, Any]]:
    """Each nurse logged in (a session each), with the pages it reads: the plans of its share of
    the measured persons, and its own inbox."""
    public_ids = dict(Person.objects.values_list("pk", "public_id"))
    return [
        {
            "user": nurse.email,
            "profile": nurse.profile,
            "cookie": data.session_cookie(nurse),
            "pages": {
                "plan": [reverse("plans:plan", args=[public_ids[pk]]) for pk in reads[nurse.pk]],
                "inbox": [reverse("plans:my-actions")],
            },
        }
        for nurse in nurses
    ]
