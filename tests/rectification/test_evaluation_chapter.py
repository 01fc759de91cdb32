"""The mid-term (2025) and final (2030) evaluations account for every 预警通报 issued since
the plan began and for each 整改 item's state, as the annual report does for its own year;
read back from the built .docx as a reader would."""

import datetime

import pytest
from reports.building import render_docx
from reports.reading import chapter, headings, table_after

from planwatch.rectification import actions

from .test_annual_chapter import CHAPTER, HEADER, women_warnings

pytestmark = pytest.mark.usefixtures("demo_results")


def warnings_of(year, n):
    return women_warnings(n, year=year)


@pytest.fixture
def bulletins(users):
    """On 2020's monitoring (the base year, before the plan), 2021's and 2024's."""
    office = users["office"]
    before = actions.issue(
        office,
        [w.pk for w in warnings_of(2020, 1)],
        due_on=datetime.date(2021, 4, 30),
        issued_on=datetime.date(2021, 3, 1),
    )
    early = actions.issue(
        office,
        [w.pk for w in warnings_of(2021, 2)],
        due_on=datetime.date(2022, 4, 10),
        issued_on=datetime.date(2022, 3, 5),
    )
    late = actions.issue(
        office,
        [w.pk for w in warnings_of(2024, 1)],
        due_on=datetime.date(2099, 4, 10),
        issued_on=datetime.date(2025, 3, 5),
    )
    closed, owed = early.items.select_related("department", "indicator").order_by("sort")
    actions.answer(closed, users["admin"], "建立孕产妇健康管理台账", datetime.date(2022, 12, 31))
    actions.close(closed, office)
    [answered] = late.items.select_related("department", "indicator")
    actions.answer(answered, users["admin"], "开展宫颈癌筛查进社区", datetime.date(2025, 12, 31))
    return {"before": before, "closed": closed, "owed": owed, "answered": answered}


def name(item) -> str:
    return f"{item.indicator.name}（{item.indicator.code}）"


@pytest.mark.parametrize("kind, year", [("midterm", 2025), ("final", 2030)])
def test_the_evaluation_lists_every_bulletin_since_the_plan_began(bulletins, kind, year):
    snapshot, doc = render_docx(kind, "women", year)
    titles = [h.split("、", 1)[-1] for h in headings(doc)]  # 十二、预警通报与整改落实情况
    assert titles[titles.index(CHAPTER) - 1] == "预警指标清单", titles
    [first, *_] = [b[2] for b in chapter(doc, CHAPTER) if b[0] == "p"]
    assert first.startswith(
        f"规划实施以来，区妇儿工委办就2021—{year}年度监测预警印发预警通报2份"
        "（双妇儿工委办〔2022〕1号、双妇儿工委办〔2025〕1号），通报预警指标3项，"
    )
    assert first.endswith("已办结1项，已反馈，待审核1项，逾期未反馈1项。")
    rows = table_after(doc, f"2021—{year}年度预警通报整改落实情况")
    assert rows[0] == HEADER
    assert len(rows) == 4  # the base year's bulletin is not the plan's
    by_item = {(r[1], r[3]): r[2:] for r in rows[1:]}
    closed, owed, answered = bulletins["closed"], bulletins["owed"], bulletins["answered"]
    assert by_item["双妇儿工委办〔2022〕1号", name(closed)] == [
        closed.department.name,
        name(closed),
        closed.level_label,
        "建立孕产妇健康管理台账",
        "2022年12月31日",
        "已办结",
    ]
    assert by_item["双妇儿工委办〔2025〕1号", name(answered)] == [
        answered.department.name,
        name(answered),
        answered.level_label,
        "开展宫颈癌筛查进社区",
        "2025年12月31日",
        "已反馈，待审核",
    ]
    assert by_item["双妇儿工委办〔2022〕1号", name(owed)][3:] == ["—", "—", "逾期未反馈"]
    assert snapshot["rectification"]["since"] == 2021


def test_the_annual_report_keeps_to_its_own_year(bulletins):
    snapshot, doc = render_docx("annual", "women", 2024)
    assert "since" not in snapshot["rectification"]
    rows = table_after(doc, "2024年度预警通报整改落实情况")
    assert [r[1] for r in rows[1:]] == ["双妇儿工委办〔2025〕1号"]


def test_an_evaluation_without_a_bulletin_says_so(db):
    _snapshot, doc = render_docx("midterm", "women", 2025)
    [(_, _, text)] = chapter(doc, CHAPTER)
    assert text == "截至报告生成时，区妇儿工委办未就2021—2025年度监测预警印发预警通报。"
