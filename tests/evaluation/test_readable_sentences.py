"""Sentences a plan office can sign: points for changes of rates, bounded probabilities, and a
reason whenever 已实现 stands beside a low probability of staying attained."""

from .helpers import run


def test_attained_but_falling_says_why_the_probability_is_low():
    r = run(">=", 95, [(2020, 99.9), (2021, 99.0), (2022, 98.0), (2023, 97.2), (2024, 96.1)],
            valid_range=(0, 100), unit="%")  # fmt: skip
    assert r.status == "attained"
    assert r.attainment_probability is not None and r.attainment_probability < 0.5
    assert "需巩固成果" in r.explanation and "概率" in r.explanation
    # the fall since the base is printed in percentage points: 99.9 - 96.1 = 3.8
    assert "较基期下降3.8个百分点" in r.explanation


def test_a_vanishing_probability_is_printed_as_below_one_percent():
    r = run("<=", 12, [(2020, 30.0), (2021, 30.5), (2022, 31.0), (2023, 31.4), (2024, 32.0)],
            valid_range=(0, None), unit="1/10万")  # fmt: skip
    assert r.attainment_probability is not None and r.attainment_probability < 0.005
    assert "达标概率<1%" in r.explanation
    assert "e-" not in r.explanation
    assert "较基期上升2.0个十万分点" in r.explanation  # one decimal, as the page prints it
