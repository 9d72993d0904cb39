"""Run the search applier in the foreground (a service of its own, instead of inside the web server)."""

import time

from django.core.management.base import BaseCommand

from search import applier


class Command(BaseCommand):
    help = "持续把数据库的变更写入检索索引（网站进程已自带一个；另起此服务时它们按锁轮流，不会重复写入）。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=applier.APPLY_INTERVAL, help="两轮之间的秒数")

    def handle(self, *args, interval, **options):
        applier.start_background(interval=interval)
        self.stdout.write("检索索引更新服务已启动（Ctrl+C 停止）。")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
