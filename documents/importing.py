"""Import files from disk: find them, read them safely, parse, ingest one transaction each.

Used by the ``import_documents`` and ``load_seed_corpus`` commands (and later
by the admin upload). A file that fails leaves the database as it was and
yields a result naming the file and the reason; the others still import.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tomllib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from measures.classify import CompiledRules
from measures.derive import Derived, derive_document
from measures.tokenize import warm_up

from .batch import split_new
from .ingest import extract, parse_document
from .ingest.errors import IngestError
from .ingest.types import DocumentMeta, ParsedDocument
from .services import IngestContext, IngestResult, NewDocument, document_ingest, documents_create

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset(extract.TEXT_SUFFIXES)
SUPPORTED_SUFFIXES = frozenset(extract.EXTRACTORS)  # what a folder import picks up


@dataclass
class FileOutcome:
    path: Path
    result: IngestResult | None = None
    error: str = ""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class Prepared:
    """A file read, parsed and analysed, ready to write (or the reason it cannot be)."""

    path: Path
    parsed: ParsedDocument | None = None
    derived: list[Derived] | None = None
    error: str = ""


class _DryRunRollback(Exception):
    """Raised inside the transaction of a dry run so nothing is kept."""


def collect_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders (recursively, sorted) into supported files; report what cannot be read.

    A file named on its own may lack a suffix: its content says what it is (``extract.sniff``).
    """
    found: list[Path] = []
    problems: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.is_file():
            suffix = path.suffix.lower()
            if suffix in SUPPORTED_SUFFIXES or not suffix:
                found.append(path)
            else:
                problems.append(FileOutcome(path, error=extract.refusal(suffix)))
        else:
            problems.append(FileOutcome(path, error="文件或文件夹不存在"))
    return found, problems


def read_source(path: Path) -> bytes:
    """The bytes of ``path``, refused unread when larger than ``IMPORT_MAX_BYTES``."""
    size = path.stat().st_size
    if size > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        raise IngestError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit} MB）：请拆分后再导入。")
    return path.read_bytes()


def prepare_file(path: Path, *, meta: DocumentMeta | None, rules: CompiledRules) -> Prepared:
    """Read, parse and analyse one file, without the database; never raises for bad input.

    This is the CPU-heavy part of an import (text extraction, decoding, parsing, jieba, theme
    scores), so the importer runs it in worker processes while the main process writes.
    """
    try:
        parsed = parse_document(read_source(path), filename=path.name, meta=meta)
        derived = derive_document(parsed, rules=rules)
        return Prepared(path, parsed, derived)
    except IngestError as exc:
        return Prepared(path, error=exc.message)
    except OSError as exc:
        return Prepared(path, error=f"无法读取文件：{exc.strerror or exc}")
    except Exception as exc:  # a parser bug must not stop the other files
        logger.exception("parsing %s failed", path)
        return Prepared(path, error=f"解析失败（{type(exc).__name__}: {exc}）；数据库未作改动。")


def ingest_prepared(
    prepared: Prepared,
    *,
    context: IngestContext,
    dry_run: bool = False,
    force: bool = False,
    take_theirs: frozenset[str] = frozenset(),
) -> FileOutcome:
    """Write one prepared file in its own transaction; never raises for bad input."""
    path = prepared.path
    if prepared.error:
        return FileOutcome(path, error=prepared.error)
    arguments = {
        "parsed": prepared.parsed,
        "source_name": path.name,
        "force": force,
        "derived": prepared.derived,
        "context": context,
        "take_theirs": take_theirs,
    }
    try:
        if not dry_run:
            return FileOutcome(path, result=document_ingest(**arguments))
        outcome = FileOutcome(path, dry_run=True)
        try:
            with transaction.atomic():
                outcome.result = document_ingest(**arguments)
                outcome.result.document.measure_total = outcome.result.document.measures.count()
                raise _DryRunRollback
        except _DryRunRollback:
            context.forget()  # what the dry run created is gone
        return outcome
    except IngestError as exc:
        context.forget()
        return FileOutcome(path, error=exc.message)
    except ValidationError as exc:
        context.forget()
        return FileOutcome(path, error=f"内容不符合要求，未导入：{_describe_invalid(exc)}")
    except Exception as exc:  # a bug or a database error must not stop the other files
        context.forget()
        logger.exception("import of %s failed", path)
        return FileOutcome(path, error=f"导入失败（{type(exc).__name__}: {exc}）；数据库未作改动。")


def _describe_invalid(exc: ValidationError) -> str:
    """ "所属章节：确保该变量包含不超过 200 字符…" from a model's ValidationError."""
    from measures.models import Measure

    from .models import Document

    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    labels = {f.name: str(f.verbose_name) for model in (Document, Measure) for f in model._meta.fields}
    return "；".join(f"{labels.get(name, name)}：{'、'.join(messages)}" for name, messages in exc.message_dict.items())


def import_file(
    path: Path,
    *,
    meta: DocumentMeta | None = None,
    dry_run: bool = False,
    force: bool = False,
    context: IngestContext | None = None,
) -> FileOutcome:
    """Parse and ingest one file in its own transaction; never raises for bad input."""
    context = context or IngestContext()
    prepared = prepare_file(path, meta=meta, rules=context.rules.compiled)
    return ingest_prepared(prepared, context=context, dry_run=dry_run, force=force)


# --- parallel preparation ------------------------------------------------------------------------

_worker_rules: CompiledRules | None = None
_worker_meta: DocumentMeta | None = None
BATCH_SIZE = 100  # new documents written per transaction (documents.batch)
AHEAD_PER_WORKER = 16  # files prepared ahead of the writer: keeps workers busy, bounds memory


def _worker_init(rules: CompiledRules, meta: DocumentMeta | None) -> None:
    global _worker_rules, _worker_meta
    _worker_rules, _worker_meta = rules, meta


def _worker_prepare(path: Path) -> Prepared:
    return prepare_file(path, meta=_worker_meta, rules=_worker_rules)


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _prepare_all(
    files: list[Path], *, meta: DocumentMeta | None, rules: CompiledRules, workers: int
) -> Iterator[Prepared]:
    """Prepared files in the order given; with ``workers`` > 1 prepared by that many processes."""
    if workers <= 1 or len(files) < 2 * workers:
        return (prepare_file(path, meta=meta, rules=rules) for path in files)
    # Workers never touch the database; they are forked with the dictionary loaded (shared pages),
    # after the parent's connections are closed so no child holds a live socket. Inside a transaction
    # (a test, or a caller's atomic block) the connection stays: the children never use it, and the
    # pool ends them with SIGTERM, so they cannot close it either.
    warm_up()
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        connections.close_all()
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init, initargs=(rules, meta))
    return _in_order(pool, files, ahead=workers * AHEAD_PER_WORKER)


def _in_order(pool, files: list[Path], *, ahead: int) -> Iterator[Prepared]:
    """Results in file order, at most ``ahead`` files in flight; the pool ends with the iteration."""
    try:
        pending: deque = deque()
        queue = iter(files)
        for path in queue:
            pending.append(pool.apply_async(_worker_prepare, (path,)))
            if len(pending) >= ahead:
                break
        while pending:
            prepared = pending.popleft().get()
            path = next(queue, None)
            if path is not None:
                pending.append(pool.apply_async(_worker_prepare, (path,)))
            yield prepared
    finally:
        pool.terminate()
        pool.join()


def import_paths(
    paths: Iterable[Path],
    *,
    meta: DocumentMeta | None = None,
    dry_run: bool = False,
    force: bool = False,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    take_theirs: frozenset[str] = frozenset(),
) -> Iterator[FileOutcome]:
    """Import files and folders, parsing in ``workers`` processes; outcomes in file order.

    Each file is atomic: a file that fails leaves the database as it was and the others import.
    New documents are written ``batch_size`` at a time (``documents.batch``); a batch that fails
    is retried file by file, so the failure is reported for the file that caused it.
    """
    files, problems = collect_paths(paths)
    yield from problems
    if not files:
        return
    context = IngestContext()
    prepared_files = _prepare_all(files, meta=meta, rules=context.rules.compiled, workers=workers)
    written = 0
    with _bulk_session():
        for batch in _chunks(prepared_files, 1 if dry_run else batch_size):
            for outcome in _ingest_batch(batch, context=context, dry_run=dry_run, force=force, take_theirs=take_theirs):
                written += outcome.ok and not dry_run and outcome.result.action != "unchanged"
                yield outcome
        if written >= ANALYZE_AFTER:
            _analyze()


def _chunks(items: Iterable[Prepared], size: int) -> Iterator[list[Prepared]]:
    chunk: list[Prepared] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


ANALYZE_AFTER = 200  # documents written by one import before the planner's statistics are refreshed


def _analyze() -> None:
    """Refresh the statistics the search plans (and PostgreSQL's match estimates) rely on.

    Autovacuum would get there too, minutes later; until then a large import leaves the planner
    guessing (seconds-long plans, wrong "约 N 条" totals).
    """
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ANALYZE measures_measure, documents_document, measures_measuretheme, measures_measuredepartment"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")  # sqlite_stat1: which index of a join is selective


def _ingest_batch(
    batch: list[Prepared], *, context: IngestContext, dry_run: bool, force: bool, take_theirs: frozenset[str]
) -> Iterator[FileOutcome]:
    if dry_run or len(batch) < 2:
        for prepared in batch:
            yield ingest_prepared(prepared, context=context, dry_run=dry_run, force=force, take_theirs=take_theirs)
        return
    outcomes: dict[int, FileOutcome] = {}
    items = {}
    for index, prepared in enumerate(batch):
        if prepared.error:
            outcomes[index] = FileOutcome(prepared.path, error=prepared.error)
        else:
            items[index] = NewDocument(prepared.parsed, prepared.derived, prepared.path.name)
    new, one_by_one, warnings = split_new(list(items.values()))
    index_of = {id(item): index for index, item in items.items()}
    if new:
        try:
            results = documents_create(items=new, context=context, warnings=warnings)
        except Exception:  # any failure: the files go one by one, each reporting its own error
            logger.info("batch of %d new documents failed; importing them one by one", len(new), exc_info=True)
            context.forget()
            one_by_one = [*new, *one_by_one]
        else:
            for item, result in zip(new, results, strict=True):
                outcomes[index_of[id(item)]] = FileOutcome(batch[index_of[id(item)]].path, result=result)
    for index in sorted(index_of[id(item)] for item in one_by_one):
        outcomes[index] = ingest_prepared(batch[index], context=context, force=force, take_theirs=take_theirs)
    for index in range(len(batch)):
        yield outcomes[index]


class _bulk_session:
    """PostgreSQL: commit without waiting for the WAL flush during a bulk import (``synchronous_commit``).

    Each file is still its own atomic transaction; after a crash of the machine the last
    few hundred milliseconds of imports may be missing, and importing again completes them.
    Waiting for the disk after each of ten thousand small commits would double the import time.
    """

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        return self

    def __exit__(self, *exc):
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        return False


def seed_metadata(folder: Path) -> dict[str, DocumentMeta]:
    """The per-file metadata in ``folder/metadata.toml`` (what the seed texts do not say)."""
    manifest = folder / "metadata.toml"
    if not manifest.exists():
        return {}
    known = {f.name for f in fields(DocumentMeta)}
    result = {}
    for name, values in tomllib.loads(manifest.read_text(encoding="utf-8")).items():
        unknown = set(values) - known
        if unknown:
            raise IngestError(f"{manifest.name} 中 {name} 有未知字段：{', '.join(sorted(unknown))}")
        result[name] = replace(DocumentMeta(), **values)
    return result


def import_seed_corpus(folder: Path | None = None, *, force: bool = False) -> list[FileOutcome]:
    folder = Path(folder or settings.SEED_CORPUS_DIR)
    metadata = seed_metadata(folder)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
    context = IngestContext()
    return [import_file(path, meta=metadata.get(path.name), force=force, context=context) for path in files]
