"""A medication line is stopped with a date and a reason, never removed (issue 11): the page
says what stopping does first, the line leaves the active schedule and the printed summary, it
stays listed as stopped, the history keeps it, and the API does the same."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from conftest import client_for
from people import services
from people.models import MedicationIntake
from people.tests.factories import section_row


def _schedule(person):
    return reverse("people:section-medication", args=[person.public_id])


def _stop(person):
    return reverse("people:medication-stop", args=[person.public_id])


@pytest.fixture
def line(person):
    return section_row(person, "medication", medication="Metformine 500 mg")


def test_the_schedule_offers_stop_not_remove_and_the_stop_page_says_what_it_does(gp_client, person, line):
    page = gp_client.get(_schedule(person)).content.decode()
    assert f"{_stop(person)}?item={line.public_id}" in page
    assert 'name="action" value="remove"' not in page
    stop_page = gp_client.get(_stop(person), {"item": str(line.public_id)}).content.decode()
    assert "Stop Metformine 500 mg?" in stop_page
    assert "The line leaves Jozef's schedule and the printed summary" in stop_page
    assert f'value="{timezone.localdate().isoformat()}"' in stop_page  # today by default


def test_the_old_remove_post_changes_nothing(gp_client, person, line):
    response = gp_client.post(
        _schedule(person), {"action": "remove", "item": str(line.public_id), "version": "1"}, follow=True
    )
    assert "A medication line is not removed: stop it, with the date and the reason." in response.content.decode()
    line.refresh_from_db()
    assert (line.version, line.stopped_on) == (1, None)
    with pytest.raises(ValidationError):
        services.remove_entry(line.updated_by or line.person.registered_by, line, version=1)
    assert MedicationIntake.objects.filter(pk=line.pk).exists()


def test_stopping_needs_a_reason_and_changes_nothing_without_one(gp_client, person, line):
    response = gp_client.post(
        _stop(person), {"item": str(line.public_id), "version": "1", "stopped_on": date.today().isoformat()}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    line.refresh_from_db()
    assert line.stopped_on is None


def test_a_stop_in_the_future_is_refused(gp, person, line):
    with pytest.raises(ValidationError) as raised:
        services.stop_medication(
            gp, line, version=1, stopped_on=timezone.localdate() + timedelta(days=3), reason="Course finished"
        )
    assert "stopped_on" in raised.value.error_dict
    line.refresh_from_db()
    assert line.stopped_on is None


def test_a_stopped_line_leaves_the_schedule_and_the_summary_and_stays_listed(gp, gp_client, person, line):
    section_row(person, "medication", medication="Paracetamol 1 g")
    response = gp_client.post(
        _stop(person),
        {
            "item": str(line.public_id),
            "version": "1",
            "stopped_on": timezone.localdate().isoformat(),
            "reason": "Replaced by insulin",
        },
        follow=True,
    )
    assert "Metformine 500 mg is stopped." in response.content.decode()
    line.refresh_from_db()
    assert (line.stopped_on, line.stop_reason, line.version) == (timezone.localdate(), "Replaced by insulin", 2)
    row = AuditEntry.objects.get(action="people.medication_stopped", event="change")
    assert row.detail["entry"] == str(line.public_id)
    # The schedule: the active line in the table, the stopped one struck in its own list.
    page = gp_client.get(_schedule(person)).content.decode()
    table, stopped = page.split('class="stopped-medication"')
    assert "Paracetamol 1 g" in table and "Metformine 500 mg" not in table
    assert "<s>Metformine 500 mg</s>" in stopped and "Replaced by insulin" in stopped
    # The printed summary lists the active schedule only.
    summary = gp_client.get(reverse("people:summary", args=[person.public_id])).content.decode()
    assert "Paracetamol 1 g" in summary and "Metformine 500 mg" not in summary
    # The history keeps the stop.
    history = gp_client.get(reverse("people:history-medication", args=[person.public_id])).content.decode()
    assert "Replaced by insulin" in history


def test_a_stopped_line_is_neither_stopped_twice_nor_changed(gp, person, line):
    stopped = services.stop_medication(gp, line, version=1, stopped_on=timezone.localdate(), reason="Side effects")
    with pytest.raises(ValidationError) as raised:
        services.stop_medication(gp, stopped, version=2, stopped_on=timezone.localdate(), reason="Again")
    assert raised.value.code == "already_stopped"
    with pytest.raises(ValidationError) as raised:
        services.change_entry(gp, stopped, version=2, dose="2 tablets")
    assert raised.value.code == "stopped"


def test_a_stale_stop_is_a_conflict(gp, person, line):
    services.change_entry(gp, line, version=1, dose="2 tablets")
    with pytest.raises(services.StaleEdit):
        services.stop_medication(gp, line, version=1, stopped_on=timezone.localdate(), reason="Side effects")


def test_a_reader_who_may_not_write_the_schedule_cannot_stop(caregiver, person, line):
    response = client_for(caregiver).post(
        _stop(person),
        {"item": str(line.public_id), "version": "1", "stopped_on": date.today().isoformat(), "reason": "No"},
    )
    assert response.status_code in (403, 404)
    line.refresh_from_db()
    assert line.stopped_on is None


def test_the_api_stops_a_line_and_lists_it_apart_and_has_no_delete(gp, person, line):
    client = client_for(gp)
    api = f"/api/persons/{person.public_id}/dossier/medication"
    assert client.delete(f"{api}?item={line.public_id}", headers={"If-Match": "1"}).status_code == 405
    missing = client.post(
        f"{api}/stop?item={line.public_id}", {"reason": " "}, content_type="application/json", headers={"If-Match": "1"}
    )
    assert missing.status_code == 422
    response = client.post(
        f"{api}/stop?item={line.public_id}",
        {"reason": "Course finished"},
        content_type="application/json",
        headers={"If-Match": "1"},
    )
    assert response.status_code == 200
    assert response.json()["stopped_on"] == timezone.localdate().isoformat()
    listed = client.get(api).json()
    assert listed["entries"] == []
    assert [entry["stop_reason"] for entry in listed["stopped"]] == ["Course finished"]
