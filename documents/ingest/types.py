"""Plain data produced by the ingestion parser.

These dataclasses are the contract between the pure parser (no Django) and the
service that writes records. Everything here is immutable text, numbers and
dates, so parser tests need no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Roles a department can have for a measure, as written in the source.
ROLE_LEAD = "lead"  # 牵头
ROLE_COOPERATE = "cooperate"  # 配合
ROLE_RESPONSIBLE = "responsible"  # 负责
ROLES = (ROLE_LEAD, ROLE_COOPERATE, ROLE_RESPONSIBLE)

KIND_MEASURE = "measure"
KIND_GENERAL = "general"  # 总体要求: 指导思想, 发展目标, 基本原则 …


@dataclass(frozen=True)
class DepartmentRef:
    """One unit named in a department parenthesis, e.g. (市工业和信息化委, cooperate).

    ``name`` is the unit as it should be recorded, with a shared prefix restored
    (``工业和信息化委`` after ``市发展改革委、`` becomes ``市工业和信息化委``);
    ``note`` keeps a qualifier written inside 〈…〉, e.g. ``含大鹏新区、深汕特别合作区，下同``.
    """

    name: str
    role: str
    note: str = ""


@dataclass(frozen=True)
class ParsedMeasure:
    ordinal: int  # 1…N in document order
    number: str  # label as written, normalised to full-width: "（三）", "1.", "第一条"
    title: str  # lead phrase without trailing punctuation: "支持电子商务平台规模化"
    text: str  # body with department parentheses removed; paragraphs joined by "\n"
    chapter: str = ""  # "一、做大做强电子商务新业态" (number and heading)
    kind: str = KIND_MEASURE
    departments: tuple[DepartmentRef, ...] = ()


@dataclass(frozen=True)
class Validity:
    clause: str  # the words of the clause, e.g. "以上措施自发布之日起实施，有效期5年。"
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class CitationRef:
    """A document named in the text: 《title》 and, when written next to it, its 文号."""

    title: str
    doc_number: str = ""


@dataclass(frozen=True)
class Article:
    """An article of a periodical issue."""

    ordinal: int
    title: str
    text: str
    subtitle: str = ""
    page: int | None = None


@dataclass(frozen=True)
class ChronicleEntry:
    """A dated item of a chronicle (大事记)."""

    ordinal: int
    number: str  # "一、"
    title: str
    text: str
    date: dt.date | None = None


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata a caller supplies when the text does not say it (all optional)."""

    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    region: str = ""
    doc_type: str = ""
    issue_date: dt.date | None = None
    year: int | None = None
    source_url: str = ""


@dataclass
class ParsedDocument:
    title: str
    doc_type: str  # one of documents.models.DocumentType values: notice/measures/opinion/plan/periodical/other
    raw_text: str  # decoded source text, unchanged
    clean_text: str  # normalised text, the basis of everything below
    encoding: str
    content_hash: str  # sha256 of the raw bytes
    policy_title: str = ""  # title of the policy a 印发 notice carries, when different from title
    doc_number: str = ""  # 文号, normalised: "粤府办〔2012〕131号"
    issuer: str = ""  # "深圳市人民政府"; of a jointly issued document, the first issuer
    co_issuers: tuple[str, ...] = ()  # the other issuers of a jointly issued document, in order
    region: str = ""  # "深圳市"
    issue_date: dt.date | None = None
    year: int | None = None
    source_url: str = ""
    preamble: str = ""  # text before the first chapter/measure (notice body, 为贯彻落实…)
    validity: Validity | None = None
    measures: list[ParsedMeasure] = field(default_factory=list)
    citations: list[CitationRef] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    chronicle: list[ChronicleEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where each value read from the text came from: field name → 「取自正文第3段」, 「由发文机关“国务院”推定」.
    provenance: dict[str, str] = field(default_factory=dict)
    topic: str = ""  # the 主题分类 a government web page states, as written (劳动、人事、监察\劳动就业)
