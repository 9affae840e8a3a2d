"""Each kind of tampering is detected and named, on SQLite and on PostgreSQL; on PostgreSQL the
database itself refuses to change or delete audit rows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import chain
from audit.models import AuditEntry, ChainHead
from audit.tests.conftest import tamper

FORGED_HASH = "f" * 64


def found(report: chain.Report) -> list[tuple[str, int | None, int | None]]:
    return [(finding.kind, finding.entry_id, finding.seq) for finding in report.findings]


def run_verify() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def forge(seq: int, prev_hash: str, reason: str = "granted") -> int:
    """Insert a row as someone without the HMAC key would: a plausible hash, but not the right one."""
    template = AuditEntry.objects.order_by("seq").first()
    assert template is not None
    values = {name: getattr(template, name) for name in chain.HASHED_FIELDS}
    values |= {"seq": seq, "reason": reason}
    forged_hash = chain.row_hash(values, prev_hash, key=b"a guessed key")
    tamper(
        "INSERT INTO audit_auditentry (stream, seq, created_at, event, action, person_id, actor_id, actor_label,"
        " actor_profile, acting_for_id, relationship, category, level, allowed, reason, request_id, detail,"
        " prev_hash, hash) SELECT stream, %s, created_at, event, action, person_id, actor_id, actor_label,"
        " actor_profile, acting_for_id, relationship, category, level, allowed, %s, request_id, detail, %s, %s"
        " FROM audit_auditentry WHERE id = %s",
        [seq, reason, prev_hash, forged_hash, template.id],
    )
    return AuditEntry.objects.get(stream=template.stream, seq=seq).id


def test_an_untouched_log_verifies_clean(chain_of_five):
    report = chain.verify()
    assert (report.findings, report.rows, report.chains) == ([], 5, 1)
    output, error = run_verify()
    assert error is None
    assert output == "5 rows in 1 chains verified, no tampering found.\n"


def test_rows_link_into_one_chain(chain_of_five):
    rows = chain_of_five
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == chain.GENESIS
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert ChainHead.objects.get(stream=0).seq == 5
    assert ChainHead.objects.get(stream=0).hash == rows[-1].hash


def test_an_altered_row_is_named(chain_of_five):
    middle = chain_of_five[2]
    assert (middle.allowed, middle.reason) == (True, "granted")
    # Turn an access into a refusal, as if nobody had looked.
    tamper("UPDATE audit_auditentry SET allowed = %s, reason = %s WHERE id = %s", [False, "matrix", middle.id])

    assert found(chain.verify()) == [("altered", middle.id, 3)]
    output, error = run_verify()
    assert f"altered: row {middle.id} (chain 0, sequence 3): its content differs from what was written" in output
    assert error is not None and error.returncode == 1
    assert str(error) == "1 finding(s) of tampering in 5 rows in 1 chains."


def test_an_altered_time_is_named(chain_of_five):
    """Moving a row in time (to hide when someone looked) is an alteration too."""
    middle = chain_of_five[1]
    tamper(
        "UPDATE audit_auditentry SET created_at = %s WHERE id = %s", [middle.created_at.replace(year=2001), middle.id]
    )
    assert found(chain.verify()) == [("altered", middle.id, 2)]


def test_a_deleted_row_is_named_by_the_row_after_the_gap(chain_of_five):
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [chain_of_five[2].id])

    report = chain.verify()
    assert found(report) == [("deleted", chain_of_five[3].id, 4)]
    assert report.findings[0].message == "the rows with sequence 3 before it are missing"
    output, error = run_verify()
    assert f"deleted: row {chain_of_five[3].id} (chain 0, sequence 4)" in output
    assert error is not None


def test_deleting_the_newest_rows_is_detected_through_the_chain_head(chain_of_five):
    tamper("DELETE FROM audit_auditentry WHERE seq >= %s", [4])

    report = chain.verify()
    assert found(report) == [("deleted", None, None)]
    assert str(report.findings[0]) == "deleted: chain 0: the newest rows, with sequence 4-5, are missing"
    assert run_verify()[1] is not None


def test_deleting_every_row_of_a_chain_is_detected(chain_of_five):
    tamper("DELETE FROM audit_auditentry")
    assert found(chain.verify()) == [("deleted", None, None)]


def test_a_row_forged_at_the_end_is_named(chain_of_five):
    forged = forge(6, chain_of_five[-1].hash)

    assert found(chain.verify()) == [("inserted", forged, 6)]
    output, error = run_verify()
    assert f"inserted: row {forged} (chain 0, sequence 6): it was never written by the audit log" in output
    assert error is not None


def test_a_row_forged_at_the_end_with_the_head_moved_along_is_named(chain_of_five):
    forged = forge(6, chain_of_five[-1].hash)
    tamper("UPDATE audit_chainhead SET seq = 6, hash = (SELECT hash FROM audit_auditentry WHERE id = %s)", [forged])
    # The head now points at the forged row, which fails its HMAC, and the head lost its seal.
    assert found(chain.verify()) == [("altered", forged, 6), ("head", None, None)]


def test_a_row_forged_in_the_middle_is_named_and_the_renumbered_rows_too(chain_of_five):
    """A duplicate sequence number is refused by the unique constraint, so a forger must make
    room by renumbering the rows after it, which alters them."""
    rows = chain_of_five
    for row in reversed(rows[2:]):
        tamper("UPDATE audit_auditentry SET seq = seq + 1 WHERE id = %s", [row.id])
    forged = forge(3, rows[1].hash)
    tamper("UPDATE audit_chainhead SET seq = 6")

    assert found(chain.verify()) == [
        ("inserted", forged, 3),
        ("altered", rows[2].id, 4),
        ("altered", rows[3].id, 5),
        ("altered", rows[4].id, 6),
        ("head", None, None),
    ]


def test_a_duplicate_sequence_number_is_refused_by_the_database(chain_of_five):
    with pytest.raises(DatabaseError), transaction.atomic():
        forge(3, chain_of_five[1].hash)


def test_an_altered_chain_head_is_named(chain_of_five):
    tamper("UPDATE audit_chainhead SET hash = %s", [FORGED_HASH])

    report = chain.verify()
    assert found(report) == [("head", None, None)]
    assert str(report.findings[0]) == "head: chain 0: the chain head (sequence 5) was changed outside the audit log"
    output, error = run_verify()
    assert "head: chain 0" in output and error is not None


def test_a_chain_head_moved_back_is_named(chain_of_five):
    """Moving the head back, to make the newest rows look appended later, does not match."""
    tamper("UPDATE audit_chainhead SET seq = 4")
    assert found(chain.verify()) == [("head", None, None)]


def test_deleting_the_newest_rows_and_moving_the_head_onto_the_new_last_row_is_named(chain_of_five):
    """Without the audit key the head cannot be resealed, so this is caught too."""
    third = chain_of_five[2]
    tamper("DELETE FROM audit_auditentry WHERE seq >= %s", [4])
    tamper("UPDATE audit_chainhead SET seq = 3, hash = %s", [third.hash])
    report = chain.verify()
    assert found(report) == [("head", None, None)]
    assert "changed outside the audit log" in report.findings[0].message


def test_a_head_that_does_not_match_its_row_is_named_even_when_sealed(chain_of_five):
    """Someone with the key but a wrong head (say, a restore gone wrong) is still told."""
    tamper("UPDATE audit_chainhead SET hash = %s, mac = %s", [FORGED_HASH, chain.head_mac(0, 5, FORGED_HASH)])
    assert [(f.kind, f.message) for f in chain.verify().findings] == [
        ("head", "the chain head (sequence 5) does not match its row")
    ]


def test_a_missing_chain_head_is_named(chain_of_five):
    tamper("DELETE FROM audit_chainhead")
    assert [(f.kind, f.message) for f in chain.verify().findings] == [
        ("head", "the chain has rows but its head is missing")
    ]


def test_rows_appended_while_verifying_are_not_mistaken_for_forgeries(chain_of_five, monkeypatch):
    """verify() reads the heads first and takes no lock; a row appended after that is genuine."""
    from audit import services

    heads = list(ChainHead.objects.all())
    services.log_event(chain_of_five[0].actor, "test.late", allowed=True, reason="granted")
    monkeypatch.setattr(ChainHead.objects, "all", lambda: heads)
    report = chain.verify()
    assert (report.findings, report.rows) == ([], 6)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_to_update_or_delete_audit_rows(chain_of_five):
    row = chain_of_five[2]
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        AuditEntry.objects.filter(pk=row.pk).update(reason="granted")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        AuditEntry.objects.filter(pk=row.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 5
    assert AuditEntry.objects.get(pk=row.pk).reason == row.reason
    assert chain.verify().findings == []


def test_every_column_of_an_audit_row_but_its_id_is_hashed_or_a_chain_link():
    """A column left out of the hash could be changed unseen, and one left out of STORED_FIELDS
    would be missing from the benchmark's bulk load."""
    columns = [field.attname for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    assert sorted(columns) == sorted(chain.STORED_FIELDS)
    assert len(set(chain.STORED_FIELDS)) == len(chain.STORED_FIELDS)
