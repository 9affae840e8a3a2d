"""The shared cache's database backend, with an `incr` that counts right across processes.

Django's database cache increments by reading the value and writing it back, so two processes
counting the same key at once can both write the same number and one request goes uncounted.
Rate limits count with `incr`: here the read and the write happen in one transaction that holds
the row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's immediate transactions take the write lock
at BEGIN), so concurrent increments queue instead of overwriting each other."""

from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]  # set by Django's BaseDatabaseCache, not in django-stubs
                column = connection.ops.quote_name("cache_key")
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {column} FROM {table} WHERE {column} = %s FOR UPDATE",  # noqa: S608 - quoted names
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
