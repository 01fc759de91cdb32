"""The demo looks like one real district: ~380,000 people, ~2,500 births a year (issue 12 item 6),
and its rare events are as rare as a district's (issue 10)."""

import itertools
from collections import defaultdict

import pytest

from planwatch.catalog.models import Computation, Indicator
from planwatch.collection.demo import load_demo
from planwatch.collection.models import DataValue

DISTRICT = "220112"


@pytest.fixture(scope="module")
def values(django_db_setup, django_db_blocker, reference_data):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            load_demo()
            rows = list(
                DataValue.objects.filter(sex="", age_group="", residence="").values_list(
                    "indicator__code", "org_unit__code", "org_unit__parent__code", "year",
                    "numerator", "denominator",
                )
            )  # fmt: skip
            direct = list(
                DataValue.objects.filter(
                    indicator__code="W1-14", org_unit__code=DISTRICT, sex="", age_group="",
                    residence="",
                ).values_list("year", "value")
            )  # fmt: skip
            shares = set(
                Indicator.objects.filter(computation=Computation.RATIO, is_share=True).values_list(
                    "code", flat=True
                )
            )
            transaction.set_rollback(True)
    by = {}
    for code, unit, parent, year, num, den in rows:
        by[(code, unit, year)] = (num, den, parent)
    out = Values((by, shares))
    out.life = dict(direct)  # 女性人均预期寿命, a direct value
    return out


class Values(tuple):
    """(values by key, share codes), with the direct values beside them."""


def district(values, code):
    by, _ = values
    return {y: (n, d) for (c, u, y), (n, d, _) in by.items() if c == code and u == DISTRICT}


def test_births_are_those_of_a_district_of_380000(values):
    births = district(values, "W1-01")
    assert set(births) == set(range(2020, 2026))
    for _year, (_deaths, live_births) in births.items():
        assert 2_000 <= live_births <= 3_000
        # a crude birth rate of 5–8 per 1,000, as in north-east China
        assert 5 <= live_births / 380_000 * 1000 <= 8


def test_every_numerator_within_its_denominator(values):
    by, shares = values
    for (code, unit, year), (num, den, _) in by.items():
        if num is None:
            continue
        assert num >= 0 and den > 0, (code, unit, year)
        if code in shares:
            assert num <= den, (code, unit, year, num, den)


def test_tested_pregnant_women_within_births_and_screened_within_eligible(values):
    births = district(values, "W1-01")
    for code in ("W1-05", "W1-06", "W1-07"):
        for year, (tested, mothers) in district(values, code).items():
            assert tested <= mothers <= births[year][1], (code, year)
    for code in ("W1-02", "W1-12", "W1-13"):
        for year, (screened, eligible) in district(values, code).items():
            assert screened <= eligible <= 380_000 / 2, (code, year)
    # a district sees a handful of HIV-infected mothers, not hundreds of infected infants
    for year, (infected, born) in district(values, "W1-04").items():
        assert infected <= born <= 10, year
    for year, (_treated, patients) in district(values, "W1-03").items():
        assert patients <= 200, year


def test_populations_fit_the_district(values):
    for code in ("C1-12", "C1-13", "C2-01", "W5-01", "W7-01"):
        for year, (_num, den) in district(values, code).items():
            assert den <= 400_000, (code, year)


def test_rare_events_are_rare(values):
    deaths = [n for n, _ in district(values, "W1-01").values()]
    assert all(0 <= d <= 2 for d in deaths)
    by, _ = values
    for (code, unit, year), (_num, den, parent) in by.items():
        if code == "W1-10" and parent == DISTRICT:
            # townships of a few hundred births
            assert 150 <= den <= 600, (unit, year, den)


def test_townships_add_up_to_the_district(values):
    by, _ = values
    sums = defaultdict(lambda: [0, 0, 0])
    for (code, _unit, year), (num, den, parent) in by.items():
        if parent == DISTRICT and num is not None:
            sums[(code, year)][0] += num
            sums[(code, year)][1] += den
            sums[(code, year)][2] += 1
    assert sums
    for (code, year), (num, den, reporting) in sums.items():
        total = by.get((code, DISTRICT, year))
        # a year in which a township did not report (the demo's gaps) cannot add up
        if total is None or reporting < 8:
            continue
        assert total[0] == num and total[1] == den, (code, year)


def test_national_monitoring_indicators_fit_the_district(values):
    """The 纲要监测指标 (no target) are in the demo for every year and within their bounds."""
    births = district(values, "W1-01")
    mothers = district(values, "W1-05")
    for code in ("W1-15", "W1-16", "W1-17", "W1-18", "C1-30", "C1-31", "C2-02", "C2-03", "C2-04"):
        assert set(district(values, code)) >= set(range(2020, 2025)), code
    # townships report them, so the district's births are their sum: within 2 % of the
    # district's own count (each township's figure wobbles a little, as real ones do)
    for year, (delivered, born) in district(values, "W1-17").items():
        assert abs(born - births[year][1]) <= 0.02 * births[year][1] and delivered <= born, year
    for code in ("W1-16", "W1-18"):
        for year, (seen, women) in district(values, code).items():
            assert abs(women - mothers[year][1]) <= 0.02 * mothers[year][1], (code, year)
            assert seen <= women <= births[year][1] * 1.02, (code, year)
    # premarital examinations among a district's ~1,700 marrying couples a year
    for year, (examined, registered) in district(values, "W1-15").items():
        assert examined <= registered <= 5_000, year
    # drowning and road deaths are a part of all injury deaths of the same 66,000 children
    injury = district(values, "C2-01")
    pooled = {"injury": 0, "parts": 0}
    for code in ("C2-02", "C2-03"):
        for year, (deaths, children) in district(values, code).items():
            assert children == injury[year][1] <= 100_000 and deaths <= 10, (code, year)
            pooled["parts"] += deaths
    pooled["injury"] = sum(n for n, _ in injury.values())
    assert pooled["parts"] <= pooled["injury"]
    for year, (passed, sampled) in district(values, "C2-04").items():
        assert passed <= sampled <= 200, year


def test_female_life_expectancy_is_a_district_value(values):
    life = values.life
    assert set(life) == set(range(2020, 2026))
    assert all(78 <= v <= 85 for v in life.values()), life
    # it moves slowly: never more than a year from one year to the next
    years = sorted(life)
    assert all(abs(life[b] - life[a]) < 1.0 for a, b in itertools.pairwise(years))
