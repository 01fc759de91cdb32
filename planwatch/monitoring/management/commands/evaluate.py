from django.core.management.base import BaseCommand

from planwatch.monitoring.compute import recompute, years_with_values


class Command(BaseCommand):
    help = (
        "Recompute the stored evaluation results (statuses, forecasts, warnings) from approved "
        "values, as of one year or of every year with data. Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="as of this year")
        parser.add_argument(
            "--preview", action="store_true", help="include submitted, unapproved values"
        )

    def handle(self, *args, year, preview, **options):
        years = year or years_with_values()
        for as_of in years:
            count = recompute(as_of, preview=preview)
            self.stdout.write(f"{as_of}年：{count} 个序列已评价" + ("（预览）" if preview else ""))
