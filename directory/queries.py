"""Reads of the social map that depend on who asks.

Contact points for professionals only (a contact naming staff, a priority number or e-mail) are
shown to logged-in professionals and never to the public or to informal caregivers.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from directory.models import Contact, Phone, Service


def sees_professional_contacts(user: Any) -> bool:
    """Logged in, active, and a professional (not the person's own circle)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_professional)


def visible_phones(user: Any, phones: QuerySet[Phone]) -> QuerySet[Phone]:
    """`phones` less those for professionals only, unless the user is a professional."""
    if sees_professional_contacts(user):
        return phones
    return phones.filter(professional_only=False).exclude(contact__professional_only=True)


@dataclass(frozen=True)
class ContactPoints:
    phones: list[Phone]  # the service's own numbers (priority lines only for professionals)
    contacts: list[Contact]  # each with `visible_phones`
    professional: bool  # True when professional-only points are included


def contacts_for(user: Any, service: Service) -> ContactPoints:
    """The service's phones and contacts this user may see (the service page calls this)."""
    professional = sees_professional_contacts(user)
    contacts = Contact.objects.filter(service=service).order_by("name", "pk")
    if not professional:
        contacts = contacts.filter(professional_only=False)
    contacts = contacts.prefetch_related(
        Prefetch("phones", queryset=visible_phones(user, Phone.objects.order_by("pk")), to_attr="visible_phones")
    )
    phones = visible_phones(user, Phone.objects.filter(service=service, contact=None).order_by("pk"))
    return ContactPoints(phones=list(phones), contacts=list(contacts), professional=professional)
