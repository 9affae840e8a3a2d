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


def _key() -> bytes:
    if settings.AUDIT_HMAC_KEY:
        return settings.AUDIT_HMAC_KEY.encode()
    return hashlib.sha256(b"schakel-audit:" + settings.SECRET_KEY.encode()).digest()


def row_hash(values: dict[str, Any], prev_hash: str, key: bytes | None = None) -> str:
    content = {name: values[name] for name in HASHED_FIELDS}
    content["created_at"] = values["created_at"].isoformat(timespec="microseconds")
    payload = prev_hash + json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key or _key(), payload.encode(), hashlib.sha256).hexdigest()


def append(values: dict[str, Any]) -> AuditEntry:
    """Insert one audit row at the end of a randomly chosen chain. Call inside a transaction."""
    stream = random.randrange(settings.AUDIT_STREAMS)
    ChainHead.objects.get_or_create(stream=stream)
    head = ChainHead.objects.select_for_update().get(stream=stream)
    values = {**values, "stream": stream, "seq": head.seq + 1}
    entry = AuditEntry(**values, prev_hash=head.hash)
    entry.hash = row_hash(values, head.hash)
    entry.save(force_insert=True)
    ChainHead.objects.filter(stream=stream).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass(frozen=True)
class Finding:
    stream: int
    kind: str  # "altered", "inserted", "deleted", "head"
    message: str
    entry_id: int | None = None


def _values(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def verify() -> Iterator[Finding]:
    """Walk every chain and name each altered, inserted or deleted row."""
    key = _key()
    heads = {head.stream: head for head in ChainHead.objects.all()}
    streams = set(heads) | set(AuditEntry.objects.values_list("stream", flat=True).distinct())
    for stream in sorted(streams):
        expected_seq, expected_prev = 1, GENESIS
        rows = AuditEntry.objects.filter(stream=stream).order_by("seq", "id").iterator(chunk_size=5000)
        for entry in rows:
            if entry.seq < expected_seq:
                yield Finding(stream, "inserted", f"row {entry.id} repeats sequence number {entry.seq}", entry.id)
                continue
            if entry.seq > expected_seq:
                yield Finding(
                    stream,
                    "deleted",
                    f"rows {expected_seq}..{entry.seq - 1} are missing before row {entry.id}",
                    entry.id,
                )
            elif entry.prev_hash != expected_prev:
                yield Finding(stream, "inserted", f"row {entry.id} does not link to the row before it", entry.id)
            if row_hash(_values(entry), entry.prev_hash, key) != entry.hash:
                yield Finding(
                    stream, "altered", f"row {entry.id} (sequence {entry.seq}) was altered or forged", entry.id
                )
            expected_seq, expected_prev = entry.seq + 1, entry.hash
        head = heads.get(stream)
        last_seq = expected_seq - 1
        if head is None:
            yield Finding(stream, "head", "rows exist but the chain head is missing")
        elif head.seq > last_seq:
            yield Finding(stream, "deleted", f"the newest rows {last_seq + 1}..{head.seq} are missing")
        elif head.seq < last_seq:
            yield Finding(stream, "inserted", f"rows {head.seq + 1}..{last_seq} were added after the chain head")
        elif head.hash != expected_prev:
            yield Finding(stream, "altered", f"the newest row (sequence {last_seq}) does not match the chain head")
