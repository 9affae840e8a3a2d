"""No page of the demo shows a string of another language (issue 11).

Each demo profile crawls the pages it can reach from its home page (GET only, same site, bounded),
once reading Dutch and once reading French. The visible text of every page (the <title> and the
aria-label, title, placeholder and alt attributes included; scripts and styles left out) must hold
no string that belongs only to another language:

- the translation catalogues: on a Dutch page, the French translations and the English source
  texts that Dutch translates differently; on a French page, the reverse;
- the data kept in three languages: the access matrix's rationales, the retention rules' labels
  and reasoning, the need taxonomy's names and descriptions, the care zones' names.

Strings are compared word by word (case and punctuation ignored) within one block of the page (a
paragraph, a cell, a label), and only those long enough to belong to one language: at least two
words and ten characters, or one word of twelve. A string the page's own language uses too is
never foreign. What people typed (dossier entries, messages, names, a social-map record that has
no text in the page's language) is shown as they wrote it and is not checked. ALLOWED lists the
legitimate exceptions, each with its reason.

The crawl is bounded (MAX_PAGES, MAX_DEPTH, one page per view, a public page once per language)
so that it stays fast; a failure names the page, the profile, the language and the string.
"""

import gettext
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr")

# Phrases allowed on a page of any language, with the reason (compared word by word, case and
# punctuation ignored). A foreign string inside one of them is not reported.
ALLOWED: dict[str, str] = {
    "Web Content Accessibility Guidelines": "the standard's own name, not translated",
    "Goal Attainment Scaling": "the method's own name, kept (with a gloss) in the Dutch and French texts",
}

# The crawl's bounds: pages per profile and language, links followed from the start, and pages
# per view (so that a list of fifty persons costs one dossier, and the sections one section).
MAX_PAGES = 20
MAX_DEPTH = 3
PER_ROUTE = 1
# Never followed: they change the session or leave the pages (downloads, the API, the admin).
SKIPPED_ROUTES = {"accounts:logout", "accounts:set-language"}
SKIPPED_PREFIXES = ("/django-admin/", "/api/", "/hsds/", "/static/", "/media/")

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{?\s*[\w.]+\s*\}?\}|\{\w*\}|<[^>]*>")
WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.lower()))


def long_enough(tokens: tuple[str, ...]) -> bool:
    text = " ".join(tokens)
    if len(tokens) >= 2:
        return len(text) >= 10
    return len(text) >= 12 and not any(char.isdigit() for char in text)


def pieces(text: str) -> Iterator[tuple[str, ...]]:
    """The parts of a message between its placeholders and tags, as words."""
    for part in PLACEHOLDER.split(text):
        tokens = words(part)
        if tokens:
            yield tokens


# ── the foreign strings ─────────────────────────────────────────────────────────────────────────


def _catalogue(language: str) -> dict[str, str]:
    """msgid -> msgstr of Schakel's own compiled catalogue (plural forms: each form)."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.mo"
    with open(path, "rb") as handle:
        raw = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    catalogue: dict[str, str] = {}
    for key, value in raw.items():
        if not key:
            continue  # the header
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(key, tuple):
            msgid = f"{msgid}\x00{key[1]}"
        catalogue[msgid.split("\x04")[-1]] = value  # drop a context
    return catalogue


def _data_texts() -> dict[str, list[str]]:
    """The data texts kept in three languages, per language."""
    from access.models import MatrixCell
    from core.models import CareZone
    from directory.search.models import NeedTerm
    from privacy.models import RetentionRule

    texts: dict[str, list[str]] = defaultdict(list)
    for cell in MatrixCell.objects.all():
        for language in ("en", "nl", "fr"):
            texts[language].append(getattr(cell, f"rationale_{language}"))
    for rule in RetentionRule.objects.all():
        for field in (rule.label, rule.legal_source, rule.reasoning):
            for language, value in field.items() if isinstance(field, dict) else ():
                texts[language].append(value)
    for need in NeedTerm.objects.all():
        for language in ("en", "nl", "fr"):
            texts[language] += [getattr(need, f"name_{language}"), getattr(need, f"description_{language}")]
    for zone in CareZone.objects.all():
        for language in ("nl", "fr"):
            texts[language].append(getattr(zone, f"name_{language}", ""))
    return texts


def _sentences(text: str) -> Iterator[str]:
    yield text
    yield from re.split(r"(?<=[.!?;:])\s+", text)


def foreign_strings() -> dict[str, set[tuple[str, ...]]]:
    """For each page language, the strings that belong only to another language."""
    catalogues = {language: _catalogue(language) for language in LANGUAGES}
    shown: dict[str, set[tuple[str, ...]]] = {language: set() for language in ("en", *LANGUAGES)}
    msgids = set().union(*(catalogue.keys() for catalogue in catalogues.values()))
    for msgid in msgids:
        english = msgid.split("\x00")[0]
        for language, catalogue in catalogues.items():
            translated = catalogue.get(msgid) or english
            shown[language].update(pieces(translated))
            if translated != english:
                shown["en"].update(pieces(english))
    for language, values in _data_texts().items():
        for value in values:
            for sentence in _sentences(value or ""):
                shown[language].update(pieces(sentence))
    foreign: dict[str, set[tuple[str, ...]]] = {}
    for language in LANGUAGES:
        others = set().union(*(strings for other, strings in shown.items() if other != language))
        foreign[language] = {tokens for tokens in others - shown[language] if long_enough(tokens)}
    return foreign


def entered_texts() -> set[tuple[str, ...]]:
    """What people typed (dossier entries, team messages, names, the social map's records), as
    words: shown as written, in the language of whoever wrote it, so never foreign. A social-map
    text counts only when its record has no text in the other language (the page falls back)."""
    from django.apps import apps
    from django.db import models

    texts: set[tuple[str, ...]] = set()
    for model in apps.get_models():
        if model._meta.app_label not in ENTERED_APPS or model.__name__.startswith("Historical"):
            continue
        if model._meta.label in THREE_LANGUAGE_MODELS:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values(*fields):
            for name, value in row.items():
                if not value or not isinstance(value, str):
                    continue
                stem, _, language = name.rpartition("_")
                if language in ("nl", "fr", "en") and all(row.get(f"{stem}_{other}") for other in LANGUAGES):
                    continue  # both languages exist: the page must pick its own
                texts.add(words(value))
                # A text of one item a line (a curator's provider words) is shown a line a block.
                texts.update(words(line) for line in value.splitlines())
    texts.discard(())
    return texts


# The apps whose free text is typed by people (or imported), and the models among them whose
# texts are the product's own, kept in three languages (they are checked, not exempted).
# The care plan's and the meetings' texts (life goals in the person's words, goals, actions,
# minutes) are typed by the team, in the language of whoever wrote them.
ENTERED_APPS = {
    "people",
    "teams",
    "accounts",
    "access",
    "directory",
    "directory_search",
    "privacy",
    "plans",
    "meetings",
}
THREE_LANGUAGE_MODELS = {"access.MatrixCell", "directory.TaxonomyTerm", "privacy.RetentionRule"}


class Matcher:
    """Finds the foreign strings in a text, word by word, except where the text shows what
    people typed or an allowed phrase."""

    def __init__(self, strings: Iterable[tuple[str, ...]], exempt: Iterable[tuple[str, ...]]):
        self.foreign = self._index(strings)
        self.exempt = self._index(exempt)
        self._seen: dict[str, set[str]] = {}  # the same block (a menu, a footer) on many pages

    @staticmethod
    def _index(strings: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
        """By the first two words (one for a one-word string): few candidates per place."""
        index: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for tokens in strings:
            if tokens:
                index[tokens[:2]].append(tokens)
        return index

    @staticmethod
    def _at(index: dict[tuple[str, ...], list[tuple[str, ...]]], tokens: tuple[str, ...]) -> Iterator[tuple[int, int]]:
        """(start, end) of every string of the index found in the words."""
        for start in range(len(tokens)):
            for key in (tokens[start : start + 2], tokens[start : start + 1]):
                for candidate in index.get(key, ()):
                    end = start + len(candidate)
                    if tokens[start:end] == candidate:
                        yield start, end

    def find(self, blocks: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for block in blocks:
            if block not in self._seen:
                self._seen[block] = self._find(words(block))
            found |= self._seen[block]
        # A string found inside a longer one found too says nothing more.
        return {hit for hit in found if not any(hit != other and f" {hit} " in f" {other} " for other in found)}

    def _find(self, tokens: tuple[str, ...]) -> set[str]:
        hits = list(self._at(self.foreign, tokens))
        if not hits:
            return set()
        exempt = [False] * len(tokens)
        for start, end in self._at(self.exempt, tokens):
            exempt[start:end] = [True] * (end - start)
        return {" ".join(tokens[start:end]) for start, end in hits if not any(exempt[start:end])}


# ── the pages ───────────────────────────────────────────────────────────────────────────────────


class PageText(HTMLParser):
    """The visible text of a page in blocks (a paragraph, a cell, a label, an attribute's value;
    strings are matched within one block), and its links. Scripts, styles and what a form holds
    (a text area's content, a field's value: what someone typed) are left out, and so are the
    parts marked as another language (`lang`, as WCAG 3.1.2 asks: a curator's French everyday
    words on a Dutch page) and codes (`<code>`: identifiers, not words of any language)."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
    INLINE = {"a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong"}
    HIDDEN = {"script", "style", "template", "textarea"}

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.blocks: list[str] = [""]
        self.links: list[str] = []
        self._hidden = 0
        self._apart: list[str] = []  # the open elements whose content is not the page's language

    def _is_apart(self, tag: str, values: dict[str, str | None]) -> bool:
        lang = (values.get("lang") or "").split("-")[0]
        return tag == "code" or bool(lang and lang != self.language)

    def _break(self) -> None:
        if self.blocks[-1].strip():
            self.blocks.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if self._is_apart(tag, values):
            self._apart.append(tag)
            self._hidden += 1
        if tag not in self.INLINE:
            self._break()
        for name in self.ATTRIBUTES:
            if values.get(name) and not self._hidden:
                self.blocks.insert(-1, values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value") and not self._hidden:
            self.blocks.insert(-1, values["value"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if self._apart and self._apart[-1] == tag:
            self._apart.pop()
            self._hidden = max(0, self._hidden - 1)
        if tag not in self.INLINE:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.blocks[-1] += data


def _route(path: str) -> tuple[str, str, bool] | None:
    """(url name, kind of page, public): the kind is the view, so that the dossier's sections, one
    view with many URLs, count as one kind."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    public = getattr(match.func, "route_scope", None) == "public"
    return match.view_name, match._func_path, public


def crawl(client: Client, start: list[str], public_seen: set[str], language: str) -> Iterator[tuple[str, PageText]]:
    """The pages reachable from `start`, breadth first: at most PER_ROUTE per kind of page, and a
    public page (the same for everyone) only if no profile read it yet in this language."""
    queue = [(url, 0) for url in start]
    seen: set[str] = set()
    per_route: dict[str, int] = defaultdict(int)
    pages = 0
    while queue and pages < MAX_PAGES:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        route = _route(path)
        if route is None or route[0] in SKIPPED_ROUTES or path.startswith(SKIPPED_PREFIXES):
            continue
        _name, kind, public = route
        if per_route[kind] >= PER_ROUTE or (public and kind in public_seen):
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        per_route[kind] += 1
        if public:
            public_seen.add(kind)
        pages += 1
        page = PageText(language)
        page.feed(response.content.decode())
        yield url, page
        if depth >= MAX_DEPTH:
            continue
        for href in page.links:
            target, _fragment = urldefrag(href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or target in seen:
                continue
            queue.append((target, depth + 1))


@pytest.fixture
def demo_zone(db):
    from demo import zone
    from privacy import retention

    zone.load()
    retention.load(retention.read_file())  # make run loads the retention rules too
    return {user.profile: user for user in User.objects.filter(email__endswith="@" + zone.DEMO_DOMAIN)}


@pytest.mark.parametrize("language", LANGUAGES)  # two tests, so that xdist runs them side by side
def test_no_page_of_the_demo_shows_another_language(demo_zone, language):
    from people.models import Person

    foreign = foreign_strings()
    exempt = entered_texts() | {words(phrase) for phrase in ALLOWED}
    matcher = Matcher(foreign[language], exempt)
    jozef = Person.objects.get(account=demo_zone["person"])
    dossier = reverse("people:detail", args=[jozef.public_id])
    problems: list[str] = []
    public_seen: set[str] = set()
    for profile, user in sorted(demo_zone.items()):
        user.language = language
        user.save(update_fields=["language"])
        client = Client()
        client.force_login(user)
        for url, page in crawl(client, ["/", dossier], public_seen, language):
            problems += [f"{url} [{profile}, {language}]: “{hit}”" for hit in sorted(matcher.find(page.blocks))]
    assert not problems, "Pages show text of another language (page [profile, language]: text):\n" + "\n".join(problems)
