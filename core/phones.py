"""Phone numbers as people read and dial them, for every app's pages.

A number is stored as typed (the social map's imports) or in E.164 (the dossier contacts and the
care team's reachability). Read as Belgian when it has no country code, a valid number is shown in
the international format (`+32 14 69 77 50`) and dialled through `tel:+3214697750`; a valid
Belgian short number (`1733`, `112`) is shown and dialled as it is. Anything else is shown as
typed and never made a link: a broken `tel:` link would dial a wrong number.
"""

from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo

REGION = "BE"


@dataclass(frozen=True)
class Phone:
    display: str  # "+32 14 69 77 50", or the value as typed
    uri: str  # "tel:+3214697750", or "" when the value is not a number one can dial


def read(value: str | None) -> Phone:
    typed = (value or "").strip()
    if not typed:
        return Phone("", "")
    try:
        number = phonenumbers.parse(typed, REGION)
    except phonenumbers.NumberParseException:
        return Phone(typed, "")
    if phonenumbers.is_valid_number(number):
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL), f"tel:{e164}")
    digits = phonenumbers.normalize_digits_only(typed)
    if digits == typed.replace(" ", "") and shortnumberinfo.is_valid_short_number_for_region(number, REGION):
        return Phone(digits, f"tel:{digits}")
    return Phone(typed, "")


def display(value: str | None) -> str:
    """+3214697750 -> +32 14 69 77 50; kept as typed when it is not a valid number."""
    return read(value).display
