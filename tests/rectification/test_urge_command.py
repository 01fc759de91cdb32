"""`planwatch urge_rectification`: the page's 催办 from the command line — the same items, the
same notices and mail, the same audit, the same rule on who may urge."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from planwatch.accounts.models import Notice
from planwatch.audit.models import AuditEntry
from planwatch.rectification import actions
from planwatch.rectification.models import RectificationItem

from .conftest import ISSUED, stored_warning

ANSWER_BY = datetime.date(2026, 9, 30)


def urge(*args) -> str:
    import io

    out = io.StringIO()
    call_command("urge_rectification", *args, stdout=out)
    return out.getvalue()


def other_health_warnings(n, skip):
    """Warnings on n 卫健局 indicators none of `skip` is about."""
    from planwatch.catalog.models import Indicator

    codes = (
        Indicator.objects.filter(lead_department__code="health", targets__isnull=False)
        .exclude(code__in=skip)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    return [stored_warning(code).pk for code in codes[:n]]


@pytest.fixture
def cycle(users, issued):
    """Bulletin 1 (due 2026-04-10, long past): closed, unanswered and sent-back items; bulletin
    2 (due 2026-05-01): answered and unanswered; bulletin 3, due in 2099: unanswered."""
    office, health = users["office"], users["health"]
    closed, unanswered = issued.items.filter(department__code="health").order_by("sort")
    returned = issued.items.get(department__code="education")
    actions.answer(closed, health, "完善随访制度", ANSWER_BY)
    actions.close(closed, office)
    actions.answer(returned, users["education"], "加强监测", ANSWER_BY)
    actions.send_back(returned, office, "措施不具体")
    used = set(issued.items.values_list("indicator__code", flat=True))
    fresh = other_health_warnings(3, used)
    second = actions.issue(office, fresh[:2], due_on=datetime.date(2026, 5, 1), issued_on=ISSUED)
    answered, late = second.items.order_by("sort")
    actions.answer(answered, health, "开展专项行动", ANSWER_BY)
    actions.issue(office, fresh[2:], due_on=datetime.date(2099, 1, 1), issued_on=ISSUED)
    Notice.objects.all().delete()
    AuditEntry.objects.filter(action="rectification_remind").delete()
    mail.outbox.clear()
    return {"urged_1": {unanswered.pk, returned.pk}, "urged_2": {late.pk}}


def reminded(user=None):
    entries = AuditEntry.objects.filter(action="rectification_remind")
    return {e.object_key for e in entries if user is None or e.user == user}


def keys(pks):
    return {
        actions.item_key(i)
        for i in RectificationItem.objects.filter(pk__in=pks).select_related(
            "bulletin", "department", "indicator"
        )
    }


def test_it_urges_exactly_the_unanswered_items_past_their_date(cycle, users):
    for user in (users["health"], users["education"]):
        user.email = f"{user.username}@shuangyang.example"
        user.save()
    out = urge("--user", users["office"].username)
    expected = cycle["urged_1"] | cycle["urged_2"]
    assert out.strip() == "已催办逾期未反馈的整改事项3项。"
    assert reminded(users["office"]) == keys(expected)
    entries = AuditEntry.objects.filter(action="rectification_remind")
    assert {e.channel for e in entries} == {"cli"}
    urged = RectificationItem.objects.filter(reminded_at__isnull=False)
    assert set(urged.values_list("pk", flat=True)) == expected
    # One notice and one mail per late department, the page's words.
    [health_note] = Notice.objects.filter(user=users["health"])
    [education_note] = Notice.objects.filter(user=users["education"])
    assert (
        health_note.text.startswith("【整改催办】")
        and "以下2项整改事项逾期未反馈" in health_note.text
    )
    assert "以下1项整改事项逾期未反馈" in education_note.text
    assert sorted(m.to[0] for m in mail.outbox) == [
        "t_education@shuangyang.example",
        "t_health@shuangyang.example",
    ]
    assert {m.subject for m in mail.outbox} == {"【整改催办】预警通报整改情况逾期未反馈"}


def test_one_bulletin_only(cycle, users):
    out = urge("--user", users["office"].username, "--bulletin", "1", "--year", "2026")
    assert out.strip() == "已催办双妇儿工委办〔2026〕1号中逾期未反馈的整改事项2项。"
    assert reminded() == keys(cycle["urged_1"])


def test_the_command_and_the_page_urge_the_same(cycle, users, clients):
    from django.urls import reverse

    clients["office"].post(reverse("rectification:remind"))
    by_page = reminded()
    AuditEntry.objects.filter(action="rectification_remind").delete()
    urge("--user", users["office"].username)
    assert reminded() == by_page == keys(cycle["urged_1"] | cycle["urged_2"])


@pytest.mark.parametrize("who", ["health", "stats", "leader"])
def test_only_the_plan_office_urges(cycle, users, who):
    with pytest.raises(CommandError, match="只有区妇儿工委办可以催办"):
        urge("--user", users[who].username)
    assert not reminded()
    assert not Notice.objects.exists() and not mail.outbox
    assert not RectificationItem.objects.filter(reminded_at__isnull=False).exists()


def test_nothing_to_urge_is_said_and_nothing_sent(users, cycle):
    out = urge("--user", users["office"].username, "--bulletin", "3", "--year", "2026")
    assert out.strip() == "双妇儿工委办〔2026〕3号中没有逾期未反馈的整改事项，未发出催办。"
    assert not reminded() and not Notice.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "args, message",
    [
        (["--user", "nobody"], "用户“nobody”不存在"),
        (
            ["--user", "t_office", "--bulletin", "9", "--year", "2026"],
            "没有文号为双妇儿工委办〔2026〕9号",
        ),
        (["--user", "t_office", "--year", "2026"], "--year 须与 --bulletin 一起使用"),
    ],
)
def test_bad_arguments_are_refused_in_words(users, issued, args, message):
    with pytest.raises(CommandError, match=message):
        urge(*args)
