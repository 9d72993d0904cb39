"""PostgreSQL: a GIN index over the title tokens alone.

Ranking reads a bounded pool of candidates; for a word found in most measures the pool must
start with the measures whose *title* names it (the most relevant ones), not with whichever rows
come first on disk. The index finds those in a few milliseconds. SQLite needs nothing: FTS5
ranks every match by bm25 within its own index.
"""

from django.db import migrations

INDEX = "CREATE INDEX measures_measure_title_gin ON measures_measure USING gin (to_tsvector('simple', search_title))"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS measures_measure_title_gin")


class Migration(migrations.Migration):
    dependencies = [("measures", "0003_search_backend_index")]
    operations = [migrations.RunPython(forward, backward)]
