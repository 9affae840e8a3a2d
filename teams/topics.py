"""The topics of a team message, in plain words: one per data category of the matrix.

A message is filed under one category, and that category decides who will ever read it. The
author chooses it from these labels and hints; the codes stay the matrix's (core.vocab.Category).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.vocab import Category


@dataclass(frozen=True)
class Topic:
    code: str  # a core.vocab.Category code
    label: Promise  # what the author reads on the form
    hint: Promise  # a few examples of what belongs under it


TOPICS: dict[str, Topic] = {
    topic.code: topic
    for topic in (
        Topic(
            Category.MEDICAL,
            _("Health and care (medical)"),
            _("Complaints, wounds, illnesses, allergies, vaccinations."),
        ),
        Topic(
            Category.MEDICATION,
            _("Medication"),
            _("Medicines, doses, taking them, side effects."),
        ),
        Topic(
            Category.SITUATION,
            _("Daily life and home"),
            _("Family, housing, household, meals, help at home."),
        ),
        Topic(
            Category.PLAN,
            _("Care plan and meetings"),
            _("Goals, agreed actions, team meetings."),
        ),
        Topic(
            Category.WISHES,
            _("Wishes and what matters to the person"),
            _("Habits, preferences, life goals."),
        ),
        Topic(
            Category.ASSESSMENTS,
            _("Tests and screenings"),
            _("Fall risk, frailty, other scores and their results."),
        ),
        Topic(
            Category.HOSPITAL,
            _("Hospital stays"),
            _("Admission, discharge, coming back home."),
        ),
        Topic(
            Category.ACP,
            _("Advance care planning and consent"),
            _("Wishes for the end of life, advance directive, representative, consent."),
        ),
        Topic(
            Category.MENTAL_HEALTH,
            _("Mental health"),
            _("Mood, psychological support, psychiatric care."),
        ),
        Topic(
            Category.CAREGIVER,
            _("How the informal caregiver is coping"),
            _("The caregiver's load, availability and own needs."),
        ),
        Topic(
            Category.TEAM,
            _("The care team"),
            _("Who helps, who comes when, agreements between team members."),
        ),
        Topic(
            Category.IDENTITY,
            _("Identity and contact details"),
            _("Name, address, phone numbers. Not for news about health or care."),
        ),
    )
}


def ordered(codes: list[str]) -> list[Topic]:
    """The topics of these category codes, in the order the form offers them."""
    return [topic for code, topic in TOPICS.items() if code in codes]


def label(code: str) -> str:
    topic = TOPICS.get(code)
    return str(topic.label) if topic else code
