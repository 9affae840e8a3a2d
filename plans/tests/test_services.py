"""The plan's changes: each gated with its record's category, audited, kept in history, refused
when stale; the owner's own rights (accept, decline, move along) without plan write."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from access.gate import Refused
from access.models import Exclusion
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.actions import Action
from core.errors import Conflict
from core.vocab import Profile
from people.tests.factories import PersonFactory, consent_for, join_team
from plans import services
from plans.models import Goal, LifeGoal, PlanAction
from plans.tests.factories import action, goal, life_goal, membership_of

pytestmark = pytest.mark.django_db


def _refused(actor, code) -> bool:
    return AuditEntry.objects.filter(actor_id=actor.pk, action=code, allowed=False).exists()


# ── Life goals and goals ────────────────────────────────────────────────────────────────────


def test_a_life_goal_is_changed_with_wishes_write_and_kept_in_history(person, gp):
    life = life_goal(person, gp)
    changed = services.change_life_goal(gp, life, version=1, text="Elke week naar de markt", status="reached")
    assert (changed.version, changed.text, changed.status) == (2, "Elke week naar de markt", "reached")
    assert [row.history_type for row in changed.history.order_by("history_id")] == ["+", "~"]
    assert AuditEntry.objects.filter(action=Action.PLANS_LIFE_GOAL_CHANGED, actor_id=gp.pk, allowed=True).exists()


def test_the_person_writes_their_own_life_goal(person, person_user):
    made = services.add_life_goal(person_user, person, text="Thuis blijven wonen", written_by="person")
    assert made.created_by == person_user


def test_a_caregiver_may_not_change_a_life_goal_and_nothing_changes(person, gp, caregiver):
    life = life_goal(person, gp)
    with pytest.raises(Refused) as refused:
        services.change_life_goal(caregiver, life, version=1, text="Iets anders")
    assert refused.value.decision.status == 403  # she reads wishes, so she is told
    life.refresh_from_db()
    assert (life.text, life.version) == ("Op zaterdag naar de markt blijven gaan", 1)
    assert _refused(caregiver, Action.PLANS_LIFE_GOAL_CHANGED)


def test_a_life_goal_status_outside_the_choices_changes_nothing(person, gp):
    life = life_goal(person, gp)
    with pytest.raises(ValidationError):
        services.change_life_goal(gp, life, version=1, status="forgotten")
    life.refresh_from_db()
    assert (life.status, life.version, life.history.count()) == ("active", 1, 1)


def test_a_goal_is_moved_under_another_life_goal_and_renamed(person, gp):
    first, second = life_goal(person, gp), life_goal(person, gp, text="Zelf koken")
    made = goal(person, gp, life=first)
    changed = services.change_goal(gp, made, version=1, title="Veilig koken", life_goal=second, weight=3)
    assert (changed.title, changed.life_goal, changed.weight, changed.version) == ("Veilig koken", second, 3, 2)
    taken_off = services.change_goal(gp, changed, version=2, life_goal=None)
    assert taken_off.life_goal is None


def test_an_unchanged_goal_gets_no_new_version(person, gp):
    made = goal(person, gp)
    assert services.change_goal(gp, made, version=1, title=made.title).version == 1
    assert made.history.count() == 1


def test_a_goal_weight_beyond_ten_is_refused(person, gp):
    made = goal(person, gp)
    with pytest.raises(ValidationError):
        services.change_goal(gp, made, version=1, weight=11)
    made.refresh_from_db()
    assert made.weight == 1


def test_a_goal_under_another_persons_life_goal_is_a_programming_error(person, gp):
    other = PersonFactory()
    join_team(other, gp, is_coordinator=True)
    consent_for(other, recorded_by=gp)
    with pytest.raises(ValueError):
        services.change_goal(gp, goal(person, gp), version=1, life_goal=life_goal(other, gp))


# ── Concurrency ─────────────────────────────────────────────────────────────────────────────


def test_of_two_changes_from_the_same_version_the_second_is_told_and_the_first_kept(person, gp, nurse):
    made = action(person, gp, nurse)
    services.change_action(gp, made, version=1, title="Trapleuning bestellen")
    with pytest.raises(services.StaleEdit) as stale:
        services.change_action(nurse, made, version=1, title="Trapleuning plaatsen door de schrijnwerker")
    assert stale.value.current.title == "Trapleuning bestellen"
    assert "Dr. An Peeters" in stale.value.messages[0]
    made.refresh_from_db()
    assert (made.title, made.version) == ("Trapleuning bestellen", 2)


def test_a_stale_status_change_is_a_conflict(person, gp, nurse):
    made = action(person, gp, nurse)
    services.accept_action(nurse, made, version=1)
    with pytest.raises(Conflict):
        services.cancel_action(gp, made, version=1)
    made.refresh_from_db()
    assert made.status == PlanAction.Status.OPEN


@pytest.mark.locking
@pytest.mark.django_db(transaction=True)
def test_six_concurrent_edits_of_one_action_keep_exactly_one():
    writers = 6
    gp = UserFactory(profile=Profile.GP)
    person = PersonFactory()
    join_team(person, gp, is_coordinator=True)
    consent_for(person, recorded_by=gp)
    nurses = [UserFactory(profile=Profile.NURSE) for _ in range(writers)]
    for nurse in nurses:
        join_team(person, nurse)
    made = services.propose_action(gp, person, title="Wondzorg", owner=membership_of(person, nurses[0]))
    barrier = threading.Barrier(writers)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def edit(n: int) -> None:
        try:
            read = PlanAction.objects.select_related("person", "owner").get(pk=made.pk)
            barrier.wait()
            try:
                services.change_action(nurses[n], read, version=read.version, title=f"Wondzorg {n}")
            except Conflict:
                outcomes.append("conflict")
            else:
                outcomes.append("saved")
        except BaseException as error:  # handed to the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["conflict"] * (writers - 1) + ["saved"]
    made.refresh_from_db()
    assert made.version == 2
    assert list(made.history.order_by("history_id").values_list("history_type", "version")) == [("+", 1), ("~", 2)]


# ── Accept, decline, status ─────────────────────────────────────────────────────────────────


def test_the_owner_accepts_a_proposed_action(person, gp, caregiver):
    made = action(person, gp, caregiver)
    accepted = services.accept_action(caregiver, made, version=1)
    assert accepted.status == PlanAction.Status.OPEN and accepted.accepted_at is not None
    assert AuditEntry.objects.filter(actor_id=caregiver.pk, action=Action.PLANS_ACTION_ACCEPTED, allowed=True).exists()


def test_only_the_owner_accepts_not_even_the_coordinator(person, gp, nurse):
    made = action(person, gp, nurse)
    with pytest.raises(Refused) as refused:
        services.accept_action(gp, made, version=1)
    assert refused.value.decision.status == 403
    made.refresh_from_db()
    assert made.status == PlanAction.Status.PROPOSED
    assert _refused(gp, Action.PLANS_ACTION_ACCEPTED)


def test_an_outsider_cannot_accept_and_gets_the_404(person, gp, nurse, outsider):
    made = action(person, gp, nurse)
    with pytest.raises(Refused) as refused:
        services.accept_action(outsider, made, version=1)
    assert refused.value.decision.status == 404


def test_declining_needs_a_reason_and_changes_nothing_without_one(person, gp, nurse):
    made = action(person, gp, nurse)
    with pytest.raises(ValidationError) as invalid:
        services.decline_action(nurse, made, version=1, reason="  ")
    assert "reason" in invalid.value.message_dict
    made.refresh_from_db()
    assert made.status == PlanAction.Status.PROPOSED


def test_a_declined_action_goes_back_to_the_coordinator(person, gp, nurse):
    made = action(person, gp, nurse)
    declined = services.decline_action(nurse, made, version=1, reason="Geen tijd deze maand")
    assert (declined.status, declined.decline_reason) == (PlanAction.Status.DECLINED, "Geen tijd deze maand")
    assert gp.notifications.filter(kind="action_declined").count() == 1


def test_the_coordinator_reassigns_a_declined_action_and_the_new_owner_is_told(person, gp, nurse, caregiver):
    made = services.decline_action(nurse, action(person, gp, nurse), version=1, reason="Geen tijd")
    again = services.reassign_action(gp, made, version=2, owner=membership_of(person, caregiver))
    assert (again.owner.user, again.status, again.decline_reason) == (caregiver, PlanAction.Status.PROPOSED, "")
    assert caregiver.notifications.filter(kind="action_proposed").count() == 1


def test_an_action_taken_back_by_its_writer_is_open_at_once(person, gp, nurse):
    made = action(person, gp, nurse)
    mine = services.reassign_action(gp, made, version=1, owner=membership_of(person, gp))
    assert mine.status == PlanAction.Status.OPEN


def test_an_excluded_member_is_never_given_an_action(person, gp, nurse, pharmacist, person_user):
    made = action(person, gp, nurse)
    Exclusion.objects.create(person=person, excluded=pharmacist, recorded_by=person_user)
    with pytest.raises(ValidationError):
        services.reassign_action(gp, made, version=1, owner=membership_of(person, pharmacist))
    made.refresh_from_db()
    assert made.owner.user == nurse


def test_the_owner_moves_their_action_along_to_done_with_its_outcome(person, gp, caregiver):
    made = services.accept_action(caregiver, action(person, gp, caregiver), version=1)
    going = services.change_action_status(caregiver, made, version=2, status="in_progress")
    with pytest.raises(ValidationError) as invalid:
        services.change_action_status(caregiver, going, version=3, status="done")
    assert "outcome" in invalid.value.message_dict
    done = services.change_action_status(caregiver, going, version=3, status="done", outcome="Leuning staat er")
    assert (done.status, done.outcome, done.version) == ("done", "Leuning staat er", 4)
    assert done.done_at is not None


def test_on_hold_needs_its_reason(person, gp, nurse):
    made = services.accept_action(nurse, action(person, gp, nurse), version=1)
    with pytest.raises(ValidationError):
        services.change_action_status(nurse, made, version=2, status="on_hold")
    held = services.change_action_status(nurse, made, version=2, status="on_hold", hold_reason="Opname")
    assert held.hold_reason == "Opname"


def test_a_plan_writer_moves_someone_elses_action_too(person, gp, nurse):
    made = services.accept_action(nurse, action(person, gp, nurse), version=1)
    assert services.change_action_status(gp, made, version=2, status="in_progress").status == "in_progress"


def test_a_reader_who_does_not_own_the_action_may_not_move_it(person, gp, nurse, caregiver):
    made = services.accept_action(nurse, action(person, gp, nurse), version=1)
    with pytest.raises(Refused) as refused:
        services.change_action_status(caregiver, made, version=2, status="in_progress")
    assert refused.value.decision.status == 403
    made.refresh_from_db()
    assert made.status == "open"


def test_a_proposed_action_is_not_moved_along_before_it_is_accepted(person, gp, nurse):
    made = action(person, gp, nurse)
    with pytest.raises(ValidationError) as invalid:
        services.change_action_status(nurse, made, version=1, status="in_progress")
    assert "status" in invalid.value.message_dict
    made.refresh_from_db()
    assert made.status == "proposed"


def test_a_cancelled_action_stays_with_its_reason_and_is_not_changed_again(person, gp, nurse):
    made = action(person, gp, nurse)
    cancelled = services.cancel_action(gp, made, version=1, reason="Niet meer nodig")
    assert (cancelled.status, cancelled.outcome) == ("cancelled", "Niet meer nodig")
    assert PlanAction.objects.filter(pk=made.pk).exists()
    with pytest.raises(ValidationError):
        services.change_action(gp, cancelled, version=2, title="Toch doen")
    with pytest.raises(ValidationError):
        services.cancel_action(gp, cancelled, version=2)


def test_the_owner_without_plan_write_may_not_cancel(person, gp, caregiver):
    made = action(person, gp, caregiver)
    with pytest.raises(Refused):
        services.cancel_action(caregiver, made, version=1)


def test_an_ended_owner_can_no_longer_answer(person, gp, nurse):
    made = action(person, gp, nurse)
    membership = membership_of(person, nurse)
    membership.until = membership.since
    membership.save()
    with pytest.raises(Refused) as refused:
        services.accept_action(nurse, made, version=1)
    assert refused.value.decision.status == 404


def test_a_due_date_and_goal_are_changed_and_kept(person, gp, nurse):
    made = action(person, gp, nurse)
    target = goal(person, gp)
    changed = services.change_action(gp, made, version=1, due_on=date(2026, 5, 1), goal=target)
    assert (changed.due_on, changed.goal) == (date(2026, 5, 1), target)
    kept = services.change_action(gp, changed, version=2, title="Andere titel")
    assert (kept.due_on, kept.goal) == (date(2026, 5, 1), target)


def test_goals_and_life_goals_are_never_deleted_by_a_status(person, gp):
    life = life_goal(person, gp)
    made = goal(person, gp, life=life)
    services.change_goal(gp, made, version=1, status="cancelled")
    services.change_life_goal(gp, life, version=1, status="let_go")
    assert Goal.objects.filter(pk=made.pk, status="cancelled").exists()
    assert LifeGoal.objects.filter(pk=life.pk, status="let_go").exists()
