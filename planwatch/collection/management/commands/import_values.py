import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from planwatch.audit.models import Channel
from planwatch.collection.batches import import_file


class Command(BaseCommand):
    help = (
        "Import data values from a .csv or .xlsx file in the long format "
        "(indicator,org_unit,year,sex,age_group,residence,value,numerator,denominator,comment). "
        "The whole file is stored, or nothing: every problem is listed by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and preview only")
        parser.add_argument("--user", help="act as this user (their scope and rules apply)")
        parser.add_argument("--reason", default="", help="why (kept in the audit trail)")

    def handle(self, *args, file, dry_run, user, reason, **options):
        acting = None
        if user:
            try:
                acting = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"用户“{user}”不存在") from exc
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        channel = Channel.EXCEL if file.suffix.lower() in {".xlsx", ".xlsm"} else Channel.CSV
        bar = _progress_bar(file) if sys.stderr.isatty() else None
        try:
            result, batch = import_file(
                file,
                user=acting,
                channel=channel,
                dry_run=dry_run,
                progress=bar.update_to if bar else None,
                reason=reason,
            )
        finally:
            if bar:
                bar.close()
        if not result.ok:
            lines = [str(p) for p in result.problems]
            if result.truncated:
                lines.append(f"……错误过多，仅列出前 {len(result.problems)} 处")
            raise CommandError(
                f"文件被拒绝，未写入任何数据（{len(result.problems)} 处错误）：\n"
                + "\n".join(lines)
            )
        summary = (
            f"{result.n_rows} 行：新增 {result.n_new}，修改 {result.n_changed}，"
            f"未变 {result.n_unchanged}"
        )
        if dry_run:
            self.stdout.write(f"检查通过（试运行，未写入）：{summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入（批次 {batch.pk}）：{summary}"))


def _progress_bar(file: Path):
    from tqdm import tqdm

    class Bar(tqdm):
        def update_to(self, rows):
            self.update(rows - self.n)

    return Bar(desc=file.name, unit=" 行", unit_scale=True, file=sys.stderr)
