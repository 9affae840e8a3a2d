"""Belgian identifiers, with the worked examples of REFERENCE.md section 4."""

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import insz_kind, normalise_insz, normalise_kbo, normalise_riziv


def bis_number(born_yymmdd: str, serial: str, month_offset: int = 40) -> str:
    yy, mm, dd = born_yymmdd[:2], int(born_yymmdd[2:4]) + month_offset, born_yymmdd[4:]
    base = f"{yy}{mm:02d}{dd}{serial}"
    return base + f"{97 - int(base) % 97:02d}"


@pytest.mark.parametrize("value", ["85073003328", "85.07.30-033.28", "850730 033 28"])
def test_insz_of_someone_born_before_2000_is_accepted_in_any_layout(value):
    assert normalise_insz(value) == "85073003328"


def test_insz_of_someone_born_after_2000_uses_the_2_prefix():
    assert normalise_insz("17073003384") == "17073003384"
    with pytest.raises(ValidationError):
        normalise_insz("17073003385")


def test_bis_number_is_accepted_and_recognised():
    bis = bis_number("850730", "033")
    assert normalise_insz(bis) == bis
    assert insz_kind(bis) == "bis"
    assert insz_kind("85073003328") == "nn"


@pytest.mark.parametrize("value", ["85073003329", "8507300332", "abc", ""])
def test_wrong_insz_is_refused_with_a_clear_message(value):
    with pytest.raises(ValidationError) as error:
        normalise_insz(value)
    assert error.value.code == "invalid_insz"


def test_kbo_number_check_digits():
    assert normalise_kbo("0566.988.259") == "0566988259"
    with pytest.raises(ValidationError) as error:
        normalise_kbo("0566.988.258")
    assert error.value.code == "invalid_kbo"


@pytest.mark.parametrize(
    ("value", "scheme"), [("18749704477", "mod97"), ("1-15302-31-003", "mod97"), ("12345676003", "mod89")]
)
def test_riziv_number_accepts_both_check_digit_schemes_and_records_which(value, scheme):
    number = normalise_riziv(value)
    assert number.scheme == scheme
    assert len(number.number) == 11


def test_riziv_number_formats_as_on_a_prescription():
    assert normalise_riziv("18749704477").formatted == "1-87497-04-477"


@pytest.mark.parametrize(
    ("value", "code"), [("1874970447", "invalid_riziv_length"), ("18749799477", "invalid_riziv_check")]
)
def test_wrong_riziv_number_is_refused(value, code):
    with pytest.raises(ValidationError) as error:
        normalise_riziv(value)
    assert error.value.code == code
