"""As a user would, in real headless Chromium: sign in, read the overview, follow a warning to
its indicator, check the chart holds the series, switch the year, switch to English."""

import json

import pytest

pytestmark = pytest.mark.browser
OFFICE = ("office", "demo-office-2030")


def test_overview_warning_indicator_chart_year_and_language(sign_in, demo_server, shot):
    page = sign_in(*OFFICE)
    assert page.url.endswith("/overview/")
    assert page.locator("h1").inner_text().startswith("两个规划")  # Chinese by default
    assert page.locator(".demo-banner").is_visible()
    shot(page, "overview")

    with page.expect_navigation():
        page.click("text=双阳区妇女发展规划（2021-2030年）")
    red = page.locator("ul.warnings li.w-red").first
    reason = red.locator(".reason").inner_text()
    assert reason
    with page.expect_navigation():
        red.locator("a").click()
    assert "/indicators/" in page.url
    shot(page, "indicator")

    # The chart draws exactly the series the page's data carries.
    data = json.loads(page.locator("#indicator-data").text_content())
    drawn = page.evaluate(
        """() => {
            const chart = window.planwatchCharts["indicator-chart"];
            const set = chart.data.datasets.find(d => d.label === "双阳区");
            return {labels: chart.data.labels, values: set.data};
        }"""
    )
    expected = [data["district"]["data"].get(str(y)) for y in drawn["labels"]]
    assert drawn["values"] == expected
    assert any(v is not None for v in drawn["values"])
    assert page.locator("#explanation").inner_text()

    with page.expect_navigation():
        page.select_option("#year-select", "2022")
    assert "year=2022" in page.url
    data_2022 = json.loads(page.locator("#indicator-data").text_content())
    assert max(int(y) for y in data_2022["district"]["data"]) == 2022
    shot(page, "indicator-2022")

    with page.expect_navigation():
        page.click("header button[name=language][value=en]")
    assert page.locator("text=As of year").is_visible()
    page.goto(f"{demo_server}/overview/")
    assert page.locator("h1").inner_text().startswith("Both plans")
    shot(page, "overview-en")


@pytest.mark.parametrize(
    "username,password,landing",
    [
        ("leader", "demo-leader-2030", "/overview/"),
        ("stats", "demo-stats-2030", "/overview/"),
        ("health", "demo-health-2030", "/departments/health/"),
        ("yunshan", "demo-yunshan-2030", "/org-units/220112001/"),
    ],
)
def test_each_role_lands_on_its_own_page(sign_in, username, password, landing, shot):
    page = sign_in(username, password)
    assert page.url.endswith(landing)
    shot(page, f"landing-{username}")


def test_entry_page_and_warning_list(sign_in, demo_server, shot):
    page = sign_in("health", "demo-health-2030")
    page.goto(f"{demo_server}/collection/rounds/2025/entry/")
    assert page.locator("table.entry tbody tr").count() > 10
    shot(page, "entry")
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/warnings/?level=red&plan=women")
    rows = page.locator("#warning-table tbody tr.w-red")
    assert rows.count() > 0
    shot(page, "warnings")


def test_rare_event_indicator_shows_pooled_figure_interval_and_weak_evidence(
    sign_in, demo_server, shot
):
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/indicators/W1-01/")
    pooled = page.locator("#pooled-figure")
    assert pooled.is_visible()
    lo, hi = (float(x) for x in page.locator("#pooled-interval").inner_text().split("～"))
    rate = float(pooled.locator("strong").first.inner_text().split("/")[0])
    assert 0 <= lo <= rate <= hi
    assert page.locator("#weak-evidence").is_visible()
    assert "合计" in page.locator("#explanation").inner_text()
    shot(page, "indicator-rare-event")


def test_township_page_shows_a_funnel_plot_with_its_data_table(sign_in, demo_server, shot):
    page = sign_in(*OFFICE)
    page.goto(f"{demo_server}/org-units/220112004/?funnel=W1-10")
    canvas = page.locator("canvas#funnel-W1-10")
    assert canvas.is_visible()
    data = json.loads(page.locator("#funnel-W1-10-data").text_content())
    drawn = page.evaluate(
        """() => {
            const chart = window.planwatchCharts["funnel-W1-10"];
            return {points: chart.data.datasets[0].data.map(p => [p.x, p.y]),
                    sets: chart.data.datasets.map(d => d.label)};
        }"""
    )
    assert drawn["points"] == [[p["exposure"], p["rate"]] for p in data["points"]]
    assert "99.8%" in drawn["sets"] and "95%" in drawn["sets"]
    rows = page.locator("#funnel-W1-10-table tbody tr")
    assert rows.count() == len(data["points"]) + 1  # the townships and the district rate
    first = data["points"][0]
    cells = rows.nth(0).locator("td")
    assert cells.nth(0).inner_text() == first["unit"]
    assert cells.nth(1).inner_text() == f"{first['events']:.0f}"
    assert page.locator("#funnel-W1-10-table tr.highlight td").first.inner_text() == "山河街道"
    shot(page, "township-funnel")


def test_english_navigation_stays_on_one_line_at_1280_px(sign_in, shot):
    page = sign_in(*OFFICE)
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_navigation():
        page.click("header.top form.lang button")
    assert page.locator("html").get_attribute("lang") == "en"
    links = page.locator("header.top nav a")
    assert links.count() >= 10  # the plan office sees the longest navigation
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    assert len(tops) == 1, tops
    shot(page, "navigation-en-1280")
