"""The canonical codes of the access matrix: profiles (rows), data categories (columns), levels.

DESIGN.md names them; the matrix file (access/matrix/default.toml) must use exactly these codes,
which a test checks.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.TextChoices):
    PERSON = "person", _("the person themself")
    REPRESENTATIVE = "representative", _("legal representative")
    TRUST_PERSON = "trust_person", _("trust person")
    INFORMAL_CAREGIVER = "informal_caregiver", _("informal caregiver")
    FAMILY = "family", _("family member")
    NEIGHBOUR = "neighbour", _("neighbour or volunteer")
    GP = "gp", _("general practitioner")
    SPECIALIST = "specialist", _("specialist")
    HOSPITAL_DOCTOR = "hospital_doctor", _("hospital doctor")
    NURSE = "nurse", _("nurse")
    HOSPITAL_LIAISON = "hospital_liaison", _("hospital liaison (nurse or social worker)")
    PHARMACIST = "pharmacist", _("pharmacist")
    PHYSIOTHERAPIST = "physiotherapist", _("physiotherapist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("occupational therapist")
    SOCIAL_WORKER = "social_worker", _("social worker")
    HOME_CARE_WORKER = "home_care_worker", _("home-care worker")
    CARE_COORDINATOR = "care_coordinator", _("care coordinator")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    HELPDESK = "helpdesk", _("zone helpdesk")
    ZONE_ADMIN = "zone_admin", _("zone administrator")
    DPO = "dpo", _("data protection officer")


# Profiles that belong to the person's own circle rather than to an organisation.
PRIVATE_PROFILES = frozenset(
    {
        Profile.PERSON,
        Profile.REPRESENTATIVE,
        Profile.TRUST_PERSON,
        Profile.INFORMAL_CAREGIVER,
        Profile.FAMILY,
        Profile.NEIGHBOUR,
    }
)


class Category(models.TextChoices):
    IDENTITY = "identity", _("identity")
    TEAM = "team", _("care team")
    SITUATION = "situation", _("situation at home")
    WISHES = "wishes", _("wishes and life goals")
    PLAN = "plan", _("care plan")
    MEDICAL = "medical", _("medical")
    MEDICATION = "medication", _("medication")
    ACP = "acp", _("advance care planning and consent")
    HOSPITAL = "hospital", _("hospital stays")
    ASSESSMENTS = "assessments", _("assessments")
    MENTAL_HEALTH = "mental_health", _("mental health")
    CAREGIVER = "caregiver", _("caregiver's own burden")


class Level(models.TextChoices):
    NONE = "none", _("no access")
    READ = "read", _("read")
    WRITE = "write", _("read and write")

    @property
    def rank(self) -> int:
        return {"none": 0, "read": 1, "write": 2}[self.value]

    def covers(self, wanted: "Level") -> bool:
        """Write implies read; none covers nothing."""
        return self.rank >= Level(wanted).rank and Level(wanted) != Level.NONE
