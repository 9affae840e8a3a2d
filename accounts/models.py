"""Users log in with an e-mail address; each has one profile (a row of the access matrix)."""

import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.vocab import PRIVATE_PROFILES, Profile


class Organisation(models.Model):
    """A care organisation: practice, hospital, home-nursing service, OCMW/CPAS, ..."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kbo_number = models.CharField(_("KBO/BCE number"), max_length=10, blank=True)
    riziv_number = models.CharField(_("RIZIV/INAMI number"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("profile", Profile.ZONE_ADMIN)
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    profile = models.CharField(_("profile"), max_length=32, choices=Profile.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    riziv_number = models.CharField(_("RIZIV/INAMI number"), max_length=11, blank=True)
    riziv_scheme = models.CharField(_("RIZIV/INAMI check scheme"), max_length=8, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=[("nl", "Nederlands"), ("fr", "Français"), ("en", "English")], default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_professional(self) -> bool:
        return self.profile not in PRIVATE_PROFILES

    @property
    def profile_label(self) -> str:
        return str(Profile(self.profile).label) if self.profile else ""


class Invitation(models.Model):
    """The zone admin invites a professional; there is no open sign-up."""

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200)
    profile = models.CharField(_("profile"), max_length=32, choices=Profile.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    riziv_number = models.CharField(_("RIZIV/INAMI number"), max_length=11, blank=True)
    riziv_scheme = models.CharField(max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=2, default="nl")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("invitation")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")

    @property
    def status(self) -> "Invitation.Status":
        if self.accepted_at is not None:
            return Invitation.Status.ACCEPTED
        if self.expires_at <= timezone.now():
            return Invitation.Status.EXPIRED
        return Invitation.Status.PENDING

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def profile_label(self) -> str:
        return str(Profile(self.profile).label)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A per-user, revocable API token. Only its SHA-256 is stored; the token is shown once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "sk_" + secrets.token_urlsafe(32)


class UserSession(models.Model):
    """A session a user logged in with. Django's session table has no user column, so this is
    how deactivating an account finds and ends all its sessions at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("user session")
