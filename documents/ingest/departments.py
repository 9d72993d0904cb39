"""Departments named in a measure: ``（市商务委牵头，市财政局、各区政府配合）``.

A department list is read by a small grammar. It splits into sections at ；and 。 and
into clauses at ，; each clause names a run of units (``unit_names`` says where a unit ends and
restores a shared 市 / 省 prefix) and gives them a role in one of three ways:

- a role word after the run: 牵头 (lead), 配合 / 参与 (cooperate), 负责 (responsible),
  with its qualifiers (按职责分工负责, 分别负责, 牵头负责). A run without a role word of
  its own takes the role of the next clause that has one: ``市商务局，各区负责``;
- a label before it: ``牵头单位：`` ``配合部门：`` ``责任单位：`` ``参与单位：`` …, which holds
  for the clauses after it until the next label;
- 会同: ``教育部会同有关部门负责`` names the lead before 会同 and cooperating units after it.

Any other label (``适用范围：所有自贸试验区``) names no unit: it becomes the note of every
unit of the list, as does a qualifier in 〈…〉 or （…） written after one unit for that unit.
``列第一位者为牵头单位`` makes the first responsible unit the lead.

Lists are found in parentheses and in a paragraph, or the last sentence of one, that starts
with a role label (``牵头单位：市商务局；配合单位：市财政局``). Parentheses that do not read
as a list — ``（企业对企业电子商务）``, ``（PPP）``, ``（2016-2020 年）`` — stay in the text.
"""

from __future__ import annotations

import dataclasses
import re

from .types import ROLE_COOPERATE, ROLE_LEAD, ROLE_RESPONSIBLE, DepartmentRef
from .unit_names import is_unit_name, restore_prefixes, split_units

_LABEL_ROLES = {
    "牵头": ROLE_LEAD,
    "配合": ROLE_COOPERATE,
    "协同": ROLE_COOPERATE,
    "协办": ROLE_COOPERATE,
    "参与": ROLE_COOPERATE,
    "责任": ROLE_RESPONSIBLE,
    "负责": ROLE_RESPONSIBLE,
}
_SUFFIX_ROLES = {
    "牵头负责": ROLE_LEAD,
    "牵头": ROLE_LEAD,
    "配合": ROLE_COOPERATE,
    "参与": ROLE_COOPERATE,
    "负责": ROLE_RESPONSIBLE,
}

# A parenthesis, allowing one level of nested brackets for a qualifier: ``（各区（含新区）负责）``.
_PAREN_RE = re.compile(r"[ \t]*[（(〔](?P<body>(?:[^（）()〔〕\n]|[（(][^（）()\n]*[）)]){2,300})[）)〕][ \t]*")
_BRACKET_RE = re.compile(r"[〈<（(](?P<note>[^〈〉<>（）()]*)[〉>）)]")
_PLACEHOLDER_RE = re.compile(r"\x00(\d+)\x00")
_TRAILING_PLACEHOLDER_RE = re.compile(r"\x00(\d+)\x00$")
# 。 too: ``（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）``.
_SECTION_SPLIT_RE = re.compile(r"[；;。]")
_CLAUSE_SPLIT_RE = re.compile(r"[，,\s]+")

_LABEL = r"(?P<word>牵头|配合|协同|协办|参与|责任|负责)(?:责任)?(?:单位|部门)\s*[:：]"
_ROLE_LABEL_RE = re.compile(rf"^{_LABEL}\s*")
# A label that names no role: a note of the whole list.
_LIST_NOTE_RE = re.compile(r"^[\u4e00-\u9fff]{1,8}\s*[:：]")
# Clauses that say nothing about this list's units: 下同 (the same below).
_IGNORED_CLAUSE_RE = re.compile(r"^下同$")
_ROLE_SUFFIX_RE = re.compile(r"(?P<word>牵头负责|牵头|配合|参与|负责)(?:落实|实施)?$")
# Words between the units and their role that qualify the role: ``等按职责分工负责``.
_QUALIFIER_RE = re.compile(r"(?:按照?职责分工|按照?职责|依职责|根据职责|分工|共同|分别|各自|具体)+$")
_JOINTLY = "会同"
_FIRST_LISTED_RE = re.compile(
    r"(?:[列排](?:在|于|名)?(?:第一位?|首位)(?:的|者)?|(?:第一个|首个))(?:单位|部门)?[为是]牵头(?:单位|部门)"
)
# Where a department statement starts a paragraph or its last sentences.
_STATEMENT_START_RE = re.compile(rf"(?:^|(?<=[。；！？]))[ \t]*(?={_LABEL})")


def states_first_listed_lead(text: str) -> bool:
    """Whether ``text`` says the unit listed first leads: ``…列第一位者为牵头单位``.

    Documents often say it once, in the notice or at the end, for every measure.
    """
    return bool(_FIRST_LISTED_RE.search(text))


def apply_first_listed_lead(refs: tuple[DepartmentRef, ...]) -> tuple[DepartmentRef, ...]:
    """The first responsible unit becomes the lead; the others stay as written.

    A list that already names a lead is left alone, as are units written as 配合.
    """
    refs = tuple(refs)
    if any(ref.role == ROLE_LEAD for ref in refs):
        return refs
    for index, ref in enumerate(refs):
        if ref.role == ROLE_RESPONSIBLE:
            return (*refs[:index], dataclasses.replace(ref, role=ROLE_LEAD), *refs[index + 1 :])
    return refs


def _strip_role(text: str) -> tuple[str, str | None]:
    """A run without the role word after it, and that role (``None`` if it has none)."""
    match = _ROLE_SUFFIX_RE.search(text)
    if not match:
        return text, None
    return _QUALIFIER_RE.sub("", text[: match.start()]), _SUFFIX_ROLES[match["word"]]


def _role_runs(clause: str) -> list[tuple[str, str | None]]:
    """The runs of one clause and the role the clause gives each (``None`` where it gives none).

    ``由市商务委牵头`` names the unit after 由; ``X（牵头）会同Y负责`` makes X lead, Y cooperate.
    """
    clause = clause.removeprefix("由")
    lead, jointly, partners = clause.partition(_JOINTLY)
    if jointly:
        return [(_strip_role(lead)[0], ROLE_LEAD), (_strip_role(partners)[0], ROLE_COOPERATE)]
    return [_strip_role(clause)]


class _ListReader:
    """Reads the clauses of one department list, with its brackets replaced by placeholders."""

    def __init__(self, brackets: list[str]) -> None:
        self.brackets = brackets
        self.units: list[tuple[str, str]] = []  # (name, note)
        self.roles: list[str | None] = []
        self.pending: list[int] = []  # units still waiting for the role of a later clause
        self.label_role: str | None = None
        self.list_notes: list[str] = []
        self.first_listed_lead = False

    def read(self, text: str) -> list[DepartmentRef] | None:
        """The units of the list, or ``None`` as soon as a clause names something that is not a unit."""
        for section in _SECTION_SPLIT_RE.split(text):
            note_open = False  # a note label holds for the rest of its section
            for clause in filter(None, _CLAUSE_SPLIT_RE.split(section)):
                if _FIRST_LISTED_RE.fullmatch(clause):
                    self.first_listed_lead = True
                elif _IGNORED_CLAUSE_RE.match(clause):
                    continue
                elif _ROLE_LABEL_RE.match(clause) or not (note_open or _LIST_NOTE_RE.match(clause)):
                    note_open = False
                    if not self._read_clause(clause):
                        return None
                else:
                    self._add_list_note(clause, extend=note_open)
                    note_open = True
        return self._refs()

    def _add_list_note(self, clause: str, *, extend: bool) -> None:
        """Keep a clause that names no unit (``适用范围：…``) as a note; it ends the role label before it."""
        clause = self._restore(clause)
        if extend:
            self.list_notes[-1] += "，" + clause
        else:
            self.list_notes.append(clause)
        self.label_role = None

    def _read_clause(self, clause: str) -> bool:
        """Add the units of one clause; ``False`` if it does not read as units and a role."""
        label = _ROLE_LABEL_RE.match(clause)
        if label:
            self.label_role = _LABEL_ROLES[label["word"]]
            clause = clause[label.end() :]
        runs = [(unit, role) for text, role in _role_runs(clause) for unit in split_units(text)]
        if not runs:
            return False
        units = [self._name_and_note(unit) for unit, _ in runs]
        if not all(is_unit_name(_BRACKET_RE.sub("", name)) for name, _ in units):
            return False
        own_role = runs[0][1]
        if own_role is not None:
            self._settle_pending(own_role)
        names = restore_prefixes([name for name, _ in units])
        for name, (_, note), (_, role) in zip(names, units, runs, strict=True):
            self._add(name, note, role or self.label_role)
        return True

    def _settle_pending(self, role: str) -> None:
        for index in self.pending:
            self.roles[index] = role
        self.pending = []

    def _add(self, name: str, note: str, role: str | None) -> None:
        if role is None:
            self.pending.append(len(self.units))
        self.units.append((name, note))
        self.roles.append(role)

    def _restore(self, text: str) -> str:
        return _PLACEHOLDER_RE.sub(lambda match: self.brackets[int(match[1])], text)

    def _name_and_note(self, unit: str) -> tuple[str, str]:
        """A unit's name and the bracket written after it as its note; brackets inside the name stay."""
        trailing = _TRAILING_PLACEHOLDER_RE.search(unit)
        if not trailing:
            return self._restore(unit), ""
        note = _BRACKET_RE.fullmatch(self.brackets[int(trailing[1])])["note"].strip()
        return self._restore(unit[: trailing.start()]).strip(), note

    def _refs(self) -> list[DepartmentRef] | None:
        if self.pending or not self.units:
            return None
        refs = tuple(
            DepartmentRef(name=name, role=role, note="；".join(filter(None, (note, *self.list_notes))))
            for (name, note), role in zip(self.units, self.roles, strict=True)
        )
        return list(apply_first_listed_lead(refs) if self.first_listed_lead else refs)


def _protect_brackets(body: str) -> tuple[str, list[str]]:
    """Replace 〈…〉 and （…） by placeholders so their 、 and ， do not split units."""
    brackets: list[str] = []

    def keep(match: re.Match[str]) -> str:
        brackets.append(match.group())
        return f"\x00{len(brackets) - 1}\x00"

    return _BRACKET_RE.sub(keep, body), brackets


def parse_department_list(body: str) -> list[DepartmentRef] | None:
    """Units and roles in the text of one department list, or ``None`` if it is not one.

    ``"市商务委牵头，市财政局、各区政府配合"`` →
    ``[市商务委/lead, 市财政局/cooperate, 各区政府/cooperate]``.
    """
    protected, brackets = _protect_brackets(body.strip().rstrip("。；;，, "))
    if not protected:
        return None
    return _ListReader(brackets).read(protected)


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


def remove_department_statement(paragraph: str) -> tuple[str, list[DepartmentRef]]:
    """A paragraph without the labelled department statement it is or ends with, and its units.

    ``"牵头单位：市商务局；配合单位：市财政局"`` disappears whole; ``"…产业集群。责任单位：
    市发展改革委"`` keeps its first sentence. Only a labelled statement is read outside
    parentheses: an unlabelled ``市商务局负责。`` may be a sentence of the measure.
    """
    start = _STATEMENT_START_RE.search(paragraph)
    if not start:
        return paragraph, []
    refs = parse_department_list(paragraph[start.end() :])
    if refs is None:
        return paragraph, []
    return paragraph[: start.start()].strip(), refs


def extract_departments(text: str) -> tuple[str, tuple[DepartmentRef, ...]]:
    """Remove every department list from ``text``; return the text and the units in order.

    Works paragraph by paragraph (``text`` may hold several, joined by ``\\n``); a
    paragraph that held nothing but a list disappears. A unit named twice with the
    same role is kept once.
    """
    refs: list[DepartmentRef] = []
    paragraphs = []
    for paragraph in text.split("\n"):
        cleaned, in_parens = remove_department_parens(paragraph)
        cleaned, stated = remove_department_statement(cleaned)
        refs.extend((*in_parens, *stated))
        if cleaned:
            paragraphs.append(cleaned)
    return "\n".join(paragraphs), dedupe_departments(refs)
