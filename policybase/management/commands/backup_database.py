"""Back up the database: pg_dump (custom format) for PostgreSQL, the online backup API for SQLite."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policybase.backup import BackupError, database_backup, database_label
from policybase.health import database_error


class Command(BaseCommand):
    help = (
        "备份数据库：PostgreSQL 用 pg_dump（自定义格式 .dump），SQLite 用在线备份接口（.sqlite3）；"
        "网站运行时也可备份。恢复用 restore_database。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="备份文件路径（默认 var/backups/policybase-年月日-时分秒.dump 或 .sqlite3）",
        )

    def handle(self, *args, output=None, **options):
        if error := database_error():
            raise CommandError(f"无法连接数据库：{error}")
        try:
            path = database_backup(path=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = path.stat().st_size / (1024 * 1024)
        self.stdout.write(self.style.SUCCESS(f"已备份 {database_label()} 到 {path}（{size:.1f} MB）"))
