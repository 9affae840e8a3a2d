"""The access app's person data in the registry (core.persondata): the rights a person grants or
that are recorded for them, and emergency accesses. Registered by AccessConfig.ready()."""

from typing import Any

from django.db import models

from access.models import BreakGlassAccess, Consent, Exclusion, Mandate, Representation
from core import persondata
from core.persondata import PersonData, name, period
from core.vocab import Category

_NOT_PRINTED = (
    "the summary is the dossier and its team, for care at home; rights are on their own pages and in the export"
)


def _rows(model: type[models.Model], *related: str) -> Any:
    def rows(person: Any, ids: list[int]) -> list[Any]:
        return list(model._default_manager.filter(person_id__in=ids).select_related(*related).order_by("since", "pk"))

    return rows


def consent_json(c: Consent) -> dict[str, Any]:
    return {
        "basis": c.basis,
        "legal_basis": c.legal_basis,
        "holder": name(c.holder),
        "categories": c.categories,
        "given_by": c.given_by,
        "recorded_by": name(c.recorded_by),
        "withdrawn_by": name(c.withdrawn_by),
        **period(c),
    }


def exclusion_json(e: Exclusion) -> dict[str, Any]:
    return {"excluded": name(e.excluded), "recorded_by": name(e.recorded_by), **period(e)}


def mandate_json(m: Mandate) -> dict[str, Any]:
    return {
        "holder": name(m.holder),
        "categories": m.categories,
        "granted_by": name(m.granted_by),
        "revoked_by": name(m.revoked_by),
        **period(m),
    }


def representation_json(r: Representation) -> dict[str, Any]:
    return {
        "representative": name(r.representative),
        "legal_ground": r.legal_ground,
        "recorded_by": name(r.recorded_by),
        **period(r),
    }


def emergency_access_json(b: BreakGlassAccess) -> dict[str, Any]:
    return {"who": name(b.actor), "reason": b.reason, **period(b)}


def register() -> None:
    access_rights = persondata.Purge("access_rights", "delete")
    for model, purge, part, related, as_json in (
        (
            Consent,
            persondata.Purge("consents", "delete"),
            "consents",
            ("recorded_by", "holder", "withdrawn_by"),
            consent_json,
        ),
        (Exclusion, access_rights, "exclusions", ("recorded_by", "excluded"), exclusion_json),
        (Mandate, access_rights, "mandates", ("holder", "granted_by", "revoked_by"), mandate_json),
        (Representation, access_rights, "representations", ("recorded_by", "representative"), representation_json),
    ):
        persondata.register(
            PersonData(
                model,
                # Combined on the surviving record: an exclusion recorded on the alias blocks there too.
                merge=persondata.move(),
                purge=purge,
                export=persondata.Export(part, rows=_rows(model, *related), as_json=as_json),
                not_printed=_NOT_PRINTED,
            )
        )
    persondata.register(
        PersonData(
            BreakGlassAccess,
            merge=persondata.move(),
            purge=persondata.Purge("break_glass", "delete"),
            # Who opened the dossier in an emergency, and why (ACC-04); read with the identity.
            export=persondata.Export(
                "emergency_access",
                rows=_rows(BreakGlassAccess, "actor"),
                as_json=emergency_access_json,
                category=Category.IDENTITY.value,
            ),
            not_printed=_NOT_PRINTED,
        )
    )
