"""Text people type or paste: control characters out, so nothing downstream (an Excel export, a search
index, a browser) chokes on a \\x0b pasted from Word.

``strip_controls`` keeps line breaks and tabs. It is applied when records are saved (``clean_text_fields``,
connected in the apps' ``ready``), never to the stored original of a document or to anything that identifies
it (raw text, hashes).
"""

from __future__ import annotations

import re

from django.db import models

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Fields that keep every character: the document as it came, and values derived from it or identifying it.
UNTOUCHED = {"raw_text", "content_hash", "search_title", "search_body", "search_version", "encoding"}


def strip_controls(text: str) -> str:
    """``text`` without control characters; a vertical tab or form feed becomes a line break."""
    return CONTROL_RE.sub(lambda match: "\n" if match.group() in "\x0b\x0c" else "", text)


def clean_text_fields(sender, instance, **kwargs) -> None:
    """``pre_save``: strip control characters from the text fields people can edit."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and field.attname not in UNTOUCHED:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and CONTROL_RE.search(value):
                setattr(instance, field.attname, strip_controls(value))
