"""Uploads in the admin: stage a file, preview what importing it would do, then import or discard it.

An uploaded file is parsed at once, in a child process with a time limit, and only a ``StagedImport``
row is written: the parse as JSON, or the reason it failed. The preview shows the parse — metadata with
where each value came from, warnings, measures with the themes the rules would give — and, when the
file updates a document already in the knowledge base, what would change, found by running the import
as a dry run that is rolled back. Confirming imports the staged parse with the editor's corrections
through the one write path (``document_ingest``), in one transaction with the stage's status.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import logging
import multiprocessing
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from measures.derive import Derived, derive_document
from measures.models import Measure, MeasureDepartment, Theme
from measures.services import ThemeRules, theme_rules
from measures.tokenize import segment
from policybase.history import acting_user

from .importing import SUPPORTED_SUFFIXES, Prepared, ingest_prepared
from .ingest import parse_document
from .ingest.errors import IngestError
from .ingest.places import gazetteer
from .ingest.serialize import parsed_from_json, parsed_to_json
from .ingest.types import ParsedDocument, ParsedMeasure
from .merge import Conflict, MeasureKey, align
from .models import Document, Organization, OrganizationAlias, Region, StagedImport
from .organizations import canonical_department
from .services import (
    DOCUMENT_MERGED_FIELDS,
    IngestContext,
    IngestResult,
    document_base,
    document_ingest,
    measure_source_values,
    source_key,
    stored_measure_values,
)

logger = logging.getLogger(__name__)

EDITED = "编辑在预览中填写"
NOT_FOUND = "未能从正文识别，请填写"
NOT_FOUND_OPTIONAL = "未能从正文识别，如有请填写"
NO_PROVENANCE = "解析所得（未记录出处）"

# The document values an editor can correct in the preview, in the order the form shows them.
METADATA_LABELS = {
    "title": "标题",
    "policy_title": "政策名称",
    "doc_number": "文号",
    "doc_type": "类型",
    "issuer": "发文机关",
    "co_issuers": "联合发文机关",
    "region": "地区",
    "issue_date": "成文日期",
    "year": "年份",
    "source_url": "来源网址",
}
# A document cannot be stored without these; the others are often absent from a text, rightly.
REQUIRED_FIELDS = frozenset({"title", "region", "year"})
DIFF_CONTEXT = 40  # characters of unchanged text shown on each side of a change


# --- checking and parsing an upload --------------------------------------------------------------


class ParseTimeout(IngestError):
    """Parsing took longer than ``IMPORT_PARSE_SECONDS`` and was stopped."""


def upload_problem(name: str, size: int, chunks: Iterable[bytes]) -> str:
    """Why an uploaded file is refused before parsing (empty, too large, a type we do not read), or ``""``.

    ``chunks`` are read only when the size is acceptable, so an oversize file is refused unread.
    """
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        supported = " ".join(sorted(SUPPORTED_SUFFIXES))
        return f"“{name}”的类型（{suffix}）无法导入：支持 {supported}。"
    if size == 0:
        return f"“{name}”是空文件（0 字节），没有可导入的内容。"
    if size > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES / (1024 * 1024)
        return f"“{name}”过大（{size / 1024 / 1024:.1f} MB，上限 {limit:g} MB）：请拆分后再上传。"
    if not any(chunk.strip() for chunk in chunks):
        return f"“{name}”只有空白，没有可导入的文字。"
    return ""


class ParserProcess:
    """Parses files in a child process, so that a parse running past the time limit can be stopped.

    A thread cannot be stopped, and a request that outlives the web server's timeout is killed with
    nothing recorded. The parser is pure (no Django), so a *spawned* interpreter imports only it; one
    child serves every file of an upload and is replaced after it had to be stopped.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._pool = None

    def __enter__(self) -> ParserProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def parse(self, data: bytes, *, filename: str) -> ParsedDocument:
        """``parse_document`` in the child; ``ParseTimeout`` when it takes too long, parser errors as raised."""
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(1)
        pending = self._pool.apply_async(parse_document, (data,), {"filename": filename})
        try:
            return pending.get(timeout=self.seconds)
        except multiprocessing.TimeoutError:
            self.close()
            raise ParseTimeout(
                f"解析超过 {self.seconds:g} 秒仍未完成，已停止：文件可能过大或版式异常。"
                "请拆分文件，或另存为 .txt 后再上传。"
            ) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def staged_imports_create(*, files: Iterable, user) -> list[StagedImport]:
    """Parse each uploaded file (``name`` and ``read()``) and stage it; nothing but the stages is written.

    Parsing happens outside any transaction, so a slow file holds no database lock.
    """
    with ParserProcess(settings.IMPORT_PARSE_SECONDS) as parser:
        return [_stage(upload.name, upload.read(), parser=parser, user=user) for upload in files]


def _stage(name: str, data: bytes, *, parser: ParserProcess, user) -> StagedImport:
    parsed, error = None, ""
    try:
        parsed = parser.parse(data, filename=name)
    except IngestError as exc:
        error = exc.message
    except Exception as exc:  # a parser bug: the file is reported, the request and the other files go on
        logger.exception("parsing upload %s failed", name)
        error = f"解析失败（{type(exc).__name__}: {exc}）：请把文件发给管理员检查。"
    stage = StagedImport(
        file_name=name[:255],
        file_size=len(data),
        content_hash=hashlib.sha256(data).hexdigest(),
        status=StagedImport.Status.FAILED if error else StagedImport.Status.PENDING,
        parsed=parsed_to_json(parsed) if parsed is not None else {},
        error=error,
        created_by=user,
    )
    stage.full_clean()
    stage.save()
    return stage


# --- the editor's corrections --------------------------------------------------------------------

_REGION_NAME_RE = re.compile(
    r"[\u4e00-\u9fff]{1,20}(?:省|市|自治区|特别行政区|自治州|地区|盟|区|县|自治县|旗|自治旗|林区|特区)"
)
_NOT_A_NAME_RE = re.compile(r"[本全我该各此][省市区县]")  # 本市, 全省: words for a region, not its name


def region_choice_ok(name: str) -> bool:
    """Whether an editor may give ``name`` as a document's region.

    A region stored or in the national gazetteer by its full name is fine; another must look like a
    region's full name (南山区, a county the gazetteer does not list). 深圳 alone is not a region's name.
    """
    name = name.strip()
    place = gazetteer().get(name)
    if (place is not None and place.name == name) or Region.objects.filter(name=name).exists():
        return True
    return bool(_REGION_NAME_RE.fullmatch(name)) and not _NOT_A_NAME_RE.fullmatch(name)


def split_names(text: str) -> tuple[str, ...]:
    """Co-issuers as typed: separated by commas, 、, semicolons or spaces; each once, in order."""
    names = (part.strip() for part in re.split(r"[,，、;；\s]+", text))
    return tuple(dict.fromkeys(name for name in names if name))


def metadata_values(parsed: ParsedDocument) -> dict:
    """The values the preview form starts from: the parse's, the year falling back to the issue date's."""
    year = parsed.year or (parsed.issue_date.year if parsed.issue_date else None)
    return {name: year if name == "year" else getattr(parsed, name) for name in METADATA_LABELS}


def provenance_note(parsed: ParsedDocument, name: str) -> str:
    """Where the parse's value of ``name`` came from, or that it was not found."""
    value = metadata_values(parsed)[name]
    if value in (None, "", ()):
        return NOT_FOUND if name in REQUIRED_FIELDS else NOT_FOUND_OPTIONAL
    if name in parsed.provenance:
        return parsed.provenance[name]
    if name == "year" and not parsed.year:
        return "由成文日期推定"
    return NO_PROVENANCE


def missing_values(parsed: ParsedDocument, *, required: bool) -> list[str]:
    """Labels of the metadata the text did not give: those a document must have, or the others."""
    values = metadata_values(parsed)
    return [
        label
        for name, label in METADATA_LABELS.items()
        if values[name] in (None, "", ()) and (name in REQUIRED_FIELDS) == required
    ]


def parsed_corrected(parsed: ParsedDocument, values: dict) -> ParsedDocument:
    """``parsed`` with the metadata the editor changed in the preview, each change's provenance the editor's."""
    initial = metadata_values(parsed)
    changed = {name: value for name, value in values.items() if name in initial and value != initial[name]}
    if not changed:
        return parsed
    provenance = {**parsed.provenance, **dict.fromkeys(changed, EDITED)}
    return dataclasses.replace(parsed, **changed, provenance=provenance)


# --- what the preview shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    number: str
    title: str
    text: str
    chapter: str
    kind: str  # label: 措施 / 总体要求
    departments: tuple[tuple[str, str, str], ...]  # (name, role label, note)
    themes: tuple[str, ...]  # names of the themes the rules would give


@dataclass(frozen=True)
class MeasureChange:
    number: str
    title: str
    title_diff: SafeString
    text_diff: SafeString
    others: tuple[str, ...]  # 「章节：… → …」 for the fields shown without a diff


@dataclass(frozen=True)
class ConflictRow:
    key: str
    label: str
    ours: str
    theirs: str
    diff: SafeString | None  # the source's text against the person's, when both are text


@dataclass
class Changes:
    """What importing the upload would do to the document it updates."""

    document: Document  # as stored now
    result: IngestResult  # of the dry run
    same_content: bool
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, now, after import)
    added: list[MeasureRow] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    removed: list[tuple[Measure, bool]] = field(default_factory=list)  # (measure, kept: a person corrected it)
    kept: list[str] = field(default_factory=list)  # 「（三）正文」: corrections the source did not touch
    conflicts: list[ConflictRow] = field(default_factory=list)


@dataclass
class Preview:
    stage: StagedImport
    parsed: ParsedDocument | None = None
    measures: list[MeasureRow] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)  # labels of required values the text did not give
    absent: list[str] = field(default_factory=list)  # labels of optional values the text did not give
    changes: Changes | None = None
    problem: str = ""  # why the dry run failed: the editor must fix it before confirming
    new_departments: list[str] = field(default_factory=list)  # names no organisation or alias of the region has yet

    @property
    def creates(self) -> bool:
        return self.parsed is not None and self.changes is None and not self.problem and not self.needed


def staged_import_preview(stage: StagedImport, *, corrections: dict | None = None) -> Preview:
    """Everything the preview page shows; a pending stage is also dry-run against the knowledge base."""
    if not stage.parsed:
        return Preview(stage)
    parsed = staged_parse(stage)
    if corrections:
        parsed = parsed_corrected(parsed, corrections)
    rules = theme_rules()
    derived = derive_document(parsed, rules=rules.compiled)
    preview = Preview(
        stage,
        parsed,
        _measure_rows(parsed.measures, derived, rules),
        needed=missing_values(parsed, required=True),
        absent=missing_values(parsed, required=False),
    )
    if parsed.region:
        preview.new_departments = unknown_departments(parsed)
    # Without a region and a year the import cannot find the document it may update: the form asks for them first.
    if stage.is_pending and not preview.needed:
        preview.changes, preview.problem = _dry_run_changes(stage, parsed, derived, rules)
    return preview


def unknown_departments(parsed: ParsedDocument) -> list[str]:
    """Departments the document names that the knowledge base has never seen in its region (as spelled out
    there): the import would create them, so an editor may want to check the spelling or merge them later."""
    written = list(dict.fromkeys(ref.name for measure in parsed.measures for ref in measure.departments))
    canonical = {name: canonical_department(name, region_name=parsed.region) for name in written}
    names = {*written, *canonical.values()}
    known = set(Organization.objects.filter(name__in=names).values_list("name", flat=True))
    known |= set(
        OrganizationAlias.objects.filter(Q(region__name=parsed.region) | Q(region=None), name__in=names).values_list(
            "name", flat=True
        )
    )
    return [canonical[name] for name in written if name not in known and canonical[name] not in known]


def staged_parse(stage: StagedImport) -> ParsedDocument:
    """The parse a stage holds, as the parser gave it (or as imported, once confirmed)."""
    return parsed_from_json(stage.parsed)


def region_names() -> list[str]:
    """Names for the region field's suggestions."""
    return list(Region.objects.values_list("name", flat=True))


def _measure_rows(measures: list[ParsedMeasure], derived: list[Derived], rules: ThemeRules) -> list[MeasureRow]:
    names = dict(Theme.objects.values_list("pk", "name"))
    return [_measure_row(measure, extra, rules, names) for measure, extra in zip(measures, derived, strict=True)]


def _measure_row(measure: ParsedMeasure, derived: Derived, rules: ThemeRules, theme_names: dict) -> MeasureRow:
    # auto_links is what the import itself writes for a new measure, so the preview cannot promise other themes.
    themes = tuple(theme_names[link["theme_id"]] for link in rules.auto_links(0, derived.themes))
    departments = tuple((ref.name, MeasureDepartment.Role(ref.role).label, ref.note) for ref in measure.departments)
    kind = Measure.Kind(measure.kind).label
    return MeasureRow(measure.number, measure.title, measure.text, measure.chapter, kind, departments, themes)


def _dry_run_changes(
    stage: StagedImport, parsed: ParsedDocument, derived: list[Derived], rules: ThemeRules
) -> tuple[Changes | None, str]:
    """Import in a transaction that is rolled back: (what would change in an existing document, problem)."""
    prepared = Prepared(Path(stage.file_name), parsed, derived)
    outcome = ingest_prepared(prepared, context=IngestContext(rules), dry_run=True, force=True)
    if outcome.error:
        return None, outcome.error
    if outcome.result.action == "created":
        return None, ""
    stored = Document.objects.select_related("region", "issuer").get(pk=outcome.result.document.pk)
    return _changes(stored, outcome.result, parsed, derived, rules), ""


def _changes(
    stored: Document, result: IngestResult, parsed: ParsedDocument, derived: list[Derived], rules: ThemeRules
) -> Changes:
    changes = Changes(stored, result, same_content=stored.content_hash == parsed.content_hash)
    changes.fields = _field_changes(stored, result.document)
    measures = list(stored.measures.prefetch_related("department_links__organization").order_by("ordinal"))
    current = [stored_measure_values(measure) for measure in measures]
    pairs = align(
        [source_key(measure, values) for measure, values in zip(measures, current, strict=True)],
        [MeasureKey.of(measure.number, measure.title, measure.text) for measure in parsed.measures],
    )
    removal_conflicts = {c.key for c in result.conflicts if c.key.endswith(":removed")}
    names = dict(Theme.objects.values_list("pk", "name"))
    for i, j in pairs:
        if i is None:
            changes.added.append(_measure_row(parsed.measures[j], derived[j], rules, names))
        elif j is None:
            changes.removed.append((measures[i], f"measure:{measures[i].pk}:removed" in removal_conflicts))
        else:
            change = _measure_change(current[i], measure_source_values(parsed.measures[j]))
            if change is not None:
                changes.changed.append(change)
    changes.conflicts = [_conflict_row(conflict) for conflict in result.conflicts]
    # The merge lists a conflict's field as kept too; here it is shown once, with its choice.
    changes.kept = [label for label in result.kept if label not in {c.label for c in result.conflicts}]
    return changes


def _field_changes(stored: Document, after: Document) -> list[tuple[str, str, str]]:
    """(label, now, after the import) for each document value the import would change."""
    before = document_base({name: getattr(stored, name) for name in DOCUMENT_MERGED_FIELDS})
    wanted = document_base({name: getattr(after, name) for name in DOCUMENT_MERGED_FIELDS})
    return [
        (label, _shown(before[name], name), _shown(wanted[name], name))
        for name, label in DOCUMENT_MERGED_FIELDS.items()
        if before[name] != wanted[name]
    ]


def _measure_change(before: dict, after: dict) -> MeasureChange | None:
    """How one measure would change: what it holds now against what the new source says (None if nothing)."""
    if before == after:
        return None
    others = tuple(
        f"{label}：{_shown(before.get(name), name)} → {_shown(after[name], name)}"
        for name, label in (("number", "编号"), ("chapter", "章节"), ("kind", "类别"), ("departments", "责任部门"))
        if before.get(name) != after[name]
    )
    return MeasureChange(
        number=after["number"],
        title=after["title"],
        title_diff=word_diff(before.get("title", ""), after["title"]),
        text_diff=word_diff(before.get("text", ""), after["text"], context=DIFF_CONTEXT),
        others=others,
    )


def _conflict_row(conflict: Conflict) -> ConflictRow:
    name = conflict.key.rsplit(":", 1)[-1]
    both_text = isinstance(conflict.ours, str) and isinstance(conflict.theirs, str) and name in ("title", "text")
    return ConflictRow(
        key=conflict.key,
        label=conflict.label,
        ours=_shown(conflict.ours, name),
        theirs=_shown(conflict.theirs, name),
        diff=word_diff(conflict.ours, conflict.theirs, context=DIFF_CONTEXT) if both_text else None,
    )


def _shown(value, name: str = "") -> str:
    """A merged value as people read it: labels for codes, departments with their roles."""
    if value in (None, "", [], ()):
        return "（空）"
    if name == "departments":
        return "、".join(f"{unit}（{MeasureDepartment.Role(role).label}）" for unit, role, *_ in value)
    if name == "doc_type" and value in Document.DocType.values:
        return Document.DocType(value).label
    if name == "kind" and value in Measure.Kind.values:
        return Measure.Kind(value).label
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def word_diff(before: str, after: str, *, context: int | None = None) -> SafeString:
    """``after`` against ``before`` word by word: removed words in <del>, added words in <ins>, all escaped.

    Chinese has no spaces, so a character diff shreds words and a line diff hides the change; the
    segmenter's words read the way people read the text. With ``context``, unchanged text longer than
    that on both sides of a change is shortened to "…", so a one-word change in a long measure shows.
    """
    old, new = segment(before), segment(after)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    parts = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            text = "".join(old[i1:i2])
            if context is not None:
                text = _shortened(text, context, first=index == 0, last=index == len(opcodes) - 1)
            parts.append(escape(text))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # every piece of text is escaped above


def _shortened(text: str, context: int, *, first: bool, last: bool) -> str:
    """Unchanged text between changes, keeping ``context`` characters next to each change."""
    if first and last:
        return text  # nothing changed
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(text) <= keep_head + keep_tail + 10:
        return text
    return f"{text[:keep_head]}…{text[len(text) - keep_tail :]}"


# --- deciding ------------------------------------------------------------------------------------


def staged_import_confirm(
    *, stage_id: int, user, corrections: dict, take_theirs: Collection[str] = ()
) -> IngestResult | None:
    """Import a pending stage with the editor's corrections; None when it was decided already.

    The stage is locked and re-read in the transaction that imports, so a second click or another
    tab imports nothing twice. ``take_theirs`` are the conflict keys where the editor chose the new
    source's value. History rows name ``user``. Raises ``IngestError`` / ``ValidationError`` for a
    parse that cannot be stored as it is (nothing is written), ``PermissionDenied`` when the file
    would update a document and ``user`` may not change documents.
    """
    with transaction.atomic():
        stage = StagedImport.objects.select_for_update().get(pk=stage_id)
        if not stage.is_pending:
            return None
        parsed = parsed_corrected(staged_parse(stage), corrections)
        with acting_user(user):
            result = document_ingest(
                parsed=parsed, source_name=stage.file_name, take_theirs=set(take_theirs), force=True
            )
        if result.action != "created" and not user.has_perm("documents.change_document"):
            raise PermissionDenied("这个文件会更新已有的政策文件，需要“修改政策文件”权限。")
        _decide(stage, StagedImport.Status.IMPORTED, user=user, document=result.document, parsed=parsed)
    return result


def staged_import_discard(*, stage_id: int, user) -> bool:
    """Mark a pending stage discarded; False when it was decided already."""
    with transaction.atomic():
        stage = StagedImport.objects.select_for_update().get(pk=stage_id)
        if not stage.is_pending:
            return False
        _decide(stage, StagedImport.Status.DISCARDED, user=user)
    return True


def _decide(stage: StagedImport, status: str, *, user, document=None, parsed=None) -> None:
    stage.status = status
    stage.decided_at = timezone.now()
    stage.decided_by = user
    stage.document = document
    if parsed is not None:
        stage.parsed = parsed_to_json(parsed)  # what was imported, the editor's corrections included
    stage.save()
