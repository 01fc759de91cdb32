from django.core.management.base import BaseCommand

from planwatch.collection.export import values_queryset, write_long_csv


class Command(BaseCommand):
    help = "Print stored values as UTF-8 CSV in the long format that import_values reads."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--indicator")
        parser.add_argument("--approved-only", action="store_true")

    def handle(self, *args, year, indicator, approved_only, **options):
        qs = values_queryset(year=year, indicator=indicator, approved_only=approved_only)
        write_long_csv(self.stdout, qs)
