"""Staging and indexing on PostgreSQL outside a transaction: the chunks are COPYed by writer
threads with connections of their own (directory/hsds/copying.py). Same records and index as
written in one connection, and a writer's failure stops the import with the published directory
unchanged."""

import pytest
from django.db import connection

from directory import models as m
from directory.hsds import copying, importer
from interop.tests import samples

pytestmark = pytest.mark.django_db(transaction=True)


def _records() -> list[tuple[str, ...]]:
    """The published records, and their search index (written by the writer threads too)."""
    services = m.Service.objects.published()
    return sorted(
        services.values_list(
            "hsds_id",
            "name_nl",
            "organization__hsds_id",
            "phones__number",
            "capacities__unit__hsds_id",
            "search_document__names",
            "search_document__places",
        )
    )


def test_writer_threads_stage_the_same_records(tmp_path, monkeypatch):
    path = samples.write_json(tmp_path / "x.json", samples.services(12, "nl"))
    chunks = []
    real = copying.CopyWriters.copy
    monkeypatch.setattr(copying.CopyWriters, "copy", lambda self, *args: chunks.append(1) or real(self, *args))
    threaded = importer.import_file(path, language="nl", mode="replace", chunk_size=5)
    assert threaded.published
    found = _records()
    assert bool(chunks) is (connection.vendor == "postgresql")
    monkeypatch.setattr(copying, "available", lambda: False)
    alone = importer.import_file(path, language="nl", mode="replace", chunk_size=5)
    assert alone.published and _records() == found
    # Every field filled (the places too, unless an earlier transactional test flushed the municipalities).
    assert len({record[0] for record in found}) == 12 and all(all(record[:-1]) for record in found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer threads are PostgreSQL's")
def test_a_writer_that_fails_stops_the_import_and_changes_nothing(tmp_path, monkeypatch):
    first = importer.import_file(samples.write_json(tmp_path / "a.json", samples.services(2)), language="nl")
    real = copying.CopyWriters.copy

    def broken(self, statement, rows):
        return real(self, statement.replace("COPY ", "COPY no_such_table_", 1), rows)

    monkeypatch.setattr(copying.CopyWriters, "copy", broken)
    with pytest.raises(Exception, match="no_such_table_"):
        importer.import_file(samples.write_json(tmp_path / "b.json", samples.services(4, start=10)), language="nl")
    assert m.Dataset.objects.published().pk == first.dataset.pk
    assert m.Dataset.objects.filter(status=m.Dataset.Status.FAILED).count() == 1
    assert m.Service.objects.filter(dataset__status=m.Dataset.Status.FAILED).count() == 0
