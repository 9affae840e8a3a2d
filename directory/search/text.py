"""Text analysis shared by the index and the query, and by both database back-ends.

Words are lower-cased, stripped of accents and split on anything that is not a letter or digit
("l'hôpital" gives "l", "hopital"; one-letter pieces are dropped). Each word is then stemmed by
the Snowball stemmer of its language (PyStemmer): text written in Dutch with the Dutch stemmer,
French with the French one. A query word is stemmed both ways, because people in Brussels mix
the languages ("aide menagere schaarbeek"); it matches when either stem matches. SQLite's FTS5
has no Dutch or French stemmer and PostgreSQL's would differ from it, so stemming happens here
and the databases only see the stems.
"""

import re
import unicodedata
from functools import cache, lru_cache

import Stemmer

STEMMERS = {"nl": "dutch", "fr": "french", "en": "english"}
_WORD = re.compile(r"[a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})

# Words that say nothing about the need; they neither match nor count. Kept short on purpose:
# "alleen", "thuis", "seul" or "nuit" carry meaning and stay.
_STOPWORDS = """
    de het een en of maar dat die dit deze dan als om te ten ter van voor naar met bij in op aan uit
    door over onder tot toe er hier daar waar wat wie welke hoe is zijn was waren ben bent wordt worden
    word werd heb hebt heeft hebben had kan kun kunnen kunt mag mogen moet moeten wil wilt willen zal
    zou zouden ik je jij u hij zij ze we wij jullie hem haar hun mij me mijn mn jouw uw ons onze zijn
    niet geen wel ook nog al zo zeer heel erg iets iemand zoek zoeken zoekt nodig graag le la les un une
    des du de d l au aux et ou mais que qu qui quoi dont ce cet cette ces se s sa son ses mon ma mes ton
    ta tes notre nos votre vos leur leurs je j tu il elle on nous vous ils elles me m te t lui y en a
    est sont suis es etre ai as avons avez ont avoir fait faire pour par avec sans dans sur sous chez
    vers pas ne n plus tres bien aussi encore cherche chercher besoin laten laat gaan gaat ga doen doet
    krijgen krijg maken komen komt kom geven faire fait aller va vais mettre peut peux pouvoir veux
    vouloir the a an of to for in on at with by from and or is are be i my me we you our need looking
"""
STOPWORDS = frozenset(_STOPWORDS.split())
# Who the help is for says nothing about which help: "mijn man", "ma mère", "papy". Left out of
# matching, so that a rare relative in one everyday phrase does not outweigh the need itself.
_RELATIVES = """
    mama mam moeder moe papa pa vader va man vrouw echtgenoot echtgenote partner zoon dochter oma opa
    bomma bompa meme pepe grootmoeder grootvader ouders schoonmoeder schoonvader broer zus tante nonkel
    oom buurman buurvrouw maman mere pere mari epoux epouse conjoint conjointe fils fille mamie mamy
    papy papi grand parents frere soeur oncle voisin voisine belle beau mother father husband wife son
    daughter grandmother grandfather mum mom dad
"""
RELATIVES = frozenset(_RELATIVES.split())
STOPWORDS = STOPWORDS | RELATIVES


_COMBINING = re.compile("[\u0300-\u036f]")


def normalize(text: str) -> str:
    """Lower case, no accents, ligatures spelled out: "Œuvre Sœur" -> "oeuvre soeur"."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered.translate(_LIGATURES)))


def words(text: str) -> list[str]:
    """The normalised words of a text, one-letter pieces (elisions such as l', d', m') left out."""
    return [word for word in _WORD.findall(normalize(text)) if len(word) > 1]


def content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOPWORDS]


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS[language])


def stem(word: str, language: str) -> str:
    if word.isdigit():
        return word
    return str(_stemmer(language).stemWord(word))


def stems(text: str, language: str) -> list[str]:
    """The stems of a text written in one language, stopwords left out."""
    tokens = content_words(text)
    return list(_stemmer(language).stemWords(tokens)) if tokens else []


@lru_cache(maxsize=65_536)
def query_keys(word: str, languages: tuple[str, ...] = ("nl", "fr")) -> frozenset[tuple[str, str]]:
    """The (language, stem) pairs a query word may match. Cached: the need suggestions of a large
    import read the same words in service after service."""
    return frozenset((language, stem(word, language)) for language in languages)


def index_text(parts: list[tuple[str, str]], vocabulary: set[str] | None = None) -> str:
    """The stems of several texts, each in its language, as one space-separated string (the
    form both full-text back-ends index). The words seen are added to `vocabulary` if given."""
    seen: dict[str, None] = {}
    for content, language in parts:
        if not content:
            continue
        found = words(content)
        if vocabulary is not None:
            vocabulary.update(word for word in found if len(word) > 2 and word.isalpha())
        tokens = [word for word in found if word not in STOPWORDS]
        if tokens:
            for token in _stemmer(language).stemWords(tokens):
                seen.setdefault(token, None)
    return " ".join(seen)
