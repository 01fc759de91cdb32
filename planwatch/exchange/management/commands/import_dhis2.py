import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from planwatch.exchange.dhis2 import import_data_value_set


class Command(BaseCommand):
    help = "Import a DHIS2 dataValueSets JSON file through the mapping; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user")

    def handle(self, *args, file, dry_run, user, **options):
        acting = get_user_model().objects.get(username=user) if user else None
        try:
            payload = json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 JSON：{exc}") from exc
        outcome = import_data_value_set(payload, user=acting, dry_run=dry_run)
        summary = outcome.summary()
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        if summary["status"] != "SUCCESS":
            raise CommandError(f"{len(outcome.conflicts)} 处冲突，未写入任何数据")
