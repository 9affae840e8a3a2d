"""The Goal Attainment Scaling pages and API: the coordinator sets a scale and scores; the person
and a caregiver read the chart and its table; a caregiver cannot score; a goal of another person
is not found through this person's URL; the API's ETag / If-Match; the overview's query count does
not grow with the number of goals."""

import json
import uuid
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from conftest import client_for
from core.actions import Action
from people.tests.factories import PersonFactory
from plans.gas import queries
from plans.models import Goal, GoalScale, GoalScore
from plans.tests.factories import goal
from plans.tests.gas_factories import STAIRS, score, set_scale

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_language():
    return "en"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 3, 2, 11, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def stairs(person, gp):
    return goal(person, gp)


def _scale_url(name, person, goal_):
    return reverse(f"plans:{name}", args=[person.public_id, goal_.public_id])


def _scale_form(baseline="-1", version="0", **extra):
    fields = dict(zip(GoalScale.LEVEL_FIELDS, STAIRS, strict=True))
    return {**fields, "baseline": baseline, "baseline_on": "2026-01-05", "version": version, **extra}


def test_the_coordinator_sets_a_scale_scores_and_sees_the_t_score(person, gp, stairs):
    client = client_for(gp)
    page = client.get(_scale_url("gas-scale", person, stairs))
    assert page.status_code == 200 and "Set the scale" in page.content.decode()

    saved = client.post(_scale_url("gas-scale-edit", person, stairs), _scale_form())
    assert saved.status_code == 302
    scored = client.post(
        _scale_url("gas-score", person, stairs), {"scored_on": "2026-02-02", "score": "1", "note": "Alleen, overdag"}
    )
    assert scored.status_code == 302
    assert list(GoalScore.objects.values_list("score", "scored_on")) == [(1, date(2026, 2, 2))]

    body = client.get(reverse("plans:gas-overview", args=[person.public_id])).content.decode()
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="gas-t-chart-title gas-t-chart-desc"'
        in body
    )
    assert '<title id="gas-t-chart-title">T-score per review date</title>' in body
    # The table holds the chart's figures: the baseline (one goal at -1: 40) and the review (+1: 60).
    assert '<th scope="row">At the start (baseline)</th><td>40.00</td>' in body
    assert '<th scope="row">02/02/2026</th><td>60.00</td><td>1</td>' in body
    assert "style=" not in body and "<script>" not in body


def test_the_goal_page_shows_the_level_chart_the_table_and_every_version(person, gp, stairs):
    set_scale(gp, stairs, baseline=-1)
    score(gp, stairs, 0, date(2026, 2, 1))
    set_scale(gp, stairs, baseline=-2, reason="Na de val in februari")
    body = client_for(gp).get(_scale_url("gas-scale", person, stairs)).content.decode()
    assert '<title id="gas-level-chart-title">' in body
    assert "Version 2" in body and "Version 1" in body
    assert "Changed after a follow-up score. Reason: Na de val in februari" in body
    assert STAIRS[2] in body  # the old version keeps its texts and its score


def test_a_caregiver_reads_the_scale_but_cannot_score_or_change_it(person, gp, caregiver, stairs):
    set_scale(gp, stairs)
    client = client_for(caregiver)
    page = client.get(_scale_url("gas-scale", person, stairs))
    assert page.status_code == 200
    assert 'name="score"' not in page.content.decode()
    refused = client.post(_scale_url("gas-score", person, stairs), {"scored_on": "2026-02-02", "score": "1"})
    assert refused.status_code == 403
    assert client.get(_scale_url("gas-scale-edit", person, stairs)).status_code == 403
    assert client.post(_scale_url("gas-scale-edit", person, stairs), _scale_form(version="1")).status_code == 403
    assert not GoalScore.objects.exists()
    assert GoalScale.objects.get().baseline == -1


def test_a_goal_of_another_person_is_not_found_through_this_persons_url(person, gp, stairs):
    """The GP coordinates this person's team, not the other's: the other person's goal answers
    exactly as an id that exists nowhere, both refusals are in the access log, nothing changes."""
    other = PersonFactory()
    theirs = Goal.objects.create(person=other, title="Boodschappen doen")
    client = client_for(gp)
    refused = AuditEntry.objects.filter(actor_id=gp.pk, allowed=False)
    for name, method, data in (
        ("gas-scale", "get", None),
        ("gas-scale-edit", "post", _scale_form()),
        ("gas-score", "post", {"scored_on": "2026-02-02", "score": "1"}),
    ):
        before = refused.count()
        url = reverse(f"plans:{name}", args=[person.public_id, theirs.public_id])
        response = getattr(client, method)(url, data) if data else client.get(url)
        unknown = reverse(f"plans:{name}", args=[person.public_id, uuid.uuid4()])
        unknown_response = getattr(client, method)(unknown, data) if data else client.get(unknown)
        assert (response.status_code, unknown_response.status_code) == (404, 404)
        assert response.content == unknown_response.content
        assert refused.count() == before + 2
    assert not GoalScale.objects.filter(goal=theirs).exists()


def test_the_api_reads_and_sets_a_scale_with_if_match_and_scores(person, gp, stairs):
    client = client_for(gp)
    url = f"/api/plans/persons/{person.public_id}/goals/{stairs.public_id}/scale"
    read = client.get(url)
    assert (read.status_code, read["ETag"], read.json()["scale"]) == (200, 'W/"0"', None)
    body = {
        "levels": dict(zip(["-2", "-1", "0", "+1", "+2"], STAIRS, strict=True)),
        "baseline": -1,
        "baseline_on": "2026-01-05",
    }
    assert client.put(url, json.dumps(body), content_type="application/json").status_code == 428
    saved = client.put(url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH='W/"0"')
    assert (saved.status_code, saved["ETag"], saved.json()["scale"]["levels"]["+2"]) == (200, 'W/"1"', STAIRS[4])
    stale = client.put(url, json.dumps({**body, "baseline": 0}), content_type="application/json", HTTP_IF_MATCH='W/"0"')
    assert stale.status_code == 412
    assert GoalScale.objects.get().baseline == -1

    scores = url + "/scores"
    first = client.post(scores, json.dumps({"scored_on": "2026-02-02", "score": 1}), content_type="application/json")
    assert first.status_code == 201
    again = client.post(scores, json.dumps({"scored_on": "2026-02-02", "score": 2}), content_type="application/json")
    assert again.status_code == 412
    changed = client.post(
        scores,
        json.dumps({"scored_on": "2026-02-02", "score": 2}),
        content_type="application/json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert (changed.status_code, changed.json()["score"], changed.json()["version"]) == (200, 2, 2)
    bad = client.post(scores, json.dumps({"scored_on": "2026-02-03", "score": 5}), content_type="application/json")
    assert bad.status_code == 422

    overview = client.get(f"/api/plans/persons/{person.public_id}/goal-attainment").json()
    assert overview["reviews"] == [{"reviewed_on": "2026-02-02", "t_score": 70.0, "goals_scored": 1}]
    assert overview["baseline_t_score"] == 40.0


def test_a_caregiver_cannot_score_through_the_api(person, gp, caregiver, stairs):
    set_scale(gp, stairs)
    url = f"/api/plans/persons/{person.public_id}/goals/{stairs.public_id}/scale/scores"
    response = client_for(caregiver).post(
        url, json.dumps({"scored_on": "2026-02-02", "score": 1}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not GoalScore.objects.exists()


def _overview_queries(client, person) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("plans:gas-overview", args=[person.public_id])).status_code == 200
    return len(captured.captured_queries)


def test_the_overview_reads_as_many_queries_for_five_goals_as_for_one(person, gp):
    client = client_for(gp)
    for index in range(5):
        made = goal(person, gp, title=f"Doel {index}")
        set_scale(gp, made, baseline=-1)
        score(gp, made, index % 3 - 1, date(2026, 2, 1))
        score(gp, made, 1, date(2026, 2, 20))
        if index == 0:
            client.get(reverse("plans:gas-overview", args=[person.public_id]))  # warm the session
            with_one = _overview_queries(client, person)
    assert _overview_queries(client, person) == with_one


def test_the_plan_summary_shows_each_goals_level_against_its_baseline_and_the_latest_t(person, gp, stairs):
    set_scale(gp, stairs, baseline=-1)
    score(gp, stairs, 1, date(2026, 2, 2))
    market = goal(person, gp, title="Naar de markt")
    html = render_to_string("plans/gas/_summary.html", {"gas": queries.plan_summary(gp, person), "person": person})
    assert "Latest T-score: <strong>60.00</strong>" in html
    assert "now +1, at the start −1" in html
    assert f"{market.title}</a>:\n      no scale yet" in html
    assert AuditEntry.objects.filter(actor_id=gp.pk, action=Action.PLANS_GAS_VIEWED, allowed=True).exists()


def test_no_score_no_t(person, gp, stairs):
    set_scale(gp, stairs)
    summary = queries.plan_summary(gp, person)
    assert (summary.latest, summary.reviews) == (None, [])
    html = render_to_string("plans/gas/_summary.html", {"gas": summary, "person": person})
    assert "T-score: no score yet." in html
