"""Reads for account pages. Accounts are not person data, so the access gate does not apply;
the zone admin's pages check the profile instead and answer 404 to anyone else."""

import uuid

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, Invitation, User
from core.vocab import Profile

PAGE_SIZE = 50


def require_zone_admin(actor: User) -> None:
    """Zone admin pages look like pages that do not exist to everyone else (the same 404)."""
    if not is_zone_admin(actor):
        raise Http404


def is_zone_admin(actor: User) -> bool:
    """The one profile check for the zone administrator (access.rules.is_zone_admin says why)."""
    return bool(actor.is_authenticated and actor.is_active and actor.profile == Profile.ZONE_ADMIN)


def invitations_for(actor: User, page_number: str | int | None = 1) -> Page:
    """All invitations of the zone, newest first (pending, accepted and expired alike)."""
    require_zone_admin(actor)
    invitations = Invitation.objects.select_related("organisation", "invited_by", "user").order_by("-created_at")
    return Paginator(invitations, PAGE_SIZE).get_page(page_number)


def accounts_for(actor: User, search: str = "", page_number: str | int | None = 1) -> Page:
    """The zone's accounts for the zone admin, optionally narrowed by name or e-mail."""
    require_zone_admin(actor)
    users: QuerySet[User] = User.objects.select_related("organisation").order_by("full_name", "email")
    if search:
        users = users.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return Paginator(users, PAGE_SIZE).get_page(page_number)


def get_account(actor: User, public_id: uuid.UUID | str) -> User:
    require_zone_admin(actor)
    try:
        return User.objects.get(public_id=public_id)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, active ones first."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at")


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
