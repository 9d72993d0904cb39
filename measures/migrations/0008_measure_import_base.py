"""``Measure.import_base``: what the source said at the last import, so a re-import keeps corrections.

On SQLite, Django adds a NOT NULL column with a default by rebuilding the table, which would drop the
FTS5 triggers of ``0003_search_backend_index``; a plain ``ADD COLUMN`` keeps them. Elsewhere the usual
schema operation runs.
"""

from django.db import migrations, models

FIELD = models.JSONField(blank=True, default=dict, editable=False, verbose_name="导入原值")


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "ALTER TABLE measures_measure ADD COLUMN import_base text NOT NULL DEFAULT '{}' "
            "CHECK ((JSON_VALID(import_base) OR import_base IS NULL))"
        )
        return
    field = FIELD.clone()
    field.set_attributes_from_name("import_base")
    schema_editor.add_field(apps.get_model("measures", "Measure"), field)


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE measures_measure DROP COLUMN import_base")
        return
    schema_editor.remove_field(
        apps.get_model("measures", "Measure"), apps.get_model("measures", "Measure")._meta.get_field("import_base")
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0007_search_vector_storage_main")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="measure", name="import_base", field=FIELD)],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
    ]
