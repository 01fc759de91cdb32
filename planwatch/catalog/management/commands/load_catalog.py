from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planwatch.catalog.loader import load_catalog
from planwatch.sync import DataFileError


class Command(BaseCommand):
    help = "Load (or update in place) the plan catalog from its data files; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="plan files (default: built-in)")
        parser.add_argument("--verbose-changes", action="store_true", help="list every change")

    def handle(self, *args, files, verbose_changes, **options):
        try:
            reports = load_catalog(files or None)
        except DataFileError as exc:
            raise CommandError(f"目录未加载（未写入任何内容）：\n{exc}") from exc
        if options["verbosity"] == 0:
            return
        for name, report in reports.items():
            self.stdout.write(f"{name}: {report.summary()}")
            if verbose_changes or (report.changed and options["verbosity"] > 1):
                for line in report.lines():
                    self.stdout.write(f"  {line}")
            elif report.changed:
                for line in report.lines()[:50]:
                    self.stdout.write(f"  {line}")
