from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from planwatch.audit.models import Channel
from planwatch.rectification import actions
from planwatch.rectification.models import Bulletin


class Command(BaseCommand):
    help = (
        "催办: remind the departments of their rectification items still unanswered after the "
        "bulletin's date, as the page's button does (notice and mail per department, audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="act as this user (the plan office)")
        parser.add_argument(
            "--bulletin", type=int, help="only this bulletin's items: its number (〔year〕N号)"
        )
        parser.add_argument(
            "--year", type=int, help="the bulletin's year of issue (default: this year)"
        )

    def handle(self, *args, user, bulletin, year, **options):
        try:
            acting = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"用户“{user}”不存在") from exc
        chosen = None
        if bulletin is not None:
            year = year or timezone.localdate().year
            chosen = Bulletin.objects.filter(year=year, number=bulletin).first()
            if chosen is None:
                number = Bulletin(year=year, number=bulletin).document_number
                raise CommandError(f"没有文号为{number}的预警通报")
        elif year is not None:
            raise CommandError("--year 须与 --bulletin 一起使用")
        try:
            n = actions.remind_overdue(acting, bulletin=chosen, channel=Channel.CLI)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        scope = f"{chosen.document_number}中" if chosen else ""
        if n:
            self.stdout.write(self.style.SUCCESS(f"已催办{scope}逾期未反馈的整改事项{n}项。"))
        else:
            self.stdout.write(f"{scope}没有逾期未反馈的整改事项，未发出催办。")
