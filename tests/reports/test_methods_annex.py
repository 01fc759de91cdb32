"""The methods annex of the evaluation reports: the test statistics are there, and nowhere in
the body before it; each warning's exact test and interval checked against scipy on the
approved counts."""

import pytest
from django.db.models import Q
from scipy import stats

from planwatch.catalog.numbers import decimals_for
from planwatch.collection.models import APPROVED_STATES, DataValue
from planwatch.monitoring.models import SeriesResult, Warning

from .building import render_docx
from .reading import blocks, table_after

pytestmark = pytest.mark.usefixtures("demo_results")

ANNEX = "附录\u3000方法说明"
STATISTICS = ("P=", "P<", "Fisher", "Z分数", "精确检验", "Poisson检验")
FACTORS = {"percent": 100, "permille": 1000, "per_100k": 100000}


def text_of(block):
    return block[2] if block[0] == "p" else " | ".join(map(" | ".join, block[1]))


@pytest.fixture(scope="module")
def midterm(demo_results, module_db):
    return render_docx("midterm", "women", 2024)[1]


def district_warnings(**filters):
    results = SeriesResult.objects.filter(
        as_of_year=2024,
        preview=False,
        org_unit__code="220112",
        sex="",
        age_group="",
        residence="",
        target__area__plan__code="women",
    )
    return Warning.objects.filter(result__in=results, **filters).select_related(
        "result__target__indicator"
    )


def counts(indicator, year):
    v = (
        DataValue.objects.filter(
            indicator=indicator,
            org_unit__code="220112",
            year=year,
            sex="",
            age_group="",
            residence="",
        )
        .filter(Q(submission__status__in=APPROVED_STATES) | Q(submission__isnull=True))
        .get()
    )
    return v.numerator, v.denominator


def p_text(p):
    return "P<0.001" if p < 0.0005 else f"P={p:.3f}"


def test_the_body_carries_no_test_statistics_and_the_annex_has_them(midterm):
    texts = [(b[1] if b[0] == "p" else "", text_of(b)) for b in blocks(midterm)]
    start = next(i for i, (style, t) in enumerate(texts) if style == "Heading 1" and t == ANNEX)
    body = "\n".join(t for _s, t in texts[:start])
    annex = "\n".join(t for _s, t in texts[start:])
    for statistic in STATISTICS:
        assert statistic not in body, statistic
    assert "Fisher精确检验" in annex and "修正Z分数" in annex and "P<0.001" in annex
    # the annex is the last heading: nothing of the body follows it
    assert [t for s, t in texts if s == "Heading 1"][-1] == ANNEX


def test_each_tested_warning_has_its_exact_p_value_from_the_counts(midterm, db):
    rows = table_after(midterm, "预警指标的统计检验与精确区间")[1:]
    tested = [w for w in district_warnings() if w.statistics and "p" in w.statistics]
    assert tested, "the demo has a tested warning"
    for w in tested:
        target = w.result.target
        indicator = target.indicator
        if target.directional:
            # a directional target's reverse change: the base year against the compared years
            k1, n1 = counts(indicator, target.base_year)
            first, last = w.statistics["compared"][:2]
            pairs = [counts(indicator, y) for y in range(first, last + 1)]
            k2, n2 = sum(k for k, _n in pairs), sum(n for _k, n in pairs)
        else:
            k1, n1 = counts(indicator, w.year - 1)
            k2, n2 = counts(indicator, w.year)
        if indicator.unit == "%":
            p = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
            method = "Fisher精确检验"
        else:
            p = stats.binomtest(round(k2), round(k1 + k2), n2 / (n1 + n2)).pvalue
            method = "精确Poisson条件检验"
        row = next(r for r in rows if r[1] == indicator.name and r[3] == str(w.year))
        assert row[4] == method
        assert row[5] == f"{k1:,.0f}/{n1:,.0f}→{k2:,.0f}/{n2:,.0f}"
        assert p_text(p) in row[6]


def test_each_small_sample_warning_has_its_pooled_exact_interval(midterm, db):
    rows = table_after(midterm, "预警指标的统计检验与精确区间")[1:]
    small = list(district_warnings(level="small_sample"))
    assert small, "the demo has a small-sample warning"
    for w in small:
        indicator = w.result.target.indicator
        pairs = [counts(indicator, y) for y in (2022, 2023, 2024)]
        events, exposure = sum(k for k, _n in pairs), sum(n for _k, n in pairs)
        factor = FACTORS[indicator.scale]
        if indicator.unit == "%":
            lo = stats.beta.ppf(0.025, events, exposure - events + 1) if events else 0.0
            hi = stats.beta.ppf(0.975, events + 1, exposure - events)
        else:
            lo = stats.chi2.ppf(0.025, 2 * events) / 2 / exposure if events else 0.0
            hi = stats.chi2.ppf(0.975, 2 * events + 2) / 2 / exposure
        d = decimals_for(indicator.scale)
        row = next(r for r in rows if r[1] == indicator.name and r[2] == "小样本，需持续观察")
        assert f"合计{events / exposure * factor:.{d}f}" in row[7]
        assert f"（{lo * factor:.{d}f}～{hi * factor:.{d}f}）" in row[7]
