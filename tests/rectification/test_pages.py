"""The 预警通报 pages per role: the office issues and decides, a department sees and answers
only its own items, townships and outsiders see nothing."""

import pytest
from django.urls import reverse

from planwatch.audit.models import AuditEntry
from planwatch.rectification.models import Bulletin, ItemStatus

from .conftest import make_department_user


def codes(issued, department):
    return {i.indicator.code for i in issued.items.filter(department__code=department)}


@pytest.mark.parametrize("who", ["office", "stats", "leader", "health"])
def test_the_bulletin_list_reaches_the_readers_and_the_addressees(clients, issued, who):
    page = clients[who].get(reverse("rectification:index"))
    assert page.status_code == 200
    assert "双妇儿工委办〔2026〕1号" in page.content.decode()


@pytest.mark.parametrize("who", ["yunshan", "norole"])
def test_townships_and_outsiders_see_no_bulletin(clients, issued, who):
    for url in (
        reverse("rectification:index"),
        reverse("rectification:items"),
        reverse("rectification:bulletin", args=[issued.pk]),
        reverse("rectification:bulletin_docx", args=[issued.pk]),
    ):
        assert clients[who].get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(clients, issued):
    page = clients["anonymous"].get(reverse("rectification:bulletin", args=[issued.pk]))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_a_department_not_addressed_sees_neither_the_bulletin_nor_its_document(issued, client):
    client.force_login(make_department_user("t_civil", "civil_affairs"))
    assert "双妇儿工委办" not in client.get(reverse("rectification:index")).content.decode()
    assert client.get(reverse("rectification:bulletin", args=[issued.pk])).status_code == 403
    assert client.get(reverse("rectification:bulletin_docx", args=[issued.pk])).status_code == 403


@pytest.mark.parametrize("own, other", [("health", "education"), ("education", "health")])
def test_a_department_sees_only_its_own_items(clients, issued, own, other):
    for url in (
        reverse("rectification:bulletin", args=[issued.pk]),
        reverse("rectification:items"),
    ):
        html = clients[own].get(url).content.decode()
        assert all(f"<code>{c}</code>" in html for c in codes(issued, own))
        assert not any(
            f"<code>{c}</code>" in html for c in codes(issued, other) - codes(issued, own)
        )


def test_the_office_sees_every_item(clients, issued):
    html = clients["office"].get(reverse("rectification:items")).content.decode()
    assert all(
        f"<code>{c}</code>" in html for c in codes(issued, "health") | codes(issued, "education")
    )


def test_the_document_downloads_as_word(clients, issued):
    response = clients["health"].get(reverse("rectification:bulletin_docx", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("who", ["stats", "health", "leader"])
def test_only_the_office_opens_the_issue_page(clients, warnings, who):
    assert clients[who].get(reverse("rectification:new")).status_code == 403
    assert clients[who].post(reverse("rectification:new"), {}).status_code == 403


def test_the_office_issues_from_the_page(clients, warnings):
    page = clients["office"].get(reverse("rectification:new"), {"year": 2025})
    html = page.content.decode()
    for ws in warnings.values():
        assert f'name="warning" value="{ws[0].pk}"' in html
    response = clients["office"].post(
        reverse("rectification:new") + "?year=2025",
        {
            "issued_on": "2026-03-05",
            "due_on": "2026-04-10",
            "number": "3",
            "title": "关于2025年度妇女儿童发展规划监测指标预警情况的通报",
            "preface": "",
            "warning": [warnings["health"][0].pk, warnings["education"][0].pk],
        },
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rectification:bulletin", args=[bulletin.pk])
    assert bulletin.document_number == "双妇儿工委办〔2026〕3号"
    assert bulletin.items.count() == 2


def test_a_refused_issue_says_why_and_keeps_the_choice(clients, warnings):
    chosen = warnings["health"][0].pk
    response = clients["office"].post(
        reverse("rectification:new") + "?year=2025",
        {"issued_on": "2026-03-05", "due_on": "2026-03-01", "number": "1", "title": "通报",
         "warning": [chosen]},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "整改情况报送时限须晚于印发日期（2026年3月5日）" in html
    assert f'value="{chosen}" id="w{chosen}" checked' in html
    assert not Bulletin.objects.exists()


def answer(client, item, measures="逐项核实数据，加强随访", day="2026-09-30"):
    return client.post(
        reverse("rectification:answer", args=[item.pk]),
        {f"i{item.pk}-measures": measures, f"i{item.pk}-complete_by": day},
    )


def test_a_department_answers_its_own_item_not_another(clients, issued):
    mine = issued.items.filter(department__code="health").first()
    theirs = issued.items.get(department__code="education")
    assert answer(clients["education"], mine).status_code == 403
    assert answer(clients["office"], mine).status_code == 403
    assert answer(clients["health"], mine).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.measures) == (ItemStatus.ANSWERED, "逐项核实数据，加强随访")
    assert theirs.status == ItemStatus.OPEN


def test_the_office_closes_and_a_department_cannot(clients, issued):
    item = issued.items.filter(department__code="health").first()
    answer(clients["health"], item)
    url = reverse("rectification:decide", args=[item.pk, "close"])
    assert clients["health"].post(url, {"comment": ""}).status_code == 403
    assert clients["stats"].post(url, {"comment": ""}).status_code == 403
    response = clients["office"].post(url, {"comment": "同意办结", "back": "bulletin"})
    assert response["Location"] == reverse("rectification:bulletin", args=[issued.pk])
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.office_comment == "同意办结"
    assert AuditEntry.objects.filter(
        action="rectification_close", user__username="t_office"
    ).exists()


def test_sending_back_without_a_reason_is_refused_in_words(clients, issued):
    item = issued.items.filter(department__code="health").first()
    answer(clients["health"], item)
    url = reverse("rectification:decide", args=[item.pk, "return"])
    page = clients["office"].post(url, {"comment": ""}, follow=True)
    assert "退回须说明理由" in page.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED


def test_only_the_office_reminds(clients, issued):
    assert clients["health"].post(reverse("rectification:remind")).status_code == 403
    assert clients["office"].post(reverse("rectification:remind")).status_code == 302


def test_dates_on_the_pages_are_in_official_style(clients, issued):
    html = clients["health"].get(reverse("rectification:index")).content.decode()
    assert "2026年3月5日" in html and "2026年4月10日" in html
    assert "2026年03月" not in html


def test_the_issue_form_offers_its_dates_in_the_form_a_date_field_shows(clients, warnings):
    from django.utils import timezone

    html = clients["office"].get(reverse("rectification:new")).content.decode()
    today = timezone.localdate().isoformat()  # 2026-12-03, never the locale's 2026/12/03
    assert f'type="date" name="issued_on" value="{today}"' in html


def test_the_warning_list_leads_the_office_to_the_issue_page(clients, warnings):
    link = f'id="issue-bulletin" class="noprint" href="{reverse("rectification:new")}?year=2025"'
    assert link in clients["office"].get(reverse("warnings")).content.decode()
    assert "issue-bulletin" not in clients["stats"].get(reverse("warnings")).content.decode()


@pytest.mark.parametrize("who, shown", [("health", True), ("leader", True), ("yunshan", False)])
def test_the_bulletins_are_in_the_menu_of_those_who_read_them(clients, issued, who, shown):
    html = clients[who].get(reverse("overview")).content.decode()
    assert (f'<a href="{reverse("rectification:index")}">' in html) is shown
