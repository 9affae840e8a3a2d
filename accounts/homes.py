"""What accounts contributes to the zone admin's home page (core.homes): the accounts and the
invitations still waiting for an answer."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Invitation, User
from core import homes
from core.vocab import Profile


@dataclass(frozen=True)
class AccountsSummary:
    active_users: int
    pending_invitations: int


def accounts(user: User, params: Mapping[str, str]) -> AccountsSummary:
    pending = Invitation.objects.filter(accepted_at=None, expires_at__gt=timezone.now())
    return AccountsSummary(
        active_users=User.objects.filter(is_active=True).count(), pending_invitations=pending.count()
    )


def register() -> None:
    homes.register_summary("accounts", accounts, [Profile.ZONE_ADMIN])
