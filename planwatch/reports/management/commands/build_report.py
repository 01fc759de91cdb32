import shutil

from django.core.management.base import BaseCommand, CommandError

from planwatch.audit.models import Channel
from planwatch.reports.build import ReportRefused, build_report
from planwatch.reports.models import ReportKind
from planwatch.reports.snapshot import SnapshotRefused


class Command(BaseCommand):
    help = (
        "Build a report from approved data and stored results, keep it (with its version) like "
        "one built on the reports page, and write a copy to --out."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--plan", required=True, choices=["women", "children"])
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--department", help="department code (feedback only)")
        parser.add_argument("--out", required=True, help="where to write the document")

    def handle(self, *args, kind, plan, year, department, out, **options):
        def progress(pct, stage):
            if options["verbosity"] > 1:
                self.stderr.write(f"{pct:3d}% {stage}")

        try:
            report = build_report(
                kind, plan, year, department, channel=Channel.CLI, progress=progress
            )
        except (ReportRefused, SnapshotRefused) as exc:
            raise CommandError(str(exc)) from exc
        with report.file.open("rb") as source, open(out, "wb") as target:
            shutil.copyfileobj(source, target)
        demo = "（示例数据）" if report.demo else ""
        self.stdout.write(
            f"{report.plan.name} {year}年 {report.get_kind_display()} 第{report.version}版{demo} "
            f"→ {out}"
        )
