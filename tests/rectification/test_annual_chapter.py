"""The annual report's account of the bulletins and the state of each 整改 item, read from
what is stored (the bulletin's frozen items), on the demo data's real warnings."""

import datetime

import pytest
from reports.building import render_docx
from reports.reading import chapter, headings, table_after

from planwatch.monitoring.models import Warning
from planwatch.rectification import actions

pytestmark = pytest.mark.usefixtures("demo_results")
HEADER = [
    "序号",
    "通报文号",
    "责任单位",
    "监测指标",
    "预警级别",
    "整改措施",
    "完成时限",
    "督办状态",
]
CHAPTER = "预警通报与整改落实情况"


def women_warnings(n, year=2024):
    """n warnings on n different indicators of the women's plan, district totals."""
    qs = (
        Warning.objects.filter(
            result__as_of_year=year,
            result__preview=False,
            result__target__area__plan__code="women",
            result__org_unit__code="220112",
            result__sex="",
            result__age_group="",
            result__residence="",
            result__target__indicator__lead_department__isnull=False,
        )
        .select_related("result__target")
        .order_by("result__target__code", "level")
    )
    by_indicator = {}
    for w in qs:
        by_indicator.setdefault(w.result.target.indicator_id, w)
    return list(by_indicator.values())[:n]


def test_without_a_bulletin_the_chapter_says_so(db):
    _snapshot, doc = render_docx("annual", "women", 2024)
    assert any(CHAPTER in h for h in headings(doc))
    [(_, _, text)] = chapter(doc, CHAPTER)
    assert text == "截至报告生成时，区妇儿工委办未就2024年度监测预警印发预警通报。"


def test_the_chapter_lists_the_bulletin_and_each_item_state(users):
    chosen = women_warnings(3)
    assert len(chosen) == 3
    bulletin = actions.issue(
        users["office"],
        [w.pk for w in chosen],
        due_on=datetime.date(2099, 4, 10),  # not yet overdue on any day the test runs
        issued_on=datetime.date(2025, 3, 5),
    )
    items = list(bulletin.items.select_related("department", "indicator").order_by("sort"))
    done, pending = items[0], items[1]
    actions.answer(done, users["admin"], "完善随访制度", datetime.date(2025, 12, 31))
    actions.close(done, users["office"])
    actions.answer(pending, users["admin"], "开展专项核查", datetime.date(2025, 10, 31))

    snapshot, doc = render_docx("annual", "women", 2024)
    states = [i["state"] for i in snapshot["rectification"]["items"]]
    assert sorted(states) == ["answered", "closed", "open"]
    text = [b[2] for b in chapter(doc, CHAPTER) if b[0] == "p"]
    n_departments = len({i.department_id for i in items})
    assert text[0].startswith(
        f"区妇儿工委办就2024年度监测预警印发预警通报1份（双妇儿工委办〔2025〕1号），"
        f"通报预警指标3项，涉及{n_departments}个成员单位。截至"
    )
    assert text[0].endswith("已办结1项，已反馈，待审核1项，待反馈1项。")
    rows = table_after(doc, "2024年度预警通报整改落实情况")
    assert rows[0] == HEADER
    by_indicator = {r[3]: r for r in rows[1:]}
    row = by_indicator[f"{done.indicator.name}（{done.indicator.code}）"]
    assert row[1:3] == ["双妇儿工委办〔2025〕1号", done.department.name]
    assert row[5:] == ["完善随访制度", "2025年12月31日", "已办结"]
    row = by_indicator[f"{items[2].indicator.name}（{items[2].indicator.code}）"]
    assert row[5:] == ["—", "—", "待反馈"]
