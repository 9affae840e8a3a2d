"""What the social map contributes to the home pages of the zone team, who curate it (core.homes):
the published services to confirm again or to complete, and the need suggestions to decide."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core import homes
from core.vocab import Profile
from directory import queries
from directory.curation import queries as curation


@dataclass(frozen=True)
class CurationSummary:
    published: int
    stale: int
    incomplete: int
    suggestions: int


def curation_summary(user: Any, params: Mapping[str, str]) -> CurationSummary | None:
    if not curation.is_curator(user):
        return None
    published, stale, incomplete = curation.counts_to_review(user)
    return CurationSummary(published, stale, incomplete, queries.pending_suggestion_count())


def register() -> None:
    homes.register_summary("curation", curation_summary, [Profile.ZONE_ADMIN, Profile.HELPDESK])
