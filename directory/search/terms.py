"""What people search for, aggregated: per day, how often each word was searched. No query, no
time of day, no address is kept (MAP privacy), and only words that could name a need: letters
only, 3 to 40 of them, no stopwords (so no numbers, e-mail addresses or postcodes). The rows are
purged after DIRECTORY_SEARCH_TERMS_DAYS (`manage.py purge_search_terms`). The curators read them
to see which everyday words the taxonomy misses."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from directory.search import text
from directory.search.models import SearchTermCount

MAX_WORDS = 8


def countable(query: str) -> list[str]:
    words = [word for word in text.words(query) if word.isalpha() and 3 <= len(word) <= 40]
    return list(dict.fromkeys(word for word in words if word not in text.STOPWORDS))[:MAX_WORDS]


def record(query: str) -> None:
    """Count the query's words for today: one upsert (SQLite and PostgreSQL share the syntax),
    so that a search writes one statement however many words it has, and two searches at once
    never lose a count."""
    words = countable(query)
    if not words:
        return
    day = timezone.localdate()
    table = connection.ops.quote_name(SearchTermCount._meta.db_table)
    values = ", ".join(["(%s, %s, 1)"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, term, count) VALUES {values} "  # noqa: S608 - the model's table
            f"ON CONFLICT (day, term) DO UPDATE SET count = {table}.count + 1",
            [value for word in words for value in (day, word)],
        )


def purge(days: int | None = None) -> int:
    """Delete the counts older than the retention; returns how many rows went."""
    keep = settings.DIRECTORY_SEARCH_TERMS_DAYS if days is None else days
    cutoff = timezone.localdate() - timedelta(days=keep)
    deleted, _ = SearchTermCount.objects.filter(day__lt=cutoff).delete()
    return deleted
