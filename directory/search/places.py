"""Places: a municipality, a postcode or a care zone, typed in the place field or in the words.

"poetshulp schaarbeek" means cleaning help in Schaarbeek: a municipality's Dutch or French name
(or a distinctive part of it, "molenbeek"), or a postcode, found in the words becomes the place
filter when the place field is empty, and leaves the words.
"""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from core.models import CareZone, Municipality
from directory.search import text

# Parts of names too common to stand for one municipality on their own.
COMMON_PARTS = frozenset(
    {"sint", "saint", "sainte", "jean", "pierre", "lambert", "lambrechts", "ten", "den", "op", "berg"}
)


@dataclass(frozen=True)
class Place:
    label: str
    municipality_ids: frozenset[int]
    nis_code: str = ""
    postcode: str = ""
    zone_id: int | None = None


@dataclass(frozen=True)
class _Row:
    pk: int
    nis_code: str
    postcode: str
    name_nl: str
    name_fr: str
    zone_id: int


class Gazetteer:
    """Every municipality row, by name (word sequences), by NIS code and by postcode."""

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self.by_nis: dict[str, list[_Row]] = {}
        self.by_postcode: dict[str, list[_Row]] = {}
        names: dict[tuple[str, ...], set[str]] = {}
        for row in rows:
            self.by_nis.setdefault(row.nis_code, []).append(row)
            self.by_postcode.setdefault(row.postcode, []).append(row)
            for name in {row.name_nl, row.name_fr} - {""}:
                names.setdefault(tuple(text.words(name)), set()).add(row.nis_code)
        part_owners: dict[str, set[str]] = {}
        for words, codes in names.items():
            if len(words) > 1:
                for word in words:
                    if len(word) >= 5 and word not in COMMON_PARTS:
                        part_owners.setdefault(word, set()).update(codes)
        # A part stands for a municipality only when it is no other's name or part.
        for word, codes in part_owners.items():
            if len(codes) == 1 and (word,) not in names:
                names[(word,)] = codes
        self.names = {words: next(iter(codes)) for words, codes in names.items() if len(codes) == 1}
        self.longest = max((len(words) for words in self.names), default=1)
        self.vocabulary = frozenset(word for words in self.names for word in words)
        self.labels = {" ".join(words): nis for words, nis in self.names.items()}

    def municipality(self, nis_code: str) -> Place | None:
        rows = self.by_nis.get(nis_code)
        if not rows:
            return None
        return Place(_label(rows[0]), frozenset(row.pk for row in rows), nis_code=nis_code)

    def postcode(self, postcode: str) -> Place | None:
        rows = self.by_postcode.get(postcode)
        if not rows:
            return None
        return Place(
            f"{postcode} {_label(rows[0])}",
            frozenset(row.pk for row in rows),
            nis_code=rows[0].nis_code,
            postcode=postcode,
        )

    def row(self, pk: int) -> _Row | None:
        return next((row for row in self.rows if row.pk == pk), None)

    def parse(self, value: str) -> Place | None:
        """The place field: a postcode, "<nis>-<postcode>", or a name (a small typo is fine)."""
        value = value.strip()
        if not value:
            return None
        digits = value.replace(" ", "")
        if digits.isdigit() and len(digits) == 4:
            return self.postcode(digits)
        if "-" in digits and digits.replace("-", "").isdigit():
            nis, _, postcode = digits.partition("-")
            rows = [row for row in self.by_nis.get(nis, []) if row.postcode == postcode]
            return (
                Place(f"{postcode} {_label(rows[0])}", frozenset(row.pk for row in rows), nis, postcode)
                if rows
                else None
            )
        words = tuple(text.words(value))
        nis = self.names.get(words)  # type: ignore[assignment]  # None when the name is unknown (below)
        if nis is None:
            found = process.extractOne(" ".join(words), self.labels.keys(), scorer=fuzz.ratio, score_cutoff=80)
            nis = self.labels[found[0]] if found else None
        return self.municipality(nis) if nis else None

    def find_in(self, words: list[str]) -> tuple[Place | None, list[str]]:
        """The first municipality named in the words (longest name first), and the words
        without it. A known postcode counts too."""
        for size in range(min(self.longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                window = tuple(words[start : start + size])
                nis = self.names.get(window)
                if nis:
                    return self.municipality(nis), words[:start] + words[start + size :]
        for index, word in enumerate(words):
            if len(word) == 4 and word.isdigit() and word in self.by_postcode:
                return self.postcode(word), words[:index] + words[index + 1 :]
        return None, words


def _label(row: _Row) -> str:
    from django.utils import translation

    if translation.get_language() == "fr":
        return row.name_fr or row.name_nl
    return row.name_nl or row.name_fr


def zone_place(zone: CareZone | int | str) -> Place | None:
    if isinstance(zone, str) and not zone.isdigit():
        found = CareZone.objects.filter(name=zone).first()
    else:
        found = CareZone.objects.filter(pk=zone.pk if isinstance(zone, CareZone) else int(zone)).first()
    if found is None:
        return None
    ids = frozenset(Municipality.objects.filter(zone=found).values_list("pk", flat=True))
    return Place(found.label, ids, zone_id=found.pk)


_lock = threading.Lock()
_cache: dict[tuple[object, ...], Gazetteer] = {}


def gazetteer() -> Gazetteer:
    """The municipalities as loaded now (the zone admin may edit them), read once per change."""
    stamp = Municipality.objects.aggregate(count=Count("id"), last=Max("id"))
    key = (stamp["count"], stamp["last"])
    with _lock:
        found = _cache.get(key)
    if found is None:
        rows = [
            _Row(*values)
            for values in Municipality.objects.values_list(
                "pk", "nis_code", "postcode", "name_nl", "name_fr", "zone_id"
            )
        ]
        found = Gazetteer(rows)
        with _lock:
            _cache.clear()
            _cache[key] = found
    return found
