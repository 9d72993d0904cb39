"""What a policy text says about itself: title, policy title, 文号, issuers, dates, region, type.

Read from the 政府信息公开 block of a web page (``infoblock``), from the head (the paragraphs before the
first chapter or item: title, 文号 line, the record lines of a regulation such as ``2020年12月24日
浙江省第十三届人民代表大会常务委员会第二十六次会议通过`` or ``2021年1月15日 中华人民共和国国务院令第735号公布``)
and from the signature, a short line just above a date line (``深圳市人民政府`` / ``2013 年 12 月 27 日``).
A 印发 notice has two titles: its own (``…印发…若干措施的通知``) and the enclosed policy's (``…若干措施``);
the second is ``policy_title``, and the document type is read from it.

Every value found is recorded with where it came from (``provenance``), so the preview can say
「取自正文第3段」 or 「由发文机关“国务院”推定」 and an editor can tell a stated value from an inferred one.
Where several places state a date, the precedence is fixed: 成文日期, the signature's date, 发布日期, the date a
congress adopted (or last amended) it, the date it was promulgated, the date it takes effect; the year of the
文号 when none is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .citations import DOC_NUMBER_RE, normalise_doc_number
from .dates import date_from_match, parse_cn_date
from .patterns import (
    CJK_RE,
    DATE_LINE_RE,
    DATE_PATTERN,
    DOC_NUMBER_LINE_RE,
    ORG_SUFFIX_RE,
    TITLE_FORBIDDEN_RE,
    TITLE_PERIOD_RE,
    is_title_like,
)
from .places import region_in_name, region_of_doc_number

DOC_TYPES = ("notice", "measures", "opinion", "plan", "regulation", "periodical", "other")

_DOC_TYPE_RULES = (
    (re.compile(r"措施$"), "measures"),
    (re.compile(r"意见$"), "opinion"),
    (re.compile(r"(?:方案|计划|规划|纲要)$"), "plan"),
    (re.compile(r"(?:办法|规定|细则|条例)$"), "regulation"),
    (re.compile(r"通知$"), "notice"),
)
_ENCLOSED_RE = re.compile(r"(?:印发|转发|颁布)《?(?P<name>.+?)》?的通知$")
_QUOTED_RE = re.compile(r"《(?P<name>[^《》]{4,120})》")
_ISSUER_IN_TITLE_RE = re.compile(
    r"^(?P<org>[\u4e00-\u9fff]{2,30}?(?:人民政府|办公厅|办公室|委员会|局|委|厅|部|署))(?:关于|印发|转发)"
)
_MAX_SIGNATURE_CHARS = 30


@dataclass(frozen=True)
class TextMetadata:
    title: str = ""
    policy_title: str = ""
    doc_number: str = ""
    issuer: str = ""
    co_issuers: tuple[str, ...] = ()
    issue_date: dt.date | None = None
    year: int | None = None
    region: str = ""
    topic: str = ""  # 主题分类 of the info block, as written
    # Head paragraphs that are titles, the 文号 or record lines, so not part of the preamble.
    used: frozenset[str] = field(default_factory=frozenset)
    provenance: dict[str, str] = field(default_factory=dict)


def classify_doc_type(title: str, policy_title: str = "") -> str:
    """One of ``DOC_TYPES`` from the policy's own title, else the document title."""
    name = TITLE_PERIOD_RE.sub("", policy_title or title).strip().rstrip("》")
    enclosed = _ENCLOSED_RE.search(name)
    if enclosed:
        inner = classify_doc_type(enclosed["name"])
        return inner if inner not in ("other", "notice") else "notice"
    for pattern, doc_type in _DOC_TYPE_RULES:
        if pattern.search(name):
            return doc_type
    return "other"


def region_of(*names: str) -> str:
    """The region the first of ``names`` that names one starts with: ``广东省人民政府办公厅`` → ``广东省``,
    ``国务院办公厅`` → ``全国``, ``深圳经济特区…`` → ``深圳市``."""
    for name in names:
        place = region_in_name(name) if name else None
        if place is not None:
            return place.name
    return ""


def issuer_from_title(title: str) -> str:
    """``广州市人民政府办公厅关于印发…`` → ``广州市人民政府办公厅``."""
    match = _ISSUER_IN_TITLE_RE.match(title)
    return match["org"] if match else ""


def is_signature(paragraph: str) -> bool:
    """A short unpunctuated Chinese line, as a signature is."""
    return (
        len(paragraph) <= _MAX_SIGNATURE_CHARS
        and not TITLE_FORBIDDEN_RE.search(paragraph)
        and CJK_RE.search(paragraph) is not None
        and not DATE_LINE_RE.match(paragraph)
    )


def find_signature(paragraphs: tuple[str, ...]) -> tuple[str, dt.date | None]:
    """``(issuer, date)`` of the first signed date line; a date line alone gives ``("", date)``.

    Jointly issuing bodies, written side by side or one per line, come back joined by 、.
    """
    issuers, date, _ = find_signers(paragraphs)
    return "、".join(issuers), date


_MAX_SIGNERS = 6


def find_signers(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], dt.date | None, int]:
    """``(issuers, date, index of the date line)`` of the first signed date line (``((), date, i)`` unsigned).

    Jointly issuing bodies are written side by side (``广州市商务局 广州市财政局``) or one per line above the date.
    """
    first: tuple[tuple[str, ...], dt.date | None, int] = ((), None, -1)
    for index, paragraph in enumerate(paragraphs):
        if not DATE_LINE_RE.match(paragraph):
            continue
        date = parse_cn_date(paragraph)
        if date is None:
            continue
        names: list[str] = []
        above = index - 1
        while above >= 0 and len(names) < _MAX_SIGNERS and is_signature(paragraphs[above]):
            line_names = paragraphs[above].split()
            if names and not all(ORG_SUFFIX_RE.search(name) for name in line_names):
                break  # a second line counts only when it is another body's name
            names = line_names + names
            above -= 1
        if names:
            return tuple(names), date, index
        if first[1] is None:
            first = ((), date, index)
    return first


def _policy_title_from_notice(title: str, head: tuple[str, ...]) -> str:
    """The enclosed policy named in a 印发 notice: ``现将《…若干措施》印发给你们`` or the title itself."""
    for paragraph in head:
        if "印发" in paragraph and paragraph != title:
            quoted = _QUOTED_RE.search(paragraph)
            if quoted:
                return quoted["name"]
    enclosed = _ENCLOSED_RE.search(title)
    return enclosed["name"] if enclosed else ""


def read_titles(head: tuple[str, ...]) -> tuple[str, str]:
    """``(title, policy_title)`` from the head paragraphs."""
    titles = [paragraph for paragraph in head if is_title_like(paragraph)]
    if not titles:
        return "", ""
    title = titles[0]
    is_notice = title.endswith("通知") or "印发" in title
    if not is_notice:
        return title, ""
    policy_title = next((candidate for candidate in titles[1:] if candidate != title), "")
    return title, policy_title or _policy_title_from_notice(title, head)


_RECORD_RE = re.compile(
    rf"{DATE_PATTERN}\s*(?P<body>[^。；]*?)\s*(?P<action>修订通过|通过|修正|修订|批准|公布|发布|施行)"
)
_TERM_RE = re.compile(r"第[一二三四五六七八九十百零〇\d]+届|第[一二三四五六七八九十百零〇\d]+次(?:常务|全体)?会议.*$")
_DECREE_RE = re.compile(r"(?P<org>[\u4e00-\u9fff]{1,24}?)令\s*(?:[（(]?\s*)?第\s*(?P<serial>\d{1,5})\s*号")
_STATE_COUNCIL = ("中华人民共和国国务院", "国务院")
_ADOPTED = ("通过", "修订通过", "修正", "修订")


@dataclass(frozen=True)
class Record:
    """A dated line of a regulation's record: adopted, amended, approved, promulgated, in force."""

    date: dt.date
    body: str  # 浙江省第十三届人民代表大会常务委员会第二十六次会议 / 中华人民共和国国务院令第735号
    action: str
    paragraph: int  # index in the head


def read_records(head: tuple[str, ...]) -> list[Record]:
    """Every dated record in the head, in order (a paragraph may hold several)."""
    records = []
    for index, paragraph in enumerate(head):
        for match in _RECORD_RE.finditer(paragraph):
            date = date_from_match(match)
            if date is not None:
                records.append(Record(date, match["body"].strip(" （(）)"), match["action"], index))
    return records


def body_of(record_body: str) -> str:
    """The organisation behind a record: ``浙江省第十三届人民代表大会常务委员会第二十六次会议`` → ``浙江省人民代表大会常务委员会``,
    ``国务院第117次常务会议`` → ``国务院``."""
    name = re.sub(r"《.*", "", record_body)
    return _TERM_RE.sub("", name).strip()


def decree_number(text: str) -> str:
    """``中华人民共和国国务院令第735号`` → ``国令第735号``; ``国家市场监督管理总局令第56号`` as it is."""
    match = _DECREE_RE.search(text)
    if not match:
        return ""
    org = match["org"]
    if org.endswith(_STATE_COUNCIL):
        return f"国令第{match['serial']}号"
    return f"{org}令第{match['serial']}号"


def decree_issuer(number: str) -> str:
    if number.startswith("国令"):
        return "国务院"
    return number.split("令第", 1)[0] if "令第" in number else ""


def _paragraph(index: int) -> str:
    return f"取自正文第{index + 1}段"


_INFO = "取自政府信息公开栏“{}”"


class _Found:
    """Values and where they came from; the first value set for a field wins (callers go by precedence)."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.sources: dict[str, str] = {}

    def offer(self, name: str, value, source: str) -> None:
        if value and name not in self.values:
            self.values[name] = value
            self.sources[name] = source


def extract_metadata(
    head: tuple[str, ...], paragraphs: tuple[str, ...], info: dict[str, str] | None = None
) -> TextMetadata:
    """Metadata from the info block, the head paragraphs and the whole text's signature."""
    info = info or {}
    found = _Found()
    used: set[str] = set()

    title, policy_title = read_titles(head)
    if title:
        found.offer("title", title, _paragraph(head.index(title)))
    found.offer("title", info.get("title", ""), _INFO.format("标题"))
    used.update(t for t in (title, policy_title) if t)

    _read_doc_number(head, info, found, used)
    records = read_records(head)
    used.update(head[r.paragraph] for r in records)
    signers, signed_on, signature_index = find_signers(paragraphs)
    _read_issuers(info, signers, signature_index, records, found)
    found.offer("issuer", issuer_from_title(found.values.get("title", "")), "由标题推定")
    _read_dates(info, signed_on, signature_index, records, found)
    _read_region(found)

    issuers = found.values.get("issuers", ())
    return TextMetadata(
        title=found.values.get("title", ""),
        policy_title=policy_title,
        doc_number=found.values.get("doc_number", ""),
        issuer=issuers[0] if issuers else found.values.get("issuer", ""),
        co_issuers=tuple(issuers[1:]),
        issue_date=found.values.get("issue_date"),
        year=found.values.get("year"),
        region=found.values.get("region", ""),
        topic=info.get("topic", ""),
        used=frozenset(used),
        provenance={name: source for name, source in found.sources.items() if name != "issuers"},
    )


def _read_doc_number(head: tuple[str, ...], info: dict[str, str], found: _Found, used: set[str]) -> None:
    if info.get("doc_number"):
        stated = info["doc_number"]
        found.offer("doc_number", normalise_doc_number(stated) or decree_number(stated), _INFO.format("发文字号"))
    for index, paragraph in enumerate(head):
        if DOC_NUMBER_LINE_RE.match(paragraph):
            found.offer("doc_number", normalise_doc_number(paragraph), _paragraph(index))
            used.add(paragraph)
    # A decree: ``中华人民共和国国务院令`` / ``第706号`` on two lines, or ``…国务院令第735号公布`` in the record.
    for index, paragraph in enumerate(head[:12]):
        joined = paragraph + (head[index + 1] if index + 1 < len(head) and len(paragraph) <= 20 else "")
        number = decree_number(joined) if len(joined) <= 60 and not DOC_NUMBER_RE.search(joined) else ""
        if number and ("公布" in joined or paragraph.endswith("令")):
            found.offer("doc_number", number, _paragraph(index))
            used.add(paragraph)


def _read_issuers(
    info: dict[str, str], signers: tuple[str, ...], signature_index: int, records: list[Record], found: _Found
) -> None:
    if info.get("issuer"):
        names = tuple(name for name in re.split(r"[\s、，,；;]+", info["issuer"]) if name)
        found.offer("issuers", names, _INFO.format("发文机关"))
        found.offer("issuer", names[0] if names else "", _INFO.format("发文机关"))
    if signers:
        found.offer("issuers", signers, f"取自落款（正文第{signature_index}段）")
        found.offer("issuer", signers[0], f"取自落款（正文第{signature_index}段）")
    number = found.values.get("doc_number", "")
    found.offer("issuer", decree_issuer(number) if "令第" in str(number) else "", "由文号推定")
    adopted = [r for r in records if r.action in _ADOPTED]
    if adopted:
        found.offer("issuer", body_of(adopted[0].body), _paragraph(adopted[0].paragraph))


def _read_dates(
    info: dict[str, str], signed_on: dt.date | None, signature_index: int, records: list[Record], found: _Found
) -> None:
    found.offer("issue_date", parse_cn_date(_cn_date(info.get("written", ""))), _INFO.format("成文日期"))
    found.offer("issue_date", signed_on, f"取自落款日期（正文第{signature_index + 1}段）")
    found.offer("issue_date", parse_cn_date(_cn_date(info.get("published", ""))), _INFO.format("发布日期"))
    adopted = [r for r in records if r.action in _ADOPTED]
    if adopted:
        latest = max(adopted, key=lambda r: r.date)  # a consolidated text is the version of its last amendment
        found.offer("issue_date", latest.date, _paragraph(latest.paragraph) + f"（{latest.action}日期）")
    for action in ("公布", "发布", "施行"):
        record = next((r for r in records if r.action == action), None)
        if record:
            found.offer("issue_date", record.date, _paragraph(record.paragraph) + f"（{action}日期）")
    # The year is the 文号's: 〔2018〕, or the year a decree was promulgated; else the issue date's.
    number = str(found.values.get("doc_number", ""))
    number_year = DOC_NUMBER_RE.search(number)
    if number_year:
        found.offer("year", int(number_year["year"]), "由文号年份推定")
    promulgated = next(
        (r for r in records if r.action in ("公布", "发布") and number and decree_number(r.body) == number), None
    )
    if promulgated:
        found.offer("year", promulgated.date.year, _paragraph(promulgated.paragraph) + "（公布年份）")
    issued = found.values.get("issue_date")
    if issued:
        found.offer("year", issued.year, found.sources["issue_date"])


def _cn_date(value: str) -> str:
    """``2018-11-16`` / ``2018年11月16日`` both as the Chinese form ``parse_cn_date`` reads."""
    match = re.match(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", value)
    return f"{match[1]}年{match[2]}月{match[3]}日" if match else value


def _read_region(found: _Found) -> None:
    issuers = found.values.get("issuers") or (found.values.get("issuer"),)
    for name in issuers:
        place = region_in_name(name) if name else None
        if place is not None:
            found.offer("region", place.name, f"由发文机关“{name}”推定")
    number = found.values.get("doc_number", "")
    place = region_of_doc_number(number) if number else None
    if place is not None:
        found.offer("region", place.name, f"由文号“{number}”推定")
    title = found.values.get("title", "")
    place = region_in_name(title) if title else None
    if place is not None:
        found.offer("region", place.name, "由标题推定")
