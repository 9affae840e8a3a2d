"""What access contributes to the home pages (core.homes): the links a care worker's page offers
(register a person, emergency access), decided by access.rules, and the zone admin's matrix."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import F

from access import rules
from access.models import MatrixCell
from accounts.models import User
from core import homes
from core.vocab import Profile


def offers(user: User, params: Mapping[str, str]) -> rules.HomeOffers:
    return rules.home_offers(user)


@dataclass(frozen=True)
class MatrixSummary:
    changed_by_zone: int  # cells whose level differs from the shipped file's


def matrix(user: User, params: Mapping[str, str]) -> MatrixSummary:
    return MatrixSummary(changed_by_zone=MatrixCell.objects.exclude(level=F("shipped_level")).count())


def register() -> None:
    homes.register_summary("offers", offers, [homes.OTHER_PROFILES, Profile.HELPDESK])
    homes.register_summary("matrix", matrix, [Profile.ZONE_ADMIN])
