"""Typo tolerance: a query word the index, the taxonomy and the place names do not know is
replaced by the closest word they do know ("poetshlup" -> "poetshulp", "alzeimer" -> "alzheimer").

The vocabulary is the published dataset's words (SearchWord) plus the taxonomy's phrases and the
municipality names. rapidfuzz scores the candidates (the same scorer on both databases). SQLite
keeps the dataset's words in memory per process; PostgreSQL asks its trigram index (pg_trgm) for
the candidates, so a large vocabulary need not be held in every worker.
"""

import threading
from collections.abc import Iterable

from django.db import connection
from rapidfuzz import fuzz, process

from directory.search.models import SearchWord

MIN_LENGTH = 4  # shorter words are left alone: too many near neighbours
CANDIDATES = 25


def cutoff(word: str) -> float:
    """How close a correction must be (rapidfuzz ratio, 0-100): stricter for short words."""
    return 85.0 if len(word) <= 5 else 78.0


def correctable(word: str) -> bool:
    return len(word) >= MIN_LENGTH and word.isalpha()


PREFIX = 6  # a word sharing its first letters with a known one is its kin ("kinesist", "kinesitherapie")


def best(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate within the cut-off; ties go to the shorter, then alphabetical. With
    none, a known word sharing the first PREFIX letters (and three quarters of the word): Dutch
    and French derive many words from one stem the stemmer does not reach."""
    choices = list(candidates)
    scored = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff(word), limit=CANDIDATES)
    if scored:
        top = max(score for _, score, _ in scored)
        return min((choice for choice, score, _ in scored if score == top), key=lambda choice: (len(choice), choice))
    shared = max(PREFIX, -(-len(word) * 3 // 4))
    if len(word) < shared:
        return None
    kin = [choice for choice in choices if choice[:shared] == word[:shared]]
    return min(kin, key=lambda choice: (len(choice), choice)) if kin else None


class _DatasetWords:
    def __init__(self, dataset_id: int) -> None:
        self.dataset_id = dataset_id
        self.words = frozenset(SearchWord.objects.filter(dataset_id=dataset_id).values_list("word", flat=True))
        self.count = len(self.words)


_lock = threading.Lock()
_cache: dict[int, _DatasetWords] = {}


def _dataset_words(dataset_id: int) -> frozenset[str]:
    count = SearchWord.objects.filter(dataset_id=dataset_id).count()
    with _lock:
        cached = _cache.get(dataset_id)
    if cached is None or cached.count != count:
        cached = _DatasetWords(dataset_id)
        with _lock:
            _cache.clear()
            _cache[dataset_id] = cached
    return cached.words


def correct(words: list[str], *, dataset_id: int | None, extra: frozenset[str]) -> dict[str, str]:
    """{misspelled: corrected} for the words that need it."""
    unknown = [word for word in dict.fromkeys(words) if correctable(word) and word not in extra]
    if not unknown:
        return {}
    if dataset_id is not None and connection.vendor == "postgresql":
        return _correct_postgresql(unknown, dataset_id, extra)
    known = _dataset_words(dataset_id) if dataset_id is not None else frozenset()
    corrections = {}
    for word in unknown:
        if word in known:
            continue
        choice = best(word, known | extra)
        if choice and choice != word:
            corrections[word] = choice
    return corrections


def _correct_postgresql(unknown: list[str], dataset_id: int, extra: frozenset[str]) -> dict[str, str]:
    table = SearchWord._meta.db_table
    marks = ", ".join(["%s"] * len(unknown))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {table} WHERE dataset_id = %s AND word IN ({marks})",  # noqa: S608 - constant name
            [dataset_id, *unknown],
        )
        known = {row[0] for row in cursor.fetchall()}
        corrections = {}
        for word in unknown:
            if word in known:
                continue
            cursor.execute(
                f"SELECT word FROM {table} WHERE dataset_id = %s AND word %% %s "  # noqa: S608
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [dataset_id, word, word, CANDIDATES],
            )
            candidates = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT word FROM {table} WHERE dataset_id = %s AND word LIKE %s ORDER BY length(word), word LIMIT 5",  # noqa: S608
                [dataset_id, word[: max(PREFIX, -(-len(word) * 3 // 4))] + "%"],
            )
            candidates |= {row[0] for row in cursor.fetchall()}
            extras = {
                choice for choice, _, _ in process.extract(word, list(extra), scorer=fuzz.ratio, limit=CANDIDATES)
            }
            extras |= {choice for choice in extra if choice[:PREFIX] == word[:PREFIX]}
            choice = best(word, candidates | extras)
            if choice and choice != word:
                corrections[word] = choice
    return corrections
