"""Every e-mail is sent from a background task: the request only queues it, the worker renders it
in the recipient's language and sends it, and the links it carried leave the tasks table."""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from accounts import services
from accounts.tests.factories import UserFactory
from core.vocab import Profile


@pytest.fixture
def queued(settings, monkeypatch):
    """Tasks wait in the database for the worker, as in a deployment. Between tasks the worker
    closes stale connections; here that would close the test's own transaction."""
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """What `make run`'s worker does, until the queue is empty."""
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-reload", "--no-startup-delay", verbosity=0)


def test_a_password_reset_mail_is_queued_then_sent_by_the_worker_in_the_accounts_language(db, queued):
    user = UserFactory(profile=Profile.NURSE, language="fr")
    client = Client()
    client.cookies["django_language"] = "nl"

    response = client.post(reverse("accounts:password-reset"), {"email": user.email})

    assert response.status_code == 302
    assert mail.outbox == []  # the page did not wait for the mail server
    waiting = DBTaskResult.objects.get()
    assert (waiting.task_path, waiting.queue_name, waiting.status) == (
        "accounts.services.send_mail_task",
        services.MAIL_QUEUE,
        "READY",
    )
    # The account travels as a reference, read again by the task.
    assert waiting.args_kwargs["kwargs"]["context"]["user"] == {"__model__": "accounts.user", "pk": user.pk}

    run_worker()

    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert message.subject == gettext("Schakel: choose a new password")
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCESSFUL", done.traceback
    # The reset link is a secret: once sent, it is no longer in the tasks table.
    token = message.body.rstrip("/\n").rsplit("/", 2)[-1]
    assert token and token not in json.dumps(done.args_kwargs)
    assert done.args_kwargs == {"args": [], "kwargs": {}}


def test_an_invitation_mail_leaves_only_the_token_hash_behind(db, queued):
    zone_admin = UserFactory(profile=Profile.ZONE_ADMIN, language="nl")
    invitation = services.invite_professional(
        zone_admin,
        email="els.wuyts@example.org",
        full_name="Els Wuyts",
        profile=Profile.SOCIAL_WORKER,
        language="fr",
        accept_url=lambda token: f"https://schakel.example/account/invitation/{token}/",
        new_organisation_name="Thuiszorg Noord",
    )
    assert mail.outbox == []
    run_worker()
    [message] = mail.outbox
    assert message.to == ["els.wuyts@example.org"] and message.extra_headers["Content-Language"] == "fr"
    assert "Els Wuyts" in message.body  # the invitation, read again from the database by the task
    token = message.body.split("/account/invitation/")[1].split("/")[0]
    assert invitation.token_hash == invitation.hash_token(token)
    assert token not in json.dumps(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))


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
