from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planwatch.catalog.departments import load_departments
from planwatch.sync import DataFileError


class Command(BaseCommand):
    help = "Load (or update in place) the member departments from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args, file, **options):
        try:
            report = load_departments(file)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"成员单位：{report.summary()}")
