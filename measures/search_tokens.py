"""The analyzer's tokens of each measure, stored beside its text (``search_title`` / ``search_body``).

``measures_index`` writes them inside the writer's transaction, so the database always holds the
tokens of its own text; the search index (``search``) is fed from these columns and never segments
text itself. A dictionary or rule change bumps ``ANALYZER_VERSION``: ``rebuild_search_index
--reanalyze`` rewrites the columns and a system check warns until it has run.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import checks

from .derive import measure_tokens
from .models import Measure
from .tokenize import ANALYZER_VERSION


def measures_index(*, measure_ids: Iterable[int] | None = None, batch_size: int = 500) -> int:
    """Recompute the token columns of the given measures (all when ``None``); return rows written."""
    queryset = Measure.objects.only("pk", "title", "text", "search_title", "search_body", "search_version")
    if measure_ids is not None:
        queryset = queryset.filter(pk__in=list(measure_ids))
    changed = []
    for measure in queryset.iterator(chunk_size=batch_size):
        title, body = measure_tokens(title=measure.title, text=measure.text)
        if (title, body, ANALYZER_VERSION) != (measure.search_title, measure.search_body, measure.search_version):
            measure.search_title, measure.search_body, measure.search_version = title, body, ANALYZER_VERSION
            changed.append(measure)
    # bulk_update skips save(): fine here, these columns are derived; the change log's trigger
    # on measures tells search to re-read them.
    Measure.objects.bulk_update(changed, ["search_title", "search_body", "search_version"], batch_size=batch_size)
    return len(changed)


def token_drift(*, batch_size: int = 1000) -> list[int]:
    """Ids of measures whose stored tokens differ from what the analyzer gives now."""
    drifted = []
    queryset = Measure.objects.only("pk", "title", "text", "search_title", "search_body", "search_version")
    for measure in queryset.iterator(chunk_size=batch_size):
        title, body = measure_tokens(title=measure.title, text=measure.text)
        if (title, body, ANALYZER_VERSION) != (measure.search_title, measure.search_body, measure.search_version):
            drifted.append(measure.pk)
    return drifted


def stale_version_count() -> int:
    """Measures indexed by another analyzer version (a dictionary or rule change since)."""
    return Measure.objects.exclude(search_version=ANALYZER_VERSION).count()


def check_analyzer_version(app_configs=None, **kwargs):
    """System check (``manage.py check --database default``): stored tokens from another analyzer version."""
    from django.core.checks import Warning
    from django.db.utils import DatabaseError

    try:
        stale = stale_version_count()
    except DatabaseError:  # not migrated yet
        return []
    if not stale:
        return []
    return [
        Warning(
            f"{stale} 条措施的检索分词来自旧版本（当前 {ANALYZER_VERSION}）。",
            hint="运行 python manage.py rebuild_search_index --reanalyze",
            id="measures.W001",
        )
    ]


# Registered here rather than in AppConfig.ready: this module is imported at start-up (services → admin).
checks.register(check_analyzer_version, checks.Tags.database)
