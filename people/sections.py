"""The dossier's sections and the data category each belongs to (DOS, docs/access.md).

Each section is one model. SECTION_CATEGORIES is the one table that says which category of the
access matrix a section belongs to; the gate is asked for that category, READ to see the section
and WRITE to change it. A test checks that every section model is in this table, and that
docs/access.md lists the same table.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.vocab import Category
from people.models import (
    Allergy,
    CapacityAssessment,
    CareNeed,
    CarePlanning,
    Contact,
    FamilyMember,
    HelpReceived,
    HomeSituation,
    MedicationIntake,
    MedicationProblem,
    OwnWords,
    Preference,
    SectionRecord,
    Vaccination,
    Visit,
)

SECTION_CATEGORIES: dict[str, Category] = {
    "contacts": Category.TEAM,  # everyone involved and how to reach them (DOS-02)
    "family": Category.SITUATION,  # DOS-03
    "home": Category.SITUATION,  # social situation and home, household, meals (DOS-04, DOS-07)
    "visits": Category.SITUATION,  # who comes when: the weekly view (DOS-05)
    "help_history": Category.SITUATION,  # help received, newest first (DOS-05)
    "needs": Category.SITUATION,  # specific care and support needs (DOS-09)
    "medication": Category.MEDICATION,  # intake schedule (DOS-06)
    "medication_problems": Category.MEDICATION,  # reported side effects and intake problems (DOS-06)
    "allergies": Category.MEDICAL,  # DOS-07
    "vaccinations": Category.MEDICAL,  # DOS-07
    "own_words": Category.WISHES,  # life goals and needs in the person's own words (DOS-08, DOS-12)
    "preferences": Category.WISHES,  # wishes and preferences in daily life (DOS-08)
    "care_planning": Category.ACP,  # advance directive, trust person, representative (DOS-10)
    "capacity": Category.ACP,  # decision-making capacity (DOS-11)
}


@dataclass(frozen=True)
class SectionKind:
    """How one section is stored and edited."""

    code: str
    model: type[SectionRecord]
    title: Promise
    fields: tuple[str, ...]  # what a user edits, in form order
    singleton: bool = False  # one row per person rather than a list
    # Edited through the generic section form; medication problems have their own flow
    # (report, then mark handled).
    generic: bool = True

    @property
    def category(self) -> Category:
        return SECTION_CATEGORIES[self.code]

    @property
    def slug(self) -> str:
        """The section in URLs: /dossier/help-history/."""
        return self.code.replace("_", "-")


SECTIONS: dict[str, SectionKind] = {
    kind.code: kind
    for kind in (
        SectionKind(
            "contacts",
            Contact,
            _("Contacts"),
            ("name", "kind", "role", "email", "phone", "mobile", "notes"),
        ),
        SectionKind(
            "family",
            FamilyMember,
            _("Family"),
            ("name", "relation", "involvement", "lives_with", "helps_with"),
        ),
        SectionKind(
            "home",
            HomeSituation,
            _("Social situation and home"),
            (
                "lives_alone",
                "housing",
                "stairs",
                "aids",
                "hygiene",
                "safety_risks",
                "household",
                "meals",
                "load_on_surroundings",
                "remarks",
            ),
            singleton=True,
        ),
        SectionKind(
            "visits",
            Visit,
            _("Who comes when"),
            ("weekday", "start_time", "end_time", "who", "service", "tasks"),
        ),
        SectionKind(
            "help_history",
            HelpReceived,
            _("Help received"),
            ("what", "provider", "started_on", "ended_on", "notes"),
        ),
        SectionKind(
            "needs",
            CareNeed,
            _("Care and support needs"),
            ("domain", "description", "status"),
        ),
        SectionKind(
            "medication",
            MedicationIntake,
            _("Medication schedule"),
            ("time_of_day", "medication", "dose", "with_food", "notes"),
        ),
        SectionKind(
            "medication_problems",
            MedicationProblem,
            _("Reported medication problems"),
            ("kind", "medication", "description"),
            generic=False,
        ),
        SectionKind(
            "allergies",
            Allergy,
            _("Allergies"),
            ("substance", "kind", "reaction", "severity", "noted_on"),
        ),
        SectionKind(
            "vaccinations",
            Vaccination,
            _("Vaccinations"),
            ("vaccine", "given_on", "next_due", "notes"),
        ),
        SectionKind(
            "own_words",
            OwnWords,
            _("In my own words"),
            ("life_goals", "own_needs"),
            singleton=True,
        ),
        SectionKind(
            "preferences",
            Preference,
            _("Wishes and preferences in daily life"),
            ("area", "text"),
        ),
        SectionKind(
            "care_planning",
            CarePlanning,
            _("Advance care planning"),
            (
                "has_directive",
                "directive_date",
                "directive_kept",
                "trust_person",
                "trust_person_since",
                "representative",
                "representative_since",
                "discussed_on",
                "remarks",
            ),
            singleton=True,
        ),
        SectionKind(
            "capacity",
            CapacityAssessment,
            _("Decision-making capacity"),
            ("assessed_on", "assessed_by", "decisions", "outcome", "decides_when_impaired", "notes"),
        ),
    )
}


@dataclass(frozen=True)
class Group:
    """A heading of the dossier page. A group's sections share one category, so a reader who
    may not see it sees neither the heading nor a count."""

    code: str
    heading: Promise
    sections: tuple[str, ...]

    @property
    def category(self) -> Category:
        return SECTIONS[self.sections[0]].category


GROUPS: tuple[Group, ...] = (
    Group("contacts", _("Contacts"), ("contacts",)),
    Group("family", _("Family"), ("family",)),
    Group("home", _("Social situation and home"), ("home",)),
    Group("help", _("Help at home"), ("visits", "help_history")),
    Group("needs", _("Care and support needs"), ("needs",)),
    Group("medication", _("Medication"), ("medication", "medication_problems")),
    Group("medical", _("Allergies and vaccinations"), ("allergies", "vaccinations")),
    Group("wishes", _("Wishes and life goals"), ("own_words", "preferences")),
    Group("acp", _("Advance care planning and decision-making"), ("care_planning", "capacity")),
)

# The categories the dossier page asks the gate about, in page order.
DOSSIER_CATEGORIES: tuple[Category, ...] = tuple(dict.fromkeys(group.category for group in GROUPS))

_BY_MODEL = {kind.model: kind for kind in SECTIONS.values()}


def kind(code: str) -> SectionKind:
    return SECTIONS[code]


def kind_of(entry: SectionRecord) -> SectionKind:
    return _BY_MODEL[type(entry)]


_GROUPS = {group.code: group for group in GROUPS}
_GROUP_OF = {code: group for group in GROUPS for code in group.sections}


def group(code: str) -> Group:
    return _GROUPS[code]


def group_of(section: str) -> Group:
    """The group (heading of the dossier page) a section is shown under."""
    return _GROUP_OF[section]
