"""Every change to accounts: invitations, deactivation, sessions, the second factor, API tokens
and the language kept per user. Pages, the API and commands call these functions."""

import logging
import secrets
import uuid
from datetime import timedelta
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.dispatch import receiver
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import task_finished
from django_tasks_db.models import DBTaskResult

from accounts.models import ApiToken, Invitation, Organisation, User, UserSession
from accounts.queries import require_zone_admin
from audit import services as audit
from audit.models import AuditEntry
from core.actions import Action
from core.identifiers import normalise_kbo, normalise_riziv
from core.vocab import PRIVATE_PROFILES, Profile

log = logging.getLogger(__name__)

INVITATION_VALID_FOR = timedelta(days=7)

# Profiles that practise under their own RIZIV/INAMI number; for the others it is optional.
RIZIV_REQUIRED_PROFILES = frozenset(
    {
        Profile.GP,
        Profile.SPECIALIST,
        Profile.HOSPITAL_DOCTOR,
        Profile.NURSE,
        Profile.PHARMACIST,
        Profile.PHYSIOTHERAPIST,
    }
)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- E-mail -------------------------------------------------------------------------------------


# The mail queue: a deployment may give it a worker of its own, so that e-mails never wait
# behind a long social-map import.
MAIL_QUEUE = "mail"
# How a model instance in an e-mail's context travels in the task (as its label and key).
_MODEL_REFERENCE = "__model__"

# A task's arguments stay in the tasks table until the worker runs it (forever if it never does)
# and in every backup: so no secret is ever enqueued. The mails that carry one (an invitation, a
# password reset) enqueue only the row's id; their task mints the secret as it sends.


def send_mail_in_language(
    *, to: str, language: str, subject_template: str, body_template: str, context: dict[str, Any]
) -> None:
    """Queue a plain-text e-mail; the background worker renders it in the recipient's language
    (not the sender's) and sends it, so a slow mail server never holds up a page. The context
    holds JSON values and model instances, which the task reads again from the database; it must
    hold no secret (see above). Queued in the caller's transaction: rolled back with it, never
    sent for nothing."""
    send_mail_task.enqueue(
        to=to,
        language=language,
        subject_template=subject_template,
        body_template=body_template,
        context={key: _to_task_value(value) for key, value in context.items()},
    )


@task(queue_name=MAIL_QUEUE)
def send_mail_task(
    *, to: str, language: str, subject_template: str, body_template: str, context: dict[str, Any]
) -> None:
    values = {key: _from_task_value(value) for key, value in context.items()}
    _render_and_send(
        to=to, language=language, subject_template=subject_template, body_template=body_template, context=values
    )


def _render_and_send(
    *, to: str, language: str, subject_template: str, body_template: str, context: dict[str, Any]
) -> None:
    """Render and send one e-mail. Content-Language tells the mail client which language it is in
    (RFC 3282)."""
    if language not in language_codes():
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
        body = render_to_string(body_template, context)
    EmailMessage(subject, body, to=[to], headers={"Content-Language": language}).send()


def _to_task_value(value: Any) -> Any:
    if isinstance(value, Model):
        return {_MODEL_REFERENCE: value._meta.label_lower, "pk": value.pk}
    return value


def _from_task_value(value: Any) -> Any:
    if isinstance(value, dict) and _MODEL_REFERENCE in value:
        model = apps.get_model(value[_MODEL_REFERENCE])
        return model._base_manager.get(pk=value["pk"])
    return value


@task(queue_name=MAIL_QUEUE)
def send_password_reset_mail_task(
    *, user_id: int, subject_template: str, body_template: str, domain: str, site_name: str, protocol: str
) -> None:
    """Mint the reset link as the mail is sent: the request queued only the account's id. An
    account deactivated (or left without a password) since the request gets no link, as Django's
    form would not have sent one."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.is_active or not user.has_usable_password():
        return
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    _render_and_send(
        to=user.email,
        language=user.language,
        subject_template=subject_template,
        body_template=body_template,
        context=context,
    )


@task(queue_name=MAIL_QUEUE)
def send_invitation_mail_task(*, invitation_id: int, site_url: str) -> None:
    """Mint the invitation's token as its mail is sent: the request queued only the invitation's
    id. Storing the token's hash replaces the unknowable one the invitation was made with, in one
    UPDATE, so the link in this mail is the only one that works. An invitation accepted, expired
    or replaced by a newer one before the worker came to it is not sent."""
    token = secrets.token_urlsafe(32)
    pending = Invitation.objects.filter(pk=invitation_id, accepted_at=None, expires_at__gt=timezone.now())
    minted = pending.update(token_hash=Invitation.hash_token(token))
    if not minted:
        return
    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
    _render_and_send(
        to=invitation.email,
        language=invitation.language,
        subject_template="accounts/invitation_subject.txt",
        body_template="accounts/invitation_email.txt",
        context={
            "invitation": invitation,
            "url": site_url.rstrip("/") + reverse("accounts:accept-invitation", args=[token]),
            "inviter": invitation.invited_by,
        },
    )


_MAIL_TASKS = frozenset(
    mail_task.module_path for mail_task in (send_mail_task, send_password_reset_mail_task, send_invitation_mail_task)
)


# The signal the worker sends, from the backend's compat layer: django-tasks' own on Django 5.2,
# `django.tasks`' from Django 6 on (a receiver of `django_tasks.signals` would then hear nothing).
@receiver(task_finished)
def _forget_mail_contents(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A backstop, not the guard (no secret is enqueued): once an e-mail's task has finished, sent
    or failed, its arguments (the address, the context) leave the tasks table rather than wait for
    `prune_db_task_results`. A failed e-mail is not retried; it is simply asked for again."""
    # The worker sends the backend itself after a success and its class after a failure.
    backend = sender if isinstance(sender, type) else type(sender)
    if issubclass(backend, DatabaseBackend) and task_result.task.module_path in _MAIL_TASKS:
        DBTaskResult.objects.filter(id=task_result.id).update(args_kwargs={"args": [], "kwargs": {}})


# --- Invitations --------------------------------------------------------------------------------


def invite_professional(
    actor: User,
    *,
    email: str,
    full_name: str,
    profile: str,
    language: str,
    site_url: str,
    organisation: Organisation | None = None,
    new_organisation_name: str = "",
    new_organisation_kbo: str = "",
    riziv_number: str = "",
) -> Invitation:
    """Invite a professional by e-mail; there is no open sign-up. The link (on `site_url`, the
    scheme and host) carries a one-time token of which only the SHA-256 is kept; it works for
    INVITATION_VALID_FOR. The token is minted by the mail's task, never queued. A new invitation to
    the same address replaces the earlier pending ones (a lost e-mail is simply sent again)."""
    require_zone_admin(actor)
    email = email.strip().lower()
    full_name = full_name.strip()
    new_organisation_name = new_organisation_name.strip()
    errors: dict[str, list[ValidationError]] = {}

    def error(field: str, message: ValidationError) -> None:
        errors.setdefault(field, []).append(message)

    if not full_name:
        error("full_name", ValidationError(_("Enter the professional's full name."), code="required"))
    if User.objects.filter(email__iexact=email).exists():
        error(
            "email",
            ValidationError(_("An account with this e-mail address exists already."), code="account_exists"),
        )
    if profile not in Profile.values or profile in PRIVATE_PROFILES:
        error(
            "profile",
            ValidationError(
                _("Only professionals are invited; the person and their circle get access through the dossier."),
                code="not_professional",
            ),
        )
    if language not in language_codes():
        error("language", ValidationError(_("Choose Dutch, French or English."), code="invalid_language"))

    kbo = ""
    if organisation is not None and new_organisation_name:
        error(
            "new_organisation_name",
            ValidationError(
                _("Choose an existing organisation or type the name of a new one, not both."), code="two_organisations"
            ),
        )
    elif organisation is None and not new_organisation_name:
        error(
            "organisation",
            ValidationError(_("Choose an organisation or type the name of a new one."), code="no_organisation"),
        )
    if new_organisation_kbo.strip():
        if not new_organisation_name:
            error(
                "new_organisation_kbo",
                ValidationError(
                    _("A KBO/BCE number is only given with the name of a new organisation."), code="kbo_without_name"
                ),
            )
        else:
            try:
                kbo = normalise_kbo(new_organisation_kbo)
            except ValidationError as invalid:
                error("new_organisation_kbo", invalid)
            else:
                if Organisation.objects.filter(kbo_number=kbo).exists():
                    error(
                        "new_organisation_kbo",
                        ValidationError(
                            _("An organisation with this KBO/BCE number exists already: choose it in the list."),
                            code="organisation_exists",
                        ),
                    )

    riziv = None
    if riziv_number.strip():
        try:
            riziv = normalise_riziv(riziv_number)
        except ValidationError as invalid:
            error("riziv_number", invalid)
    elif profile in RIZIV_REQUIRED_PROFILES:
        error(
            "riziv_number",
            ValidationError(_("A RIZIV/INAMI number is required for this profile."), code="riziv_required"),
        )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        if organisation is None:
            organisation = Organisation.objects.create(name=new_organisation_name, kbo_number=kbo)
        Invitation.objects.filter(email=email, accepted_at=None, expires_at__gt=now).update(expires_at=now)
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name,
            profile=profile,
            organisation=organisation,
            riziv_number=riziv.number if riziv else "",
            riziv_scheme=riziv.scheme if riziv else "",
            language=language,
            # The hash of a token nobody knows, until the mail's task mints the one it sends.
            token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
            invited_by=actor,
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        audit.log_change(
            actor,
            None,
            Action.ACCOUNTS_INVITATION_SENT,
            event=AuditEntry.Event.ACCOUNT,
            detail={"invitation": invitation.pk, "profile": profile},
        )
    # Queued once the invitation is committed, so that a link never points at nothing.
    send_invitation_mail_task.enqueue(invitation_id=invitation.pk, site_url=site_url)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or a ValidationError saying why the link does not work."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=Invitation.hash_token(token)).first()
    )
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. Ask your care zone's administrator for a new invitation."),
            code="unknown",
        )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been used. Log in with your e-mail address and password."),
            code="used",
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask your care zone's administrator for a new invitation."),
            code="expired",
        )
    return invitation


def account_for_invitation(invitation: Invitation) -> User:
    """The account an invitation would create, unsaved (password validators compare with it)."""
    return User(
        email=invitation.email,
        full_name=invitation.full_name,
        profile=invitation.profile,
        organisation=invitation.organisation,
        riziv_number=invitation.riziv_number,
        riziv_scheme=invitation.riziv_scheme,
        language=invitation.language,
    )


def accept_invitation(token: str, password: str) -> User:
    """Create the invited professional's account with the chosen password; the link is then used up."""
    invitation = invitation_for_token(token)
    user = account_for_invitation(invitation)
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        # Two clicks at once: only the first one creates the account.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(
                _("This invitation has already been used. Log in with your e-mail address and password."),
                code="used",
            )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address exists already."), code="account_exists")
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError(
                _("An account with this e-mail address exists already."), code="account_exists"
            ) from None
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), user=user)
        audit.log_change(
            user,
            None,
            Action.ACCOUNTS_INVITATION_ACCEPTED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"invitation": invitation.pk, "user": str(user.public_id)},
        )
    return user


# --- Deactivation and sessions ------------------------------------------------------------------


def record_login(user: User, session_key: str) -> None:
    """Remember which session a user logged in with, and forget their sessions that have ended."""
    now = timezone.now()
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user, "created_at": now})


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _end_sessions(user: User) -> None:
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    UserSession.objects.filter(user=user).delete()


class DeactivationHook(Protocol):
    def __call__(self, user: User, *, actor: User) -> object: ...


# Apps above accounts that hold a user's work register what ends with the account, in their
# AppConfig.ready() (teams: memberships end and open items are handed over). They run inside
# the deactivation's transaction.
_DEACTIVATION_HOOKS: list[DeactivationHook] = []


def register_deactivation_hook(hook: DeactivationHook) -> None:
    if hook not in _DEACTIVATION_HOOKS:
        _DEACTIVATION_HOOKS.append(hook)


def deactivate_account(actor: User, user: User) -> User:
    """End an account at once: no more log-ins, every session ended, every API token revoked."""
    require_zone_admin(actor)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="own_account")
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."), code="already_inactive")
    now = timezone.now()
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False, deactivated_at=now)
        ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
        _end_sessions(user)
        for hook in _DEACTIVATION_HOOKS:
            hook(user, actor=actor)
        audit.log_change(
            actor,
            None,
            Action.ACCOUNTS_ACCOUNT_DEACTIVATED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"user": str(user.public_id)},
        )
    user.refresh_from_db()
    return user


def reactivate_account(actor: User, user: User) -> User:
    """Let a deactivated account log in again. Its old API tokens stay revoked."""
    require_zone_admin(actor)
    if user.is_active:
        raise ValidationError(_("This account is already active."), code="already_active")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True, deactivated_at=None)
        audit.log_change(
            actor,
            None,
            Action.ACCOUNTS_ACCOUNT_REACTIVATED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"user": str(user.public_id)},
        )
    user.refresh_from_db()
    return user


def reset_second_factor(actor: User, user: User) -> None:
    """A professional lost their phone: remove their authenticator apps, so that they set up a new
    one at their next log-in. Their sessions end too, as a session verified with the lost phone
    must not outlive it."""
    require_zone_admin(actor)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        _end_sessions(user)
        audit.log_change(
            actor,
            None,
            Action.ACCOUNTS_SECOND_FACTOR_RESET,
            event=AuditEntry.Event.ACCOUNT,
            detail={"user": str(user.public_id)},
        )


# --- Language -----------------------------------------------------------------------------------


def set_language(user: User, language: str) -> User:
    """Keep the user's language on their account: pages and e-mails follow it."""
    if language not in language_codes():
        raise ValidationError(_("Choose Dutch, French or English."), code="invalid_language")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return user


# --- Second factor (TOTP) -----------------------------------------------------------------------


def pending_totp_device(user: User) -> TOTPDevice:
    """The TOTP device being set up: created unconfirmed, confirmed by a first valid code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Schakel", confirmed=False)
    return device


def _check_code(device: TOTPDevice, code: str) -> ValidationError | None:
    """Verify a code against a device locked by the caller; None when right, else the refusal.
    django-otp throttles a device after a wrong code (1, 2, 4, ... seconds), so a code sent too
    soon is refused unchecked and the user is told to wait rather than that it is wrong."""
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        return ValidationError(
            _("Too many wrong codes in a row. Wait a minute, then enter the newest code."), code="throttled"
        )
    if device.verify_token("".join(code.split())):
        return None
    return ValidationError(
        _("This code is not right. Check that the time on your phone is correct and enter the newest code."),
        code="wrong_code",
    )


def _refuse(user: User, device: TOTPDevice, action: str, refusal: ValidationError) -> ValidationError:
    # Called after the transaction, so the failed attempt and its throttling are committed.
    audit.log_event(
        user, action, allowed=False, reason=refusal.code or "wrong_code", detail={"device": device.persistent_id}
    )
    return refusal


def confirm_totp_device(user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm a new TOTP device with a first code; it then replaces the user's other devices."""
    if device.user_id != user.pk or device.confirmed:
        raise Http404
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _check_code(locked, code)
        if refusal is None:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
            audit.log_change(user, None, Action.ACCOUNTS_SECOND_FACTOR_SET_UP, event=AuditEntry.Event.ACCOUNT)
    if refusal is not None:
        raise _refuse(user, locked, Action.ACCOUNTS_SECOND_FACTOR_SETUP_FAILED, refusal)
    return locked


def verify_second_factor(user: User, code: str) -> TOTPDevice:
    """Check a code against the user's confirmed device; the caller then marks the session verified."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    if device is None:
        raise ValidationError(_("Set up an authenticator app first."), code="no_device")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _check_code(locked, code)
    if refusal is not None:
        raise _refuse(user, locked, Action.ACCOUNTS_SECOND_FACTOR_FAILED, refusal)
    return locked


# --- API tokens ---------------------------------------------------------------------------------


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token that acts as the user. The key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ValidationError(_("Give the token a name."), code="required")})
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
        audit.log_change(
            user,
            None,
            Action.ACCOUNTS_TOKEN_CREATED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"token": str(token.public_id)},
        )
    return token, key


def revoke_token(user: User, token_id: uuid.UUID | str) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token is a 404."""
    try:
        token = ApiToken.objects.get(public_id=token_id, user=user)
    except (ApiToken.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit.log_change(
            user,
            None,
            Action.ACCOUNTS_TOKEN_REVOKED,
            event=AuditEntry.Event.ACCOUNT,
            detail={"token": str(token.public_id)},
        )
    token.refresh_from_db()
    return token
