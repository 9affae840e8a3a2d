"""The kinds of early signals (PLAN-06), read from plans/signals/kinds.toml: each with its data
category, what recording it creates (a proposed action or a review due), after how many days an
untouched one is flagged, and its texts in English, Dutch and French."""

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import translation

from core.i18n import CONTENT_LANGUAGES, fallback_order
from core.vocab import Category

KINDS_FILE = Path(__file__).with_name("kinds.toml")
CREATES = ("action", "review")


@dataclass(frozen=True)
class SignalKind:
    code: str
    category: str
    creates: str  # "action" or "review"
    flag_after_days: int
    labels: dict[str, str]
    action_titles: dict[str, str]

    def _pick(self, texts: dict[str, str], language: str | None) -> str:
        for code in fallback_order(language or translation.get_language()):
            if texts.get(code):
                return texts[code]
        return self.code

    def label(self, language: str | None = None) -> str:
        """What the recorder chose, in the active language (or `language`)."""
        return self._pick(self.labels, language)

    def action_title(self, language: str | None = None) -> str:
        """The next step the kind suggests, in the active language (or `language`)."""
        return self._pick(self.action_titles, language)


def _texts(raw: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or any(
        not isinstance(raw.get(lang), str) or not raw[lang].strip() for lang in CONTENT_LANGUAGES
    ):
        problems.append(f"{where}: give a text in each of {', '.join(CONTENT_LANGUAGES)}")
        return {}
    return {lang: raw[lang].strip() for lang in CONTENT_LANGUAGES}


def parse(data: dict[str, Any]) -> dict[str, SignalKind]:
    """The kinds of a parsed kinds file, in file order; a ValueError lists every problem."""
    problems: list[str] = []
    found: dict[str, SignalKind] = {}
    raw_kinds = data.get("kinds")
    if not isinstance(raw_kinds, dict) or not raw_kinds:
        raise ValueError("kinds.toml: no [kinds.<code>] tables")
    for code, raw in raw_kinds.items():
        where = f"kinds.{code}"
        if not code.isidentifier() or not code.islower() or len(code) > 40:
            problems.append(f"{where}: a code is lower_snake_case, at most 40 characters")
        category = raw.get("category")
        if category not in Category.values:
            problems.append(f"{where}: category {category!r} is not a category of core.vocab.Category")
        creates = raw.get("creates")
        if creates not in CREATES:
            problems.append(f"{where}: creates must be one of {CREATES}, not {creates!r}")
        days = raw.get("flag_after_days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 90:
            problems.append(f"{where}: flag_after_days is a whole number of days from 1 to 90")
        labels = _texts(raw.get("label"), f"{where}.label", problems)
        titles: dict[str, str] = {}
        if creates == "action":
            titles = _texts(raw.get("action"), f"{where}.action", problems)
            if any(len(text) > 200 for text in titles.values()):
                problems.append(f"{where}.action: an action's title has at most 200 characters")
        elif "action" in raw:
            problems.append(f"{where}: only a kind that creates an action has an action title")
        unknown = set(raw) - {"category", "creates", "flag_after_days", "label", "action"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        found[code] = SignalKind(
            code, str(category), str(creates), days if isinstance(days, int) else 0, labels, titles
        )
    if problems:
        raise ValueError("kinds.toml: " + "; ".join(problems))
    return found


def read_file(path: Path = KINDS_FILE) -> dict[str, SignalKind]:
    with path.open("rb") as handle:
        return parse(tomllib.load(handle))


@functools.cache
def all_kinds() -> dict[str, SignalKind]:
    """The shipped kinds, read once per process."""
    return read_file()


def get(code: str) -> SignalKind | None:
    return all_kinds().get(code)


def choices() -> list[tuple[str, str]]:
    """(code, label) in file order, in the active language: the form's choices."""
    return [(kind.code, kind.label()) for kind in all_kinds().values()]


def review_codes() -> list[str]:
    """The kinds whose signal marks the plan due for review."""
    return [kind.code for kind in all_kinds().values() if kind.creates == "review"]
