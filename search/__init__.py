"""Search: one embedded index (Tantivy) over every measure, fed from the database's change log.

The database is the source of truth; the index is a view of it that every server process reads.

- ``search.schema``: the index's fields and how a measure becomes an index entry.
- ``search.index``: the index adapter — where the index lives, opening it (one function), building
  a new one beside the old and switching atomically, its identity and position.
- ``search.changelog``: the change log the database's triggers write in each writer's transaction.
- ``search.applier``: applies logged changes to the index, one applier at a time.
- ``search.scope``: the filters (validated by ``measures.filters.MeasureFilter``) as ids.
- ``search.compile``: a parsed query and a scope as an index query.
- ``search.engine``: the one entry point, ``search(...)`` → ids in order, exact totals and facets.
"""
