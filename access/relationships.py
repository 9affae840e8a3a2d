"""The registry of relationship kinds. A relationship is what ties a user to a person (being the
person, representing them, a mandate, a care-team membership, a break-the-glass grant, and later
a hospital stay or a referral). Each app registers its own kinds in its AppConfig.ready(), so the
gate never needs to know the apps that come after it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import QuerySet

from core.vocab import Level

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Person


@dataclass(frozen=True)
class Relationship:
    kind: str  # the registered kind's code
    profile: str  # the matrix row this relationship reads with
    categories: frozenset[str] | None = None  # None: whatever the matrix allows
    max_level: str = Level.WRITE
    needs_consent: bool = True  # False for the person, their representative, emergencies
    acting_for_id: int | None = None  # the responsible user (NEN 7513) for a mandate
    is_coordinator: bool = False
    until: datetime | None = None

    def covers(self, category: str, level: str) -> bool:
        if self.categories is not None and category not in self.categories:
            return False
        return Level(self.max_level).covers(Level(level))


class RelationshipKind(Protocol):
    code: str

    def find(self, actor: "User", person: "Person", now: datetime) -> Iterable[Relationship]:
        """The actor's active relationships of this kind with the person."""
        ...

    def person_ids(self, actor: "User", now: datetime) -> QuerySet[Any]:
        """Ids of the persons the actor has an active relationship of this kind with."""
        ...


_KINDS: dict[str, RelationshipKind] = {}


def register(kind: RelationshipKind) -> None:
    _KINDS[kind.code] = kind


def kinds() -> list[RelationshipKind]:
    return list(_KINDS.values())


def kind_label(code: str) -> str:
    """The translated name of a registered kind ("care-team membership"), for explanations."""
    kind = _KINDS.get(code)
    return str(getattr(kind, "label", code)) if kind else code


def active_relationships(actor: "User", person: "Person", now: datetime) -> list[Relationship]:
    found: list[Relationship] = []
    for kind in _KINDS.values():
        found.extend(kind.find(actor, person, now))
    return found


def related_person_ids(actor: "User", now: datetime) -> set[int]:
    ids: set[int] = set()
    for kind in _KINDS.values():
        ids.update(kind.person_ids(actor, now))
    return ids
