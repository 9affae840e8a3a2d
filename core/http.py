"""The optimistic-locking protocol the JSON APIs share: a read sends the row's version as a weak
ETag, a change sends it back in If-Match (a stale one answers 412, a missing one 428)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja.errors import HttpError


def etag(version: int) -> str:
    return f'W/"{version}"'


def version_from_if_match(header: str | None) -> int:
    """W/"3" or "3" -> 3. Without it a change could overwrite someone else's: 428."""
    if not header:
        raise HttpError(428, _("Send the version you read in an If-Match header."))
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError as error:
        raise ValidationError(_("The If-Match header must hold a version number."), code="invalid_if_match") from error
