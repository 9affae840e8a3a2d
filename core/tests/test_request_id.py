"""Every answer carries a request id, and every audit row written while answering carries the
same one, so that the rows of one request can be found together."""

import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEntry
from core import context


def test_every_answer_gets_a_fresh_request_id(client, db):
    first = client.get(reverse("accounts:login"))
    second = client.get(reverse("accounts:login"))
    assert uuid.UUID(first["X-Request-ID"]) != uuid.UUID(second["X-Request-ID"])


def test_a_valid_incoming_request_id_is_kept(client, db):
    sent = str(uuid.uuid4())
    assert client.get(reverse("accounts:login"), headers={"X-Request-ID": sent})["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["", "not-a-uuid", "x" * 500, "1; DROP TABLE audit_auditentry"])
def test_an_invalid_incoming_request_id_is_replaced(client, db, sent):
    answer = client.get(reverse("accounts:login"), headers={"X-Request-ID": sent})
    assert answer["X-Request-ID"] != sent
    uuid.UUID(answer["X-Request-ID"])


def test_the_request_id_is_gone_after_the_request(client, db):
    client.get(reverse("accounts:login"))
    assert context.request_id.get() == ""


def test_a_404_answer_and_its_audit_row_share_the_request_id(outsider_client, outsider, person):
    answer = outsider_client.get(reverse("people:detail", args=[person.public_id]))
    assert answer.status_code == 404
    assert AuditEntry.objects.get(actor_id=outsider.pk).request_id == answer["X-Request-ID"]


def test_deferred_audit_rows_are_written_while_the_request_id_is_known():
    """The middleware that commits deferred audit rows runs inside the one that sets the id."""
    middleware = settings.MIDDLEWARE
    assert middleware.index("core.middleware.RequestIdMiddleware") < middleware.index(
        "audit.middleware.IndependentAuditMiddleware"
    )
