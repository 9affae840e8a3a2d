"""The municipalities a service covers join its full-text document (`places`, one token each,
"zzm<municipality id>", as directory/search/index.py writes them), so that a place-filtered search
is one full-text lookup (words AND place) instead of a check of every word match against
SearchPlace. Existing documents get their tokens from SearchPlace; the SQLite FTS5 table gains
the column (a virtual table is rebuilt, from the documents) and PostgreSQL's generated tsvector
columns are made again with it (weight D: the search never ranks by it).
"""

from django.db import migrations, models

HEAD = "setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', terms), 'B')"
BODY = "setweight(to_tsvector('simple', body), 'C')"
PLACES = "setweight(to_tsvector('simple', places), 'D')"


def _postgres_vectors(with_places: bool) -> list[str]:
    places = f" || {PLACES}" if with_places else ""
    return [
        "ALTER TABLE directory_search_searchdocument DROP COLUMN IF EXISTS head, DROP COLUMN IF EXISTS vector",
        f"ALTER TABLE directory_search_searchdocument ADD COLUMN head tsvector GENERATED ALWAYS AS ({HEAD}{places}) STORED",
        "ALTER TABLE directory_search_searchdocument ADD COLUMN vector tsvector "
        f"GENERATED ALWAYS AS ({HEAD} || {BODY}{places}) STORED",
        "CREATE INDEX directory_search_head_gin ON directory_search_searchdocument USING GIN (head)",
        "CREATE INDEX directory_search_vector_gin ON directory_search_searchdocument USING GIN (vector)",
    ]


def _sqlite_fulltext(columns: str) -> list[str]:
    return [
        "DROP TABLE IF EXISTS directory_search_fts",
        f"CREATE VIRTUAL TABLE directory_search_fts USING fts5({columns}, tokenize = 'unicode61')",
        f"INSERT INTO directory_search_fts(rowid, {columns}) SELECT service_id, {columns} "
        "FROM directory_search_searchdocument",
    ]


FORWARD = {
    "postgresql": [
        "UPDATE directory_search_searchdocument d SET places = p.tokens FROM ("
        "SELECT service_id, string_agg('zzm' || municipality_id, ' ' ORDER BY municipality_id) AS tokens "
        "FROM directory_search_searchplace GROUP BY service_id) p WHERE p.service_id = d.service_id",
        *_postgres_vectors(with_places=True),
    ],
    "sqlite": [
        "UPDATE directory_search_searchdocument SET places = COALESCE((SELECT group_concat('zzm' || p.municipality_id, ' ') "
        "FROM directory_search_searchplace p WHERE p.service_id = directory_search_searchdocument.service_id), '')",
        *_sqlite_fulltext("names, terms, body, places"),
    ],
}
BACKWARD = {
    "postgresql": _postgres_vectors(with_places=False),
    "sqlite": _sqlite_fulltext("names, terms, body"),
}


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory_search", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="places",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
