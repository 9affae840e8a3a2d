"""The handover registry (TEAM-05): what a team member can own, so that nothing is lost when
they leave.

Each app that gives members things to do registers a provider in its AppConfig.ready():

    from teams import handover
    handover.register(MedicationProblemProvider())

A provider has a `kind` (a unique code such as "people.medication_problem"), a translated
`label`, and two methods:

- ``open_items(user, person) -> list[Item]``: what the user still owns for the person;
- ``reassign(item, new_owner) -> None``: give one of those items to someone else.

When a membership ends or an account is deactivated, teams.services.hand_over() asks every
provider for the member's open items and puts them in the coordinator's handover queue
(teams.models.HandoverItem), flagged until someone takes them. New apps join by registering; the
handover itself never changes.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Person


@dataclass(frozen=True)
class Item:
    kind: str  # the provider's code
    app_label: str
    public_id: uuid.UUID
    title: str  # short, shown in the queue to those who may read `category`
    category: str  # the item's data category (core.vocab.Category)
    created: datetime


class Provider(Protocol):
    kind: str

    @property
    def label(self) -> StrOrPromise: ...

    def open_items(self, user: "User", person: "Person") -> list[Item]:
        """The user's open items for the person."""
        ...

    def reassign(self, item: Item, new_owner: "User") -> None:
        """Make new_owner the owner of the item (called inside the handover's transaction)."""
        ...


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.kind] = provider


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def provider_for(kind: str) -> Provider | None:
    return _PROVIDERS.get(kind)


class MembershipEndHook(Protocol):
    def __call__(self, user: "User", person: "Person", *, actor: object) -> object: ...


# What else must end with a membership (a calendar feed URL): apps above teams register a hook
# in their AppConfig.ready(); hand_over() calls each, inside the transaction that ends the
# membership, whichever way it ends (ended by someone, the account deactivated, the dossier
# closed, a temporary membership run out).
_END_HOOKS: list[MembershipEndHook] = []


def register_membership_end_hook(hook: MembershipEndHook) -> None:
    if hook not in _END_HOOKS:
        _END_HOOKS.append(hook)


def membership_ended(user: "User", person: "Person", *, actor: object) -> None:
    for hook in _END_HOOKS:
        hook(user, person, actor=actor)


def kind_label(kind: str) -> str:
    provider = _PROVIDERS.get(kind)
    return str(provider.label) if provider else kind
