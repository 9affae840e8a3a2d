"""From everyday words to need terms: which needs does a query (or a service's text) speak of?

Every term of the need taxonomy brings its phrases: the everyday words (Dutch and French), its
names and the provider words (jargon). A query word matches a phrase word when their stems match
(text.py). A term scores the weights of the query words it matches — a word found in few terms
("poetsvrouw") weighs much, one found in many ("hulp", "domicile") little — plus a bonus for
its best phrase whose words are all in the query ("hulp bij het wassen", "rusthuis"). The terms close to the
best score are the query's needs. The matcher is built once per process and rebuilt when the
zone admin edits the taxonomy.
"""

import math
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max

from directory.search import text
from directory.search.models import NeedTerm

Key = tuple[str, str]  # (language, stem)

# A term is a query's need when it scores at least MIN_SCORE and at least RELATIVE x the best.
MIN_SCORE = 2.5
RELATIVE = 0.6
MAX_TERMS = 3
# A full phrase counts this much more than its words found one by one.
PHRASE_BONUS = 0.6


@dataclass(frozen=True)
class Phrase:
    term_id: int
    text: str
    keys: tuple[frozenset[Key], ...]  # per phrase word, the (language, stem) pairs it stands for


@dataclass(frozen=True)
class TermMatch:
    term_id: int
    code: str
    score: float
    relative: float  # score / the best score of this query, in (0, 1]
    phrase: str  # the phrase or words that matched, for "we understood"


class Matcher:
    def __init__(self, phrases: list[Phrase], codes: dict[int, str]) -> None:
        self.phrases = phrases
        self.codes = codes
        self.terms_by_key: dict[Key, set[int]] = defaultdict(set)
        self.phrases_by_term: dict[int, list[Phrase]] = defaultdict(list)
        # For suggest(): the phrases (by position) each first word can start, so that a service's
        # text is read once instead of once per phrase (a 100,000-service import suggests for all).
        self.starting: dict[Key, list[int]] = defaultdict(list)
        for position, phrase in enumerate(phrases):
            self.phrases_by_term[phrase.term_id].append(phrase)
            for key in phrase.keys[0] if phrase.keys else ():
                self.starting[key].append(position)
            for keys in phrase.keys:
                for key in keys:
                    self.terms_by_key[key].add(phrase.term_id)
        total = max(len(codes), 1)
        self.idf = {key: math.log(1 + total / len(terms)) for key, terms in self.terms_by_key.items()}
        # Every surface word of the phrases: part of the vocabulary typos are corrected against.
        self.vocabulary = frozenset(word for phrase in phrases for word in text.words(phrase.text))

    def _weight(self, keys: Iterable[Key]) -> float:
        return max((self.idf.get(key, 0.0) for key in keys), default=0.0)

    def match(self, query_words: list[str], languages: tuple[str, ...] = ("nl", "fr")) -> list[TermMatch]:
        """The needs of a query, best first (at most MAX_TERMS)."""
        words = [word for word in query_words if word not in text.STOPWORDS]
        if not words:
            return []
        query_keys = [text.query_keys(word, languages) for word in words]
        found: set[Key] = set().union(*query_keys)
        token_score: dict[int, float] = defaultdict(float)
        token_words: dict[int, list[str]] = defaultdict(list)
        for word, keys in zip(words, query_keys, strict=True):
            weights: dict[int, float] = {}
            for key in keys:
                for term_id in self.terms_by_key.get(key, ()):
                    weights[term_id] = max(weights.get(term_id, 0.0), self.idf[key])
            for term_id, weight in weights.items():
                token_score[term_id] += weight
                token_words[term_id].append(word)
        results = []
        for term_id, score in token_score.items():
            best_phrase, bonus = "", 0.0
            for phrase in self.phrases_by_term[term_id]:
                if all(keys & found for keys in phrase.keys):
                    weight = sum(self._weight(keys) for keys in phrase.keys) * PHRASE_BONUS
                    if weight > bonus:
                        best_phrase, bonus = phrase.text, weight
            results.append((score + bonus, term_id, best_phrase or " ".join(token_words[term_id])))
        if not results:
            return []
        results.sort(key=lambda item: (-item[0], self.codes[item[1]]))
        best = results[0][0]
        return [
            TermMatch(term_id, self.codes[term_id], round(score, 3), round(score / best, 3), phrase)
            for score, term_id, phrase in results[:MAX_TERMS]
            if score >= MIN_SCORE and score >= RELATIVE * best
        ]

    def suggest(self, content: str, language: str) -> list[TermMatch]:
        """Needs a service's own text speaks of: only whole phrases (provider words, everyday
        words, names) found word for word in order, so that a long description does not match
        everything. For the curator's suggestions."""
        tokens = text.content_words(content)
        token_keys = [text.query_keys(token, (language, "nl", "fr")) for token in tokens]
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        found: set[int] = set()  # each phrase counts once, wherever it is found first
        for start, keys in enumerate(token_keys):
            candidates = {position for key in keys for position in self.starting.get(key, ())}
            for position in candidates - found:
                phrase = self.phrases[position]
                size = len(phrase.keys)
                if start + size <= len(tokens) and all(phrase.keys[i] & token_keys[start + i] for i in range(size)):
                    found.add(position)
        for position in sorted(found):  # in the taxonomy's order, as the curator reads them
            phrase = self.phrases[position]
            scores[phrase.term_id] += sum(self._weight(keys) for keys in phrase.keys)
            matched[phrase.term_id].append(phrase.text)
        if not scores:
            return []
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.codes[item[0]]))
        best = ranked[0][1]
        return [
            TermMatch(
                term_id, self.codes[term_id], round(score, 3), round(score / best, 3), ", ".join(matched[term_id])
            )
            for term_id, score in ranked[:MAX_TERMS]
            if score >= MIN_SCORE and score >= RELATIVE * best
        ]


def _phrase(term_id: int, phrase: str, languages: tuple[str, ...]) -> Phrase:
    keys = tuple(
        frozenset((language, text.stem(word, language)) for language in languages)
        for word in text.content_words(phrase)
    )
    return Phrase(term_id, phrase, keys)


def build(needs: Iterable[NeedTerm], *, everyday: bool = True) -> Matcher:
    """A matcher over the needs' names, provider words and (unless `everyday` is off, the
    baseline of the quality bench) everyday words."""
    phrases: list[Phrase] = []
    codes: dict[int, str] = {}
    for need in needs:
        if need.is_group:
            continue
        codes[need.term_id] = need.code
        sources: list[tuple[str, tuple[str, ...]]] = [
            (need.name_nl, ("nl",)),
            (need.name_fr, ("fr",)),
            (need.name_en, ("en",)),
        ]
        sources += [(line, ("nl", "fr")) for line in need.lines("jargon")]
        if everyday:
            sources += [(line, ("nl",)) for line in need.lines("everyday_words_nl")]
            sources += [(line, ("fr",)) for line in need.lines("everyday_words_fr")]
        for phrase, languages in sources:
            built = _phrase(need.term_id, phrase, languages)
            if built.keys:
                phrases.append(built)
    return Matcher(phrases, codes)


_lock = threading.Lock()
_cache: dict[tuple[object, ...], Matcher] = {}


def current(*, everyday: bool = True) -> Matcher:
    """The matcher of the taxonomy in force, rebuilt when a need was added or edited."""
    stamp = NeedTerm.objects.aggregate(count=Count("id"), latest=Max("updated_at"), versions=Max("version"))
    key = (everyday, stamp["count"], stamp["latest"], stamp["versions"])
    with _lock:
        matcher = _cache.get(key)
    if matcher is None:
        matcher = build(NeedTerm.objects.all(), everyday=everyday)
        with _lock:
            if len(_cache) > 8:
                _cache.clear()
            _cache[key] = matcher
    return matcher
