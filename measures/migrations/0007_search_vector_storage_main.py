"""PostgreSQL: keep the search tsvector uncompressed in the row (storage MAIN).

With the default (EXTENDED) a row over ~2 kB has its largest column compressed, and the tsvector
(1.4 kB on average) usually was: every ``@@`` test and every ``ts_rank`` then decompressed it.
Filtered searches test thousands of rows, and took 1.5-2x as long (105k measures: a year-range
search 84 → 50 ms, a region + year one 97 → 45 ms). MAIN compresses the text and token columns
first and the tsvector only as a last resort, so a long measure still fits (PLAIN would fail on a
row over a page). The heap grows from 161 to 209 MB at 105k measures. Existing rows are rewritten
here so they take the new storage (about 30 s per 100k measures).
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE measures_measure ALTER COLUMN search_vector SET STORAGE MAIN")
        schema_editor.execute("UPDATE measures_measure SET search_title = search_title")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE measures_measure ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("measures", "0006_measure_facet")]
    operations = [migrations.RunPython(forward, backward)]
