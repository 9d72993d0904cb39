"""Load the seed corpus the project carries in fixtures/seed_corpus/ (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from documents.importing import import_seed_corpus
from measures.services import themes_ensure


class Command(BaseCommand):
    help = "载入项目自带的种子语料（fixtures/seed_corpus/）与主题分类；重复运行不会产生任何改动。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="内容未变也重新解析并更新")

    def handle(self, *args, **options):
        created = themes_ensure()
        if created:
            self.stdout.write(f"新建主题 {created} 个")
        failures = 0
        for outcome in import_seed_corpus(force=options["force"]):
            if outcome.ok:
                self.stdout.write(f"✓ {outcome.path.name}: {outcome.result.summary()}")
            else:
                failures += 1
                self.stderr.write(self.style.ERROR(f"✗ {outcome.path.name}: {outcome.error}"))
        if failures:
            raise CommandError(f"{failures} 个种子文件导入失败。")
