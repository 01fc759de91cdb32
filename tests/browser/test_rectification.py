"""预警通报 and 整改 as the people who live it, in real Chromium: the plan office issues a
bulletin from the warning list to 卫健局 and 教育局 and urges the late; 卫健局 reads the notice,
answers its item with measures and a date; the office sends it back, 卫健局 answers again, the
office closes it. 卫健局 is never offered, nor granted, a decision."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser
OFFICE = ("office", "demo-office-2030")
HEALTH = ("health", "demo-health-2030")

# The server's calendar (TIME_ZONE), not the test machine's, decides what is overdue.
TODAY = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
# Recorded after the fact (a paper bulletin entered late) so that it is already overdue: the
# office's 催办 has something to urge.
ISSUED = TODAY - datetime.timedelta(days=40)
DUE = TODAY - datetime.timedelta(days=10)
COMPLETE_BY = TODAY + datetime.timedelta(days=90)


def cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def submit(page, locator):
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("networkidle")


def row_of(page, code):
    return page.locator(f"#items tr:has(code:text-is('{code}'))")


def tracking(page, code) -> str:
    """The item's 督办 state as the page words it (the office's last comment below it)."""
    return row_of(page, code).locator("td.tracking").inner_text().split("\n")[0]


def comment(page, code) -> str:
    return row_of(page, code).locator("td.tracking small").inner_text()


def success(page) -> str:
    return page.locator(".messages li.success").inner_text()


def lines(cell) -> int:
    """How many lines the cell's text is laid out on."""
    return cell.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )


def first_warning(page, department):
    """The first warning offered for `department`: (its checkbox, its indicator code)."""
    row = page.locator(f"#warning-choice tbody tr:has(td:text-is('{department}'))").first
    return row.locator("input[name=warning]"), row.locator("code").inner_text()


def test_bulletin_answer_send_back_answer_close(sign_in, demo_server, shot):
    # The plan office starts from the warning list.
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/warnings/")
    submit(page, page.locator("#issue-bulletin"))
    assert "/rectification/new/" in page.url
    assert page.locator("#id_issued_on").input_value() == TODAY.isoformat()  # offered, shown
    # Each department's name and the headers on one line (they broke after every character).
    for cell in ("#warning-choice th >> nth=3", "#warning-choice td:text-is('卫健局') >> nth=0"):
        assert lines(page.locator(cell)) == 1, cell
    health_box, health_code = first_warning(page, "卫健局")
    education_box, education_code = first_warning(page, "教育局")
    health_box.check()
    education_box.check()
    page.fill("#id_issued_on", ISSUED.isoformat())
    page.fill("#id_due_on", DUE.isoformat())
    shot(page, "rectification-new")
    submit(page, page.locator("#issue"))
    number = re.search(r"双妇儿工委办〔\d{4}〕\d+号", success(page)).group(0)
    assert page.locator("h1").inner_text().endswith("监测指标预警情况的通报")
    assert tracking(page, health_code) == tracking(page, education_code) == "逾期未反馈"
    assert page.locator("#bulletin-docx").is_visible()

    # 督办: the office urges both late departments.
    page.goto(f"{demo_server}/rectification/items/")
    submit(page, page.locator("#remind-overdue"))
    assert success(page) == "已催办逾期事项2项。"

    # 卫健局 is told twice (the bulletin and the urging) and follows the notice to its item.
    page = sign_in(*HEALTH)
    assert page.locator("header nav a:text-is('预警通报')").is_visible()
    page.goto(f"{demo_server}/notices/")
    notices = page.locator("main").inner_text()
    assert f"【预警通报】{number}" in notices and f"于{cn(DUE)}前" in notices
    assert "【整改催办】" in notices
    submit(page, page.locator(f"main a:has-text('【预警通报】{number}')"))
    assert page.url.endswith("/rectification/items/")
    assert row_of(page, health_code).count() == 1
    assert row_of(page, education_code).count() == 0  # another department's item
    assert tracking(page, health_code) == "逾期未反馈"
    assert page.locator(".close-item, .return-item").count() == 0
    row = row_of(page, health_code)
    row.locator("textarea[name$='-measures']").fill("开展母婴保健专项行动，每季度通报进展")
    row.locator("input[name$='-complete_by']").fill(COMPLETE_BY.isoformat())
    submit(page, row.locator(".answer-item"))
    assert success(page) == "整改情况已反馈。"
    assert tracking(page, health_code) == "已反馈，待审核"

    # The department cannot decide: no button on its bulletin page, and the request is refused.
    submit(page, row_of(page, health_code).locator(f"a:text-is('{number}')"))
    assert tracking(page, health_code) == "已反馈，待审核"
    assert page.locator(".close-item, .return-item").count() == 0
    item_id = row_of(page, health_code).get_attribute("id").removeprefix("item-")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{demo_server}/rectification/items/{item_id}/close/",
        form={"csrfmiddlewaretoken": token, "comment": "自行办结"},
        max_redirects=0,
    )
    assert refused.status == 403 and "CSRF" not in refused.text()
    page.reload()
    assert tracking(page, health_code) == "已反馈，待审核"
    shot(page, "rectification-answered")

    # The office reads the answer and sends it back for more detail.
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/rectification/")
    submit(page, page.locator(f"#bulletins a:text-is('{number}')"))
    row = row_of(page, health_code)
    assert "开展母婴保健专项行动，每季度通报进展" in row.inner_text()
    assert cn(COMPLETE_BY) in row.inner_text()
    assert tracking(page, health_code) == "已反馈，待审核"
    assert tracking(page, education_code) == "逾期未反馈"
    row.locator("textarea[name=comment]").fill("请明确各季度目标值")
    submit(page, row.locator(".return-item"))
    assert success(page) == "整改事项已退回。"
    # Sent back after the bulletin's date: owed again, and late.
    assert tracking(page, health_code) == "逾期未反馈"
    assert comment(page, health_code) == "妇儿工委办意见：请明确各季度目标值"

    # 卫健局 reads why and answers again.
    page = sign_in(*HEALTH)
    page.goto(f"{demo_server}/notices/")
    assert "退回意见：请明确各季度目标值" in page.locator("main").inner_text()
    page.goto(f"{demo_server}/rectification/items/")
    row = row_of(page, health_code)
    assert row.locator("textarea[name$='-measures']").input_value() == (
        "开展母婴保健专项行动，每季度通报进展"
    )
    assert row.locator("input[name$='-complete_by']").input_value() == COMPLETE_BY.isoformat()
    row.locator("textarea[name$='-measures']").fill(
        "开展母婴保健专项行动，一季度纯母乳喂养率提高2个百分点，此后每季度通报进展"
    )
    submit(page, row.locator(".answer-item"))
    assert tracking(page, health_code) == "已反馈，待审核"

    # The office closes it; the other department's item is still owed.
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/rectification/items/?state=answered")
    row = row_of(page, health_code)
    assert "一季度纯母乳喂养率提高2个百分点" in row.inner_text()
    row.locator("textarea[name=comment]").fill("措施具体，同意办结")
    submit(page, row.locator(".close-item"))
    assert success(page) == "整改事项已办结。"
    assert tracking(page, health_code) == "已办结"
    assert comment(page, health_code) == "妇儿工委办意见：措施具体，同意办结"
    assert tracking(page, education_code) == "逾期未反馈"
    assert row_of(page, health_code).locator(".close-item, .answer-item").count() == 0
    page.goto(f"{demo_server}/rectification/")
    counts = page.locator(f"#bulletins tr:has(a:text-is('{number}')) td.num").all_inner_texts()
    assert counts == ["0", "1", "0", "0", "1"]  # 待反馈 逾期 已反馈 已退回 已办结
    shot(page, "rectification-closed")

    # 卫健局 sees it closed, with nothing left to answer.
    page = sign_in(*HEALTH)
    page.goto(f"{demo_server}/notices/")
    assert f"【整改办结】{number}" in page.locator("main").inner_text()
    page.goto(f"{demo_server}/rectification/items/")
    assert tracking(page, health_code) == "已办结"
    assert row_of(page, health_code).locator("form").count() == 0
