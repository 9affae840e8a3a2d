"""The shared cache's database backend, with an `incr` that counts right across processes and
keeps the counter's expiry.

Django's database cache increments by reading the value and writing it back with `set()`, so two
processes counting the same key at once can both write the same number and one request goes
uncounted, and every increment pushes the expiry out to the default timeout (a rate-limit window
that never ends while the client keeps calling). Rate limits count with `incr`: here the read and
the write happen in one transaction that holds the row (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's immediate transactions take the write lock at BEGIN), so concurrent increments queue
instead of overwriting each other, and only the value is written: the row keeps its expiry, as
Redis's INCR keeps a key's TTL."""

import base64
import pickle
from datetime import datetime
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by Django's BaseDatabaseCache, not in django-stubs
        key_column, value_column, expires_column = quote("cache_key"), quote("value"), quote("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} WHERE {key_column} = %s{lock}",  # noqa: S608 - quoted names
                [cache_key],
            )
            row = cursor.fetchone()
            if row is None or _as_datetime(row[1], connection) < timezone.now():
                raise ValueError(f"Key '{cache_key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta  # noqa: S301 - our own rows, as Django's get()
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",  # noqa: S608 - quoted names
                [encoded, cache_key],
            )
        return int(value)


def _as_datetime(expires: Any, connection: BaseDatabaseWrapper) -> datetime:
    """The expires column as Django's get() reads it (SQLite returns text, PostgreSQL a datetime)."""
    expression = models.Expression(output_field=models.DateTimeField())
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        expires = converter(expires, expression, connection)
    return expires
