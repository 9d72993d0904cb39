"""What a restored database must give back: search results for a few queries and every table's row count.

Imported by test_backup.py for the original database, and run as ``python -m tests.policybase.backup_snapshot``
against the restored one (DATABASE_URL), printing the same thing as JSON.
"""

from __future__ import annotations

import json

QUERIES = ("人才", "跨境电商 补贴", '"电子商务"', "企业 -外资", "海外仓 OR 物流", "融资")


def snapshot() -> dict:
    from django.apps import apps

    from measures.selectors import measure_search

    searches = {}
    for query in QUERIES:
        result = measure_search(query=query, facets=False)
        searches[query] = {"total": result.total, "ids": [measure.pk for measure in result.results[:30]]}
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    return {"searches": searches, "counts": counts}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(snapshot(), ensure_ascii=False))
