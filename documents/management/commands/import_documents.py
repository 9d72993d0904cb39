"""Import policy documents from files or folders (.txt, .md, .docx, .pdf)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from documents.importing import default_workers, import_paths
from documents.ingest.types import DocumentMeta
from documents.models import Document
from policybase.health import database_error
from policybase.history import acting_user


def _short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Command(BaseCommand):
    help = (
        "导入政策文件：PATH 可以是文件或文件夹（递归查找 .txt .md .docx .pdf）。"
        "每个文件一个事务：失败的文件不改动数据库，其余文件照常导入；任一文件失败则退出码非零。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="要导入的文件或文件夹")
        parser.add_argument("--title", default="", help="标题（原文没有标题行时使用）")
        parser.add_argument("--doc-number", default="", help="文号，如 粤府办〔2012〕131号")
        parser.add_argument("--issuer", default="", help="发文机关，如 深圳市商务局")
        parser.add_argument("--region", default="", help="地区，如 深圳市、广东省")
        parser.add_argument("--date", default="", help="成文日期 YYYY-MM-DD")
        parser.add_argument("--year", type=int, default=None, help="年份（不知道具体日期时）")
        parser.add_argument(
            "--doc-type",
            default="",
            choices=["", *Document.DocType.values],
            help="文件类型：" + "、".join(f"{value}={label}" for value, label in Document.DocType.choices),
        )
        parser.add_argument("--url", default="", help="来源网址")
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示将要做的改动，不写入数据库")
        parser.add_argument("--force", action="store_true", help="内容未变也重新解析并更新")
        parser.add_argument(
            "--take-theirs",
            action="append",
            default=[],
            metavar="KEY",
            help="冲突处采用新原文（KEY 见导入输出中的“冲突”行，如 measure:12:text；可重复）",
        )
        parser.add_argument(
            "--user",
            default="",
            help="导入人（用户名）：文件、措施等的修改历史记为此人所做（默认不记导入人）",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help=f"解析与分词的进程数（默认 {default_workers()}，即 CPU 核数；1 = 不另起进程）",
        )

    def handle(self, *args, **options):
        if error := database_error():
            raise CommandError(f"无法连接数据库：{error}")
        meta = self._meta(options)
        with acting_user(self._user(options["user"])):
            self._import(meta, options)

    def _import(self, meta: DocumentMeta, options) -> None:
        failures = 0
        for outcome in import_paths(
            options["paths"],
            meta=meta,
            dry_run=options["dry_run"],
            force=options["force"],
            workers=options["workers"],
            take_theirs=frozenset(options["take_theirs"]),
        ):
            if not outcome.ok:
                failures += 1
                self.stderr.write(self.style.ERROR(f"✗ {outcome.path}: {outcome.error}"))
                continue
            prefix = "[试运行，未写入] " if outcome.dry_run else ""
            self.stdout.write(self.style.SUCCESS(f"✓ {outcome.path}: {prefix}{outcome.result.summary()}"))
            if outcome.dry_run:
                self._describe(outcome.result.document)
            for warning in outcome.result.warnings:
                self.stdout.write(self.style.WARNING(f"  ! {warning}"))
            for kept in outcome.result.kept:
                self.stdout.write(f"  · 保留人工修改：{kept}")
            for conflict in outcome.result.conflicts:
                self.stdout.write(
                    self.style.WARNING(
                        f"  ! 冲突 {conflict.key}（{conflict.label}）：保留人工修改“{_short(conflict.ours)}”，"
                        f"新原文为“{_short(conflict.theirs)}”；如需采用新原文，加 --take-theirs {conflict.key} 重新导入"
                    )
                )
        if failures:
            raise CommandError(f"{failures} 个文件导入失败（见上方说明）。")

    def _user(self, username: str):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"--user：没有用户“{username}”（先用 createsuperuser 或在管理后台创建）") from exc

    def _meta(self, options) -> DocumentMeta:
        issue_date = None
        if options["date"]:
            try:
                issue_date = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date 应为 YYYY-MM-DD 格式，收到“{options['date']}”") from exc
        return DocumentMeta(
            title=options["title"],
            doc_number=options["doc_number"],
            issuer=options["issuer"],
            region=options["region"],
            doc_type=options["doc_type"],
            issue_date=issue_date,
            year=options["year"] or (issue_date.year if issue_date else None),
            source_url=options["url"],
        )

    def _describe(self, document: Document) -> None:
        write = self.stdout.write
        write(f"  标题：{document.title}")
        if document.policy_title:
            write(f"  政策名称：{document.policy_title}")
        write(f"  文号：{document.doc_number or '—'}  地区：{document.region}  年份：{document.year}")
        write(f"  发文机关：{document.issuer or '—'}  成文日期：{document.issue_date or '—'}")
        write(
            f"  有效期：{document.valid_from or '—'} 至 {document.valid_until or '—'}（{document.validity_clause or '—'}）"
        )
        write(f"  措施：{getattr(document, 'measure_total', 0)} 条")
