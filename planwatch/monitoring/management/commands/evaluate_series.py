import json
import sys

from django.core.management.base import BaseCommand, CommandError

from planwatch.evaluation.request import evaluate_request


class Command(BaseCommand):
    help = (
        "Read one JSON evaluation request on standard input, print one JSON result: "
        '{"target": {"comparator": "<=", "value": 12, "base_year": 2020, "target_year": 2030}, '
        '"series": [[2020, 16.0], [2023, 14.5]], "valid_range": [0, null], '
        '"counts": [[2020, 3, 18750]]}'
    )

    def handle(self, *args, **options):
        raw = sys.stdin.read()
        try:
            request = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CommandError(f"请求不是有效的 JSON：{exc}") from exc
        try:
            result = evaluate_request(request)
        except ValueError as exc:
            raise CommandError(f"请求无效：{exc}") from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, allow_nan=False))
