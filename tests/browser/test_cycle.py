"""The yearly cycle as the office lives it, in real Chromium: the plan office opens a round,
教育局 reports, a value draws a flag and is explained, the bureau queries that one cell and
returns it alone, 教育局 answers and fixes it, the bureau approves, the plan office locks."""

import pytest

from .conftest import run_planwatch

pytestmark = pytest.mark.browser
OFFICE = ("office", "demo-office-2030")
STATS = ("stats", "demo-stats-2030")
EDU = ("education", "demo-edu-2030")

# Setting the stage for the lock: every other department's and township's 2025 submission
# approved (walking eleven departments through the pages would test nothing more).
APPROVE_THE_OTHERS = """
from planwatch.collection.board import reporting_departments, reporting_townships
from planwatch.collection.models import ReportingRound, Submission
r = ReportingRound.objects.get(year=2025)
for d in reporting_departments().exclude(code="education"):
    s, _ = Submission.objects.get_or_create(round=r, department=d)
    Submission.objects.filter(pk=s.pk).update(status="approved")
for t in reporting_townships():
    s, _ = Submission.objects.get_or_create(round=r, township=t)
    Submission.objects.filter(pk=s.pk).update(status="approved")
"""


def c302(page, group=""):
    """The total row of C3-02 (九年义务教育巩固率, by sex) in the entry or review table."""
    return page.locator(f"{group} tr:has(code:text-is('C3-02'))").first


def open_group(page, name="儿童与教育"):
    """Open the entry or review group of the area (C3-02 belongs to 儿童与教育) if closed."""
    details = page.locator(f"details:has(summary:has-text('{name}'))").first
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def save(page, locator):
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("networkidle")


def test_open_report_flag_query_return_fix_approve_lock(sign_in, demo_server, demo_env, shot):
    # The plan office opens next year's round; 教育局 is told in the app.
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/collection/rounds/")
    page.fill("#id_year", "2026")
    page.fill("#id_opens_on", "2027-01-04")
    page.fill("#id_due_on", "2027-03-31")
    save(page, page.locator(".card form button[type=submit]"))
    assert page.locator("td:text-is('2026')").is_visible()

    page = sign_in(*EDU)
    page.goto(f"{demo_server}/notices/")
    assert "2027年3月31日" in page.locator("main").inner_text()

    # 教育局 reports 2025: a share that falls by half draws a flag.
    page.goto(f"{demo_server}/collection/rounds/2025/entry/")
    open_group(page)
    row = c302(page)
    row.locator("input[name$='-numerator']").fill("450")
    row.locator("input[name$='-denominator']").fill("1000")
    save(page, row.locator("xpath=ancestor::form//button[contains(@class,'save-group')]"))
    row = c302(page)
    assert "has-warning" in row.get_attribute("class")
    assert row.locator(".warning").count() >= 1
    shot(page, "cycle-flag")
    row.locator("input[name$='-comment']").fill("2025年起按新口径统计在校生")
    save(page, row.locator("xpath=ancestor::form//button[contains(@class,'save-group')]"))
    save(page, page.locator("form[action$='/submit/'] button"))
    assert page.locator(".badge.st-submitted").first.is_visible()

    # The bureau queries that one cell and returns it alone.
    page = sign_in(*STATS)
    page.goto(f"{demo_server}/collection/rounds/2025/")
    save(page, page.locator("#board a:text-is('教育局'), #board a:has-text('教育局')").first)
    open_group(page)
    row = c302(page)
    assert "2025年起按新口径统计在校生" in row.inner_text()  # the explanation is visible
    row.locator("input[name^='q-']").fill("较上年下降近40个百分点，请核实分母")
    save(page, row.locator("xpath=ancestor::form//button[contains(@class,'save-queries')]"))
    save(page, page.locator("#return-queried"))
    assert page.locator(".badge.st-returned").is_visible()
    shot(page, "cycle-returned")

    # 教育局 reads why, answers the query and fixes only that cell.
    page = sign_in(*EDU)
    page.goto(f"{demo_server}/notices/")
    assert "较上年下降近40个百分点，请核实分母" in page.locator("main").inner_text()
    page.goto(f"{demo_server}/collection/submissions/")
    save(page, page.locator("a[href*='/collection/submissions/']").first)
    page.locator(".answer-form input[name=text]").fill("分母误填为全区人口，已更正")
    save(page, page.locator(".answer-form button[type=submit]"))
    page.goto(f"{demo_server}/collection/rounds/2025/entry/")
    female = page.locator("tr:has(code:text-is('C3-02'))").nth(1)
    assert female.locator("input[name$='-numerator']").is_disabled()  # not queried
    open_group(page)
    row = c302(page)
    row.locator("input[name$='-numerator']").fill("880")
    save(page, row.locator("xpath=ancestor::form//button[contains(@class,'save-group')]"))
    save(page, page.locator("form[action$='/submit/'] button"))
    assert page.locator(".badge.st-submitted").first.is_visible()

    # The bureau approves.
    page = sign_in(*STATS)
    page.goto(f"{demo_server}/collection/rounds/2025/")
    save(page, page.locator("#board a:has-text('教育局')").first)
    save(page, page.locator("button[value=approve]"))
    assert page.locator(".badge.st-approved").is_visible()

    # The plan office locks: refused while others are missing (and told exactly which).
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/collection/rounds/2025/")
    save(page, page.locator("form[action$='/lock/'] button"))
    refusal = page.locator(".messages li.error").inner_text()
    count = int(refusal.split("还有 ")[1].split(" ")[0])
    assert len(refusal.split("：", 1)[1].split("；")) == count
    assert "教育局" not in refusal
    # 云山街道 reports for itself: its own draft holds the year too, and the board links it.
    assert "云山街道（草稿）" in refusal
    town = page.locator("#township-board a:has-text('云山街道')")
    assert "草稿" in page.locator("#township-board tr:has-text('云山街道')").inner_text()
    assert "/collection/submissions/" in town.get_attribute("href")
    run_planwatch(demo_env, "shell", "-c", APPROVE_THE_OTHERS)
    save(page, page.locator("form[action$='/lock/'] button"))
    assert page.locator(".messages li.success").is_visible()
    page.goto(f"{demo_server}/collection/rounds/")
    row_2025 = page.locator("tr:has(td:text-is('2025'))")
    assert "已锁定" in row_2025.inner_text()
    assert "已锁定" in page.locator("tr:has(td:text-is('2020'))").inner_text()
    shot(page, "cycle-locked")
