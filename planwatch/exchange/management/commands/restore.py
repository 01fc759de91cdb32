from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planwatch.exchange.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace this database's content with a backup made by `planwatch backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            counts = restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复：{sum(counts.values())} 行")
