"""PostgreSQL: ``measures_measurefacet``, one narrow row per measure for facet counts, kept by triggers.

A row holds the measure's document and, as arrays, its active themes and its lead departments.
Counting the facets of a filtered list reads these rows once (one row per measure, ~60 bytes)
instead of probing the theme and department link tables once per measure in view — at 100k
measures a theme with a year filter is 17,500 measures and 60,000 link rows. Statement-level
triggers with transition tables keep the rows in the writer's transaction, whatever writes
(import COPY, ORM saves, admin inlines, classification, organisation merges): one set-based
update per statement. ``measures.facets.facet_drift`` compares the rows with the link tables and
``rebuild_search_index`` reports and repairs a difference. SQLite needs nothing: its facet counts
read the link tables (it has no arrays), and the browse-page targets are PostgreSQL's.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE TABLE measures_measurefacet (
        measure_id bigint PRIMARY KEY,
        document_id bigint NOT NULL,
        theme_ids bigint[] NOT NULL DEFAULT '{}',
        lead_ids bigint[] NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX measures_measurefacet_document ON measures_measurefacet (document_id)",
    "CREATE INDEX measures_measurefacet_themes ON measures_measurefacet USING gin (theme_ids)",
    "CREATE INDEX measures_measurefacet_leads ON measures_measurefacet USING gin (lead_ids)",
    # The arrays of the given measures, recomputed from the link tables.
    """
    CREATE FUNCTION measures_facet_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        UPDATE measures_measurefacet f SET
            theme_ids = COALESCE((SELECT array_agg(l.theme_id ORDER BY l.theme_id) FROM measures_measuretheme l
                                  WHERE l.measure_id = f.measure_id AND l.active), '{}'),
            lead_ids = COALESCE((SELECT array_agg(DISTINCT l.organization_id) FROM measures_measuredepartment l
                                 WHERE l.measure_id = f.measure_id AND l.role = 'lead'), '{}')
        WHERE f.measure_id = ANY(ids)
    $$
    """,
    """
    CREATE FUNCTION measures_facet_measure_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO measures_measurefacet (measure_id, document_id) SELECT id, document_id FROM new_rows;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION measures_facet_measure_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE measures_measurefacet f SET document_id = n.document_id FROM new_rows n
        WHERE f.measure_id = n.id AND f.document_id <> n.document_id;
        RETURN NULL;
    END $$
    """,
    # No foreign key (Django's flush truncates measures without CASCADE): deletes and truncation follow by trigger.
    """
    CREATE FUNCTION measures_facet_measure_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE measures_measurefacet;
        ELSE
            DELETE FROM measures_measurefacet f USING old_rows o WHERE f.measure_id = o.id;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION measures_facet_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM measures_facet_refresh(ARRAY(SELECT DISTINCT measure_id FROM new_rows));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM measures_facet_refresh(ARRAY(SELECT DISTINCT measure_id FROM old_rows));
        ELSE
            PERFORM measures_facet_refresh(
                ARRAY(SELECT measure_id FROM new_rows UNION SELECT measure_id FROM old_rows));
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER measures_facet_measure_ai AFTER INSERT ON measures_measure
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measures_facet_measure_inserted()
    """,
    """
    CREATE TRIGGER measures_facet_measure_au AFTER UPDATE ON measures_measure
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measures_facet_measure_moved()
    """,
    """
    CREATE TRIGGER measures_facet_measure_ad AFTER DELETE ON measures_measure
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measures_facet_measure_deleted()
    """,
    """
    CREATE TRIGGER measures_facet_measure_at AFTER TRUNCATE ON measures_measure
    FOR EACH STATEMENT EXECUTE FUNCTION measures_facet_measure_deleted()
    """,
    *(
        f"""
        CREATE TRIGGER measures_facet_{table}_{suffix} AFTER {event} ON measures_{table}
        REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION measures_facet_links_changed()
        """
        for table in ("measuretheme", "measuredepartment")
        for suffix, event, transition in (
            ("ai", "INSERT", "NEW TABLE AS new_rows"),
            ("ad", "DELETE", "OLD TABLE AS old_rows"),
            ("au", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        )
    ),
    "INSERT INTO measures_measurefacet (measure_id, document_id) SELECT id, document_id FROM measures_measure",
    "SELECT measures_facet_refresh(ARRAY(SELECT id FROM measures_measure))",
    "ANALYZE measures_measurefacet",
]
BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS measures_facet_{table}_{suffix} ON measures_{table}"
        for table in ("measuretheme", "measuredepartment")
        for suffix in ("ai", "ad", "au")
    ),
    "DROP TRIGGER IF EXISTS measures_facet_measure_at ON measures_measure",
    "DROP TRIGGER IF EXISTS measures_facet_measure_ad ON measures_measure",
    "DROP TRIGGER IF EXISTS measures_facet_measure_au ON measures_measure",
    "DROP TRIGGER IF EXISTS measures_facet_measure_ai ON measures_measure",
    "DROP FUNCTION IF EXISTS measures_facet_links_changed()",
    "DROP FUNCTION IF EXISTS measures_facet_measure_deleted()",
    "DROP FUNCTION IF EXISTS measures_facet_measure_moved()",
    "DROP FUNCTION IF EXISTS measures_facet_measure_inserted()",
    "DROP FUNCTION IF EXISTS measures_facet_refresh(bigint[])",
    "DROP TABLE IF EXISTS measures_measurefacet",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("measures", "0005_measure_document_covering_index")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
