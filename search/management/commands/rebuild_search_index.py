"""Build the search index anew from the database (switching atomically), or check it against the database."""

import time

from django.core.management.base import BaseCommand, CommandError

from measures.search_tokens import measures_index, stale_version_count, token_drift
from measures.tokenize import ANALYZER_VERSION
from search import applier, index


class Command(BaseCommand):
    help = (
        "重建检索索引：从数据库读取全部措施，在旧索引旁建新索引后原子切换（建索引期间网站照常检索）。"
        "--check 只检查索引与数据库是否一致；--reanalyze 先按当前词典重新分词。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="只检查不写入：索引缺少、多出或与数据库不一致的措施，以及旧版本分词；有问题时以非零状态退出",
        )
        parser.add_argument(
            "--reanalyze", action="store_true", help="先按当前词典和规则重新分词（写入数据库的检索列），再重建索引"
        )

    def handle(self, *args, check=False, reanalyze=False, **options):
        if check:
            self._check()
            return
        started = time.perf_counter()
        if reanalyze:
            written = measures_index()
            self.stdout.write(f"重新分词：{written} 条措施的检索列已更新（{time.perf_counter() - started:.1f} 秒）")
        rebuilt = applier.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建检索索引：{rebuilt.measures} 条措施、{rebuilt.documents} 份文件，"
                f"用时 {rebuilt.seconds:.1f} 秒（索引 {index.size_bytes() / 1e6:.0f} MB）。"
            )
        )

    def _check(self):
        applier.apply_pending()
        drift = applier.drift()
        stale = stale_version_count()
        drifted_tokens = token_drift()
        self.stdout.write(
            f"检索索引：缺少 {len(drift.missing)} 条、多出 {len(drift.extra)} 条、与数据库不一致 {len(drift.differing)} 条"
            + "".join(
                f"（{label} ID {', '.join(map(str, ids[:10]))}）"
                for label, ids in (("缺少", drift.missing), ("多出", drift.extra), ("不一致", drift.differing))
                if ids
            )
        )
        self.stdout.write(
            f"分词版本 {ANALYZER_VERSION}：旧版本记录 {stale} 条；与当前分词不一致 {len(drifted_tokens)} 条"
            + (f"（如 ID {', '.join(map(str, drifted_tokens[:10]))}）" if drifted_tokens else "")
        )
        if drift.total or stale or drifted_tokens:
            hint = "--reanalyze" if stale or drifted_tokens else ""
            raise CommandError(f"检索索引需要重建：运行 manage.py rebuild_search_index {hint}".strip())
        self.stdout.write(self.style.SUCCESS("检索索引与数据库一致。"))
