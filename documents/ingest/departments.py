"""Departments named in a measure: ``（市商务委牵头，市财政局、各区政府配合）``.

A department parenthesis lists units, each group followed by a role word —
牵头 (lead), 配合 (cooperate) or 负责 (responsible). Units are separated by
、 ， ； (or their half-width forms). Inside a run joined by 、 the writer drops the
shared level prefix, so ``市发展改革委、工业和信息化委`` means 市工业和信息化委: the
prefix (市, 省, 区, 县) is restored unless the unit is already a full name
(各区政府, 广州海关, 中国人民银行广州分行, 广州市税务局 …). A qualifier written
in 〈…〉 becomes the unit's note.

Parentheses that do not read as such a list — ``（企业对企业电子商务）``, ``（PPP）``,
``（2016-2020 年）`` — are left in the text.
"""

from __future__ import annotations

import re

from .types import ROLE_COOPERATE, ROLE_LEAD, ROLE_RESPONSIBLE, DepartmentRef

ROLE_WORDS = {"牵头": ROLE_LEAD, "配合": ROLE_COOPERATE, "负责": ROLE_RESPONSIBLE}

# A parenthesis, allowing one level of nested brackets for a qualifier: ``（各区（含新区）负责）``.
_PAREN_RE = re.compile(r"[ \t]*[（(](?P<body>(?:[^（）()\n]|[（(][^（）()\n]*[）)]){2,300})[）)][ \t]*")
_NOTE_RE = re.compile(r"[〈<（(](?P<note>[^〈〉<>（）()]*)[〉>）)]")
# One group: units, then a role word, then a separator or the end.
_GROUP_RE = re.compile(r"(?P<units>.+?)(?P<role>牵头|配合|负责)(?P<sep>[，,；;、\s]*)")
_SEPARATOR_RE = re.compile(r"[，,；;\s]+")
# Words that qualify the role rather than name a unit: ``按职责分工负责``, ``共同牵头``.
_ROLE_QUALIFIER_RE = re.compile(r"(?:按职责分工|按职责|分工|共同|分别|具体|等单位|等部门)$")
_UNIT_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·]{2,30}$")
_NOT_A_UNIT_RE = re.compile(r"[的了在对和与]$|^[请经对在]|年$|\d{4}")

# The level prefixes a run of units may share.
_PREFIXES = ("市", "省", "区", "县")
# Units that already say whose they are and must not get a prefix.
_FULL_NAME_START_RE = re.compile(
    r"^(?:各|有关|相关|其他|其它|全|本|上级|中国|国家|中央|国务院|省委|市委|"
    r"广东|广州|深圳|珠海|汕头|佛山|韶关|湛江|肇庆|江门|茂名|惠州|梅州|汕尾|河源|阳江|清远|东莞|中山|潮州|揭阳|云浮|"
    r"香港|澳门|北京|上海|天津|重庆|黄埔|前海|南沙|横琴|福田|罗湖|南山|盐田|宝安|龙岗|龙华|坪山|光明|大鹏|深汕|"
    r"越秀|海珠|荔湾|天河|白云|番禺|花都|从化|增城)"
)
_INSTITUTION_RE = re.compile(
    r"(?:海关|银行|分行|支行|集团|公司|交易所|大学|学院|法院|检察院|协会|商会|联合会|研究院|研究所|银保监局|证监局)$"
)
# A place name with its level inside the name: 广州市税务局, 国家外汇管理局深圳市分局, 高新区管委会.
_PLACE_LEVEL_RE = re.compile(r"[\u4e00-\u9fff]{2,}(?<!城)(?:省|市|县|区)(?!场)")


def _has_prefix(unit: str) -> bool:
    # 市场监管局 starts with 市 but names the market, not the city: 市市场监管局 has the prefix.
    if unit.startswith(("市场", "区域")):
        return False
    return unit.startswith(_PREFIXES)


def _is_full_name(unit: str) -> bool:
    return bool(_FULL_NAME_START_RE.match(unit) or _INSTITUTION_RE.search(unit) or _PLACE_LEVEL_RE.match(unit))


def restore_prefixes(run: list[str]) -> list[str]:
    """Give bare units of a 、 run the prefix of the unit before them.

    ``["市发展改革委", "工业和信息化委"]`` → ``["市发展改革委", "市工业和信息化委"]``;
    full names (各区政府, 广州海关) are kept and do not change the prefix.
    """
    prefix = ""
    restored = []
    for unit in run:
        if _has_prefix(unit):
            prefix = unit[0]
        elif prefix and not _is_full_name(unit):
            unit = prefix + unit
        restored.append(unit)
    return restored


def _split_note(unit: str) -> tuple[str, str]:
    match = _NOTE_RE.search(unit)
    if not match:
        return unit, ""
    return (unit[: match.start()] + unit[match.end() :]).strip(), match["note"].strip()


def _protect_notes(body: str) -> tuple[str, list[str]]:
    """Replace 〈…〉 notes by placeholders so their 、 and ， do not split units."""
    notes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        notes.append(match.group())
        return f"\x00{len(notes) - 1}\x00"

    return _NOTE_RE.sub(keep, body), notes


def parse_department_list(body: str) -> list[DepartmentRef] | None:
    """Units and roles in the text of one parenthesis, or ``None`` if it is not a department list.

    ``"市商务委牵头，市财政局、各区政府配合"`` →
    ``[市商务委/lead, 市财政局/cooperate, 各区政府/cooperate]``.
    """
    protected, notes = _protect_notes(body.strip().rstrip("。；;，, "))
    if not protected or not protected.endswith(tuple(ROLE_WORDS)):
        return None
    refs: list[DepartmentRef] = []
    position = 0
    while position < len(protected):
        group = _GROUP_RE.match(protected, position)
        if not group or group.end() == position:
            return None
        position = group.end()
        # ``由市商务委牵头`` names the unit after 由.
        units_text = _ROLE_QUALIFIER_RE.sub("", group["units"].strip("，,；;、 ").removeprefix("由"))
        role = ROLE_WORDS[group["role"]]
        for clause in _SEPARATOR_RE.split(units_text):
            run = [unit for unit in clause.split("、") if unit]
            if not run:
                continue
            names_and_notes = [_split_note(_restore_notes(unit, notes)) for unit in run]
            names = [name for name, _ in names_and_notes]
            if any(not _UNIT_RE.match(name) or _NOT_A_UNIT_RE.search(name) for name in names):
                return None
            for name, (_, note) in zip(restore_prefixes(names), names_and_notes, strict=True):
                refs.append(DepartmentRef(name=name, role=role, note=note))
    return refs or None


def _restore_notes(unit: str, notes: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda match: notes[int(match.group(1))], unit)


def dedupe_departments(refs: list[DepartmentRef] | tuple[DepartmentRef, ...]) -> tuple[DepartmentRef, ...]:
    """Units in order, each (name, role) pair once."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for ref in refs:
        if (ref.name, ref.role) not in seen:
            seen.add((ref.name, ref.role))
            unique.append(ref)
    return tuple(unique)


_TIDY_RULES = (
    (re.compile(r"([。；，、：])[。；，、]+"), r"\1"),  # 。。 / ；。 left where a parenthesis was
    (re.compile(r"^[。；，、：\s]+"), ""),  # a paragraph that began with the parenthesis
    (re.compile(r" {2,}"), " "),
)


def tidy_after_removal(text: str) -> str:
    """Repair punctuation a removed parenthesis leaves behind: ``。。``, a leading ``。``, stray spaces."""
    for pattern, replacement in _TIDY_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def _gap_left_by(match: re.Match[str]) -> str:
    """What replaces a removed parenthesis: a space next to Latin text as written, else nothing."""
    left, right = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
    if not left or not right:
        return ""
    latin_left, latin_right = left.isascii() and left.isalnum(), right.isascii() and right.isalnum()
    spaced = match.group() != match.group().strip()
    # Never glue two Latin words together; keep "SaaS 模式" spaced if it was.
    return " " if (latin_left and latin_right) or (spaced and (latin_left or latin_right)) else ""


def remove_department_parens(paragraph: str) -> tuple[str, list[DepartmentRef]]:
    """One paragraph without its department parentheses, and the units they named in order."""
    found: list[DepartmentRef] = []
    pieces: list[str] = []
    position = 0
    for match in _PAREN_RE.finditer(paragraph):
        refs = parse_department_list(match["body"])
        if refs is None:
            continue
        found.extend(refs)
        pieces.extend([paragraph[position : match.start()], _gap_left_by(match)])
        position = match.end()
    if not found:
        return paragraph, []
    pieces.append(paragraph[position:])
    return tidy_after_removal("".join(pieces)), found


def extract_departments(text: str) -> tuple[str, tuple[DepartmentRef, ...]]:
    """Remove every department parenthesis from ``text``; return the text and the units in order.

    Works paragraph by paragraph (``text`` may hold several, joined by ``\\n``); a
    paragraph that held nothing but a parenthesis disappears. A unit named twice with
    the same role is kept once.
    """
    refs: list[DepartmentRef] = []
    paragraphs = []
    for paragraph in text.split("\n"):
        cleaned, found = remove_department_parens(paragraph)
        refs.extend(found)
        if cleaned:
            paragraphs.append(cleaned)
    return "\n".join(paragraphs), dedupe_departments(refs)
