"""A version on measures and themes (``policybase.concurrency``): every save bumps it; the admin refuses to
overwrite a newer one. On SQLite the measure column is added with a plain ``ADD COLUMN``, since a table
rebuild would drop the FTS5 triggers of ``0003_search_backend_index``."""

from django.db import migrations, models

FIELD = models.PositiveIntegerField(default=1, editable=False, verbose_name="版本")


def add_measure_version(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            'ALTER TABLE measures_measure ADD COLUMN "version" integer unsigned NOT NULL DEFAULT 1 CHECK ("version" >= 0)'
        )
        return
    field = FIELD.clone()
    field.set_attributes_from_name("version")
    schema_editor.add_field(apps.get_model("measures", "Measure"), field)


def drop_measure_version(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE measures_measure DROP COLUMN version")
        return
    # ``apps`` is the state before this migration, where Measure has no version field yet.
    field = FIELD.clone()
    field.set_attributes_from_name("version")
    field.model = apps.get_model("measures", "Measure")
    schema_editor.remove_field(field.model, field)


class Migration(migrations.Migration):
    dependencies = [("measures", "0010_themes_by_facet")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="measure", name="version", field=FIELD)],
            database_operations=[migrations.RunPython(add_measure_version, drop_measure_version)],
        ),
        migrations.AddField(model_name="theme", name="version", field=FIELD),
    ]
