"""Belgian identifiers: INSZ/NISS (and BIS), KBO/BCE, RIZIV/INAMI (REFERENCE.md section 4).

INSZ and KBO come from python-stdnum; RIZIV/INAMI has no stdnum module, so it is here.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import ssn, vat
from stdnum.exceptions import ValidationError as StdnumError


def normalise_insz(value: str) -> str:
    """Return the 11 digits of a valid INSZ/NISS or BIS number, or raise ValidationError."""
    try:
        return ssn.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid INSZ/NISS or BIS number; check the 11 digits."),
            code="invalid_insz",
            params={"value": value},
        ) from error


def insz_kind(insz: str) -> str | None:
    """'nn' for a national register number, 'bis' for a BIS number (None for neither)."""
    return ssn.guess_type(insz)


def normalise_kbo(value: str) -> str:
    """Return the 10 digits of a valid KBO/BCE enterprise number, or raise ValidationError."""
    try:
        return vat.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid KBO/BCE enterprise number."),
            code="invalid_kbo",
            params={"value": value},
        ) from error


@dataclass(frozen=True)
class RizivNumber:
    number: str  # 11 digits
    scheme: str  # "mod97" (legacy) or "mod89" (INAMI note I 2012/26)

    @property
    def formatted(self) -> str:
        n = self.number
        return f"{n[0]}-{n[1:6]}-{n[6:8]}-{n[8:]}"


def normalise_riziv(value: str) -> RizivNumber:
    """Validate an 11-digit RIZIV/INAMI number under either check-digit scheme.

    Digits 7-8 check the first six: 97 - (first6 mod 97) for legacy numbers, 89 - (first6 mod 89)
    since INAMI note I 2012/26. REFERENCE.md 4.2 marks the exact rule as derived, so both are
    accepted and the one that matched is recorded.
    """
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) != 11 or any(ch not in "0123456789 -./" for ch in value):
        raise ValidationError(
            _("A RIZIV/INAMI number has 11 digits, for example 1-23456-78-901."),
            code="invalid_riziv_length",
        )
    first6, check = int(digits[:6]), int(digits[6:8])
    if check == 97 - first6 % 97:
        return RizivNumber(digits, "mod97")
    if check == 89 - first6 % 89:
        return RizivNumber(digits, "mod89")
    raise ValidationError(
        _("%(value)s is not a valid RIZIV/INAMI number: the check digits do not match."),
        code="invalid_riziv_check",
        params={"value": value},
    )
