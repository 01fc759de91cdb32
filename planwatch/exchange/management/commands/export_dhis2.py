import json

from django.core.management.base import BaseCommand

from planwatch.exchange.dhis2 import export_data_value_set


class Command(BaseCommand):
    help = "Print approved values as a DHIS2 dataValueSets JSON document."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)

    def handle(self, *args, year, **options):
        self.stdout.write(json.dumps(export_data_value_set(year=year), ensure_ascii=False))
