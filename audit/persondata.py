"""The audit app's person data in the registry (core.persondata): the access log. Registered by
AuditConfig.ready()."""

from typing import Any

from audit import queries
from audit.models import AuditEntry
from core import persondata
from core.persondata import PersonData, iso, name


def _log(person: Any, ids: list[int]) -> list[AuditEntry]:
    # The person's log already reads the rows of every record merged into them.
    return list(queries.person_log(person))


def log_json(row: AuditEntry) -> dict[str, Any]:
    return {
        "when": iso(row.created_at),
        "who": row.actor_label,
        "role": row.actor_profile or None,
        "acting_for": name(row.acting_for) if row.acting_for_id else None,
        "event": row.event,
        "action": row.action,
        "category": row.category or None,
        "level": row.level or None,
        "allowed": row.allowed,
        "reason": row.reason,
    }


def register() -> None:
    persondata.register(
        PersonData(
            AuditEntry,
            merge=persondata.stay(
                "the access log is append-only and hash-chained; the person's log reads the rows of "
                "both records (audit.queries.person_log)"
            ),
            purge=persondata.Purge("audit_log", "keep"),
            export=persondata.Export("access_log", rows=_log, as_json=log_json),
            not_printed="the access log has its own page; the summary prints the dossier",
        )
    )
