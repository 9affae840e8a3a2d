"""The person-data registry: every model that holds data about a person, and what the merge, the
purge, the subject-access export and the printed summary do with its rows.

Each app registers its own models in its AppConfig.ready(), in the shape of the relationship
registry (access.relationships) and the handover registry (teams.handover):

    from core import persondata
    persondata.register(
        persondata.PersonData(
            Allergy,
            merge=persondata.move(),
            purge=persondata.Purge("dossier_sections", "delete"),
            export=persondata.Export("dossier", rows=..., as_json=..., category="medical"),
            printed="dossier",
            history=True,
        )
    )

The merge (people.services), the purge (privacy.purge), the export (privacy.export) and the
retention file's check (privacy.retention) read only this registry, so a new app's table is never
forgotten; core/tests/test_persondata.py fails for any model that reaches a person through a
foreign key and is not registered. `core` is the lowest layer: this module imports no other app,
the registrations bring their models and functions with them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass
class MergeOutcome:
    """What merging one registration did: rows moved per model name, and rows of the alias that
    did not survive as current data (a one-per-person section already on the target) with where
    their content went."""

    moved: dict[str, int] = field(default_factory=dict)
    replaced: list[dict[str, str]] = field(default_factory=list)


# (model registration, alias, target, actor) -> outcome; called inside the merge's transaction.
MergeFunction = Callable[["PersonData", Any, Any, "AbstractBaseUser"], MergeOutcome]


@dataclass(frozen=True)
class Merge:
    how: Literal["move", "follow", "custom", "stay"]
    reason: str = ""  # why, for "follow", "custom" and "stay"
    function: MergeFunction | None = None


def move() -> Merge:
    """The alias's rows (and their history rows) get the surviving person's id."""
    return Merge("move")


def follow(reason: str) -> Merge:
    """The rows hold no person id of their own: they hang on a row that moves."""
    return Merge("follow", reason)


def custom(function: MergeFunction, reason: str) -> Merge:
    """Rows with a uniqueness rule (one per person, one coordinator) move by their own rule."""
    return Merge("custom", reason, function)


def stay(reason: str) -> Merge:
    """The rows stay on the alias (the alias record itself, the append-only access log)."""
    return Merge("stay", reason)


@dataclass(frozen=True)
class Purge:
    """Which retention kind (privacy/retention.toml) covers the rows, and what the purge does when
    its period has run out. Several models may share a kind; they share its outcome."""

    kind: str
    outcome: Literal["delete", "anonymise", "keep"]
    # For "anonymise": the values that replace what identifies the person.
    anonymised: dict[str, Any] | None = None
    # For a kind counted from each row's own last change rather than from the closing of the
    # dossier: the field that holds that moment.
    last_change_field: str | None = None


@dataclass(frozen=True)
class Export:
    """Where the rows go in the subject-access export (the JSON key, also the PDF's part) and how.

    `rows(person, ids)` returns what the export holds for the person (ids: the person and every
    record merged into them), `as_json(row)` one row as JSON. With `category`, the rows are
    exported only when the requester may read that category. `single`: the part is one object
    (the person's identity) rather than a list. A model that is not exported gives `reason`.
    """

    part: str
    rows: Callable[[Any, list[int]], Iterable[Any]] | None = None
    as_json: Callable[[Any], Any] | None = None
    category: str | None = None
    single: bool = False
    reason: str = ""

    @property
    def exported(self) -> bool:
        return self.rows is not None


def not_exported(reason: str) -> Export:
    return Export("", reason=reason)


@dataclass(frozen=True)
class PersonData:
    model: type[models.Model]
    merge: Merge
    purge: Purge
    export: Export
    # Where the printed summary (people.printing) shows the rows: "dossier", "care_team", or ""
    # with `not_printed` saying why not.
    printed: str = ""
    not_printed: str = ""
    # The lookup from the model to the person ("person", "message__person"; "pk" for the person).
    person_path: str = "person"
    # The model keeps a django-simple-history table (Model.history) whose rows hold the person
    # id too: they are merged and purged with the rows, so the history follows the data.
    history: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def history_model(self) -> type[models.Model] | None:
        return self.model.history.model if self.history else None  # type: ignore[attr-defined]  # django-simple-history adds `history` to the model

    def rows(self, person_ids: Iterable[int]) -> models.QuerySet[Any]:
        """The model's rows for these persons."""
        return self.model._default_manager.filter(**{f"{self.person_path}__in": list(person_ids)})

    def history_rows(self, person_ids: Iterable[int]) -> models.QuerySet[Any] | None:
        history = self.history_model
        if history is None:
            return None
        return history._default_manager.filter(**{f"{self.person_path}__in": list(person_ids)})


_REGISTRY: dict[str, PersonData] = {}


def register(data: PersonData) -> None:
    if data.merge.how == "move" and data.person_path != "person":
        raise ValueError(f"{data.label}: only rows with their own person field can be moved")
    if data.printed == "" and not data.not_printed:
        raise ValueError(f"{data.label}: say where the summary prints it or why it does not")
    if not data.export.exported and not data.export.reason:
        raise ValueError(f"{data.label}: say how it is exported or why it is not")
    if data.merge.how != "move" and not data.merge.reason:
        raise ValueError(f"{data.label}: say why its rows are not simply moved")
    _REGISTRY[data.label] = data


def registered() -> list[PersonData]:
    """Every registration, in registration order (the apps' order in INSTALLED_APPS)."""
    return list(_REGISTRY.values())


def registration_for(model: type[models.Model]) -> PersonData | None:
    return _REGISTRY.get(model._meta.label)


def claimed_models() -> set[type[models.Model]]:
    """The registered models and their history models."""
    claimed: set[type[models.Model]] = set()
    for data in _REGISTRY.values():
        claimed.add(data.model)
        if data.history_model is not None:
            claimed.add(data.history_model)
    return claimed


def purge_kinds() -> dict[str, list[PersonData]]:
    """The registrations per retention kind, those reached through another row first (a message's
    read marks before the message), so a deletion never meets a protected dependant."""
    kinds: dict[str, list[PersonData]] = {}
    for data in _REGISTRY.values():
        kinds.setdefault(data.purge.kind, []).append(data)
    for kind, found in kinds.items():
        outcomes = {data.purge.outcome for data in found}
        if len(outcomes) != 1:
            raise ValueError(f"{kind}: the models of one kind must share an outcome, not {sorted(outcomes)}")
        found.sort(key=lambda data: -data.person_path.count("__"))
    return kinds


def export_parts() -> dict[str, list[PersonData]]:
    """The exported registrations per part of the export, in registration order."""
    parts: dict[str, list[PersonData]] = {}
    for data in _REGISTRY.values():
        if data.export.exported:
            parts.setdefault(data.export.part, []).append(data)
    return parts


# ── helpers for the registrations ───────────────────────────────────────────────────────────


def iso(value: Any) -> str | None:
    """A date, time or moment as ISO 8601 in the export; None stays None."""
    return value.isoformat() if value is not None else None


def name(user: object | None) -> str | None:
    return str(user) if user is not None else None


def period(row: Any) -> dict[str, str | None]:
    return {"since": iso(row.since), "until": iso(row.until)}


def merge_rows(data: PersonData, alias: Any, target: Any, actor: "AbstractBaseUser") -> MergeOutcome:
    """Merge one registration's rows of the alias into the target, as the registration says."""
    if data.merge.how == "custom":
        assert data.merge.function is not None
        return data.merge.function(data, alias, target, actor)
    if data.merge.how != "move":
        return MergeOutcome()
    return move_rows(data, alias, target)


def move_rows(data: PersonData, alias: Any, target: Any) -> MergeOutcome:
    """Give the alias's rows, and their history rows, the target's id. An update, not a save:
    moving a row is no change to its content, so it writes no new history row."""
    outcome = MergeOutcome()
    outcome.moved[data.model.__name__] = data.model._default_manager.filter(person=alias).update(person=target)
    history = data.history_model
    if history is not None:
        outcome.moved[history.__name__] = history._default_manager.filter(person=alias).update(person=target)
    return outcome
