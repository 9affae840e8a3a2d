"""The need taxonomy's own words, the curator's term suggestions, and the search index.

Kept in the sub-app `directory_search` (own migrations) beside the HSDS models of `directory`.
The index tables are derived data: `directory.search.rebuild_index(dataset)` rebuilds them, and
`reindex_service(service)` refreshes one service after a curation edit. On SQLite a full-text
FTS5 table and on PostgreSQL tsvector columns with GIN indexes are added to SearchDocument by the
migrations (directory/search/migrations/0002_fulltext.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import pick

# Fields of a need term the zone admin can edit; each is compared with the shipped file.
EDITABLE_FIELDS = (
    "name_nl",
    "name_fr",
    "name_en",
    "description_nl",
    "description_fr",
    "description_en",
    "everyday_words_nl",
    "everyday_words_fr",
    "jargon",
)


class NeedTerm(models.Model):
    """A term of the need taxonomy "schakel-needs" with the everyday words people use for it.

    The names and descriptions are also written to the TaxonomyTerm (its HSDS face, exported and
    linked to services by Attribute); they are kept here too so that the history shows every edit.
    `shipped` holds what the last loaded file said per field and `edited_fields` the fields the
    zone admin changed: a newer file never overwrites those (directory/taxonomy.py).
    """

    term = models.OneToOneField(
        "directory.TaxonomyTerm", verbose_name=_("taxonomy term"), on_delete=models.CASCADE, related_name="need"
    )
    code = models.CharField(_("code"), max_length=100, unique=True)
    is_group = models.BooleanField(_("group of needs"), default=False)
    first_contact = models.BooleanField(_("first point of contact"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_nl = models.CharField(_("name (Dutch)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    everyday_words_nl = models.TextField(_("everyday words (Dutch)"), blank=True, help_text=_("One a line."))
    everyday_words_fr = models.TextField(_("everyday words (French)"), blank=True, help_text=_("One a line."))
    jargon = models.TextField(_("provider words"), blank=True, help_text=_("One a line."))
    shipped = models.JSONField(_("shipped values"), default=dict, blank=True)
    shipped_version = models.CharField(_("shipped version"), max_length=40, blank=True)
    edited_fields = models.JSONField(_("fields edited by the zone"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["shipped", "shipped_version", "position"])

    class Meta:
        verbose_name = _("need")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def description(self) -> str:
        return pick(self, "description")

    def lines(self, field: str) -> list[str]:
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]


class TermSuggestion(models.Model):
    """A need term suggested for an imported service that carries none, from the provider words
    and everyday words found in its name and description; a curator confirms or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="term_suggestions")
    term = models.ForeignKey("directory.TaxonomyTerm", on_delete=models.CASCADE, related_name="suggestions")
    score = models.FloatField(_("score"))
    matched = models.CharField(_("words found"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggested need")
        constraints = [
            models.UniqueConstraint(fields=["service", "term"], name="directory_search_suggestion_unique"),
        ]
        # The curator's page lists pending suggestions, best first.
        indexes = [models.Index(fields=["status", "-score"], name="directory_search_sugg_status")]


class SearchDocument(models.Model):
    """One service as the search sees it: its words normalised, without accents and stemmed in
    Python (the same on both databases). `names` holds the names, `terms` the need-term tokens
    and term names, `body` the descriptions; the full-text index ranks them in that order.
    `places` holds a token per municipality the service covers (as SearchPlace), so that a
    place-filtered search is one lookup in the full-text index: words AND place."""

    service = models.OneToOneField(
        "directory.Service", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    dataset = models.ForeignKey("directory.Dataset", on_delete=models.CASCADE, related_name="+")
    names = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    body = models.TextField(blank=True)
    places = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search document")


class SearchPlace(models.Model):
    """A municipality (one row of core.Municipality) a service covers: named by one of its service
    areas, or in a care zone one names, or (with no area) where it is located. Place filters are a
    join on this table, so they cost the same however the area was written."""

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("core.Municipality", on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey("directory.Dataset", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("place covered")
        constraints = [
            models.UniqueConstraint(fields=["service", "municipality"], name="directory_search_place_unique"),
        ]
        # Place-filtered search starts from the municipality.
        indexes = [models.Index(fields=["municipality", "dataset", "service"], name="directory_search_place_muni")]


class SearchWord(models.Model):
    """The words of a dataset's index (normalised, not stemmed): the vocabulary against which a
    misspelled query word is corrected."""

    dataset = models.ForeignKey("directory.Dataset", on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("indexed word")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "word"], name="directory_search_word_unique"),
        ]


class SearchTermCount(models.Model):
    """How often a word was searched on one day: aggregated, without the query it came from, the
    time or the address (MAP privacy). Kept DIRECTORY_SEARCH_TERMS_DAYS (`purge_search_terms`)."""

    day = models.DateField(_("day"))
    term = models.CharField(_("word"), max_length=64)
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("searched word")
        constraints = [models.UniqueConstraint(fields=["day", "term"], name="directory_search_termcount_unique")]
