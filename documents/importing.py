"""Import files from disk: find them, read them safely, parse, ingest one transaction each.

Used by the ``import_documents`` and ``load_seed_corpus`` commands (and later
by the admin upload). A file that fails leaves the database as it was and
yields a result naming the file and the reason; the others still import.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .ingest import parse_document
from .ingest.errors import IngestError, UnsupportedFormatError
from .ingest.types import DocumentMeta
from .services import IngestResult, document_ingest

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
OFFICE_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | OFFICE_SUFFIXES | PDF_SUFFIXES


@dataclass
class FileOutcome:
    path: Path
    result: IngestResult | None = None
    error: str = ""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


class _DryRunRollback(Exception):
    """Raised inside the transaction of a dry run so nothing is kept."""


def collect_paths(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders (recursively, sorted) into supported files; report what cannot be read."""
    found: list[Path] = []
    problems: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
            else:
                problems.append(
                    FileOutcome(path, error=f"不支持的文件类型“{path.suffix or '无扩展名'}”：支持 .txt .md .docx .pdf")
                )
        else:
            problems.append(FileOutcome(path, error="文件或文件夹不存在"))
    return found, problems


def read_source(path: Path) -> bytes:
    """The bytes to parse for ``path``: text files as they are, .docx/.pdf as extracted UTF-8 text."""
    size = path.stat().st_size
    if size > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        raise IngestError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit} MB）：请拆分后再导入。")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return path.read_bytes()
    if suffix in OFFICE_SUFFIXES:
        return _docx_text(path).encode("utf-8")
    if suffix in PDF_SUFFIXES:
        return _pdf_text(path).encode("utf-8")
    raise UnsupportedFormatError(f"不支持的文件类型“{suffix}”：支持 .txt .md .docx .pdf")


def _docx_text(path: Path) -> str:
    import zipfile

    import docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"无法读取 Word 文件（{exc}）：文件可能已损坏，或不是 .docx 格式。") from exc
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(str(path))
    except (PDFSyntaxError, ValueError, TypeError) as exc:
        raise IngestError(f"无法读取 PDF 文件（{exc}）：文件可能已损坏或加密。") from exc
    if not text.strip():
        raise IngestError("PDF 中没有可提取的文字（可能是扫描件）：请先进行文字识别（OCR）。")
    return text


def import_file(
    path: Path, *, meta: DocumentMeta | None = None, dry_run: bool = False, force: bool = False
) -> FileOutcome:
    """Parse and ingest one file in its own transaction; never raises for bad input."""
    try:
        # .docx/.pdf arrive here as extracted UTF-8 text, so the parser sees a text file.
        text_name = path.name if path.suffix.lower() in TEXT_SUFFIXES else f"{path.stem}.txt"
        parsed = parse_document(read_source(path), filename=text_name, meta=meta)
        if not dry_run:
            return FileOutcome(path, result=document_ingest(parsed=parsed, source_name=path.name, force=force))
        outcome = FileOutcome(path, dry_run=True)
        try:
            with transaction.atomic():
                outcome.result = document_ingest(parsed=parsed, source_name=path.name, force=force)
                outcome.result.document.measure_total = outcome.result.document.measures.count()
                raise _DryRunRollback
        except _DryRunRollback:
            pass
        return outcome
    except IngestError as exc:
        return FileOutcome(path, error=exc.message)
    except OSError as exc:
        return FileOutcome(path, error=f"无法读取文件：{exc.strerror or exc}")
    except Exception as exc:  # a bug or a database error must not stop the other files
        logger.exception("import of %s failed", path)
        return FileOutcome(path, error=f"导入失败（{type(exc).__name__}: {exc}）；数据库未作改动。")


def import_paths(
    paths: Iterable[Path], *, meta: DocumentMeta | None = None, dry_run: bool = False, force: bool = False
) -> Iterator[FileOutcome]:
    files, problems = collect_paths(paths)
    yield from problems
    for path in files:
        yield import_file(path, meta=meta, dry_run=dry_run, force=force)


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
    return [import_file(path, meta=metadata.get(path.name), force=force) for path in files]
