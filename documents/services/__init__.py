"""Writes for documents: import parsed documents, resolve citations, merge organisations.

Every function here changes the database inside one transaction, so a failure leaves the knowledge base as it
was. Reads live in ``documents.selectors``. The import pipeline: ``documents.ingest`` parses (pure),
``documents.importing`` reads files and runs many in parallel, ``documents.uploads`` stages an upload for
preview, and every one of them writes through ``document_ingest`` / ``documents_create`` here.
"""

from .citations import citations_resolve
from .context import IngestContext, IngestResult, organization_resolve, region_get_or_create
from .create import NewDocument, department_links, documents_create, measures_insert
from .ingest import document_ingest
from .organization import organization_merge
from .values import (
    DOCUMENT_MERGED_FIELDS,
    MEASURE_MERGED_FIELDS,
    document_base,
    document_fields,
    document_values,
    measure_base,
    measure_source_values,
    measure_values,
    source_key,
    stored_measure_values,
)

__all__ = [
    "DOCUMENT_MERGED_FIELDS",
    "MEASURE_MERGED_FIELDS",
    "IngestContext",
    "IngestResult",
    "NewDocument",
    "citations_resolve",
    "department_links",
    "document_base",
    "document_fields",
    "document_ingest",
    "document_values",
    "documents_create",
    "measure_base",
    "measure_source_values",
    "measure_values",
    "measures_insert",
    "organization_merge",
    "organization_resolve",
    "region_get_or_create",
    "source_key",
    "stored_measure_values",
]
