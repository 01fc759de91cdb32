from pathlib import Path

from django.core.management.base import BaseCommand

from planwatch.exchange.static_site import write_site


class Command(BaseCommand):
    help = "Write the public pages (published data and reports only) as a static site."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, out, **options):
        counts = write_site(out)
        self.stdout.write(
            f"静态站点已写入 {out}：{counts['indicators']} 个指标，{counts['reports']} 份报告"
        )
