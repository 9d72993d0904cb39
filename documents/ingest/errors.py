"""Errors the parser raises for input it cannot turn into records.

Each carries a message meant for the person who brought the file (Simplified
Chinese, naming what is wrong and what to do), so commands and the admin can
show it as it is.
"""


class IngestError(ValueError):
    """Base class: the input cannot be imported as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DecodeError(IngestError):
    """The bytes are not text in an encoding we accept (or are binary)."""


class EmptyDocumentError(IngestError):
    """The file holds no text."""


class NoMeasuresError(IngestError):
    """The text has no numbered items, so it is not a policy document we can split."""


class UnsupportedFormatError(IngestError):
    """The file type is not one we can read."""
