"""The full-text index of SearchDocument, per database.

SQLite: an FTS5 table (rowid = service id) with the three columns the search ranks, written by
directory/search/index.py. PostgreSQL: the unaccent and pg_trgm extensions (IF NOT EXISTS), and
two tsvector columns generated from the already stemmed text with the 'simple' configuration
(names and terms for the bounded first pass; all text for ranking), each with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_search_fts USING fts5(names, terms, body, tokenize = 'unicode61')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS directory_search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE directory_search_searchdocument ADD COLUMN head tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', terms), 'B')
    ) STORED""",
    """ALTER TABLE directory_search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', terms), 'B')
        || setweight(to_tsvector('simple', body), 'C')
    ) STORED""",
    "CREATE INDEX directory_search_head_gin ON directory_search_searchdocument USING GIN (head)",
    "CREATE INDEX directory_search_vector_gin ON directory_search_searchdocument USING GIN (vector)",
    # Typo candidates by trigram similarity (directory/search/vocabulary.py).
    "CREATE INDEX directory_search_word_trgm ON directory_search_searchword USING GIN (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_search_word_trgm",
    "ALTER TABLE directory_search_searchdocument DROP COLUMN IF EXISTS vector",
    "ALTER TABLE directory_search_searchdocument DROP COLUMN IF EXISTS head",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
