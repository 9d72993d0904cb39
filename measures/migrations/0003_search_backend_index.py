"""Database-side search index, one per backend (created only where it applies).

PostgreSQL: a stored generated ``tsvector`` over the token columns ('simple'
configuration, title weighted A, body B) with a GIN index. It is not a Django
field, so list queries never load it. SQLite: an FTS5 external-content table
over the same columns, kept in sync by triggers, ranked with bm25().
"""

from django.db import migrations

PG_FORWARD = [
    """
    ALTER TABLE measures_measure ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(search_title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(search_body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX measures_measure_search_gin ON measures_measure USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS measures_measure_search_gin",
    "ALTER TABLE measures_measure DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE measures_measure_fts USING fts5(
        search_title, search_body, content='measures_measure', content_rowid='id', tokenize='unicode61'
    )
    """,
    """
    CREATE TRIGGER measures_measure_fts_ai AFTER INSERT ON measures_measure BEGIN
        INSERT INTO measures_measure_fts(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body);
    END
    """,
    """
    CREATE TRIGGER measures_measure_fts_ad AFTER DELETE ON measures_measure BEGIN
        INSERT INTO measures_measure_fts(measures_measure_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
    END
    """,
    """
    CREATE TRIGGER measures_measure_fts_au AFTER UPDATE OF search_title, search_body ON measures_measure BEGIN
        INSERT INTO measures_measure_fts(measures_measure_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
        INSERT INTO measures_measure_fts(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body);
    END
    """,
    "INSERT INTO measures_measure_fts(measures_measure_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS measures_measure_fts_au",
    "DROP TRIGGER IF EXISTS measures_measure_fts_ad",
    "DROP TRIGGER IF EXISTS measures_measure_fts_ai",
    "DROP TABLE IF EXISTS measures_measure_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


SYNONYMS = [
    ("电商 电子商务", "常用简称"),
    ("跨境电商 跨境电子商务", "常用简称"),
    ("农村电商 农村电子商务", "常用简称"),
    ("直播电商 直播带货", ""),
    ("海外仓 海外仓储", ""),
    ("综试区 综合试验区", "跨境电子商务综合试验区的简称"),
    ("外综服 外贸综合服务", "外贸综合服务企业的简称"),
    ("上市 ipo", ""),
    ("融资 贷款 信贷", "金融支持"),
    ("大数据 数据资源", ""),
]


def seed_synonyms(apps, schema_editor):
    Synonym = apps.get_model("measures", "Synonym")
    for terms, note in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed_synonyms(apps, schema_editor):
    apps.get_model("measures", "Synonym").objects.filter(terms__in=[t for t, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(seed_synonyms, unseed_synonyms),
    ]
