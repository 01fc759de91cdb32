"""What every page's template knows of the user: answers of the access module, no roles."""

from django.core.cache import cache

from planwatch.accounts.access import (
    can_manage_catalog,
    is_department_reporter,
    is_reporter,
    may_issue_bulletins,
    may_read_rectification,
    may_read_reports,
    reads_everything,
)

DEMO_FLAG_SECONDS = 60


def demo_data_present() -> bool:
    """Cached: the fact table can be large and this is asked on every page."""
    flag = cache.get("planwatch:demo-data")
    if flag is None:
        from planwatch.collection.demo import demo_loaded

        flag = demo_loaded()
        cache.set("planwatch:demo-data", flag, DEMO_FLAG_SECONDS)
    return flag


def role(request):
    user = request.user
    unread = 0
    if user.is_authenticated:
        unread = user.notices.filter(read_at__isnull=True).count()
    return {
        # A reporter fills its own scope (the office names one on the board instead).
        "is_reporter": is_reporter(user),
        "is_department_reporter": is_department_reporter(user),
        "may_read_reports": may_read_reports(user),
        "may_read_rectification": may_read_rectification(user),
        "may_issue_bulletins": may_issue_bulletins(user),
        "reads_everything": reads_everything(user),
        "can_manage_catalog": can_manage_catalog(user),
        "demo_data": demo_data_present(),
        "unread_notices": unread,
    }
