"""Triggers that record every write search must see, in the writer's own transaction.

Whatever writes — import (COPY), upload, admin, history revert, organisation merge, delete,
classification, ``QuerySet.update``, ``loaddata`` — the database logs it in ``search_change``:

- measures (insert, update, delete) and their theme and department links: the measure's id;
- documents (insert, delete, and updates of what the index holds: region, year, type, dates,
  title, 文号): the document's id (the applier re-reads every measure of it);
- themes (a new parent): the theme's id (the applier re-reads every measure on it).

PostgreSQL: statement-level triggers with transition tables (one set-based insert per statement,
each change carrying the writer's transaction id). SQLite: row triggers.

SQLite drops a table's triggers when Django rebuilds the table (some ALTERs do): a later
migration that rebuilds one of these tables must create its triggers again (``create_triggers``).
"""

from django.db import migrations

DOCUMENT_COLUMNS = ("region_id", "year", "doc_type", "issue_date", "valid_from", "valid_until", "title", "policy_title", "doc_number")

# (table, column holding the measure id, kind of id logged)
MEASURE_TABLES = (
    ("measures_measure", "id"),
    ("measures_measuretheme", "measure_id"),
    ("measures_measuredepartment", "measure_id"),
)


def _pg_function(name: str, column: str, select: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_change ({column}, txid, created_at)
        SELECT DISTINCT x, pg_current_xact_id()::text::bigint, now() FROM ({select}) changed(x) WHERE x IS NOT NULL;
        RETURN NULL;
    END $$
    """


def _pg_statements() -> tuple[list[str], list[str]]:
    forward, backward = [], []
    for table, column in MEASURE_TABLES:
        for event, transition, select in (
            ("INSERT", "NEW TABLE AS new_rows", f"SELECT {column} FROM new_rows"),
            ("DELETE", "OLD TABLE AS old_rows", f"SELECT {column} FROM old_rows"),
            (
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"SELECT {column} FROM new_rows UNION SELECT {column} FROM old_rows",
            ),
        ):
            name = f"search_log_{table}_{event.lower()}"
            forward.append(_pg_function(name, "measure_id", select))
            forward.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
            backward += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in DOCUMENT_COLUMNS)
    for event, transition, select in (
        ("INSERT", "NEW TABLE AS new_rows", "SELECT id FROM new_rows"),
        ("DELETE", "OLD TABLE AS old_rows", "SELECT id FROM old_rows"),
        (
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            f"SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed}",
        ),
    ):
        name = f"search_log_documents_document_{event.lower()}"
        forward.append(_pg_function(name, "document_id", select))
        forward.append(
            f"CREATE TRIGGER {name} AFTER {event} ON documents_document REFERENCING {transition}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
        backward += [f"DROP TRIGGER IF EXISTS {name} ON documents_document", f"DROP FUNCTION IF EXISTS {name}()"]
    name = "search_log_measures_theme_update"
    forward.append(
        _pg_function(
            name, "theme_id", "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.parent_id IS DISTINCT FROM o.parent_id"
        )
    )
    forward.append(
        f"CREATE TRIGGER {name} AFTER UPDATE ON measures_theme REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )
    backward += [f"DROP TRIGGER IF EXISTS {name} ON measures_theme", f"DROP FUNCTION IF EXISTS {name}()"]
    return forward, backward


def _sqlite_statements() -> tuple[list[str], list[str]]:
    forward, backward = [], []

    def trigger(name, event, table, column, value, when=""):
        forward.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table}{when} BEGIN"
            f" INSERT INTO search_change ({column}, created_at) VALUES ({value}, CURRENT_TIMESTAMP); END"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {name}")

    for table, column in MEASURE_TABLES:
        trigger(f"search_log_{table}_insert", "INSERT", table, "measure_id", f"new.{column}")
        trigger(f"search_log_{table}_delete", "DELETE", table, "measure_id", f"old.{column}")
        trigger(f"search_log_{table}_update", "UPDATE", table, "measure_id", f"new.{column}")
        if column != "id":  # a link moved to another measure: the old one changed too
            trigger(
                f"search_log_{table}_moved", "UPDATE", table, "measure_id", f"old.{column}",
                f" WHEN old.{column} IS NOT new.{column}",
            )
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in DOCUMENT_COLUMNS)
    trigger("search_log_documents_document_insert", "INSERT", "documents_document", "document_id", "new.id")
    trigger("search_log_documents_document_delete", "DELETE", "documents_document", "document_id", "old.id")
    trigger(
        "search_log_documents_document_update", "UPDATE", "documents_document", "document_id", "new.id", f" WHEN {changed}"
    )
    trigger(
        "search_log_measures_theme_update", "UPDATE", "measures_theme", "theme_id", "new.id",
        " WHEN old.parent_id IS NOT new.parent_id",
    )
    return forward, backward


def statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        return _pg_statements()
    if vendor == "sqlite":
        return _sqlite_statements()
    return [], []


def create_triggers(apps, schema_editor):
    for statement in statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("measures", "0012_drop_database_search"),
        ("documents", "0007_versions"),
    ]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
