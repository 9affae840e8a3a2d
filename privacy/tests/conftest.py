"""Fixtures for the closing, retention and purge tests: English as the language read, and the
shipped retention rules loaded."""

import pytest

from privacy.models import RetentionRule


@pytest.fixture
def reading_language() -> str:
    return "en"


@pytest.fixture
def rules(db):
    from privacy import retention

    retention.load(retention.read_file())
    return {rule.kind: rule for rule in RetentionRule.objects.all()}
