"""催报: chase the departments that have not submitted, in the app and by e-mail."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from planwatch.accounts.models import Notice, Profile, Role
from planwatch.audit.models import Channel, record
from planwatch.collection.board import board
from planwatch.collection.models import Submission


def remind(round_, by, *, channel=Channel.WEB) -> list[str]:
    """Send a notice to every reporter of every department still to submit; returns names."""
    link = reverse("collection:entry", args=[round_.year])
    text = (
        f"请于{round_.due_on:%Y年%m月%d日}前完成{round_.year}年度"
        "妇女儿童发展规划监测数据的填报和报送。"
    )
    reminded, mails = [], []
    for line in board(round_):
        if not line.needs_reminder:
            continue
        reporters = Profile.objects.filter(
            role=Role.DEPARTMENT, department=line.department
        ).select_related("user")
        for profile in reporters:
            Notice.objects.create(user=profile.user, text=text, link=link)
            if profile.user.email:
                subject = f"【催报】{round_.year}年度监测数据"
                mails.append((subject, text, settings.DEFAULT_FROM_EMAIL, [profile.user.email]))
        submission, _ = Submission.objects.get_or_create(round=round_, department=line.department)
        submission.reminded_at = timezone.now()
        submission.save(update_fields=["reminded_at"])
        reminded.append(line.department.short_name)
    if mails:
        send_mass_mail(mails, fail_silently=False)
    record(
        user=by,
        action="remind",
        obj_type="round",
        key=str(round_.year),
        new={"departments": reminded},
        channel=channel,
    )
    return reminded
