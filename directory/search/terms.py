"""What people search for, aggregated: per day, how often each word was searched. No query, no
time of day, no address is kept (MAP privacy), and only words that could name a need: letters
only, 3 to 40 of them, no stopwords (so no numbers, e-mail addresses or postcodes). The rows are
purged after DIRECTORY_SEARCH_TERMS_DAYS (`manage.py purge_search_terms`). The curators read them
to see which everyday words the taxonomy misses."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from directory.search import text
from directory.search.models import SearchTermCount

MAX_WORDS = 8


def countable(query: str) -> list[str]:
    words = [word for word in text.words(query) if word.isalpha() and 3 <= len(word) <= 40]
    return list(dict.fromkeys(word for word in words if word not in text.STOPWORDS))[:MAX_WORDS]


def record(query: str) -> None:
    day = timezone.localdate()
    for word in countable(query):
        updated = SearchTermCount.objects.filter(day=day, term=word).update(count=F("count") + 1)
        if updated:
            continue
        try:
            with transaction.atomic():
                SearchTermCount.objects.create(day=day, term=word, count=1)
        except IntegrityError:  # another request created it just now
            SearchTermCount.objects.filter(day=day, term=word).update(count=F("count") + 1)


def purge(days: int | None = None) -> int:
    """Delete the counts older than the retention; returns how many rows went."""
    keep = settings.DIRECTORY_SEARCH_TERMS_DAYS if days is None else days
    cutoff = timezone.localdate() - timedelta(days=keep)
    deleted, _ = SearchTermCount.objects.filter(day__lt=cutoff).delete()
    return deleted
