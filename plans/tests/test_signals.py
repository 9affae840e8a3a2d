"""Early signals (PLAN-06): kinds as data, any team member records one, it creates a proposed
action for the coordinator (or a review due) in the same transaction and tells the coordinator;
read under its own category; untouched after the kind's days it is flagged; who may write the
plan marks it handled, and a stale version is refused."""

import json
import tomllib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.gate import Refused
from access.models import Exclusion
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from core.actions import Action
from core.errors import Conflict
from core.vocab import Category, Profile
from notifications.models import Notification
from people.tests.factories import join_team
from plans.models import EarlySignal, PlanAction
from plans.signals import kinds, queries, services
from plans.tests.factories import membership_of

pytestmark = pytest.mark.django_db


# ── The kinds file ──────────────────────────────────────────────────────────────────────────


def test_the_shipped_kinds_file_is_valid():
    found = kinds.read_file()
    assert len(found) >= 10
    assert {kind.category for kind in found.values()} <= set(Category.values)
    assert {kind.creates for kind in found.values()} == {"action", "review"}
    for kind in found.values():
        assert set(kind.labels) == {"en", "nl", "fr"}
        assert (kind.creates == "action") == bool(kind.action_titles)
    assert found["caregiver_exhausted"].category == Category.CAREGIVER
    assert found["fall"].category == Category.MEDICAL


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"category": "health"}, "is not a category"),
        ({"creates": "meeting"}, "creates must be one of"),
        ({"flag_after_days": 0}, "flag_after_days"),
        ({"label": {"en": "A fall", "nl": "Een val"}}, "label: give a text"),
        ({"action": None}, "action: give a text"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_a_broken_kinds_file_is_refused_with_its_problem(change, problem):
    data = tomllib.loads(kinds.KINDS_FILE.read_text())
    fall = data["kinds"]["fall"]
    for key, value in change.items():
        if value is None:
            fall.pop(key)
        else:
            fall[key] = value
    with pytest.raises(ValueError, match=problem):
        kinds.parse(data)


# ── Recording ───────────────────────────────────────────────────────────────────────────────


def test_the_caregiver_records_exhaustion_and_the_coordinator_gets_a_proposed_action(person, gp, caregiver):
    gp.language = "fr"
    gp.save(update_fields=["language"])
    signal = services.record_signal(caregiver, person, kind="caregiver_exhausted", description="Slaapt slecht")
    assert (signal.category, signal.noted_by, signal.status) == (Category.CAREGIVER, caregiver, EarlySignal.Status.OPEN)
    action = signal.action
    assert action.owner == membership_of(person, gp)
    assert (action.status, action.origin) == (PlanAction.Status.PROPOSED, PlanAction.Origin.SIGNAL)
    # In the owner's language, and neutral: every reader of the plan reads the action, while the
    # signal itself (the caregiver's exhaustion) is for readers of its category only.
    assert action.title == "Suivre un signal précoce (voir les signaux précoces du plan)"
    assert kinds.get("caregiver_exhausted").action_title("fr") != action.title
    assert action.history.get().history_user == caregiver
    [told] = Notification.objects.filter(kind=Notification.Kind.EARLY_SIGNAL)
    assert told.recipient == gp and told.params == {"signal": str(signal.public_id)}
    logged = AuditEntry.objects.filter(person_id=person.pk, actor_id=caregiver.pk, allowed=True)
    assert set(logged.values_list("action", flat=True)) == {Action.PLANS_SIGNAL_RECORDED, Action.PLANS_ACTION_PROPOSED}
    assert logged.get(action=Action.PLANS_SIGNAL_RECORDED).category == Category.CAREGIVER


def test_a_kind_that_asks_for_a_review_creates_no_action(person, nurse):
    signal = services.record_signal(nurse, person, kind="hospital_visit")
    assert signal.action is None and not PlanAction.objects.exists()


def test_the_coordinators_own_signal_is_an_open_action_and_no_notification(person, gp):
    signal = services.record_signal(gp, person, kind="fall")
    assert signal.action.status == PlanAction.Status.OPEN
    assert not Notification.objects.filter(kind=Notification.Kind.EARLY_SIGNAL).exists()


def test_without_a_coordinator_the_signal_is_recorded_without_an_action(person, gp, nurse):
    membership_of(person, gp).__class__.objects.filter(person=person).update(is_coordinator=False)
    signal = services.record_signal(nurse, person, kind="fall")
    assert signal.action is None and EarlySignal.objects.count() == 1


def test_a_neighbour_on_the_team_records_one_though_they_may_not_read_the_plan(person, gp):
    neighbour = UserFactory(profile=Profile.NEIGHBOUR, full_name="Rik Buur")
    join_team(person, neighbour)
    signal = services.record_signal(neighbour, person, kind="fall", description="Lag op de grond")
    assert signal.action.owner.user == gp
    # They do not read it back: a fall is medical.
    open_rows, _handled = queries.readable_signals(neighbour, person)
    assert open_rows == []


def test_an_outsider_cannot_record_and_nothing_changes(person, outsider):
    with pytest.raises(Refused) as refused:
        services.record_signal(outsider, person, kind="fall")
    assert refused.value.decision.status == 404
    assert not EarlySignal.objects.exists() and not PlanAction.objects.exists()
    assert AuditEntry.objects.filter(actor_id=outsider.pk, action=Action.PLANS_SIGNAL_RECORDED, allowed=False).exists()


def test_an_excluded_member_cannot_record(person, nurse, person_user):
    Exclusion.objects.create(person=person, excluded=nurse, recorded_by=person_user)
    with pytest.raises(Refused):
        services.record_signal(nurse, person, kind="fall")
    assert not EarlySignal.objects.exists()


def test_an_unknown_kind_is_a_translated_error_and_nothing_changes(person, caregiver):
    with pytest.raises(ValidationError) as refused:
        services.record_signal(caregiver, person, kind="tired_of_tv")
    assert "kind" in refused.value.message_dict
    assert not EarlySignal.objects.exists() and not Notification.objects.exists()


# ── Reading and flagging ────────────────────────────────────────────────────────────────────


def test_each_reader_sees_only_the_signals_of_categories_they_may_read(person, gp, nurse, caregiver):
    services.record_signal(nurse, person, kind="fall")  # medical
    services.record_signal(caregiver, person, kind="caregiver_exhausted")  # caregiver
    seen = {
        user: {row.signal.kind for row in queries.readable_signals(user, person)[0]} for user in (gp, nurse, caregiver)
    }
    assert seen[gp] == {"fall", "caregiver_exhausted"}
    assert seen[nurse] == {"fall", "caregiver_exhausted"}  # a nurse reads both in the shipped matrix
    assert seen[caregiver] == {"caregiver_exhausted"}  # medical stays with the professionals


def test_an_untouched_signal_is_flagged_after_its_kinds_days(person, nurse, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    signal = services.record_signal(nurse, person, kind="fall")  # flag_after_days = 2
    time_machine.move_to(start + timedelta(days=2) - timedelta(minutes=1), tick=False)
    assert not queries.is_flagged(signal)
    time_machine.move_to(start + timedelta(days=2), tick=False)
    assert queries.is_flagged(signal)
    # Once the coordinator takes the action on, someone is on it: no longer untouched.
    PlanAction.objects.filter(pk=signal.action_id).update(status=PlanAction.Status.OPEN)
    signal.refresh_from_db()
    assert not queries.is_flagged(signal)


def test_the_panel_counts_the_flagged_signals(person, gp, nurse, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    services.record_signal(nurse, person, kind="fall")
    services.record_signal(nurse, person, kind="loneliness")  # flag_after_days = 14
    time_machine.move_to(start + timedelta(days=3), tick=False)
    panel = queries.signal_panel(gp, person)
    assert (len(panel.open_rows), panel.flagged, panel.may_handle) == (2, 1, True)


# ── Handling ────────────────────────────────────────────────────────────────────────────────


def test_the_coordinator_marks_it_handled_and_a_stale_version_is_refused(person, gp, nurse):
    signal = services.record_signal(nurse, person, kind="fall")
    handled = services.handle_signal(gp, signal, version=1, note="Valsensor besteld")
    assert (handled.status, handled.handled_by, handled.version) == (EarlySignal.Status.HANDLED, gp, 2)
    with pytest.raises(Conflict):
        services.handle_signal(gp, signal, version=1)
    with pytest.raises(ValidationError):
        services.handle_signal(gp, signal, version=2)
    handled.refresh_from_db()
    assert handled.handled_note == "Valsensor besteld"


def test_a_caregiver_cannot_mark_a_signal_handled(person, caregiver):
    signal = services.record_signal(caregiver, person, kind="caregiver_exhausted")
    with pytest.raises(Refused) as refused:
        services.handle_signal(caregiver, signal, version=1)
    assert refused.value.decision.status == 403
    signal.refresh_from_db()
    assert signal.status == EarlySignal.Status.OPEN


# ── Pages and API ───────────────────────────────────────────────────────────────────────────


def test_the_caregiver_records_on_the_page_and_the_coordinator_handles_it(person, gp, caregiver_client, gp_client):
    url = reverse("plans:signals", args=[person.public_id])
    assert 'id="signal-form"' in caregiver_client.get(url).content.decode()
    response = caregiver_client.post(url, {"kind": "caregiver_exhausted", "description": "Op"})
    assert response.status_code == 302
    signal = EarlySignal.objects.get()
    page = gp_client.get(url).content.decode()
    assert 'data-signal="caregiver_exhausted"' in page and signal.action.title in page
    handled = gp_client.post(
        reverse("plans:signal-handle", args=[person.public_id]),
        {"signal": str(signal.public_id), "version": "1", "note": "Gesprek gepland"},
    )
    assert handled.status_code == 302
    signal.refresh_from_db()
    assert signal.status == EarlySignal.Status.HANDLED


def test_the_page_refuses_a_choice_that_is_not_a_kind(person, caregiver_client):
    response = caregiver_client.post(reverse("plans:signals", args=[person.public_id]), {"kind": "nonsense"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not EarlySignal.objects.exists()


def test_the_api_records_and_handles_with_if_match(person, gp, caregiver, gp_client, caregiver_client):
    base = f"/api/plans/persons/{person.public_id}/signals"
    created = caregiver_client.post(base, json.dumps({"kind": "weight_loss"}), content_type="application/json")
    assert created.status_code == 201 and created.json()["action_id"]
    signal_id = created.json()["id"]
    listed = gp_client.get(base).json()
    assert [row["id"] for row in listed["open"]] == [signal_id] and listed["open"][0]["version"] == 1
    body = json.dumps({"signal_id": signal_id, "note": "Diëtist"})
    missing = gp_client.post(f"{base}/handle", body, content_type="application/json")
    assert missing.status_code == 428
    stale = gp_client.post(f"{base}/handle", body, content_type="application/json", HTTP_IF_MATCH='W/"7"')
    assert stale.status_code == 412
    done = gp_client.post(f"{base}/handle", body, content_type="application/json", HTTP_IF_MATCH='W/"1"')
    assert done.status_code == 200 and done.json()["status"] == "handled"
    # Weight loss is medical: the caregiver who recorded it does not read it back, so to her the
    # id answers as an unknown one would.
    refused = caregiver_client.post(f"{base}/handle", body, content_type="application/json", HTTP_IF_MATCH='W/"2"')
    assert refused.status_code == 404
