from django.core.management.base import BaseCommand

from planwatch.exchange.dhis2 import load_default_mapping


class Command(BaseCommand):
    help = "Create the default DHIS2 code mapping for every indicator and org unit (kept edits)."

    def handle(self, *args, **options):
        self.stdout.write(f"新增映射 {load_default_mapping()} 条")
