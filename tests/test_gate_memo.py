"""Within a request the gate reads relationships, consent, exclusions and the matrix once; a
change logged in the same request makes it read them again."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from access import gate
from access.tests.factories import ExclusionFactory
from audit import services as audit
from core import memo
from core.vocab import Category, Level


def test_a_second_decision_in_one_request_reads_nothing(person, nurse):
    with memo.request_memo():
        gate.decide(nurse, person, Category.MEDICATION, Level.READ)
        with CaptureQueriesContext(connection) as queries:
            decision = gate.decide(nurse, person, Category.SITUATION, Level.WRITE)
    assert decision.allowed
    assert len(queries) == 0


def test_a_logged_change_makes_the_gate_read_again(person, nurse, person_user):
    with memo.request_memo():
        assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).allowed
        with transaction.atomic():
            ExclusionFactory(person=person, excluded=nurse)
            audit.log_change(person_user, person, "access.user_excluded", category=Category.ACP)
        assert gate.decide(nurse, person, Category.MEDICATION, Level.READ).reason == "excluded"


def test_outside_a_request_nothing_is_remembered(person, nurse):
    gate.decide(nurse, person, Category.MEDICATION, Level.READ)
    with CaptureQueriesContext(connection) as queries:
        gate.decide(nurse, person, Category.MEDICATION, Level.READ)
    assert len(queries) > 0
