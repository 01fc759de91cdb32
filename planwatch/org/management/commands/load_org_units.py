from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planwatch.org.loaders import load_org_units
from planwatch.sync import DataFileError


class Command(BaseCommand):
    help = "Load org units (the built-in tree, or villages/communities from a YAML file)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args, file, **options):
        try:
            report = load_org_units(file)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"组织单位：{report.summary()}")
