from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from planwatch.accounts.access import may_manage_office_indicators
from planwatch.audit.models import Channel
from planwatch.catalog import actions
from planwatch.catalog.models import Indicator
from planwatch.catalog.supplementary import FIELDS


class Command(BaseCommand):
    help = (
        "扩充调整指标: add, edit or retire a monitoring indicator without a numeric target, as "
        "the plan office's page does (audited). Example: office_indicator add --user office "
        "--plan children --area 2 --name 儿童烧烫伤死亡率 --scale per_100k --unit 1/10万 "
        "--direction lower --computation ratio --factor 100000 --lead health --source …"
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["add", "edit", "retire"])
        parser.add_argument("code", nargs="?", help="the indicator (edit, retire)")
        parser.add_argument("--user", required=True, help="act as this user (the plan office)")
        parser.add_argument("--reason", default="", help="why (required to retire)")
        for name in FIELDS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=f"field_{name}")

    def handle(self, *args, what, code, user, reason, **options):
        try:
            acting = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"用户“{user}”不存在") from exc
        if not may_manage_office_indicators(acting):
            raise CommandError("只有区妇儿工委办可以增设、修改或停用扩充调整指标。")
        raw = {
            name: options[f"field_{name}"]
            for name in FIELDS
            if options.get(f"field_{name}") is not None
        }
        indicator = None
        if what != "add":
            indicator = Indicator.objects.filter(code=code or "").first()
            if indicator is None:
                raise CommandError(f"没有代码为“{code}”的指标。")
        try:
            if what == "add":
                indicator = actions.add_indicator(
                    raw, by=acting, channel=Channel.CLI, reason=reason
                )
                done = "已增设"
            elif what == "edit":
                actions.edit_indicator(
                    indicator, raw, by=acting, channel=Channel.CLI, reason=reason
                )
                done = "已修改"
            else:
                actions.retire_indicator(indicator, by=acting, channel=Channel.CLI, reason=reason)
                done = "已停用"
        except actions.IndicatorRefused as exc:
            labels = {**FIELDS, "code": "指标", "reason": "停用理由"}
            lines = [f"{labels.get(k, k)}：{v}" for k, v in exc.problems.items()]
            raise CommandError("未保存：\n" + "\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{done}扩充调整指标 {indicator.code} {indicator.name}。")
        )
