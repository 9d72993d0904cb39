"""Find the documents a text cites: 《title》 followed, optionally, by its 文号."""

from __future__ import annotations

import re

from .types import CitationRef

# 文号: issuer abbreviation, year in 〔〕 (or [] / 【】 / () as some texts write it), serial, 号.
DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]\s*(?P<serial>\d{1,5})\s*号"
)

_TITLE_RE = re.compile(r"《(?P<title>[^《》]{2,120})》")
# A 文号 written right after the title, in brackets: 《…》（粤府办〔2012〕131 号）
_FOLLOWING_NUMBER_RE = re.compile(r"\s*[（(]\s*(?P<number>[^（）()]{2,40}?号)\s*[）)]")


def normalise_doc_number(text: str) -> str:
    """Return the 文号 in ``text`` in canonical form (``粤府办〔2012〕131号``), or ``""``."""
    match = DOC_NUMBER_RE.search(text)
    if not match:
        return ""
    return f"{match['prefix']}〔{match['year']}〕{match['serial']}号"


def extract_citations(text: str) -> list[CitationRef]:
    """Every 《…》 title in ``text`` in order of first appearance, without repeats.

    A title cited twice is kept once; if one of the mentions carries a 文号,
    the citation keeps it.
    """
    found: dict[str, str] = {}
    for match in _TITLE_RE.finditer(text):
        title = re.sub(r"\s+", "", match["title"])
        number = ""
        following = _FOLLOWING_NUMBER_RE.match(text, match.end())
        if following:
            number = normalise_doc_number(following["number"])
        if title not in found or (number and not found[title]):
            found[title] = number
    return [CitationRef(title=title, doc_number=number) for title, number in found.items()]
