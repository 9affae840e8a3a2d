"""Gated reads of persons."""

import uuid

from django.utils import timezone

from access import gate, relationships
from accounts.models import User
from people.models import Person


def resolve_person(actor: User, public_id: uuid.UUID | str, action: str) -> Person:
    """The person behind an id (following a merge to the surviving record), not yet gated.
    An unknown id is audited and gets the same 404 as a refusal."""
    try:
        person = Person.objects.select_related("merged_into").get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        gate.refuse_unknown(actor, action, {"public_id": str(public_id)})
    return person.merged_into or person


def get_person(actor: User, public_id: uuid.UUID | str, category: str, level: str, *, action: str) -> Person:
    person = resolve_person(actor, public_id, action)
    gate.check(actor, person, category, level, action=action)
    return person


def persons_for(actor: User) -> list[Person]:
    """The persons the actor has an active relationship with (home page)."""
    ids = relationships.related_person_ids(actor, timezone.now())
    return list(Person.objects.filter(pk__in=ids, merged_into=None).order_by("family_name", "given_name"))


def aliases_of(person: Person) -> list[Person]:
    """Records merged into this one (read with the person, who is already gated)."""
    return list(person.aliases.order_by("merged_at"))
