"""The explanation writes each figure as the page beside it does: catalog.numbers, with the
indicator's own decimals (its scale), not a formatter of its own."""

import pytest

from planwatch.catalog import numbers
from planwatch.evaluation import Series, Target, evaluate

# (scale, unit as written after a number, target, series, the latest value as printed, by hand)
CASES = [
    # 2 decimals: 3.456 is "3.46", not "3.5"
    (
        "per_1000_population",
        "个/千人口",
        (">=", 4.5),
        [(2020, 2.104), (2024, 3.456)],
        "3.46个/千人口",
    ),
    # 1 decimal, kept when zero: 98.0 is "98.0%", not "98%"
    ("percent", "%", (">=", 99), [(2020, 95.5), (2024, 98.0)], "98.0%"),
    # 1 decimal for a rate per 100,000
    ("per_100k", "/10万", ("<=", 12), [(2020, 16.04), (2024, 14.26)], "14.3/10万"),
    # whole numbers for counts: 12.6 doctors print as 13
    ("count", "名", (">=", 30), [(2020, 8.0), (2024, 12.6)], "13名"),
    # hours a day, 1 decimal
    ("hours_per_day", "小时/天", (">=", 2), [(2020, 1.0), (2024, 1.26)], "1.3小时/天"),
]


@pytest.mark.parametrize(("scale", "unit", "goal", "pairs", "by_hand"), CASES)
def test_every_figure_is_the_pages_text(scale, unit, goal, pairs, by_hand):
    comparator, value = goal
    target = Target(comparator, value, unit=unit, scale=scale)
    r = evaluate(target, Series.from_pairs(pairs, (0.0, None)))
    latest = numbers.value(r.latest_value, scale, unit)  # what the page's value_of prints
    assert latest == by_hand
    assert r.explanation.startswith(f"2024年为{latest}，")
    change = numbers.change(r.latest_value - r.base_value, scale, unit)
    assert f"较基期{change}" in r.explanation
    if r.projected_value is not None and "预计约为" in r.explanation:
        assert f"预计约为{numbers.value(r.projected_value, scale, unit)}" in r.explanation


def test_the_same_value_reads_differently_per_scale():
    # one value, three indicators: the decimals come from the indicator, not the sentence
    texts = {}
    for scale in ("per_1000_population", "percent", "count"):
        r = evaluate(
            Target(">=", 10, unit="", scale=scale), Series.from_pairs([(2020, 1.0), (2024, 2.346)])
        )
        texts[scale] = r.explanation.split("，")[0]
    assert texts == {
        "per_1000_population": "2024年为2.35",
        "percent": "2024年为2.3",
        "count": "2024年为2",
    }


def test_the_pooled_figure_in_the_evidence_sentence_has_the_scales_decimals():
    # 1 death in 10,510 births: 9.5/10万 (Garwood 0.24–53.0), written with one decimal
    target = Target("<=", 12, unit="/10万", scale="per_100k")
    series = Series.from_pairs(
        [(2022, 0.0), (2023, 1 / 3510 * 1e5), (2024, 0.0)],
        (0.0, None),
        [(2022, 0, 3500), (2023, 1, 3510), (2024, 0, 3500)],
        "poisson",
        factor=100000,
    )
    r = evaluate(target, series)
    assert r.evidence == "weak"
    rate = numbers.number(r.pooled.rate, 1)
    assert rate == "9.5"
    ci = numbers.interval(r.pooled.lo95, r.pooled.hi95, "per_100k")
    assert ci == "0.2～53.0"
    assert f"合计{rate}/10万（95%置信区间{ci}）" in r.explanation


def test_the_change_in_a_warning_has_the_indicators_decimals():
    # a 50 % jump: 波动较大, with the change in points of the indicator's decimals
    target = Target(">=", 4.5, unit="个/千人口", scale="per_1000_population")
    series = Series.from_pairs([(2022, 2.0), (2023, 2.1), (2024, 3.16)], (0.0, None))
    r = evaluate(target, series, as_of_year=2024)
    reasons = [w.reason for w in r.warnings if w.kind == "abnormal_change"]
    assert reasons
    assert reasons[0].startswith("2024年较上年上升1.06个/千人口（2.10个/千人口→3.16个/千人口")
