"""Re-run automatic theme classification (after editing theme keywords)."""

from django.core.management.base import BaseCommand

from measures.services import measures_classify, themes_ensure


class Command(BaseCommand):
    help = "按主题关键词重新自动分类全部措施；人工设定或排除的主题保持不变。"

    def handle(self, *args, **options):
        themes_ensure()
        changed = measures_classify()
        self.stdout.write(f"自动主题改动 {changed} 处")
