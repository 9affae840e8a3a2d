"""The access tests read English (the root conftest's users and the active language)."""

import pytest


@pytest.fixture
def reading_language() -> str:
    return "en"
