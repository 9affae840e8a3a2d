"""The retention rules as data: every rule has a legal source, the file is checked before it is
loaded, docs/privacy.md shows the same table, and the page shows the rules in force."""

import tomllib
from dataclasses import replace
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from conftest import client_for
from privacy import retention
from privacy.models import RetentionRule
from privacy.purge import by_last_change, handlers


def _raw() -> dict:
    with open(retention.FILE, "rb") as handle:
        return tomllib.load(handle)


def test_every_shipped_rule_has_a_legal_source_and_reasoning(rules):
    assert rules  # the fixture loaded the file
    for rule in RetentionRule.objects.all():
        assert all(rule.legal_source.get(lang, "").strip() for lang in ("en", "nl", "fr")), rule.kind
        assert all(rule.reasoning.get(lang) for lang in ("en", "nl", "fr")), rule.kind
        assert rule.years or rule.months, rule.kind


def test_every_kind_the_purge_knows_has_a_rule_and_every_rule_a_kind(rules):
    purgeable = {kind for kind, rule in rules.items() if rule.outcome != "keep"}
    assert purgeable == set(handlers()) | set(by_last_change())
    for kind, handler in handlers().items():
        assert rules[kind].outcome == handler.outcome
        assert rules[kind].counts_from == "closure"
    for kind in by_last_change():
        assert rules[kind].counts_from == "last_change"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["rules"]["consents"]["legal_source"].pop("nl"), "consents: legal_source needs"),
        (lambda d: d["rules"]["audit_log"].update(outcome="delete"), "audit_log: is never purged"),
        (lambda d: d["rules"]["closures"].update(outcome="anonymise"), "closures: is never purged"),
        (lambda d: d["rules"]["identity"].update(counts_from="birth"), "identity: counts_from"),
        (lambda d: d["rules"]["notifications"].update(years=0, months=0), "notifications: the period is empty"),
        (lambda d: d["rules"]["notifications"].update(months=14), "notifications: years must be"),
        (lambda d: d["rules"]["team_messages"]["reasoning"].pop("fr"), "team_messages: reasoning needs"),
        (lambda d: d["rules"].pop("break_glass"), "kinds differ"),
        (lambda d: d["rules"].update(sessions=dict(d["rules"]["notifications"])), "kinds differ"),
    ],
)
def test_a_bad_file_is_refused_and_loads_nothing(rules, change, problem):
    data = _raw()
    change(data)
    before = list(RetentionRule.objects.values_list("kind", "legal_source", "outcome"))
    with pytest.raises(ValidationError) as error:
        retention.load(retention.parse(data))
    assert any(problem in message for message in error.value.messages), error.value.messages
    assert list(RetentionRule.objects.values_list("kind", "legal_source", "outcome")) == before


def test_loading_follows_the_file(db):
    shipped = retention.read_file()
    out = StringIO()
    call_command("load_retention", stdout=out)
    assert "would load" in out.getvalue() and not RetentionRule.objects.exists()
    call_command("load_retention", "--apply", stdout=StringIO())
    assert RetentionRule.objects.count() == len(shipped.rules)
    assert {c.change for c in retention.plan(shipped)} == {"same"}


def test_docs_privacy_shows_the_table_of_the_file():
    text = (Path(settings.BASE_DIR) / "docs" / "privacy.md").read_text()
    between = text.split(retention.TABLE_START, 1)[1].split(retention.TABLE_END, 1)[0]
    assert between.strip() == retention.markdown_table(retention.read_file()).strip()


def test_docs_privacy_keeps_the_heading_for_the_export():
    text = (Path(settings.BASE_DIR) / "docs" / "privacy.md").read_text()
    assert "## Subject-access export and printed summary" in text


@pytest.mark.parametrize(
    ("start", "years", "months", "end"),
    [
        (datetime(2026, 1, 31), 0, 1, datetime(2026, 2, 28)),
        (datetime(2024, 2, 29), 5, 0, datetime(2029, 2, 28)),
        (datetime(2026, 11, 23), 1, 2, datetime(2028, 1, 23)),
    ],
)
def test_periods_are_calendar_years_and_months(start, years, months, end):
    assert retention.add_period(start, years, months) == end
    assert retention.subtract_period(end, years, months) <= start


def test_everyone_logged_in_reads_the_rules_in_their_language(rules, person_user, zone_admin):
    for user in (person_user, zone_admin):
        page = client_for(user).get(reverse("privacy:retention")).content.decode()
        assert "Dossier sections and their history" in page
        assert "former Civil Code art. 2262bis" in page
        assert "at least 30 years" in page  # the access log
    person_user.language = "nl"
    person_user.save(update_fields=["language"])
    page = client_for(person_user).get(reverse("privacy:retention")).content.decode()
    assert "Rubrieken van het dossier en hun geschiedenis" in page


def test_the_access_log_and_the_closings_stay_kept_whatever_their_registration_says(monkeypatch):
    """A registration edited to make the access log purgeable does not make it so: the file's
    check still refuses any outcome but "keep" for it."""
    from core import persondata

    real = persondata.purge_kinds()
    edited = {
        kind: [replace(found[0], purge=replace(found[0].purge, outcome="delete")), *found[1:]]
        if kind == "audit_log"
        else found
        for kind, found in real.items()
    }
    monkeypatch.setattr(persondata, "purge_kinds", lambda: edited)
    assert {"audit_log", "closures"} <= retention.always_kept()
