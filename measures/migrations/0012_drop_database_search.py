"""Search moved to its own index (the ``search`` app): the database-side search structures go.

Dropped: PostgreSQL's generated tsvector with its GIN indexes (0003, 0004, 0007) and the facet table
with its triggers (0006); SQLite's FTS5 table and its triggers (0003). The analyzer's stored tokens
(``search_title``/``search_body``) stay: the index is fed from them. Going back re-creates them all.
"""

import importlib

from django.db import migrations


def _module(name):
    return importlib.import_module(f"measures.migrations.{name}")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    search_index = _module("0003_search_backend_index")
    if vendor == "postgresql":
        for statement in _module("0006_measure_facet").BACKWARD:
            schema_editor.execute(statement)
        schema_editor.execute("DROP INDEX IF EXISTS measures_measure_title_gin")
        for statement in search_index.PG_BACKWARD:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in search_index.SQLITE_BACKWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    search_index = _module("0003_search_backend_index")
    if vendor == "postgresql":
        for statement in search_index.PG_FORWARD:
            schema_editor.execute(statement)
        schema_editor.execute(_module("0004_title_search_index").INDEX)
        schema_editor.execute("ALTER TABLE measures_measure ALTER COLUMN search_vector SET STORAGE MAIN")
        for statement in _module("0006_measure_facet").FORWARD:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in search_index.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("measures", "0011_versions")]
    operations = [migrations.RunPython(forward, backward)]
