"""The demo care zone's care plans (demo/zone.py): for Jozef Wouters and for Simone Dupont (who
speaks French), life goals in their own words, goals with a Goal Attainment Scale scored on three
review dates about 90 days apart (a rising T-score), actions with owners among the demo users in
several statuses, an early signal and a communication agreement. Jozef's two past MDOs, whose
decisions became some of these actions, are meetings/demo.py's (it sits above this app).

Everything is written through the plan's services, as a user would: each passes the gate and
writes its audit row. The services date a change "now"; where the demo needs a change in the
past (a goal set up nine months ago, an action done in the autumn), `at()` moves the row's own
dates and its newest history row afterwards with a queryset update, so that the plan's history
and "the plan as it was on" read right. The access log keeps the moment the demo was loaded: its
rows are chained and never rewritten. Every name and text is invented.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from accounts.models import User
from core.vocab import Profile
from people.models import Person
from plans import services
from plans.agreements import services as agreements
from plans.gas import services as gas
from plans.help import services as help_services
from plans.models import EarlySignal, Goal, GoalScale, GoalScore, HelpAnswer, LifeGoal, PlanAction
from plans.signals import services as signals
from teams.models import Membership

# The plan began this many days ago (the scales' baseline); it was reviewed on these days ago,
# the first two at an MDO (meetings/demo.py), the last at a home visit.
PLAN_STARTED_DAYS_AGO = 275
REVIEW_DAYS_AGO = (185, 95, 5)


def day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def moment(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment `days_ago` days before today, at a local time of day."""
    return timezone.make_aware(datetime.combine(day(days_ago), time(hour, minute)))


def at(record: models.Model, when: datetime, **fields: Any) -> None:
    """Date the change a service just made at `when`: the row's own dates (`updated_at`, and
    `created_at` for a new row, when the model has them; more in `fields`) and its newest
    history row. For the demo only, right after the service call."""
    model = type(record)
    names = {field.name for field in model._meta.get_fields()}
    values = {name: when for name in ("updated_at",) if name in names} | fields
    history = getattr(model, "history", None)
    if history is not None:
        rows = history.filter(id=record.pk).order_by("-history_date", "-history_id")
        newest = rows.first()
        if newest is not None:
            if rows.count() == 1 and "created_at" in names:
                values["created_at"] = when
            rows.filter(history_id=newest.history_id).update(history_date=when, **values)
    if values:
        model.objects.filter(pk=record.pk).update(**values)  # type: ignore[attr-defined]
        for name, value in values.items():
            setattr(record, name, value)


def member(person: Person, user: User) -> Membership:
    return Membership.objects.get(person=person, user=user)


@dataclass(frozen=True)
class GoalData:
    title: str
    life_goal: int  # index in the person's life goals
    levels: tuple[str, str, str, str, str]  # -2 .. +2
    baseline: int
    scores: tuple[int, int, int]  # on the three review dates
    description: str = ""


@dataclass(frozen=True)
class ActionData:
    title: str
    owner: str  # the owner's profile
    goal: int | None
    due_in_days: int | None  # from today; negative: in the past
    status: str  # proposed, open, in_progress, done, on_hold
    proposed_days_ago: int = 20
    details: str = ""
    outcome: str = ""  # done: what came of it
    hold_reason: str = ""
    helped: tuple[str, str] | None = None  # done: the person's answer to "did it help?" and comment


JOZEF_LIFE_GOALS = [
    "Zelf naar de markt blijven gaan op zaterdag, zoals ik al veertig jaar doe.",
    "Thuis blijven wonen, bij mijn kat Minou, en niet naar een rusthuis moeten.",
]

JOZEF_GOALS = [
    GoalData(
        "Veilig buiten wandelen met de rollator",
        0,
        (
            "Komt niet meer buiten zonder begeleiding",
            "Wandelt met begeleiding tot aan de hoek van de straat",
            "Wandelt alleen tot aan de bakker (300 m)",
            "Wandelt alleen tot aan de markt (800 m)",
            "Gaat alleen naar de markt en terug, met zijn boodschappen",
        ),
        baseline=-1,
        scores=(-1, 0, 1),
        description="Met de kinesitherapeut en de thuisverpleging; de thuishulp gaat mee op zaterdag.",
    ),
    GoalData(
        "Geen nieuwe val thuis",
        0,
        (
            "Twee of meer vallen per maand",
            "Eén val per maand",
            "Geen val in drie maanden",
            "Geen val en durft alleen de trap op met de leuning",
            "Geen val en geen angst meer om te vallen",
        ),
        baseline=-2,
        scores=(-1, 0, 0),
    ),
    GoalData(
        "Elke dag een warme maaltijd eten",
        1,
        (
            "Eet minder dan de helft van de maaltijden",
            "Eet de helft van de maaltijden",
            "Eet elke dag de warme maaltijd van de maaltijddienst",
            "Warmt zelf de maaltijd op en eet ze helemaal op",
            "Eet elke dag warm en weegt opnieuw 70 kg",
        ),
        baseline=-1,
        scores=(-1, 0, 1),
    ),
    GoalData(
        "Marie kan op adem komen",
        1,
        (
            "Marie komt elke dag en houdt het niet meer vol",
            "Marie komt elke dag, met één vrije dag per maand",
            "Marie heeft één vrije dag per week",
            "Marie heeft twee vrije dagen per week",
            "Marie heeft twee vrije dagen per week en een week vakantie per jaar",
        ),
        baseline=-2,
        scores=(-2, -1, 0),
        description="Marie Claes, dochter en mantelzorger.",
    ),
]

JOZEF_ACTIONS = [
    ActionData(
        "Steunkousen 's ochtends aandoen en de enkels opvolgen",
        Profile.NURSE,
        1,
        7,
        "proposed",
        proposed_days_ago=2,
        details="De enkels zijn gezwollen sinds twee weken (zie het medicatieprobleem).",
    ),
    ActionData(
        "Samen naar de markt op zaterdag, oefenen met de rollator",
        Profile.HOME_CARE_WORKER,
        0,
        5,
        "open",
        proposed_days_ago=60,
    ),
    ActionData(
        "Medicatie in een weekdoos laten klaarzetten door de apotheek",
        Profile.PHARMACIST,
        2,
        30,
        "on_hold",
        proposed_days_ago=40,
        hold_reason="Wacht op het akkoord van Jozef over de kosten.",
    ),
    ActionData(
        "Boodschappen op dinsdag",
        Profile.NEIGHBOUR,
        2,
        None,
        "open",
        proposed_days_ago=30,
        details="Karim neemt het lijstje mee naar de supermarkt en zet de boodschappen in de koelkast.",
    ),
]

SIMONE_LIFE_GOALS = [
    "Rester chez moi, dans mon appartement à Anderlecht, le plus longtemps possible.",
    "Continuer à aller à la chorale du quartier le jeudi après-midi.",
]

SIMONE_GOALS = [
    GoalData(
        "Se laver et s'habiller en sécurité",
        0,
        (
            "A besoin d'aide pour tout, tous les jours",
            "Se lave avec l'aide de l'infirmière tous les jours",
            "Se lave seule avec l'aide de l'infirmière trois fois par semaine",
            "Se lave seule, l'infirmière passe une fois par semaine",
            "Se lave et s'habille seule, sans aide",
        ),
        baseline=-1,
        scores=(-1, 0, 0),
    ),
    GoalData(
        "Prendre ses médicaments correctement",
        0,
        (
            "Oublie ses médicaments plusieurs fois par semaine",
            "Oublie ses médicaments une fois par semaine",
            "Prend ses médicaments avec le pilulier, sans oubli",
            "Prépare elle-même le pilulier avec la pharmacienne",
            "Gère seule ses médicaments depuis trois mois",
        ),
        baseline=-2,
        scores=(-1, -1, 0),
    ),
    GoalData(
        "Aller à la chorale le jeudi",
        1,
        (
            "Ne sort plus de chez elle",
            "Va à la chorale une fois par mois, accompagnée",
            "Va à la chorale chaque semaine avec le taxi social",
            "Va à la chorale chaque semaine et boit un café après",
            "Va à la chorale et au club des aînés",
        ),
        baseline=-1,
        scores=(-1, 0, 1),
    ),
]

SIMONE_ACTIONS = [
    ActionData(
        "Demander le taxi social pour le jeudi",
        Profile.SOCIAL_WORKER,
        2,
        -60,
        "done",
        proposed_days_ago=120,
        outcome="Le taxi social la prend chaque jeudi à 13 h 30.",
    ),
    ActionData(
        "Préparer le pilulier chaque semaine",
        Profile.PHARMACIST,
        1,
        10,
        "open",
        proposed_days_ago=90,
    ),
    ActionData(
        "Toilette au lavabo trois fois par semaine",
        Profile.NURSE,
        0,
        14,
        "in_progress",
        proposed_days_ago=45,
    ),
]


def load_plans(users: dict[str, User], persons: list[Person]) -> dict[str, Any]:
    """Write the demo plans (called once by demo.zone.load, in its transaction). Returns what
    meetings/demo.py builds on: Jozef's goals, by position."""
    by_name = {person.given_name: person for person in persons}
    jozef, simone = by_name["Jozef"], by_name["Simone"]
    gp, coordinator = users[Profile.GP], users[Profile.CARE_COORDINATOR]
    jozef_goals = _plan(
        jozef, gp, users[Profile.PERSON], LifeGoal.WrittenBy.PERSON, JOZEF_LIFE_GOALS, JOZEF_GOALS, JOZEF_ACTIONS, users
    )
    _plan(
        simone,
        coordinator,
        coordinator,
        LifeGoal.WrittenBy.WITH_COORDINATOR,
        SIMONE_LIFE_GOALS,
        SIMONE_GOALS,
        SIMONE_ACTIONS,
        users,
    )
    # The last review of Jozef's plan, at a home visit (the first two were MDOs).
    review = services.record_review(
        gp,
        jozef,
        reviewed_on=day(REVIEW_DAYS_AGO[-1]),
        with_whom="Jozef Wouters, huisbezoek",
        notes="Jozef wandelt opnieuw alleen tot aan de markt. Marie heeft nu één vrije dag per week.",
        members=[member(jozef, users[Profile.NURSE]), member(jozef, users[Profile.INFORMAL_CAREGIVER])],
    )
    type(review).objects.filter(pk=review.pk).update(created_at=moment(REVIEW_DAYS_AGO[-1], 16))
    for days_ago, notes in zip(
        REVIEW_DAYS_AGO,
        (
            "Première évaluation avec Simone et sa fille.",
            "Le taxi social fonctionne ; la chorale a repris.",
            "Simone prend ses médicaments sans oubli depuis un mois.",
        ),
        strict=True,
    ):
        review = services.record_review(
            coordinator,
            simone,
            reviewed_on=day(days_ago),
            with_whom="Simone Dupont",
            notes=notes,
            members=[member(simone, users[Profile.NURSE])],
        )
        type(review).objects.filter(pk=review.pk).update(created_at=moment(days_ago, 15))
    _signal_and_agreement(users, jozef)
    return {"goals": jozef_goals}


def _plan(
    person: Person,
    writer: User,
    life_goal_writer: User,
    written_by: str,
    life_goal_texts: list[str],
    goal_rows: list[GoalData],
    action_rows: list[ActionData],
    users: dict[str, User],
) -> list[Goal]:
    started = moment(PLAN_STARTED_DAYS_AGO, 11)
    life_goals = []
    for text in life_goal_texts:
        life_goal = services.add_life_goal(life_goal_writer, person, text=text, written_by=written_by)
        at(life_goal, started)
        life_goals.append(life_goal)
    goals = []
    for row in goal_rows:
        goal = services.add_goal(
            writer, person, title=row.title, life_goal=life_goals[row.life_goal], description=row.description
        )
        at(goal, started)
        scale = gas.set_scale(
            writer,
            goal,
            gas.ScaleInput(levels=row.levels, baseline=row.baseline, baseline_on=started.date()),
            version=0,
        )
        at(scale, started, set_at=started)
        for days_ago, value in zip(REVIEW_DAYS_AGO, row.scores, strict=True):
            score = gas.record_score(writer, goal, scored_on=day(days_ago), score=value)
            at(score, moment(days_ago, 15), recorded_at=moment(days_ago, 15))
        GoalScale.objects.filter(goal=goal, locked_at__isnull=False).update(locked_at=moment(REVIEW_DAYS_AGO[0], 15))
        goals.append(goal)
    for action_row in action_rows:
        make_action(person, writer, users, action_row, goals)
    return goals


def make_action(
    person: Person, writer: User, users: dict[str, User], row: ActionData, goals: list[Goal], action: Any = None
) -> PlanAction:
    """Propose the action (or take `action`, already proposed), then let its owner move it to
    `row.status`, each step dated in the past."""
    owner = member(person, users[row.owner])
    proposed = moment(row.proposed_days_ago, 9)
    due = timezone.localdate() + timedelta(days=row.due_in_days) if row.due_in_days is not None else None
    if action is None:
        action = services.propose_action(
            writer,
            person,
            title=row.title,
            owner=owner,
            goal=goals[row.goal] if row.goal is not None else None,
            due_on=due,
            details=row.details,
        )
    at(action, proposed)
    if row.status == PlanAction.Status.PROPOSED:
        return action
    taker = owner.user
    accepted = proposed + timedelta(days=1)
    if action.status == PlanAction.Status.PROPOSED:
        action = services.accept_action(taker, action, version=action.version)
        at(action, accepted, accepted_at=accepted)
    if row.status == PlanAction.Status.OPEN:
        return action
    moved = accepted + timedelta(days=2)
    if row.status == PlanAction.Status.DONE:
        done = min(moved + timedelta(days=7), timezone.now() - timedelta(days=1))
        action = services.change_action_status(
            taker, action, version=action.version, status=PlanAction.Status.DONE, outcome=row.outcome
        )
        at(action, done, done_at=done)
        if row.helped is not None:
            answer, comment = row.helped
            voice = person.account or users[Profile.INFORMAL_CAREGIVER]
            given = help_services.answer_did_it_help(voice, person, action, answer=answer, comment=comment)
            HelpAnswer.objects.filter(pk=given.pk).update(answered_at=done + timedelta(days=3))
        return action
    action = services.change_action_status(
        taker, action, version=action.version, status=row.status, hold_reason=row.hold_reason
    )
    at(action, moved)
    return action


def _signal_and_agreement(users: dict[str, User], jozef: Person) -> None:
    """The nurse notices that Marie, his daughter, is at the end of her strength (an action
    proposed to the coordinator follows from it); the team's communication agreement."""
    signal = signals.record_signal(
        users[Profile.NURSE],
        jozef,
        kind="caregiver_exhausted",
        description="Marie slaapt slecht en zegt dat ze het niet lang meer volhoudt, naast haar werk.",
    )
    EarlySignal.objects.filter(pk=signal.pk).update(noted_at=moment(2, 8, 20))
    if signal.action is not None:
        at(signal.action, moment(2, 8, 20))
    members = {
        profile: member(jozef, users[profile]) for profile in (Profile.NURSE, Profile.GP, Profile.INFORMAL_CAREGIVER)
    }
    agreement = agreements.save_agreement(
        users[Profile.GP],
        jozef,
        version=0,
        channel="phone",
        first_contact=members[Profile.NURSE],
        line_24_7=members[Profile.NURSE],
        escalation=[
            agreements.Step(members[Profile.GP], 30),
            agreements.Step(members[Profile.INFORMAL_CAREGIVER], 60),
        ],
        remarks="Geen bezoek tussen 13 en 15 uur (middagrust). Marie liefst na 17 uur bellen.",
    )
    at(agreement, moment(REVIEW_DAYS_AGO[1], 16))


def plan_rows() -> dict[str, int]:
    """How many rows the demo plans have, per model (for the report and the tests)."""
    return {
        model.__name__: model.objects.count()
        for model in (LifeGoal, Goal, PlanAction, GoalScale, GoalScore, HelpAnswer, EarlySignal)
    }
