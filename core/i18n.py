"""Text read in several languages is stored per language (name_nl, name_fr, name_en); pages read the
active language and fall back nl <-> fr, then English, so a one-language record still shows."""

from django.utils import translation

# Import and export languages of the directory (HSDS files are one language per file).
CONTENT_LANGUAGES = ("nl", "fr", "en")


def fallback_order(language: str | None) -> tuple[str, ...]:
    if language == "fr":
        return ("fr", "nl", "en")
    if language == "en":
        return ("en", "nl", "fr")
    return ("nl", "fr", "en")


def pick(obj: object, field: str, language: str | None = None) -> str:
    """`pick(service, "name")`: the value of name_<active language>, else the other language."""
    for code in fallback_order(language or translation.get_language()):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def exact(obj: object, field: str, language: str) -> str:
    """The value in one language only, without fallback (exports are one language per file)."""
    return str(getattr(obj, f"{field}_{language}", "") or "")
