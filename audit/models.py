"""The append-only, tamper-evident access log.

Each row carries the logging fields of NEN 7513 (event, UTC time, person, user, the responsible
user the user acted for) plus category, level, outcome, reason and request id. Rows form hash
chains, one per stream (audit.chain); the head of each chain lives in ChainHead, outside this
table, so deleting the newest rows is detected too. On PostgreSQL a trigger refuses UPDATE and
DELETE of audit rows (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Event(models.TextChoices):
        ACCESS = "access", _("access")
        CHANGE = "change", _("change")
        BREAK_GLASS = "break_glass", _("break the glass")
        AUDIT_SEARCH = "audit_search", _("search of the access log")
        EXPORT = "export", _("export")
        ACCOUNT = "account", _("account")

    stream = models.PositiveSmallIntegerField()
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(db_index=True)
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    action = models.CharField(_("action"), max_length=64)  # e.g. "people.person_viewed"
    # No FK constraints to people or users: the log must outlive what it speaks of, and its
    # rows are never changed (a deleted user keeps their id here).
    # No single-column indexes on person and actor: the composite indexes below lead with them,
    # and every index costs each audit write.
    person = models.ForeignKey(
        "people.Person", null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200)  # name, or the system job's name
    actor_profile = models.CharField(_("role"), max_length=32, blank=True)
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    relationship = models.CharField(max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=8, blank=True)
    allowed = models.BooleanField(_("outcome"))
    reason = models.CharField(_("reason"), max_length=64)
    request_id = models.CharField(max_length=36, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_entry_stream_seq")]
        indexes = [
            # "Who looked at my dossier": one person's rows, newest first.
            models.Index(fields=["person", "-created_at"], name="audit_entry_person_time"),
            # The DPO's "what did this user open?".
            models.Index(fields=["actor", "-created_at"], name="audit_entry_actor_time"),
        ]


class ChainHead(models.Model):
    """The last sequence number and hash of one audit stream."""

    stream = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # HMAC of (stream, seq, hash) under the audit key: whoever deletes the newest rows cannot
    # move the head back to the new last row without the key.
    mac = models.CharField(max_length=64, blank=True)
