"""Staging's writes on PostgreSQL (the records, then the staging dataset's search index, index.py):
COPY on connections of their own, in WRITERS threads.

The database's share of staging a large import (the new rows' indexes, and the key checks when
each chunk commits) is as large as the importer's own, and on one connection the two took turns.
Here each chunk of rows is one COPY, committed on its own (the same unit as before), written by
one of WRITERS threads, each with its own connection: the importer prepares the next chunks while
the database writes the previous ones, on as many server processes. The importer draws the rows'
keys from the table's sequence first, so it knows them at once, and waits for every chunk of one
kind of record (`drain`) before it writes a kind that refers to them.

Other connections cannot see the rows of an open transaction, so inside one (the test suite's
`db` tests) and on SQLite the importer writes each chunk itself, on its own connection
(importer._Table._insert); `available()` says which. The threads never run Django code: they use
their raw psycopg connection only.
"""

import queue
import threading
from collections.abc import Sequence
from typing import Any

from django.db import connection

WRITERS = 2
QUEUED = 2  # chunks waiting per writer: bounds the memory ahead of the database


def available() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class _Writer:
    def __init__(self) -> None:
        self.raw = connection.get_new_connection(connection.get_connection_params())
        self.raw.autocommit = True  # each COPY is a transaction of its own
        self.queue: queue.Queue[tuple[str, Sequence[Sequence[Any]]] | None] = queue.Queue(maxsize=QUEUED)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="directory-import-copy", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            try:
                if self.error is None:  # after an error, only drain: the importer raises it
                    statement, rows = item
                    with self.raw.cursor() as cursor, cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
            except BaseException as error:  # raised in the importer's thread
                self.error = error
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.raw.close()


class CopyWriters:
    """WRITERS threads, each with a connection; `copy` hands them chunks in turn."""

    def __init__(self, count: int = WRITERS) -> None:
        self.writers: list[_Writer] = []
        try:
            for _ in range(count):
                self.writers.append(_Writer())
        except BaseException:
            self.close()
            raise
        self.turn = 0

    def copy(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        writer = self.writers[self.turn % len(self.writers)]
        self.turn += 1
        writer.check()
        writer.queue.put((statement, rows))

    def drain(self) -> None:
        """Wait until every chunk handed over is committed; raise the first writer's error."""
        for writer in self.writers:
            writer.queue.join()
        for writer in self.writers:
            writer.check()

    def close(self) -> None:
        for writer in self.writers:
            writer.stop()
        self.writers = []
