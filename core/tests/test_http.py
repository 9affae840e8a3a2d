import pytest
from django.core.exceptions import ValidationError
from ninja.errors import HttpError

from core.http import etag, version_from_if_match


@pytest.mark.parametrize("header", ['W/"3"', '"3"', "3"])
def test_if_match_reads_the_version_weak_or_strong(header):
    assert version_from_if_match(header) == 3


def test_if_match_reads_back_the_etag_a_read_sent():
    assert version_from_if_match(etag(17)) == 17


@pytest.mark.parametrize("header", [None, ""])
def test_a_change_without_if_match_is_refused_with_428(header):
    with pytest.raises(HttpError) as refused:
        version_from_if_match(header)
    assert refused.value.status_code == 428


def test_an_if_match_that_is_not_a_version_is_invalid():
    with pytest.raises(ValidationError) as invalid:
        version_from_if_match('W/"abc"')
    assert invalid.value.code == "invalid_if_match"
