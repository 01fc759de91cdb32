"""The 预警通报 cycle as actions: issue, answer, close / send back, overdue and 催办."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from planwatch.accounts.models import Notice
from planwatch.audit.models import AuditEntry
from planwatch.rectification import actions
from planwatch.rectification.models import Bulletin, ItemStatus

from .conftest import DUE, ISSUED


def test_issuing_numbers_the_bulletin_and_freezes_each_warning(issued, warnings, users):
    assert issued.document_number == "双妇儿工委办〔2026〕1号"
    assert issued.monitoring_year == 2025
    assert issued.title == "关于2025年度妇女儿童发展规划监测指标预警情况的通报"
    items = list(issued.items.order_by("sort"))
    # In the bulletin's order: by department, as the departments are listed.
    assert sorted(i.department.code for i in items) == ["education", "health", "health"]
    assert [i.department.sort for i in items] == sorted(i.department.sort for i in items)
    first = next(i for i in items if i.level == "red")
    assert first.level_label == "红色预警"
    assert first.latest_text.startswith("81.5")  # through numbers.value, with its year
    assert first.latest_text.endswith("（2025年）")
    assert (
        first.reason
        == "按现有进度难以如期实现规划目标。按现有速度2030年预计约为85.0%，仅为所需进展的40%。"
    )
    assert all(i.status == ItemStatus.OPEN for i in items)
    # The bulletin does not change when the warnings it came from are recomputed away.
    for ws in warnings.values():
        for w in ws:
            w.result.delete()
    assert issued.items.count() == 3


def test_the_next_bulletin_of_the_year_takes_the_next_number(issued, users):
    from .conftest import stored_warning

    w = stored_warning("W1-01")
    second = actions.issue(users["office"], [w.pk], due_on=DUE, issued_on=ISSUED)
    assert second.document_number == "双妇儿工委办〔2026〕2号"
    with pytest.raises(actions.RectificationRefused, match="文号双妇儿工委办〔2026〕2号已被使用"):
        actions.issue(users["office"], [w.pk], due_on=DUE, issued_on=ISSUED, number=2)


def test_each_department_is_told_in_app_and_by_mail(users, warnings):
    users["health"].email = "health@example.org"
    users["health"].save()
    ids = [w.pk for ws in warnings.values() for w in ws]
    actions.issue(users["office"], ids, due_on=DUE, issued_on=ISSUED)
    health = Notice.objects.get(user=users["health"])
    assert health.text.startswith("【预警通报】双妇儿工委办〔2026〕1号")
    assert "涉及区卫生健康局2项监测指标" in health.text
    assert "2026年4月10日前" in health.text
    assert Notice.objects.filter(user=users["education"], text__contains="1项监测指标").exists()
    assert not Notice.objects.filter(user=users["yunshan"]).exists()
    assert [m.to for m in mail.outbox] == [["health@example.org"]]
    assert "2026年4月10日" in mail.outbox[0].body


def test_issuing_is_audited(issued):
    entry = AuditEntry.objects.get(action="bulletin_issue")
    assert entry.object_key == "双妇儿工委办〔2026〕1号"
    assert entry.new["due_on"] == "2026-04-10"
    assert len(entry.new["items"]) == 3


@pytest.mark.parametrize("who", ["stats", "health", "leader", "yunshan"])
def test_only_the_plan_office_issues(users, warnings, who):
    with pytest.raises(PermissionDenied):
        actions.issue(users[who], [warnings["health"][0].pk], due_on=DUE, issued_on=ISSUED)
    assert not Bulletin.objects.exists()


def test_a_bad_request_issues_nothing_and_says_why(users, warnings):
    with pytest.raises(actions.RectificationRefused) as exc:
        actions.issue(users["office"], [], due_on=ISSUED, issued_on=ISSUED)
    assert "请至少选择一条预警" in str(exc.value)
    assert "整改情况报送时限须晚于印发日期（2026年3月5日）" in str(exc.value)
    assert not Bulletin.objects.exists()


def test_department_answers_then_the_office_closes(issued, users):
    item = issued.items.get(department__code="education")
    actions.answer(item, users["education"], "加强控辍保学，逐校核查", datetime.date(2026, 9, 30))
    item.refresh_from_db()
    assert (item.status, item.complete_by) == (ItemStatus.ANSWERED, datetime.date(2026, 9, 30))
    told = Notice.objects.get(user=users["office"], text__startswith="【整改反馈】")
    assert "完成时限2026年9月30日" in told.text
    actions.close(item, users["office"], "措施可行")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.closed_by == users["office"]
    actions_seen = list(
        AuditEntry.objects.filter(object_type="rectification_item")
        .order_by("pk")
        .values_list("action", "old", "new")
    )
    assert [(a, o["status"], n["status"]) for a, o, n in actions_seen] == [
        ("rectification_answer", "open", "answered"),
        ("rectification_close", "answered", "closed"),
    ]
    with pytest.raises(PermissionDenied):
        actions.answer(item, users["education"], "再改", datetime.date(2026, 10, 1))


def test_sent_back_with_a_reason_and_answered_again(issued, users):
    item = issued.items.get(department__code="education")
    actions.answer(item, users["education"], "加强管理", datetime.date(2026, 9, 30))
    with pytest.raises(actions.RectificationRefused, match="退回须说明理由"):
        actions.send_back(item, users["office"], " ")
    actions.send_back(item, users["office"], "措施过于笼统，请细化到学校")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    note = Notice.objects.filter(user=users["education"]).order_by("-pk").first()
    assert "退回意见：措施过于笼统，请细化到学校" in note.text
    actions.answer(item, users["education"], "逐校建立台账", datetime.date(2026, 8, 31))
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED and item.measures == "逐校建立台账"


def test_an_answer_needs_measures_and_a_date_not_before_the_bulletin(issued, users):
    item = issued.items.get(department__code="education")
    with pytest.raises(actions.RectificationRefused) as exc:
        actions.answer(item, users["education"], "", datetime.date(2026, 1, 1))
    assert "请填写整改措施" in str(exc.value)
    assert "完成时限不能早于通报印发日期（2026年3月5日）" in str(exc.value)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


@pytest.mark.parametrize("who", ["health", "stats", "leader"])
def test_only_the_responsible_department_answers(issued, users, who):
    item = issued.items.get(department__code="education")
    with pytest.raises(PermissionDenied):
        actions.answer(item, users[who], "措施", datetime.date(2026, 9, 30))


@pytest.mark.parametrize("who", ["education", "stats", "leader"])
def test_only_the_office_closes(issued, users, who):
    item = issued.items.get(department__code="education")
    actions.answer(item, users["education"], "措施", datetime.date(2026, 9, 30))
    with pytest.raises(PermissionDenied):
        actions.close(item, users[who])


def test_overdue_is_an_unanswered_item_after_the_due_date(issued, users):
    answered = issued.items.get(department__code="education")
    actions.answer(answered, users["education"], "措施", datetime.date(2026, 9, 30))
    late = issued.items.filter(department__code="health").first()
    assert late.tracking_state(DUE) == "open"  # the due day itself is still in time
    assert late.tracking_state(DUE + datetime.timedelta(days=1)) == "overdue"
    answered.refresh_from_db()
    assert answered.tracking_state(DUE + datetime.timedelta(days=1)) == "answered"


def test_reminding_tells_only_the_late_departments_and_is_audited(issued, users):
    answered = issued.items.get(department__code="education")
    actions.answer(answered, users["education"], "措施", datetime.date(2026, 9, 30))
    Notice.objects.all().delete()
    n = actions.remind_overdue(users["office"], today=DUE + datetime.timedelta(days=3))
    assert n == 2
    [note] = Notice.objects.filter(user=users["health"])
    assert note.text.startswith("【整改催办】")
    assert "以下2项整改事项逾期未反馈" in note.text and "应于2026年4月10日前反馈" in note.text
    assert not Notice.objects.filter(user=users["education"]).exists()
    assert AuditEntry.objects.filter(action="rectification_remind").count() == 2
    assert actions.remind_overdue(users["office"], today=DUE) == 0
    with pytest.raises(PermissionDenied):
        actions.remind_overdue(users["stats"], today=DUE)
