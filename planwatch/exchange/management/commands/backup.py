from pathlib import Path

from django.core.management.base import BaseCommand

from planwatch.exchange.backup import backup


class Command(BaseCommand):
    help = "Write all data (audit included) and files to one zip that `planwatch restore` reads."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, out, **options):
        counts = backup(out)
        self.stdout.write(f"备份已写入 {out}：{sum(counts.values())} 行，{len(counts)} 类对象")
