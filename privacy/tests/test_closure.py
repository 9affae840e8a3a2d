"""Closing a dossier: who may, what it does at once (the team ends through the handover, the
dossier becomes read-only for everyone), and reopening by the zone admin."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import gate
from access import services as access_services
from access.tests.factories import ExclusionFactory
from audit.models import AuditEntry
from conftest import client_for
from core.errors import Conflict
from core.vocab import Category, Level
from people import services as people_services
from people.tests.factories import PersonFactory, medication_problem, section_row
from privacy import services
from privacy.models import Closure
from teams import services as team_services
from teams.models import HandoverItem, Membership

TODAY = date.today()


def _close(actor, person, reason=Closure.Reason.DEATH, **kwargs):
    person.refresh_from_db()
    values = {"event_date": TODAY, "note": "", "version": person.version, **kwargs}
    return services.close_dossier(actor, person, reason=reason, **values)


def _closed_message() -> str:
    return "It can be read but no longer changed."


@pytest.fixture
def open_items(person, gp, nurse, pharmacist):
    """The GP asked the nurse something she has not read; the pharmacist follows up a problem."""
    message = team_services.post_message(
        gp, person, category=Category.MEDICATION, body="Is he still taking the Marevan?", addressees=[nurse], link="/"
    )
    problem = medication_problem(person, gp, owner=pharmacist)
    return message, problem


def test_closing_ends_every_membership_and_hands_over_open_items(person, gp, nurse, pharmacist, open_items):
    message, problem = open_items
    closure = _close(gp, person, note="Died at home, peacefully.")

    assert not Membership.objects.active().filter(person=person).exists()
    assert Membership.objects.filter(person=person, ended_by=gp).count() == 4
    queued = {(item.from_user_id, item.item_id) for item in HandoverItem.objects.filter(person=person)}
    assert queued == {(nurse.pk, message.public_id), (pharmacist.pk, problem.public_id)}
    assert len(closure.ended_memberships) == 4
    # The coordinator ends last, so the handover of the others still reached them.
    assert closure.ended_memberships[-1]["is_coordinator"] is True
    actions = list(
        AuditEntry.objects.filter(person_id=person.pk, action__startswith="privacy.").values_list("action", "allowed")
    )
    assert ("privacy.dossier_closed", True) in actions
    ended = AuditEntry.objects.filter(person_id=person.pk, action="teams.member_ended", detail__reason="dossier_closed")
    assert ended.count() == 4


def test_the_team_loses_access_and_the_person_can_still_read(person, gp, nurse, person_user):
    _close(gp, person)
    assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).reason == "no_relationship"
    assert gate.decide(gp, person, Category.IDENTITY, Level.READ).reason == "no_relationship"
    assert gate.decide(person_user, person, Category.WISHES, Level.READ).allowed


def test_every_write_is_refused_with_a_clear_message(person, gp, person_user, caregiver):
    section_row(person, "own_words")
    _close(gp, person, reason=Closure.Reason.MOVED_AWAY)
    before = AuditEntry.objects.filter(reason="closed", allowed=False).count()

    writes = [
        lambda: people_services.add_entry(person_user, person, "preferences", area="food", text="Soup on Sundays"),
        lambda: people_services.report_medication_problem(person_user, person, kind="side_effect", description="Dizzy"),
        lambda: access_services.withdraw_consent(person_user, person),
        lambda: team_services.add_member(person_user, person, email=caregiver.email, profile="informal_caregiver"),
    ]
    for write in writes:
        with pytest.raises(gate.Refused, match=_closed_message()) as refused:
            write()
        # The decision says how it is answered: a 403 with the sentence, to someone who could write.
        assert (refused.value.decision.status, refused.value.decision.reason) == (403, "closed")

    assert AuditEntry.objects.filter(reason="closed", allowed=False).count() == before + 4
    assert gate.decide(person_user, person, Category.WISHES, Level.WRITE).reason == "closed"


def test_a_refused_write_in_a_page_says_the_dossier_is_closed(person, gp, person_user):
    _close(gp, person)
    client = client_for(person_user)
    url = reverse("people:section-preferences", args=[person.public_id])
    response = client.post(url, {"area": "food", "text": "Soup", "version": 0})
    assert response.status_code == 403
    assert _closed_message() in response.content.decode()


def test_a_refused_write_in_the_api_says_the_dossier_is_closed(person, gp, person_user):
    _close(gp, person)
    client = client_for(person_user)
    response = client.post(
        f"/api/persons/{person.public_id}/dossier/preferences",
        {"area": "food", "text": "Soup"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "dossier_closed"


def test_the_dossier_page_shows_the_closing_banner(person, gp, person_user):
    client = client_for(person_user)
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "This dossier is closed." not in page
    _close(gp, person, reason=Closure.Reason.CONSENT_WITHDRAWN)
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "This dossier is closed." in page and "the person withdrew their consent" in page


# ── who may close ───────────────────────────────────────────────────────────────────────────


def test_the_zone_admin_closes_any_dossier_for_any_reason(person, zone_admin):
    closure = _close(zone_admin, person, reason=Closure.Reason.CARE_ENDED)
    assert closure.closed_by == zone_admin
    assert AuditEntry.objects.get(action="privacy.dossier_closed").relationship == "zone_admin"


@pytest.mark.parametrize("reason", [Closure.Reason.CONSENT_WITHDRAWN, Closure.Reason.MOVED_AWAY])
def test_the_person_closes_when_withdrawing_consent_or_moving_away(person, person_user, reason):
    assert _close(person_user, person, reason=reason).reason == reason


def test_the_representative_closes_for_the_person(person, representative):
    assert _close(representative, person, reason=Closure.Reason.MOVED_AWAY).closed_by == representative


def test_the_person_may_not_record_their_own_death_or_other_reasons(person, person_user):
    with pytest.raises(ValidationError) as error:
        _close(person_user, person, reason=Closure.Reason.DEATH)
    assert error.value.error_dict["reason"][0].code == "invalid_reason"
    assert not Closure.objects.exists()
    assert AuditEntry.objects.filter(action="privacy.dossier_closed", reason="reason_not_allowed").count() == 1


@pytest.mark.parametrize("who", ["mandate_holder", "nurse"])
def test_a_mandate_holder_or_a_team_member_may_not_close(person, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(gate.Refused) as refused:
        _close(actor, person, reason=Closure.Reason.MOVED_AWAY)
    assert refused.value.decision.status == 403  # they know the person: told, not hidden
    assert not Closure.objects.exists()
    refusal = AuditEntry.objects.get(action="privacy.dossier_closed", allowed=False)
    assert refusal.reason == "not_coordinator_or_person"


@pytest.mark.parametrize("who", ["outsider", "dpo"])
def test_someone_without_a_relationship_gets_the_usual_404(person, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(gate.Refused) as refused:
        _close(actor, person)
    assert refused.value.decision.status == 404
    assert not Closure.objects.exists()


def test_bad_input_is_refused_and_changes_nothing(person, gp):
    with pytest.raises(ValidationError) as error:
        _close(gp, person, event_date=TODAY + timedelta(days=1))
    assert error.value.error_dict["event_date"][0].code == "future_date"
    with pytest.raises(ValidationError) as error:
        _close(gp, person, reason=Closure.Reason.OTHER, note="  ")
    assert error.value.error_dict["note"][0].code == "note_required"
    with pytest.raises(ValidationError):
        _close(gp, person, reason="holiday")
    assert not Closure.objects.exists()
    assert Membership.objects.active().filter(person=person).count() == 4


def test_a_stale_version_is_a_conflict(person, gp):
    person.refresh_from_db()
    stale = person.version
    people_services.update_identity(gp, person, version=stale, given_name="Jos")
    with pytest.raises(Conflict):
        services.close_dossier(gp, person, reason=Closure.Reason.DEATH, event_date=TODAY, version=stale)
    assert not Closure.objects.exists()
    assert Membership.objects.active().filter(person=person).count() == 4


def test_a_closed_dossier_is_not_closed_twice(person, gp, zone_admin):
    _close(gp, person)
    with pytest.raises(ValidationError) as error:
        _close(zone_admin, person)
    assert error.value.code == "already_closed"
    assert Closure.objects.count() == 1


# ── reopening ───────────────────────────────────────────────────────────────────────────────


def test_the_zone_admin_reopens_and_the_team_comes_back(person, gp, nurse, zone_admin, person_user):
    closure = _close(gp, person)
    services.reopen_dossier(zone_admin, person, closure_id=closure.public_id, note="Closed the wrong Jozef.")
    closure.refresh_from_db()
    assert closure.reopened_by == zone_admin and closure.reopen_note == "Closed the wrong Jozef."
    assert Membership.objects.active().filter(person=person).count() == 4
    assert Membership.objects.active().get(person=person, is_coordinator=True).user == gp
    assert gate.decide(person_user, person, Category.WISHES, Level.WRITE).allowed
    assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).allowed
    assert AuditEntry.objects.filter(action="privacy.dossier_reopened", allowed=True).count() == 1


def test_only_the_zone_admin_reopens(person, gp, person_user):
    closure = _close(gp, person)
    with pytest.raises(gate.Refused) as refused:
        services.reopen_dossier(person_user, person, closure_id=closure.public_id, note="Please")
    assert refused.value.decision.status == 403
    with pytest.raises(gate.Refused) as refused:  # the former coordinator no longer knows the dossier
        services.reopen_dossier(gp, person, closure_id=closure.public_id, note="Oops")
    assert refused.value.decision.status == 404
    closure.refresh_from_db()
    assert closure.is_open


def test_no_reopening_once_the_purge_removed_something(person, gp, zone_admin):
    closure = _close(gp, person)
    Closure.objects.filter(pk=closure.pk).update(purged_at=timezone.now(), purged_kinds=["dossier_sections"])
    with pytest.raises(ValidationError) as error:
        services.reopen_dossier(zone_admin, person, closure_id=closure.public_id, note="Too late")
    assert error.value.code == "purged"


# ── pages ───────────────────────────────────────────────────────────────────────────────────


def test_the_coordinator_closes_from_the_page(person, gp, gp_client):
    url = reverse("privacy:close", args=[person.public_id])
    page = gp_client.get(url).content.decode()
    assert "Close the dossier" in page and "the person died" in page
    response = gp_client.post(url, {"reason": "death", "event_date": TODAY.isoformat(), "note": "", "version": 1})
    assert response.status_code == 302
    assert Closure.objects.get().reason == "death"


def test_the_person_is_offered_only_their_reasons(person, person_user):
    page = client_for(person_user).get(reverse("privacy:close", args=[person.public_id])).content.decode()
    assert "the person withdrew their consent" in page and "the person died" not in page


def test_a_team_member_who_may_not_close_gets_403(person, nurse):
    assert client_for(nurse).get(reverse("privacy:close", args=[person.public_id])).status_code == 403


def test_the_zone_admin_reopens_from_the_page(person, gp, zone_admin):
    closure = _close(gp, person)
    client = client_for(zone_admin)
    page = client.get(reverse("privacy:close", args=[person.public_id])).content.decode()
    assert "Reopen the dossier" in page
    response = client.post(
        reverse("privacy:reopen", args=[person.public_id]), {"closure": closure.public_id, "note": "Wrong person."}
    )
    assert response.status_code == 302
    closure.refresh_from_db()
    assert not closure.is_open


def test_the_closed_dossiers_list_is_for_zone_staff(person, gp, zone_admin, dpo, nurse):
    _close(gp, person)
    for user in (zone_admin, dpo):
        page = client_for(user).get(reverse("privacy:closures")).content.decode()
        assert person.family_name in page
    assert client_for(nurse).get(reverse("privacy:closures")).status_code == 404


def test_the_explanation_page_says_writing_stopped_because_the_dossier_is_closed(person, gp, person_user):
    from access.explain import explain_access

    _close(gp, person)
    wishes = next(row for row in explain_access(person_user, person) if row.category == "wishes")
    assert (wishes.read, wishes.write) == (True, False)
    assert "Writing is not allowed: the dossier is closed, for everyone." in wishes.reasons


# ── a closure id that is not this person's ──────────────────────────────────────────────────


def _reopen_page(client, person, closure_id):
    return client.post(
        reverse("privacy:reopen", args=[person.public_id]), {"closure": str(closure_id), "note": "Wrong person."}
    )


def test_another_persons_closure_is_answered_as_an_unknown_one_and_both_are_audited(person, gp, zone_admin):
    _close(gp, person)
    someone_else = PersonFactory()
    foreign = Closure.objects.create(
        person=someone_else, reason=Closure.Reason.DEATH, event_date=TODAY, closed_by=zone_admin
    )
    client = client_for(zone_admin)
    foreign_response = _reopen_page(client, person, foreign.public_id)
    unknown_response = _reopen_page(client, person, uuid.uuid4())
    assert foreign_response.status_code == unknown_response.status_code == 404
    assert foreign_response.content == unknown_response.content
    refused = AuditEntry.objects.filter(actor_id=zone_admin.pk, action="privacy.dossier_reopened", allowed=False)
    assert refused.count() == 2
    foreign.refresh_from_db()
    assert foreign.is_open
    with pytest.raises(gate.Refused) as refusal:
        services.reopen_dossier(zone_admin, person, closure_id=foreign.public_id, note="Wrong person.")
    assert refusal.value.decision.status == 404


def test_a_closure_of_this_person_reopened_meanwhile_is_still_a_conflict(person, gp, zone_admin):
    closure = _close(gp, person)
    services.reopen_dossier(zone_admin, person, closure_id=closure.public_id, note="Closed the wrong Jozef.")
    with pytest.raises(Conflict):
        services.reopen_dossier(zone_admin, person, closure_id=closure.public_id, note="Again.")


def test_an_excluded_user_asking_to_reopen_gets_the_outsiders_404(person, nurse, person_user):
    """Not "only the zone administrator can": that would tell them they still know the dossier."""
    ExclusionFactory(person=person, excluded=nurse, recorded_by=person_user)
    with pytest.raises(gate.Refused) as refusal:
        services.require_reopening_right(nurse, person, action=services.REOPEN)
    assert refusal.value.decision.status == 404
    row = AuditEntry.objects.filter(actor_id=nurse.pk, action=services.REOPEN).get()
    assert (row.allowed, row.reason) == (False, "excluded")
