"""Fixtures for the meeting tests: English as the language read."""

import pytest


@pytest.fixture
def reading_language() -> str:
    return "en"
