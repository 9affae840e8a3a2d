"""Plan records for tests, made through plans.services (so with history and audit rows), and a
shortcut to each member's membership."""

from plans import services
from plans.models import Goal, LifeGoal, PlanAction
from teams.models import Membership


def membership_of(person, user) -> Membership:
    return Membership.objects.filter(person=person, user=user).latest("since")


def life_goal(person, actor, text="Op zaterdag naar de markt blijven gaan") -> LifeGoal:
    return services.add_life_goal(actor, person, text=text, written_by=LifeGoal.WrittenBy.WITH_COORDINATOR)


def goal(person, actor, title="Veilig de trap op en af", life=None) -> Goal:
    return services.add_goal(actor, person, title=title, life_goal=life)


def action(person, actor, owner_user, title="Trapleuning laten plaatsen", goal=None, **fields) -> PlanAction:
    return services.propose_action(
        actor, person, title=title, owner=membership_of(person, owner_user), goal=goal, **fields
    )
