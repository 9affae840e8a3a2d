"""The privacy app's person data in the registry (core.persondata): the closings of the dossier.
Registered by PrivacyConfig.ready()."""

from typing import Any

from core import persondata
from core.persondata import PersonData, iso
from privacy.models import Closure


def _closures(person: Any, ids: list[int]) -> list[Closure]:
    return list(Closure.objects.filter(person_id__in=ids).order_by("closed_at", "pk"))


def closure_json(c: Closure) -> dict[str, Any]:
    return {
        "reason": c.reason,
        "event_date": iso(c.event_date),
        "note": c.note,
        "closed_at": iso(c.closed_at),
        "reopened_at": iso(c.reopened_at),
        "reopen_note": c.reopen_note,
    }


def register() -> None:
    persondata.register(
        PersonData(
            Closure,
            # Both records are open (a closed dossier refuses the merge's writes); past closings
            # of the alias stay part of the person's story.
            merge=persondata.move(),
            purge=persondata.Purge("closures", "keep"),
            export=persondata.Export("closures", rows=_closures, as_json=closure_json),
            not_printed="a closed dossier is read-only and not printed for care; the closing is in the export",
        )
    )
