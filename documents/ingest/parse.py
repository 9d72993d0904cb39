"""Entry point of the parser: bytes or text in, a ``ParsedDocument`` out.

``parse_document`` reads the file's text (``extract.extract_text``: plain text, web page,
Word or PDF) and hashes its bytes; ``parse_text`` does the rest:
periodicals go to the periodical parser, policy texts are normalised, split into
items, read for metadata, and turned into measures. Metadata the caller supplies in
``DocumentMeta`` fills what the text lacks and wins where both say something.

Only ``IngestError`` subclasses leave this module, each with a message in Chinese
for the person who brought the file.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
from dataclasses import replace
from pathlib import PurePath
from types import ModuleType

from .citations import extract_citations, normalise_doc_number
from .dates import cn_number
from .departments import apply_first_listed_lead, states_first_listed_lead
from .errors import EmptyDocumentError, IngestError, NoMeasuresError, UnsupportedFormatError
from .extract import extract_text
from .infoblock import extract_info_block
from .measures import build_measures
from .metadata import classify_doc_type, extract_metadata, region_of
from .normalise import extract_web_header, normalise_layout, normalise_text
from .patterns import match_item
from .structure import split_structure
from .types import CitationRef, DocumentMeta, ParsedDocument, Validity
from .validity import parse_validity, validity_from_title

PERIODICAL = "periodical"

# What a magazine issue shows and a policy never does: an issue count, a dotted table of contents.
_ISSUE_COUNT_RE = re.compile(r"期\s*[（(]\s*总第\s*\d+\s*期\s*[）)]")
_DOT_LEADER_RE = re.compile(r"[·．.…]{5,}\s*\d{1,3}\s*$", re.M)

_NO_ITEMS_MESSAGE = (
    "没有找到编号条目（如“（一）”“1.”“第一条”），无法拆分出措施。请确认这是政策文件，并检查条目编号是否完整。"
)


def parse_document(data: bytes, *, filename: str = "", meta: DocumentMeta | None = None) -> ParsedDocument:
    """Parse an uploaded file in any format ``extract_text`` reads; ``content_hash`` is the sha256 of ``data``."""
    text, encoding = extract_text(data, filename=filename)
    return parse_text(
        text, encoding=encoding, content_hash=hashlib.sha256(data).hexdigest(), filename=filename, meta=meta
    )


def parse_text(
    text: str,
    *,
    encoding: str = "utf-8",
    content_hash: str = "",
    filename: str = "",
    meta: DocumentMeta | None = None,
) -> ParsedDocument:
    """Parse decoded text. Without ``content_hash``, the sha256 of ``text`` in UTF-8 is used."""
    meta = meta or DocumentMeta()
    if not text or not text.strip():
        raise EmptyDocumentError("文件为空：没有可导入的文字。")
    content_hash = content_hash or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    periodical = _periodical_module()
    if meta.doc_type == PERIODICAL or _looks_like_periodical(text, periodical):
        return _parse_periodical(text, periodical, encoding=encoding, content_hash=content_hash, meta=meta)
    return _parse_policy(text, encoding=encoding, content_hash=content_hash, filename=filename, meta=meta)


# --- periodicals --------------------------------------------------------------------------


def _periodical_module() -> ModuleType | None:
    """The periodical parser, if it is installed.

    Looked up rather than imported at the top so that policy parsing works while the
    periodical parser is being written; an error inside it still surfaces.
    """
    if importlib.util.find_spec(f"{__package__}.periodical") is None:
        return None
    return importlib.import_module(f"{__package__}.periodical")


def _looks_like_periodical(text: str, periodical: ModuleType | None) -> bool:
    if periodical is not None and hasattr(periodical, "looks_like_periodical"):
        return bool(periodical.looks_like_periodical(text))
    signals = (
        bool(_ISSUE_COUNT_RE.search(text)),
        len(_DOT_LEADER_RE.findall(text)) >= 3,
        "内部资料" in text,
    )
    return signals[0] or sum(signals) >= 2


def _parse_periodical(
    text: str, periodical: ModuleType | None, *, encoding: str, content_hash: str, meta: DocumentMeta
) -> ParsedDocument:
    if periodical is None:
        raise UnsupportedFormatError("这份文件是期刊（杂志），期刊解析功能尚未安装，暂时无法导入。")
    # A magazine's layout carries meaning the periodical parser reads: the table of
    # contents, page marks, even the single leading space that starts a PDF page. So
    # it gets the text as extracted (only a web-copy header removed), and the cleaned
    # text kept for search keeps every line where it was.
    body, source_url = extract_web_header(text)
    layout_text, _ = normalise_layout(body)
    try:
        parts = periodical.parse_periodical(body, meta=meta)
    except IngestError:
        raise
    except Exception as exc:
        # The contract lets only IngestError out of the parser; the cause stays chained for the log.
        raise IngestError(f"期刊内容无法解析（{type(exc).__name__}）：请检查文件是否完整，或联系管理员。") from exc
    title = meta.title or getattr(parts, "title", "")
    issuer = meta.issuer or getattr(parts, "issuer", "")
    issue_date = meta.issue_date or getattr(parts, "issue_date", None)
    return ParsedDocument(
        title=title,
        doc_type=PERIODICAL,
        raw_text=text,
        clean_text=layout_text,
        encoding=encoding,
        content_hash=content_hash,
        doc_number=meta.doc_number,
        issuer=issuer,
        region=meta.region or region_of(issuer, title),
        issue_date=issue_date,
        year=meta.year or getattr(parts, "year", None) or (issue_date.year if issue_date else None),
        source_url=meta.source_url or source_url,
        preamble=getattr(parts, "preamble", ""),
        articles=list(getattr(parts, "articles", ())),
        chronicle=list(getattr(parts, "chronicle", ())),
        citations=list(getattr(parts, "citations", ())),
        warnings=list(getattr(parts, "warnings", ())),
    )


# --- policies -----------------------------------------------------------------------------


def _same_title(left: str, right: str) -> bool:
    return bool(left) and re.sub(r"\s+", "", left) == re.sub(r"\s+", "", right)


_TYPED = "导入时填写"


def _parse_policy(text: str, *, encoding: str, content_hash: str, filename: str, meta: DocumentMeta) -> ParsedDocument:
    info = extract_info_block(text)
    normalised = normalise_text(info.text)
    if not normalised.paragraphs:
        raise EmptyDocumentError("文件没有可导入的正文：去掉页码、页脚和格式标记后什么也没剩下。")
    structure = split_structure(normalised.paragraphs)
    if structure is None:
        raise NoMeasuresError(_NO_ITEMS_MESSAGE)
    split = build_measures(structure.items, structure.closing)
    if not split.measures:
        raise NoMeasuresError(_NO_ITEMS_MESSAGE)
    measures = split.measures
    if states_first_listed_lead(normalised.text):  # 「列第一位者为牵头单位」, said once for the whole document
        measures = [replace(m, departments=apply_first_listed_lead(m.departments)) for m in measures]
    found = extract_metadata(structure.head, normalised.paragraphs, info.fields)
    provenance = dict(found.provenance)
    warnings: list[str] = []

    def typed(name: str, value):
        """A value the person importing typed wins over the text's, and says so."""
        if value:
            provenance[name] = _TYPED
        return value

    title = typed("title", meta.title) or found.title or found.policy_title
    if not title:
        title = PurePath(filename).stem if filename else ""
        provenance["title"] = "未能从正文识别，暂用文件名"
        warnings.append("正文中没有识别出标题，请在导入时填写标题。")
    policy_title = found.policy_title if not _same_title(found.policy_title, title) else ""
    issuer = typed("issuer", meta.issuer) or found.issuer
    co_issuers = () if meta.issuer else found.co_issuers
    issue_date = typed("issue_date", meta.issue_date) or found.issue_date
    period = validity_from_title(policy_title or title)
    validity: Validity | None = parse_validity(split.validity_clause, issue_date) if split.validity_clause else period
    typed_date_year = meta.issue_date.year if meta.issue_date else None
    year = typed("year", meta.year or typed_date_year) or found.year or (issue_date.year if issue_date else None)
    if year is None and period and period.valid_from:
        year = period.valid_from.year
        provenance["year"] = "由标题中的期限推定"
    region = typed("region", meta.region) or found.region
    doc_number = typed("doc_number", normalise_doc_number(meta.doc_number) or meta.doc_number) or found.doc_number
    warnings += _missing(region=region, year=year, issue_date=issue_date, issuer=issuer)
    warnings += numbering_gaps(measures) + untaken_items(structure.closing)

    doc_type = typed("doc_type", meta.doc_type) or classify_doc_type(title, policy_title)
    provenance.setdefault("doc_type", f"由{'政策名称' if policy_title else '标题'}推定")
    own_titles = {re.sub(r"\s+", "", name) for name in (title, policy_title, found.title, found.policy_title) if name}
    citations: list[CitationRef] = [
        citation for citation in extract_citations(normalised.text) if citation.title not in own_titles
    ]
    preamble = [paragraph for paragraph in structure.head if paragraph not in found.used]
    return ParsedDocument(
        title=title,
        doc_type=doc_type,
        raw_text=text,
        clean_text=normalised.text,
        encoding=encoding,
        content_hash=content_hash,
        policy_title=policy_title,
        doc_number=doc_number,
        issuer=issuer,
        co_issuers=co_issuers,
        region=region,
        issue_date=issue_date,
        year=year,
        source_url=meta.source_url or normalised.source_url,
        preamble="\n".join((*preamble, *structure.chapter_text)),
        validity=validity,
        measures=measures,
        citations=citations,
        warnings=warnings,
        provenance=provenance,
        topic=found.topic,
    )


_LABEL_VALUE_RE = re.compile(r"^[（(]?第?(?P<value>[一二三四五六七八九十百千零〇两\d]+)")


def numbering_gaps(measures) -> list[str]:
    """A warning for each place where the numbering skips (（二） then （四）): an item may have been lost.

    Numbering may restart (1. again under the next heading); that is not a gap.
    """
    warnings = []
    previous = None
    for measure in measures:
        match = _LABEL_VALUE_RE.match(measure.number)
        value = cn_number(match["value"]) if match else None
        if value is not None and previous is not None and value not in (previous[0] + 1, 1):
            warnings.append(f"编号不连续：{previous[1]}之后是{measure.number}，请核对是否漏了条目。")
        previous = (value, measure.number) if value is not None else None
    return warnings


def untaken_items(closing) -> list[str]:
    """Numbered lines after the last measure (an attachment, a table) that were not taken as measures."""
    numbered = [paragraph for paragraph in closing if match_item(paragraph)]
    if not numbered:
        return []
    return [f"正文之后（附件等）有 {len(numbered)} 个编号条目未作为措施导入，如“{numbered[0][:30]}”。"]


def _missing(*, region: str, year: int | None, issue_date, issuer: str) -> list[str]:
    """What the text did not say and a person must supply (or check)."""
    missing = []
    if not region:
        missing.append("未能从发文机关、文号或标题确定地区，请填写地区。")
    if year is None:
        missing.append("正文中没有识别出年份，请填写成文日期或年份。")
    elif issue_date is None:
        missing.append("正文中没有识别出发文日期。")
    if not issuer:
        missing.append("正文中没有识别出发文机关。")
    return missing
