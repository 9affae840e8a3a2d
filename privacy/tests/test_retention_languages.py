"""Issue 11: the retention page gives the legal source in the reader's language."""

import pytest
from django.urls import reverse

from conftest import client_for


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("nl", "AVG art. 5(1)(c) en 5(1)(e)", "GDPR art."),
        ("fr", "RGPD art. 5(1)(c) et 5(1)(e)", "GDPR art."),
        ("en", "GDPR art. 5(1)(c) and 5(1)(e)", "AVG art."),
    ],
)
def test_the_legal_source_is_in_the_readers_language(rules, gp, language, expected, foreign):
    gp.language = language
    gp.save(update_fields=["language"])
    page = client_for(gp).get(reverse("privacy:retention")).content.decode()
    assert expected in page
    assert foreign not in page
