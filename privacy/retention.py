"""The retention rules file: parse, check, load into RetentionRule; and period arithmetic.

Mirrors access.matrix: the shipped file (privacy/retention.toml) is the source, `manage.py
load_retention` puts it in the database, the purge and the retention page read the database.
"""

import calendar
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext

from core import persondata
from privacy.models import RetentionRule

FILE = Path(__file__).with_name("retention.toml")
LANGUAGES = ("en", "nl", "fr")


# Kept whatever a registration or a file says: the access log is append-only and hash-chained (a
# PostgreSQL trigger refuses DELETE; patients' rights and GDPR art. 30 need it), and the closure is
# the purge's own proof. Hard-wired here so that no edit of a registration can make them purgeable.
LEGALLY_KEPT = frozenset({"audit_log", "closures"})


def always_kept() -> frozenset[str]:
    """Kinds whose outcome must be "keep" whatever a file says: the legally kept ones, and those
    their apps registered as kept (core.persondata)."""
    registered = frozenset(kind for kind, found in persondata.purge_kinds().items() if found[0].purge.outcome == "keep")
    return LEGALLY_KEPT | registered


@dataclass(frozen=True)
class ShippedRule:
    kind: str
    label: dict[str, str]
    years: int
    months: int
    counts_from: str
    outcome: str
    legal_source: dict[str, str]
    reasoning: dict[str, str]
    position: int


@dataclass(frozen=True)
class RetentionFile:
    version: str
    rules: dict[str, ShippedRule]


def parse(data: dict[str, Any]) -> RetentionFile:
    """Check a parsed file: known kinds only and all of them, a period, an event, an outcome, a
    legal source and a label and reasoning in three languages. Raises ValidationError naming
    every problem."""
    from privacy.purge import purgeable_kinds  # the kinds the purge knows how to remove

    kept = always_kept()
    known = purgeable_kinds() | kept
    problems: list[str] = []
    rules: dict[str, ShippedRule] = {}
    raw = data.get("rules", {})
    if set(raw) != known:
        problems.append(f"kinds differ from the known ones: {sorted(set(raw) ^ known)}")
    for kind, rule in raw.items():
        years, months = rule.get("years", 0), rule.get("months", 0)
        if not isinstance(years, int) or not isinstance(months, int) or years < 0 or not 0 <= months < 12:
            problems.append(f"{kind}: years must be a whole number ≥ 0 and months 0-11")
        elif years == 0 and months == 0:
            problems.append(f"{kind}: the period is empty")
        if rule.get("counts_from") not in RetentionRule.CountsFrom.values:
            problems.append(f"{kind}: counts_from must be one of {RetentionRule.CountsFrom.values}")
        if rule.get("outcome") not in RetentionRule.Outcome.values:
            problems.append(f"{kind}: outcome must be one of {RetentionRule.Outcome.values}")
        if kind in kept and rule.get("outcome") != RetentionRule.Outcome.KEEP:
            problems.append(f"{kind}: is never purged, its outcome must be keep")
        for field in ("label", "legal_source", "reasoning"):
            texts = rule.get(field)
            if not isinstance(texts, dict) or any(not str(texts.get(lang, "")).strip() for lang in LANGUAGES):
                problems.append(f"{kind}: {field} needs en, nl and fr")
        rules[kind] = ShippedRule(
            kind=kind,
            label=_texts(rule, "label"),
            years=years if isinstance(years, int) else 0,
            months=months if isinstance(months, int) else 0,
            counts_from=rule.get("counts_from", ""),
            outcome=rule.get("outcome", ""),
            legal_source={lang: str(text).strip() for lang, text in _texts(rule, "legal_source").items()},
            reasoning=_texts(rule, "reasoning"),
            position=int(rule.get("position", 0)),
        )
    if not data.get("version"):
        problems.append("version is missing")
    if problems:
        raise ValidationError(problems, code="invalid_retention_file")
    return RetentionFile(version=str(data["version"]), rules=rules)


def _texts(rule: dict[str, Any], field: str) -> dict[str, str]:
    texts = rule.get(field)
    return dict(texts) if isinstance(texts, dict) else {}


def read_file(path: Path | None = None) -> RetentionFile:
    with open(path or FILE, "rb") as handle:
        return parse(tomllib.load(handle))


@dataclass(frozen=True)
class RuleChange:
    kind: str
    change: str  # "new", "changed", "removed", "same"


def plan(shipped: RetentionFile) -> list[RuleChange]:
    """What loading the file would change, without changing anything."""
    current = {rule.kind: rule for rule in RetentionRule.objects.all()}
    changes = []
    for kind, rule in sorted(shipped.rules.items(), key=lambda item: item[1].position):
        row = current.get(kind)
        if row is None:
            changes.append(RuleChange(kind, "new"))
        elif _fields(rule) != {name: getattr(row, name) for name in _fields(rule)}:
            changes.append(RuleChange(kind, "changed"))
        else:
            changes.append(RuleChange(kind, "same"))
    changes += [RuleChange(kind, "removed") for kind in sorted(set(current) - set(shipped.rules))]
    return changes


def _fields(rule: ShippedRule) -> dict[str, Any]:
    return {
        "label": rule.label,
        "years": rule.years,
        "months": rule.months,
        "counts_from": rule.counts_from,
        "outcome": rule.outcome,
        "legal_source": rule.legal_source,
        "reasoning": rule.reasoning,
        "position": rule.position,
    }


def load(shipped: RetentionFile) -> list[RuleChange]:
    """Make the rules in force those of the file. The zone does not edit retention: a period is a
    legal choice, changed in the file (reviewed, versioned) and reloaded."""
    changes = plan(shipped)
    now = timezone.now()
    with transaction.atomic():
        for rule in shipped.rules.values():
            RetentionRule.objects.update_or_create(
                kind=rule.kind, defaults={**_fields(rule), "version": shipped.version, "loaded_at": now}
            )
        RetentionRule.objects.exclude(kind__in=list(shipped.rules)).delete()
    return changes


def ensure_loaded() -> None:
    """Load the shipped file when the table is empty (a fresh database, a test)."""
    if not RetentionRule.objects.exists():
        load(read_file())


# ── periods ─────────────────────────────────────────────────────────────────────────────────


def add_period(moment: datetime, years: int, months: int) -> datetime:
    """The same day `years` and `months` later; the 29th-31st fall back to the month's last day."""
    total = moment.month - 1 + months + 12 * years
    year, month = moment.year + total // 12, total % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def subtract_period(moment: datetime, years: int, months: int) -> datetime:
    total = moment.month - 1 - months - 12 * years
    year, month = moment.year + total // 12, total % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_label(years: int, months: int) -> str:
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    return " ".join(parts)


def in_language(texts: dict[str, str], language: str | None = None) -> str:
    """A rule's label or reasoning in the reader's language, else English."""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en", "")


# ── the table in docs/privacy.md ────────────────────────────────────────────────────────────

TABLE_START = "<!-- retention-table:start (generated: manage.py load_retention --markdown) -->"
TABLE_END = "<!-- retention-table:end -->"
_COUNTS_FROM = {"closure": "closing of the dossier", "last_change": "the record's last change"}
_OUTCOME = {"delete": "deleted", "anonymise": "anonymised", "keep": "kept (never purged)"}


def markdown_table(shipped: RetentionFile) -> str:
    """The retention table of docs/privacy.md, in English, from the shipped file."""
    lines = [
        "| Kind | Record | Period | Counted from | At the end | Legal source |",
        "|---|---|---|---|---|---|",
    ]
    for rule in sorted(shipped.rules.values(), key=lambda r: (r.position, r.kind)):
        years = f"{rule.years} year{'s' if rule.years != 1 else ''}" if rule.years else ""
        months = f"{rule.months} month{'s' if rule.months != 1 else ''}" if rule.months else ""
        period = " ".join(part for part in (years, months) if part)
        if rule.outcome == "keep":
            period = f"at least {period}"
        lines.append(
            f"| `{rule.kind}` | {rule.label['en']} | {period} | {_COUNTS_FROM[rule.counts_from]} "
            f"| {_OUTCOME[rule.outcome]} | {rule.legal_source['en']} |"
        )
    return "\n".join(lines)
