"""One number, one formatter: the rules a statistics office prints figures by."""

import pytest

from planwatch.catalog import numbers as n


@pytest.mark.parametrize(
    ("comparator", "x", "unit", "text"),
    [
        ("<=", 12, "1/10万", "12/10万以下"),
        (">=", 85, "%", "85%以上"),
        ("maintain>=", 85, "%", "保持在85%以上"),
        ("maintain<=", 5.0, "‰", "保持在5‰以下"),
        ("<", 2, "%", "低于2%"),
        ("reduce_by_pct", 10, "1/10万", "较基期下降10%"),
        (">=", 4.5, "个/千人口", "4.5个/千人口以上"),
    ],
)
def test_targets_read_in_chinese_order(comparator, x, unit, text):
    assert n.target(comparator, x, unit) == text
    assert "以下（≤）" not in text and "121/10万" not in text


@pytest.mark.parametrize(
    ("x", "scale", "unit", "text"),
    [
        (98.1, "percent", "%", "98.1%"),
        (14.3, "per_100k", "1/10万", "14.3/10万"),
        (7e-07, "percent", "%", "0.0%"),
        (-0.01, "percent", "%", "0.0%"),
        (1234567.0, "count", "名", "1234567名"),
        (None, "percent", "%", "—"),
    ],
)
def test_values_have_fixed_decimals_and_no_scientific_notation(x, scale, unit, text):
    assert n.value(x, scale, unit) == text
    assert "e" not in text.lower()


def test_differences_of_shares_are_percentage_points():
    assert n.difference(10.93, "percent", "%") == "10.9个百分点"
    assert n.change(2.0, "percent", "%") == "上升2.0个百分点"
    assert n.change(-0.354, "permille", "‰") == "下降0.4个千分点"
    assert n.change(0.01, "percent", "%") == "持平"
    assert n.difference(-2.6, "per_100k", "1/10万") == "-2.6/10万"


@pytest.mark.parametrize(
    ("p", "text"),
    [(7e-09, "<1%"), (0.0049, "<1%"), (0.37, "37%"), (0.996, ">99%"), (1.0, ">99%"), (0.5, "50%")],
)
def test_probabilities_are_bounded_and_rounded(p, text):
    assert n.probability(p) == text


def test_intervals_only_when_wider_than_the_rounding():
    assert n.interval(99.96, 100.04, "percent") == ""
    assert n.interval(96.04, 98.96, "percent") == "96.0～99.0"
    assert n.interval(None, 3, "percent") == ""


def test_changes_of_rates_are_points_as_nbs_writes_them():
    assert n.difference_words(2.6, "1/10万") == "2.6个十万分点"
    assert n.difference_words(0.4, "‰") == "0.4个千分点"
    assert n.difference_words(2.0, "%") == "2个百分点"
    assert n.difference_words(1.25, "小时/天", decimals=1) == "1.2小时/天"
