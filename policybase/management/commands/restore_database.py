"""Restore the database from a backup, then refresh statistics (ANALYZE) and rebuild the search index."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from policybase.backup import BackupError, database_analyze, database_label, database_restore
from policybase.health import database_error
from search.changelog import renew_identity


class Command(BaseCommand):
    help = (
        "从 backup_database 生成的备份恢复数据库（覆盖现有全部数据），"
        "然后刷新统计信息（ANALYZE）并重建检索索引（rebuild_search_index）。恢复前请先停止网站。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件（PostgreSQL 为 .dump，SQLite 为 .sqlite3）")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认")

    def handle(self, *args, file: Path, interactive=True, **options):
        if error := database_error():
            raise CommandError(f"无法连接数据库：{error}")
        label = database_label()
        if interactive:
            answer = input(f"将用 {file} 覆盖数据库 {label} 中的全部数据。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改动。")
        try:
            database_restore(path=file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {file} 恢复 {label}。")
        database_analyze()
        self.stdout.write("已刷新统计信息（ANALYZE）。")
        # A new identity: every server's index was built from the database before the restore.
        renew_identity()
        call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("恢复完成。"))
