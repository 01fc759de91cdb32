"""Pooled figures, evidence and funnel plots are computed once at recompute, stored, and read
unchanged by the API and the exports. Expected values are computed here with scipy."""

import csv
import datetime
import io

import pytest
from scipy import stats

from planwatch.collection.batches import import_file
from planwatch.collection.models import ReportingRound, Submission, SubmissionStatus
from planwatch.monitoring.compute import recompute
from planwatch.monitoring.models import SeriesResult, Warning

TOWNSHIPS = [
    "220112001",
    "220112002",
    "220112003",
    "220112004",
    "220112102",
    "220112104",
    "220112105",
    "220112203",
]


@pytest.fixture
def stored(db, tmp_path):
    for year in range(2020, 2025):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )
    lines = []
    # maternal deaths: 1, 0, 2, 1, 3 over ~2,500 births (numerator/denominator; the value follows)
    for year, k, n in [(2020, 1, 2600), (2021, 0, 2550), (2022, 2, 2500), (2023, 1, 2450),
                       (2024, 3, 2400)]:  # fmt: skip
        lines.append(f"W1-01,220112,{year},,{k},{n}")
    # system management rate per township, 2022–2024: one township far above the others
    for year in (2022, 2023, 2024):
        ks = [297 if i == 3 else 240 + (i % 3) * 5 for i in range(len(TOWNSHIPS))]
        for code, k in zip(TOWNSHIPS, ks, strict=True):
            lines.append(f"W1-10,{code},{year},,{k},300")
        lines.append(f"W1-10,220112,{year},,{sum(ks)},{300 * len(TOWNSHIPS)}")
    path = tmp_path / "v.csv"
    path.write_text("indicator,org_unit,year,value,numerator,denominator\n" + "\n".join(lines))
    result, _ = import_file(path)
    assert result.stored, [str(p) for p in result.problems]
    Submission.objects.update(status=SubmissionStatus.APPROVED)
    recompute(2024)


def total(code, unit="220112"):
    return SeriesResult.objects.get(
        target__code=code, org_unit__code=unit, as_of_year=2024, sex="", age_group="", residence=""
    )


def test_pooled_figure_is_stored_with_its_exact_interval(stored):
    r = total("W1-O2-1")
    assert (r.pooled_first_year, r.pooled_last_year) == (2022, 2024)
    assert r.pooled_events == 6 and r.pooled_exposure == 2500 + 2450 + 2400
    lo = stats.chi2.ppf(0.025, 12) / 2 / 7350 * 1e5
    hi = stats.chi2.ppf(0.975, 14) / 2 / 7350 * 1e5
    assert r.pooled_rate == pytest.approx(6 / 7350 * 1e5, rel=1e-5)
    assert r.pooled_lo95 == pytest.approx(lo, rel=1e-4)
    assert r.pooled_hi95 == pytest.approx(hi, rel=1e-4)
    assert r.pooled_reliable is False and r.evidence == "weak"
    assert r.latest_figure["events"] == 3
    assert "例数过少" in r.explanation
    # red on so few deaths is 小样本，需持续观察, never a plain red
    levels = set(Warning.objects.filter(result=r).values_list("level", flat=True))
    assert "red" not in levels and "small_sample" in levels


def test_api_and_export_read_the_stored_figures(stored, clients):
    r = total("W1-O2-1")
    body = clients["office"].get("/api/results/?page_size=500").json()
    row = next(x for x in body["results"] if x["id"] == r.pk)
    for name in (
        "evidence",
        "pooled_events",
        "pooled_exposure",
        "pooled_rate",
        "pooled_lo95",
        "pooled_hi95",
        "pooled_reliable",
        "pooled_first_year",
        "pooled_last_year",
    ):
        assert row[name] == getattr(r, name), name  # fmt: skip
    export = clients["office"].get("/api/results/export/?format=csv")
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    mine = next(x for x in rows if x["target"] == "W1-O2-1" and x["org_unit"] == "220112"
                and not x["sex"] and not x["residence"])  # fmt: skip
    assert mine["evidence"] == "weak"
    assert float(mine["pooled_rate"]) == pytest.approx(r.pooled_rate, rel=1e-6)


def test_funnel_plot_is_stored_on_the_district_row(stored):
    r = total("W1-M4-1")
    plot = r.funnel
    assert plot is not None and len(plot["points"]) == 8
    k_all = sum(p["events"] for p in plot["points"])
    n_all = sum(p["exposure"] for p in plot["points"])
    theta = k_all / n_all
    assert plot["centre"] == pytest.approx(theta * 100, rel=1e-5)
    by_unit = {p["unit"]: p for p in plot["points"]}
    outlier = by_unit["山河街道"]
    assert outlier["events"] == 891 and outlier["exposure"] == 900
    # 891/900 is far beyond the binomial 99.9 % quantile of 900 trials at the district rate
    assert 891 > stats.binom.ppf(0.999, 900, theta)
    assert outlier["flag"] == "high" and plot["flagged"] == ["山河街道"]
    for point in plot["points"]:
        if point["unit"] != "山河街道":
            k, n = point["events"], point["exposure"]
            assert stats.binom.ppf(0.001, n, theta) - 1 <= k <= stats.binom.ppf(0.999, n, theta)
            assert point["flag"] in ("within", "near")
        ci = stats.binomtest(int(point["events"]), int(point["exposure"])).proportion_ci()
        assert point["ci95"][0] == pytest.approx(ci.low * 100, rel=1e-4)
        assert point["ci95"][1] == pytest.approx(ci.high * 100, rel=1e-4)
    # the limits at an exposure bracket the exact quantiles (Spiegelhalter's interpolation)
    for c in plot["curve"]:
        n = c["exposure"]
        if float(n).is_integer():
            assert stats.binom.ppf(0.001, n, theta) - 1 <= c["lo998"] / 100 * n
