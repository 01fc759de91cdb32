"""Telling people: an in-app notice and, where the user has an address, a mail with the same
text and an absolute link. Mail goes through Django's EMAIL_* settings (console by default)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mass_mail

from planwatch.accounts.models import Notice, Profile, Role

log = logging.getLogger(__name__)


def official_date(day: datetime.date) -> str:
    """公文日期: 2026年3月31日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.PLANWATCH_SITE_URL.rstrip("/") + link


def department_reporters(department):
    return _users(Profile.objects.filter(role=Role.DEPARTMENT, department=department))


def township_reporters(org_unit):
    return _users(Profile.objects.filter(role=Role.TOWNSHIP, org_unit=org_unit))


def users_with_role(*roles):
    return _users(Profile.objects.filter(role__in=roles))


def _users(profiles):
    return [p.user for p in profiles.select_related("user") if p.user.is_active]


def notify(users, *, subject: str, text: str, link: str = "") -> int:
    """One notice per user (each once), and one mail per user with an address.

    subject is the mail's subject (e.g. "【退回】2025年度监测数据报送"); the notice carries it
    in front of the text."""
    seen, notices, mails = set(), [], []
    body = text + (f"\n\n{absolute(link)}" if link else "")
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notices.append(Notice(user=user, text=f"{subject}{text}", link=link))
        if user.email:
            mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    Notice.objects.bulk_create(notices)
    if mails:
        # A mail server that is down must not undo the action the notice reports: the in-app
        # notice is kept and the failure is logged for the administrator.
        try:
            send_mass_mail(mails, fail_silently=False)
        except OSError:
            log.exception("notice mail failed for %d recipients", len(mails))
    return len(notices)
