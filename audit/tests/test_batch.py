"""Rows logged in one batch (the dossier page's reads) are chained and hashed one by one, as if
appended singly: verification cannot tell them apart, and tampering with one is still named."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from access.gate import Decision
from accounts.tests.factories import UserFactory
from audit import chain, services
from audit.models import AuditEntry
from audit.tests.conftest import tamper


def granted(category: str) -> Decision:
    return Decision(True, "granted", category, "read", "team", "gp")


def test_a_batch_continues_the_chain_row_by_row_and_verifies_clean(one_chain, person):
    actor = UserFactory(full_name="Dr. Batch")
    services.log_event(actor, "test.before", allowed=True, reason="granted")
    rows = services.log_decisions(
        actor, person, [(granted(c), "test.read", AuditEntry.Event.ACCESS) for c in ("team", "medical", "acp")]
    )
    services.log_event(actor, "test.after", allowed=True, reason="granted")

    assert [row.category for row in rows] == ["team", "medical", "acp"]
    stored = list(AuditEntry.objects.order_by("seq"))
    assert [row.seq for row in stored] == [1, 2, 3, 4, 5]
    assert [row.prev_hash for row in stored[1:]] == [row.hash for row in stored[:-1]]
    report = chain.verify()
    assert (report.findings, report.rows) == ([], 5)


def test_a_batch_takes_one_head_lock_and_one_insert(one_chain, person):
    actor = UserFactory()
    decisions = [(granted(c), "test.read", AuditEntry.Event.ACCESS) for c in ("team", "situation", "medication")]
    with CaptureQueriesContext(connection) as queries:
        services.log_decisions(actor, person, decisions)
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum('INSERT INTO "audit_auditentry"' in statement for statement in sql) == 1
    assert sum('UPDATE "audit_chainhead"' in statement for statement in sql) == 1
    assert AuditEntry.objects.count() == 3


def test_an_altered_row_of_a_batch_is_named(one_chain, person):
    actor = UserFactory()
    rows = services.log_decisions(
        actor, person, [(granted(c), "test.read", AuditEntry.Event.ACCESS) for c in ("team", "medical", "acp")]
    )
    tamper("UPDATE audit_auditentry SET category = 'identity' WHERE id = %s", [rows[1].id])
    report = chain.verify()
    assert [(f.kind, f.entry_id, f.seq) for f in report.findings] == [("altered", rows[1].id, 2)]


def test_a_batch_logged_inside_a_transaction_is_committed_after_it_even_on_rollback(one_chain, person):
    actor = UserFactory()

    class Rollback(Exception):
        pass

    with services.independent_writes():
        try:
            with transaction.atomic():
                written = services.log_decisions(
                    actor, person, [(granted(c), "test.read", AuditEntry.Event.ACCESS) for c in ("team", "acp")]
                )
                assert written == [] and not AuditEntry.objects.exists()  # deferred, not lost
                raise Rollback
        except Rollback:
            pass
    assert list(AuditEntry.objects.order_by("seq").values_list("category", flat=True)) == ["team", "acp"]
    assert chain.verify().clean


def test_an_empty_batch_writes_nothing(person):
    actor = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert services.log_decisions(actor, person, []) == []
    assert len(queries) == 0
