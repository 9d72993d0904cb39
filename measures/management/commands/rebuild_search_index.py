"""Rebuild the search tokens (after a dictionary or analyzer change) and report drift."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from measures.facets import facet_drift, facet_repair
from measures.search import index_drift, measures_index, sqlite_fts_rebuild, stale_version_count
from measures.tokenize import ANALYZER_VERSION


class Command(BaseCommand):
    help = "重建措施检索索引：重新分词、写入检索列，并报告与当前分词结果不一致（漂移）的记录数。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只检查不写入；存在漂移或旧版本分词时以非零状态退出（用于 CI/监控）"
        )
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的措施数（默认 500）")

    def handle(self, *args, check=False, batch_size=500, **options):
        stale = stale_version_count()
        drifted = index_drift(batch_size=batch_size)
        self.stdout.write(
            f"分词版本 {ANALYZER_VERSION}：旧版本记录 {stale} 条；与当前分词不一致（漂移）{len(drifted)} 条"
            + (f"（如 ID {', '.join(map(str, drifted[:10]))}）" if drifted else "")
        )
        facets = facet_drift()
        if facets:
            self.stdout.write(
                f"筛选计数表（measures_measurefacet）与主题、牵头部门不一致 {len(facets)} 条"
                f"（如 ID {', '.join(map(str, facets[:10]))}）"
            )
        if check:
            if drifted or stale or facets:
                raise CommandError("检索索引需要重建：运行 manage.py rebuild_search_index")
            return
        with transaction.atomic():
            written = measures_index(batch_size=batch_size)
            sqlite_fts_rebuild()
            facet_repair()
        self.stdout.write(self.style.SUCCESS(f"已重建：写入 {written} 条措施的检索列。"))
