"""Pure parser for policy documents and periodicals: bytes or text in, plain dataclasses out.

Nothing in this package imports Django, so its tests need no database. The service
that stores a ``ParsedDocument`` lives outside this package.
"""

from .errors import DecodeError, EmptyDocumentError, IngestError, NoMeasuresError, UnsupportedFormatError
from .parse import parse_document, parse_text
from .types import (
    KIND_GENERAL,
    KIND_MEASURE,
    ROLE_COOPERATE,
    ROLE_LEAD,
    ROLE_RESPONSIBLE,
    ROLES,
    Article,
    ChronicleEntry,
    CitationRef,
    DepartmentRef,
    DocumentMeta,
    ParsedDocument,
    ParsedMeasure,
    Validity,
)

__all__ = [
    "KIND_GENERAL",
    "KIND_MEASURE",
    "ROLES",
    "ROLE_COOPERATE",
    "ROLE_LEAD",
    "ROLE_RESPONSIBLE",
    "Article",
    "ChronicleEntry",
    "CitationRef",
    "DecodeError",
    "DepartmentRef",
    "DocumentMeta",
    "EmptyDocumentError",
    "IngestError",
    "NoMeasuresError",
    "ParsedDocument",
    "ParsedMeasure",
    "UnsupportedFormatError",
    "Validity",
    "parse_document",
    "parse_text",
]
