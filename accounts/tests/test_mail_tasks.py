"""Every e-mail is sent from a background task: the request only queues it, the worker renders it
in the recipient's language and sends it. No secret is ever queued: the tasks table (kept until
the worker runs, and in backups) holds ids, and the tasks mint the links as they send."""

import json
import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from accounts import services
from accounts.models import Invitation, User
from accounts.tests.conftest import log_in
from accounts.tests.factories import UserFactory
from conftest import run_worker
from core.vocab import Profile

NEW_PASSWORD = "groene-kikker-zwemt-in-Hasselt-3"


def _invite(zone_admin: User, email: str = "els.wuyts@example.org") -> Invitation:
    return services.invite_professional(
        zone_admin,
        email=email,
        full_name="Els Wuyts",
        profile=Profile.SOCIAL_WORKER,
        language="fr",
        site_url="https://schakel.example/",
        new_organisation_name="Thuiszorg Noord",
    )


def test_a_password_reset_queues_only_the_account_and_the_worker_mints_a_working_link(db, queued):
    user = UserFactory(profile=Profile.NURSE, language="fr")
    client = Client()
    client.cookies["django_language"] = "nl"

    response = client.post(reverse("accounts:password-reset"), {"email": user.email})

    assert response.status_code == 302
    assert mail.outbox == []  # the page did not wait for the mail server
    waiting = DBTaskResult.objects.get()
    assert (waiting.task_path, waiting.queue_name, waiting.status) == (
        "accounts.services.send_password_reset_mail_task",
        services.MAIL_QUEUE,
        "READY",
    )
    # What waits in the tasks table: the account's id and where the site is; no uid, token or link.
    assert waiting.args_kwargs == {
        "args": [],
        "kwargs": {
            "user_id": user.pk,
            "subject_template": "accounts/password_reset_subject.txt",
            "body_template": "accounts/password_reset_email.txt",
            "domain": "testserver",
            "site_name": "testserver",
            "protocol": "http",
        },
    }

    run_worker()

    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert message.subject == gettext("Schakel: choose a new password")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL", DBTaskResult.objects.get().traceback
    # The link the task minted resets the password.
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password-reset-complete")
    assert log_in(Client(), user.email, NEW_PASSWORD).status_code == 302


def test_an_account_deactivated_before_the_worker_runs_gets_no_reset_link(db, queued):
    user = UserFactory(language="nl")
    Client().post(reverse("accounts:password-reset"), {"email": user.email})
    User.objects.filter(pk=user.pk).update(is_active=False)

    run_worker()

    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_an_invitation_queues_only_its_id_and_the_worker_mints_the_one_working_link(db, queued, client):
    # A name with an apostrophe: a plain-text mail must not HTML-escape it ("D&#x27;hondt").
    zone_admin = UserFactory(profile=Profile.ZONE_ADMIN, language="nl", full_name="Pierre D'hondt")
    invitation = _invite(zone_admin)

    assert mail.outbox == []
    waiting = DBTaskResult.objects.get()
    assert (waiting.task_path, waiting.queue_name) == (
        "accounts.services.send_invitation_mail_task",
        services.MAIL_QUEUE,
    )
    assert waiting.args_kwargs == {
        "args": [],
        "kwargs": {"invitation_id": invitation.pk, "site_url": "https://schakel.example/"},
    }
    hash_before_sending = Invitation.objects.get(pk=invitation.pk).token_hash

    run_worker()

    [message] = mail.outbox
    assert message.to == ["els.wuyts@example.org"] and message.extra_headers["Content-Language"] == "fr"
    assert "Els Wuyts" in message.body and zone_admin.full_name in message.body
    token = re.search(r"https://schakel\.example/account/invitation/([^/\s]+)/", message.body).group(1)
    invitation.refresh_from_db()
    assert invitation.token_hash == Invitation.hash_token(token) != hash_before_sending
    assert token not in json.dumps(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    # The mailed link creates the account.
    url = reverse("accounts:accept-invitation", args=[token])
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    invitation.refresh_from_db()
    assert invitation.user == User.objects.get(email="els.wuyts@example.org")


def test_an_invitation_replaced_before_the_worker_runs_is_not_sent(db, queued):
    zone_admin = UserFactory(profile=Profile.ZONE_ADMIN, language="nl")
    first = _invite(zone_admin)
    second = _invite(zone_admin)

    run_worker()

    [message] = mail.outbox  # only the pending invitation's link is sent
    token = re.search(r"/account/invitation/([^/\s]+)/", message.body).group(1)
    second.refresh_from_db()
    assert second.token_hash == Invitation.hash_token(token)
    assert Invitation.objects.get(pk=first.pk).token_hash != Invitation.hash_token(token)


def test_a_finished_mail_leaves_no_address_in_the_tasks_table(db, queued):
    """The backstop: once a mail's task is done its arguments are blanked, which also shows the
    receiver listens to the signal the installed worker actually sends."""
    user = UserFactory(language="en")
    services.send_mail_in_language(
        to=user.email,
        language="en",
        subject_template="teams/email/message_subject.txt",
        body_template="teams/email/message_body.txt",
        context={"url": "https://schakel.example/x/"},
    )
    run_worker()
    [message] = mail.outbox
    assert message.to == [user.email]
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL" and done.args_kwargs == {"args": [], "kwargs": {}}


def test_a_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(db, queued):
    user = UserFactory(language="en")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.send_mail_in_language(
            to=user.email,
            language="en",
            subject_template="teams/email/message_subject.txt",
            body_template="teams/email/message_body.txt",
            context={"url": "https://schakel.example/x/"},
        )
        raise RuntimeError("the change fails after its mail was queued")
    run_worker()
    assert mail.outbox == [] and not DBTaskResult.objects.exists()


def test_a_mail_that_fails_is_recorded_as_failed_and_its_link_removed_too(db, queued, settings):
    services.send_mail_in_language(
        to="someone@example.org",
        language="nl",
        subject_template="teams/email/message_subject.txt",
        body_template="teams/email/message_body.txt",
        context={"url": "https://schakel.example/secret-link/"},
    )
    settings.EMAIL_BACKEND = "accounts.tests.no_such_module.EmailBackend"  # the mail server is unreachable
    run_worker()
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert "secret-link" not in json.dumps(failed.args_kwargs)
