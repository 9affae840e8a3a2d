from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """A stale edit: someone changed the record since it was read (412 in the API)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")
