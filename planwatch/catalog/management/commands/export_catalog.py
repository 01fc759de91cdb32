import json

from django.core.management.base import BaseCommand

from planwatch.catalog.export import export_catalog


class Command(BaseCommand):
    help = "Print the whole catalog as JSON on standard output."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(export_catalog(), ensure_ascii=False, indent=2))
