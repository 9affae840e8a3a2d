"""Hash chains over audit rows, and their verification.

Rows are spread over AUDIT_STREAMS independent chains. Appending locks only the head of one
chain (a row lock on PostgreSQL), so concurrent writers do not queue behind one global lock,
and reading a log never takes a lock at all. Each row's hash is an HMAC of its content and the
previous row's hash, under a key kept outside the database.
"""

import hashlib
import hmac
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from audit.models import AuditEntry, ChainHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "stream",
    "seq",
    "created_at",
    "event",
    "action",
    "person_id",
    "actor_id",
    "actor_label",
    "actor_profile",
    "acting_for_id",
    "relationship",
    "category",
    "level",
    "allowed",
    "reason",
    "request_id",
    "detail",
)
# Every column of a row but its id: the hashed content and the links of its chain. A bulk loader
# (the benchmark's COPY) writes exactly these.
STORED_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")


def _key() -> bytes:
    if settings.AUDIT_HMAC_KEY:
        return settings.AUDIT_HMAC_KEY.encode()
    return hashlib.sha256(b"schakel-audit:" + settings.SECRET_KEY.encode()).digest()


def row_hash(values: dict[str, Any], prev_hash: str, key: bytes | None = None) -> str:
    content = {name: values[name] for name in HASHED_FIELDS}
    content["created_at"] = values["created_at"].isoformat(timespec="microseconds")
    payload = prev_hash + json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key or _key(), payload.encode(), hashlib.sha256).hexdigest()


def head_mac(stream: int, seq: int, hash_: str, key: bytes | None = None) -> str:
    """The keyed seal of a chain head (an empty, never-used head has none)."""
    return hmac.new(key or _key(), f"head:{stream}:{seq}:{hash_}".encode(), hashlib.sha256).hexdigest()


def _locked_head(stream: int) -> ChainHead:
    """Lock one chain's head row (created on first use; a concurrent creator wins the race)."""
    try:
        return ChainHead.objects.select_for_update().get(stream=stream)
    except ChainHead.DoesNotExist:
        ChainHead.objects.get_or_create(stream=stream)
        return ChainHead.objects.select_for_update().get(stream=stream)


def _stream_for_this_transaction() -> int:
    """A random chain, the same one for every row one transaction writes.

    A transaction that logs twice (a merge logs on both records) must not lock a second head:
    two such transactions holding one head each and waiting for the other's would deadlock on
    PostgreSQL. The choice is forgotten when the transaction commits; after a rollback the next
    transaction on this connection reuses it once, which is harmless.
    """
    connection = transaction.get_connection()
    stream = getattr(connection, "schakel_audit_stream", None)
    if stream is None:
        stream = random.randrange(settings.AUDIT_STREAMS)
        connection.schakel_audit_stream = stream
    transaction.on_commit(lambda: setattr(connection, "schakel_audit_stream", None))
    return stream


def append(values: dict[str, Any]) -> AuditEntry:
    """Insert one audit row at the end of a randomly chosen chain. Call inside a transaction."""
    return append_many([values])[0]


def append_many(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Insert rows, in order, at the end of one randomly chosen chain. Call inside a transaction.

    One head lock, one INSERT and one head update for them all: each row is still chained to the
    one before it and hashed on its own, exactly as if appended one by one, so verification does
    not know the difference; only the cost of the lock and the round trips is shared.
    """
    if not rows:
        return []
    stream = _stream_for_this_transaction()
    head = _locked_head(stream)
    key = _key()
    seq, prev = head.seq, head.hash
    entries = []
    for values in rows:
        seq += 1
        values = {**values, "stream": stream, "seq": seq}
        entry = AuditEntry(**values, prev_hash=prev)
        entry.hash = prev = row_hash(values, prev, key)
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries)
    ChainHead.objects.filter(stream=stream).update(seq=seq, hash=prev, mac=head_mac(stream, seq, prev, key))
    return entries


@dataclass(frozen=True)
class Finding:
    """One piece of evidence of tampering, naming the row (or the chain head) concerned."""

    stream: int
    kind: str  # "altered", "inserted", "deleted" or "head"
    message: str
    entry_id: int | None = None
    seq: int | None = None

    def __str__(self) -> str:
        where = f"chain {self.stream}"
        if self.entry_id is not None:
            where = f"row {self.entry_id} (chain {self.stream}, sequence {self.seq})"
        return f"{self.kind}: {where}: {self.message}"


@dataclass
class Report:
    """What verify() found, and how much it looked at."""

    findings: list[Finding]
    rows: int = 0
    chains: int = 0

    @property
    def clean(self) -> bool:
        return not self.findings


def _values(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def _with_next(rows: Iterator[AuditEntry]) -> Iterator[tuple[AuditEntry, AuditEntry | None]]:
    previous = None
    for row in rows:
        if previous is not None:
            yield previous, row
        previous = row
    if previous is not None:
        yield previous, None


def _verify_chain(stream: int, head: ChainHead | None, key: bytes, report: Report) -> None:
    """Walk one chain in sequence order.

    A row whose HMAC fails was altered if the chain still points at it (the next row's
    prev_hash, or the head, holds its hash) and was inserted if nothing points at it. A gap in
    the sequence numbers means deleted rows; a head ahead of the last row means the newest rows
    were deleted. Rows beyond the head that verify were appended while this walk ran (the heads
    are read first, so a live system is checked without a lock).
    """
    findings = report.findings
    expected_seq = 1
    head_row: AuditEntry | None = None
    last_seq = 0
    rows = AuditEntry.objects.filter(stream=stream).order_by("seq", "id").iterator(chunk_size=5000)
    for entry, following in _with_next(rows):
        report.rows += 1
        if entry.seq < expected_seq:
            findings.append(
                Finding(stream, "inserted", "it repeats the sequence number of another row", entry.id, entry.seq)
            )
            continue
        if entry.seq > expected_seq:
            missing = _range(expected_seq, entry.seq - 1)
            findings.append(
                Finding(
                    stream, "deleted", f"the rows with sequence {missing} before it are missing", entry.id, entry.seq
                )
            )
        if row_hash(_values(entry), entry.prev_hash, key) != entry.hash:
            if following is not None:
                pointed_at = following.prev_hash == entry.hash
            else:
                pointed_at = head is not None and head.hash == entry.hash
            if pointed_at:
                findings.append(
                    Finding(stream, "altered", "its content differs from what was written", entry.id, entry.seq)
                )
            else:
                findings.append(
                    Finding(stream, "inserted", "it was never written by the audit log", entry.id, entry.seq)
                )
        if head is not None and entry.seq == head.seq:
            head_row = entry
        expected_seq = last_seq = entry.seq
        expected_seq += 1
    if head is not None and (head.seq or head.mac) and head.mac != head_mac(stream, head.seq, head.hash, key):
        # Not sealed with the key: the head was moved by hand, e.g. back onto a new last row
        # after the newest rows were deleted. Nothing it says can be trusted.
        findings.append(
            Finding(stream, "head", f"the chain head (sequence {head.seq}) was changed outside the audit log")
        )
    elif head is None:
        if last_seq:
            findings.append(Finding(stream, "head", "the chain has rows but its head is missing"))
    elif head.seq > last_seq:
        missing = _range(last_seq + 1, head.seq)
        findings.append(Finding(stream, "deleted", f"the newest rows, with sequence {missing}, are missing"))
    elif head.hash != (head_row.hash if head_row else GENESIS):
        findings.append(Finding(stream, "head", f"the chain head (sequence {head.seq}) does not match its row"))


def _range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def verify() -> Report:
    """Walk every chain and name each altered, inserted or deleted row (manage.py verify_audit).

    Reads only: no lock is taken, so it may run while the system is in use.
    """
    key = _key()
    heads = {head.stream: head for head in ChainHead.objects.all()}
    streams = set(heads) | set(AuditEntry.objects.values_list("stream", flat=True).distinct())
    report = Report(findings=[], chains=len(streams))
    for stream in sorted(streams):
        _verify_chain(stream, heads.get(stream), key, report)
    return report
