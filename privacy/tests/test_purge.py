"""The purge on a frozen clock: exactly the kinds past their period go, the rest stays, a dry
run changes nothing, each purge is audited, and the access log is never touched."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from access.models import BreakGlassAccess, Consent, Exclusion
from access.tests.factories import BreakGlassAccessFactory, ExclusionFactory
from audit.models import AuditEntry
from notifications.models import Notification
from people import services as people_services
from people.models import Allergy, OwnWords, Person
from people.tests.factories import PersonFactory, consent_for, join_team, section_row
from privacy import services
from privacy.models import Closure
from privacy.purge import handlers, purge_expired
from teams import services as team_services
from teams.models import HandoverItem, Membership, TeamMessage

# After the real "now" of the root fixtures, so that their memberships have begun.
CLOSED_AT = datetime(2027, 3, 10, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


def _at(years: int = 0, days: int = 0) -> datetime:
    return CLOSED_AT.replace(year=CLOSED_AT.year + years) + timedelta(days=days)


def _counts(person: Person) -> dict[str, int]:
    return {
        "sections": OwnWords.objects.filter(person=person).count() + Allergy.objects.filter(person=person).count(),
        "history": OwnWords.history.filter(person_id=person.pk).count(),
        "messages": TeamMessage.objects.filter(person=person).count(),
        "handover": HandoverItem.objects.filter(person=person).count(),
        "memberships": Membership.objects.filter(person=person).count(),
        "consents": Consent.objects.filter(person=person).count(),
        "exclusions": Exclusion.objects.filter(person=person).count(),
        "break_glass": BreakGlassAccess.objects.filter(person=person).count(),
        "notifications": Notification.objects.filter(person=person).count(),
        "closures": Closure.objects.filter(person=person).count(),
    }


@pytest.fixture
def closed(rules, person, gp, nurse, person_user, outsider):
    """Jozef's dossier, full of records, closed on CLOSED_AT."""
    with time_machine.travel(CLOSED_AT - timedelta(days=30), tick=False):
        people_services.save_singleton(person_user, person, "own_words", version=0, life_goals="Stay home.")
        people_services.save_singleton(person_user, person, "own_words", version=1, life_goals="Stay home, with Mia.")
        section_row(person, "allergies")
        team_services.post_message(
            gp, person, category="medication", body="Check the pills?", addressees=[nurse], link="/"
        )
        ExclusionFactory(person=person, excluded=outsider)
        BreakGlassAccessFactory(person=person, actor=outsider, reason="Found unconscious", until=timezone.now())
    with time_machine.travel(CLOSED_AT, tick=False):
        person.refresh_from_db()
        services.close_dossier(
            gp, person, reason=Closure.Reason.DEATH, event_date=date(2027, 3, 9), version=person.version
        )
    return person


@pytest.fixture
def other(rules, gp):
    """Another person whose dossier stays open: nothing of theirs goes but old notifications."""
    with time_machine.travel(CLOSED_AT - timedelta(days=30), tick=False):
        person = PersonFactory(given_name="Mia", family_name="Claes")
        join_team(person, gp, is_coordinator=True)
        consent_for(person, recorded_by=gp)
        section_row(person, "allergies")
    return person


def test_nothing_closure_based_goes_before_its_period(closed, other):
    before = _counts(closed)
    assert before["sections"] == 2 and before["history"] == 2 and before["messages"] == 1 and before["handover"] == 1
    summary = purge_expired(now=_at(years=5, days=-1))
    after = _counts(closed)
    # Only the notifications, older than a year, have gone.
    assert {k: v for k, v in after.items() if v != before[k]} == {"notifications": 0}
    assert set(summary.totals()) == {"notifications"}


def test_after_five_years_the_content_goes_and_the_evidence_stays(closed, other):
    before = _counts(closed)
    other_before = _counts(other)
    audit_rows = AuditEntry.objects.count()
    summary = purge_expired(now=_at(years=5, days=1))
    after = _counts(closed)
    assert (after["sections"], after["history"], after["messages"], after["handover"]) == (0, 0, 0, 0)
    assert after["memberships"] == before["memberships"] == 4
    assert (after["consents"], after["exclusions"], after["break_glass"], after["closures"]) == (1, 1, 1, 1)
    closed.refresh_from_db()
    assert closed.family_name == "Wouters"
    # The open dossier keeps everything.
    assert _counts(other) == other_before
    # One audit row for the purge of Jozef's dossier, naming kinds, rows and rules; none removed.
    rows = list(AuditEntry.objects.filter(action="privacy.purged", person_id=closed.pk))
    # One for the closure's kinds, one for the notifications (counted from their own creation).
    assert len(rows) == 2
    purge_row = next(row for row in rows if "closure" in row.detail)
    kinds = purge_row.detail["kinds"]
    # Every kind counted from the closing is named, with what it removed (none of a plan here).
    assert set(kinds) == {"team_messages", "handover_items", "dossier_sections", "meetings", "care_plan"}
    assert kinds["care_plan"]["rows"] == kinds["meetings"]["rows"] == 0
    assert kinds["dossier_sections"]["rows"] == 5  # 2 rows + 3 history rows (own words twice, allergy once)
    assert kinds["dossier_sections"]["rule"].startswith("dossier_sections@")
    assert purge_row.actor_label == "system:purge_expired"
    assert AuditEntry.objects.count() == audit_rows + AuditEntry.objects.filter(action="privacy.purged").count()
    assert summary.totals()["team_messages"] == 3  # the message, its addressee and the author's read mark
    closure = Closure.objects.get(person=closed)
    assert closure.purged_at is not None and closure.purged_kinds == sorted(kinds)


def test_a_second_run_does_not_purge_or_log_again(closed):
    purge_expired(now=_at(years=5, days=1))
    rows = AuditEntry.objects.filter(action="privacy.purged").count()
    summary = purge_expired(now=_at(years=5, days=2))
    assert summary.persons == []
    assert AuditEntry.objects.filter(action="privacy.purged").count() == rows


def test_after_thirty_years_the_evidence_goes_and_the_identity_is_anonymised(closed):
    audit_ids = set(AuditEntry.objects.values_list("pk", flat=True))
    purge_expired(now=_at(years=30, days=1))
    after = _counts(closed)
    assert {k: v for k, v in after.items() if v} == {"closures": 1}  # the closure is kept
    closed.refresh_from_db()
    assert (closed.insz, closed.given_name, closed.birth_date, closed.account_id) == (None, "", None, None)
    assert closed.local_id.startswith("L-")  # the row stays for the access log to point at
    # The access log is never purged: every earlier row is still there.
    assert audit_ids <= set(AuditEntry.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "no tampering found" in out.getvalue()


def test_anonymising_clears_a_claimed_insz_and_its_link(closed, other):
    # As if the closed record had been registered with another person's INSZ.
    Person.objects.filter(pk=closed.pk).update(insz=None, claimed_insz=other.insz, possible_duplicate_of=other)
    purge_expired(now=_at(years=30, days=1))
    closed.refresh_from_db()
    assert (closed.insz, closed.claimed_insz, closed.possible_duplicate_of) == (None, "", None)


def test_a_dry_run_changes_nothing(closed):
    before = _counts(closed)
    audit_rows = AuditEntry.objects.count()
    summary = purge_expired(dry_run=True, now=_at(years=30, days=1))
    assert _counts(closed) == before
    assert AuditEntry.objects.count() == audit_rows
    assert Closure.objects.get(person=closed).purged_at is None
    totals = summary.totals()
    assert totals["dossier_sections"] == 5 and totals["identity"] == 1 and totals["team_memberships"] == 4


def test_a_reopened_dossier_is_not_purged(closed, zone_admin):
    closure = Closure.objects.get(person=closed)
    services.reopen_dossier(zone_admin, closed, closure_id=closure.public_id, note="Closed by mistake.")
    before = _counts(closed)
    purge_expired(now=_at(years=31))
    after = _counts(closed)
    assert {k: v for k, v in after.items() if v != before[k]} == {"notifications": 0}


def test_a_rule_that_keeps_is_never_purged(closed, rules):
    # Even with every period long past, the kinds whose rule says "keep" have no handler.
    assert {kind for kind, rule in rules.items() if rule.outcome == "keep"} == {"audit_log", "closures"}
    assert not {"audit_log", "closures"} & set(handlers())
    rows = AuditEntry.objects.count()
    purge_expired(now=_at(years=100))
    assert Closure.objects.filter(person=closed).count() == 1
    assert AuditEntry.objects.count() > rows  # only added to


def test_the_command_on_a_frozen_clock_prints_a_summary(closed):
    out = StringIO()
    with time_machine.travel(_at(years=5, days=1), tick=False):
        call_command("purge_expired", "--dry-run", stdout=out)
    assert "Dry run:" in out.getvalue() and "dossier_sections 5" in out.getvalue()
    assert OwnWords.objects.filter(person=closed).exists()
    out = StringIO()
    with time_machine.travel(_at(years=5, days=1), tick=False):
        call_command("purge_expired", stdout=out)
    assert "removed: care_plan 0, dossier_sections 5," in out.getvalue()
    assert "The access log is never purged." in out.getvalue()
    assert not OwnWords.objects.filter(person=closed).exists()
