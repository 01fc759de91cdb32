"""Synthetic demo data (示例数据): 2020–2025 for the district and its townships.

Values behave like real ones — trends toward or away from the targets, township differences,
noise, small counts where events are rare, a few gaps, one abnormal jump — and go in through
the real importer, so that they obey every rule real data does. 2020–2024 are approved; 2025
is open, with some departments still missing. Every page that shows them says 示例数据.
"""

import datetime
import zlib

import numpy as np
from django.db import transaction

from planwatch.audit.models import Channel, record
from planwatch.catalog.models import Computation, Indicator, Scale
from planwatch.collection.batches import import_file
from planwatch.collection.board import reporting_townships
from planwatch.collection.models import (
    DataValue,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from planwatch.collection.sources import typed_rows
from planwatch.org.models import Level, OrgUnit

YEARS = range(2020, 2026)
OPEN_YEAR = 2025
SEED = 20221108
# A few indicators tell a particular story in the demo; the rest follow their code's hash.
STORIES = {
    "W1-02": "off_track",  # cervical-cancer screening stalls
    "W1-10": "on_track",  # system management rate, with the abnormal 2023 jump below
    "C1-08": "regressing",  # primary-school myopia rises
    "C1-09": "needs_acceleration",
    "C2-01": "on_track",  # injury deaths fall
    "W3-02": "needs_acceleration",
    "C1-05": "attained",
}
SCENARIOS = [
    "on_track",
    "attained",
    "on_track",
    "needs_acceleration",
    "attained",
    "off_track",
    "on_track",
    "regressing",
]
# Share of the base-to-target gap closed by 2030 in each scenario.
CLOSED_BY_2030 = {
    "attained": None,
    "on_track": 1.25,
    "needs_acceleration": 0.7,
    "off_track": 0.25,
    "regressing": -0.4,
}
# Indicators monitored without a numeric target (纲要监测指标): the level of 2020 and 2025 the
# demo draws a straight line between, near the national values of the 纲要 monitoring reports.
MONITORED = {
    "W1-14": (80.6, 81.5),  # 女性人均预期寿命, 岁
    "W1-15": (68.0, 76.0),  # 婚前医学检查率
    "W1-16": (84.0, 92.0),  # 产前筛查率
    "W1-17": (99.6, 99.9),  # 住院分娩率
    "W1-18": (95.0, 97.0),  # 产后访视率
    "C1-30": (11.5, 12.5),  # 中小学生肥胖率 rises a little
    "C1-31": (1.4, 1.1),  # 5岁以下儿童低体重率
    "C2-02": (3.5, 2.5),  # 儿童溺水死亡率, 1/10万: one to three deaths a year
    "C2-03": (3.0, 2.2),  # 儿童道路交通伤害死亡率
    "C2-04": (99.0, 100.0),  # 婴幼儿配方乳粉抽检合格率
}
JUMP = ("W1-10", 2023, 0.78, "示例：2023年统计口径调整，系统管理率明显下降")
# Departments that have not yet reported for the open year.
LATE_DEPARTMENTS = {"education", "civil_affairs", "water"}
# National published values (国家统计局《中国统计年鉴》/ 卫生健康统计公报), as reference series.
NATIONAL = {
    "W1-01": {2020: 16.9, 2021: 16.1, 2022: 15.7, 2023: 15.1},
    "C1-02": {2020: 3.4, 2021: 3.1, 2022: 3.1, 2023: 2.8},
    "C1-03": {2020: 5.4, 2021: 5.0, 2022: 4.9, 2023: 4.5},
    "C1-04": {2020: 7.5, 2021: 7.1, 2022: 6.8, 2023: 6.2},
}
# A district of about 380,000 people and 2,500 live births a year (双阳区 is of that size).
# Births fall a little every year, as they do across China; every birth-based denominator
# (deaths, system management, newborn visits) shares these, and 产妇数 are 99 % of them (twins).
POPULATION = 380_000
BIRTHS = {2020: 2680, 2021: 2610, 2022: 2540, 2023: 2470, 2024: 2430, 2025: 2390}
BIRTH_BASED = {"W1-01", "W1-10", "W1-17", "C1-02", "C1-03", "C1-04", "C1-18"}
MOTHER_BASED = {"W1-05", "W1-06", "W1-07", "W1-16", "W1-18"}
# The district's yearly denominator of every other ratio indicator: the people, cases or
# places it counts in a district of this size (townships share it by their population).
DISTRICT_DENOMINATOR = {
    "W1-02": 92_000,  # women aged 35–64
    "W1-03": 60,  # cervical cancers and precancers found by screening
    "W1-04": 3,  # children born to HIV-infected mothers
    "W1-08": 3,  # HIV-infected pregnant women
    "W1-09": 12,  # syphilis-infected pregnant women
    "W1-11": 800,  # women surveyed
    "W1-12": 52_000,  # rural women aged 35–64
    "W1-13": 52_000,
    "W1-15": 3_400,  # people registering a marriage (1,700 couples)
    "W2-01": 3_200,  # the cohort that entered grade 1
    "W2-02": 10_500,  # population aged 15–17
    "W3-01": 120,
    "W3-02": 46_000,  # urban unit employees
    "W3-03": 3_100,
    "W4-01": 32,  # leadership teams of the district's departments
    "W4-02": 1_100,  # village committee members
    "W4-03": 200,  # communities and villages
    "W5-01": 180_000,  # women to be insured
    "W5-02": 150_000,
    "W6-01": 135_000,  # households
    "W6-02": 40,  # urban communities
    "W7-01": 210_000,  # rural population
    "W7-02": 40,  # km² of urban built-up area
    "C1-01": 1_200,  # children surveyed
    "C1-05": 2_600,  # children due for vaccination
    "C1-06": 9_000,  # children under 5 tested
    "C1-07": 9_000,
    "C1-08": 18_000,  # primary-school pupils screened
    "C1-09": 9_500,
    "C1-10": 8_000,
    "C1-11": 17_000,  # children aged 0–6
    "C1-12": POPULATION,
    "C1-13": 52_000,  # children aged 0–14
    "C1-14": 52_000,
    "C1-15": 35_000,
    "C1-19": 7_500,  # children under 3
    "C1-20": 17_500,  # children under 7
    "C1-21": 300,  # infants under 6 months surveyed
    "C1-23": 8,  # townships
    "C2-01": 66_000,  # children aged 0–17
    "C2-02": 66_000,
    "C2-03": 66_000,
    "C2-04": 60,  # batches of infant formula sampled
    "C1-30": 35_000,  # students in the physical-health monitoring
    "C1-31": 9_000,  # children under 5 weighed and measured
    "C3-01": 8_200,  # population aged 3–5
    "C3-02": 3_200,
    "C3-03": 60,  # compulsory-education schools
    "C3-04": 150,  # disabled children of school age
    "C5-01": 40,
    "C5-02": 160,
    "C6-01": 210_000,
    "C6-02": 200,
}
# Where the table has no entry: a plausible size by scale.
DENOMINATOR = {
    Scale.PER_100K: 2_500,
    Scale.PERMILLE: 2_500,
    Scale.PERCENT: 5_000,
    Scale.PER_1000_POPULATION: POPULATION,
    Scale.PER_1000_CHILDREN: 52_000,
}
FEMALE_SHARE, URBAN_SHARE = 0.48, 0.45


def _stable(code: str) -> int:
    return zlib.crc32(code.encode("utf-8"))


def _scenario(code: str) -> str:
    return STORIES.get(code) or SCENARIOS[_stable(code) % len(SCENARIOS)]


def _threshold_and_start(indicator: Indicator, scenario: str) -> tuple[float, float]:
    target = indicator.targets.order_by("sort").first()
    higher = indicator.direction == "higher"
    sign = 1 if higher else -1
    if target.comparator == "reduce_by_pct":
        start = 15.0 if indicator.scale == Scale.PER_100K else 10.0
        threshold = start * (1 - target.value / 100)
    else:
        threshold = target.value
        if indicator.scale == Scale.PERCENT:
            gap = min(0.18 * threshold, 25.0) if higher else 0.3 * threshold
        else:
            gap = 0.25 * threshold
        if scenario == "attained":
            start = threshold + sign * gap * 0.3
        else:
            start = threshold - sign * gap
    if indicator.is_share:
        start = min(start, 99.5)
    return threshold, max(start, 0.01)


def _trajectory(indicator: Indicator) -> dict[int, float]:
    if indicator.code in MONITORED:
        first, last = MONITORED[indicator.code]
        return {y: first + (last - first) * (y - 2020) / 5 for y in YEARS}
    scenario = _scenario(indicator.code)
    threshold, start = _threshold_and_start(indicator, scenario)
    closed = CLOSED_BY_2030[scenario]
    path = {}
    for year in YEARS:
        if closed is None:
            path[year] = start
        else:
            path[year] = start + (threshold - start) * closed * (year - 2020) / 10
    if indicator.is_share:
        path = {y: min(v, 99.8) for y, v in path.items()}
    return {y: max(v, 0.0) for y, v in path.items()}


def _split(rng, total_num, total_den, share, rate_shift, factor, cap):
    """Split counts into two parts whose sums are exactly the totals."""
    den_a = round(total_den * share)
    den_b = total_den - den_a
    rate = total_num / total_den if total_den else 0
    num_a = round(den_a * rate * (1 + rate_shift))
    num_a = max(0, min(num_a, total_num, den_a if cap else total_num))
    num_b = total_num - num_a
    if cap and num_b > den_b:
        num_a, num_b = total_num - den_b, den_b
    return (num_a, den_a), (num_b, den_b)


def _weights(units) -> dict:
    """Each township's share of the district's people: fixed per township, a few times
    larger for the subdistricts than for the smallest township."""
    raw = {u.code: 0.6 + (_stable(u.code) % 100) / 100 for u in units}
    total = sum(raw.values())
    return {code: w / total for code, w in raw.items()}


def _district_denominator(indicator, year: int) -> float:
    if indicator.code in BIRTH_BASED:
        return BIRTHS[year]
    if indicator.code in MOTHER_BASED:
        return BIRTHS[year] * 0.99
    return DISTRICT_DENOMINATOR.get(indicator.code, DENOMINATOR.get(indicator.scale, 5_000))


def _unit_denominators(indicator, year: int, units, district) -> list[tuple]:
    """(unit, denominator) per township, or the district alone; totals add up exactly."""
    total = _district_denominator(indicator, year)
    if not units:
        return [(district, max(round(total), 1))]
    weights = _weights(units)
    out = []
    for unit in units:
        # a stable draw per unit and year, so that indicators sharing a denominator agree
        wobble = 1 + ((_stable(f"{unit.code}/{year}") % 200) - 100) / 2000
        out.append((unit, max(round(total * weights[unit.code] * wobble), 1)))
    return out


def _numerator(indicator, rng, level: float, den: int, factor: float) -> int:
    expected = max(level, 0.0) * den / factor
    if indicator.scale in (Scale.PER_100K, Scale.PERMILLE):
        return int(rng.poisson(expected))  # rare events: real small-number noise
    if indicator.is_share:
        return int(rng.binomial(den, min(expected / den, 1.0)))
    return round(expected)


def _rows_for(indicator, rng, district, townships):
    path = _trajectory(indicator)
    factor = float(indicator.factor or 1)
    units = townships if "township" in indicator.org_levels else []
    unit_bias = {u.code: rng.normal(0, 0.06) for u in units}
    rows = []
    for year in YEARS:
        level = path[year]
        if indicator.code == JUMP[0] and year == JUMP[1]:
            level *= JUMP[2]
        comment = JUMP[3] if indicator.code == JUMP[0] and year == JUMP[1] else ""
        if indicator.computation == Computation.RATIO:
            per_unit = []
            for unit, den in _unit_denominators(indicator, year, units, district):
                bias = unit_bias.get(unit.code, 0.0)
                unit_level = level * (1 + bias + rng.normal(0, 0.02))
                if indicator.is_share:
                    unit_level = min(unit_level, factor)
                per_unit.append((unit, _numerator(indicator, rng, unit_level, den, factor), den))
            if units:
                total = (district, sum(n for _, n, _ in per_unit), sum(d for _, _, d in per_unit))
                per_unit.append(total)
            for unit, num, den in per_unit:
                rows += _ratio_rows(indicator, rng, unit, year, num, den, factor, comment)
        else:
            for unit in [district, *units]:
                bias = unit_bias.get(unit.code, 0.0)
                noise = (
                    0.003 if indicator.scale == Scale.YEARS else 0.03
                )  # 人均预期寿命 moves slowly
                value = max(level * (1 + bias + rng.normal(0, noise)), 0)
                if indicator.scale == Scale.COUNT:
                    value = float(max(round(value + (1 if unit is not district else 0)), 0))
                    if unit is district:
                        value = float(max(round(level), 1) * max(len(units), 1))
                rows += _direct_rows(indicator, rng, unit, year, round(value, 2), comment)
    return rows


def _ratio_rows(indicator, rng, unit, year, num, den, factor, comment):
    cap = indicator.is_share
    out = [(indicator.code, unit.code, year, "", "", "", "", num, den, comment)]
    if "sex" in indicator.disaggregations:
        (fn, fd), (mn, md) = _split(rng, num, den, FEMALE_SHARE, rng.normal(0, 0.05), factor, cap)
        out += [
            (indicator.code, unit.code, year, "female", "", "", "", fn, fd, ""),
            (indicator.code, unit.code, year, "male", "", "", "", mn, md, ""),
        ]
    if "residence" in indicator.disaggregations:
        (un, ud), (rn, rd) = _split(
            rng, num, den, URBAN_SHARE, abs(rng.normal(0, 0.05)), factor, cap
        )
        out += [
            (indicator.code, unit.code, year, "", "", "urban", "", un, ud, ""),
            (indicator.code, unit.code, year, "", "", "rural", "", rn, rd, ""),
        ]
    for group in indicator.age_groups if "age_group" in indicator.disaggregations else []:
        share = 1 / len(indicator.age_groups)
        (an, ad), _ = _split(rng, num, den, share, rng.normal(0, 0.08), factor, cap)
        out.append((indicator.code, unit.code, year, "", group["code"], "", "", an, ad, ""))
    return [r for r in out if r[8]]  # a zero denominator is no observation


def _direct_rows(indicator, rng, unit, year, value, comment):
    out = [(indicator.code, unit.code, year, "", "", "", value, "", "", comment)]
    variants = []
    if "sex" in indicator.disaggregations and indicator.scale != Scale.COUNT:
        variants += [("female", "", ""), ("male", "", "")]
    if "residence" in indicator.disaggregations and indicator.scale != Scale.COUNT:
        variants += [("", "", "urban"), ("", "", "rural")]
    if "age_group" in indicator.disaggregations:
        variants += [("", g["code"], "") for g in indicator.age_groups]
    for sex, age, residence in variants:
        varied = round(max(value * (1 + rng.normal(0, 0.04)), 0), 2)
        out.append((indicator.code, unit.code, year, sex, age, residence, varied, "", "", ""))
    return out


def build_rows() -> list[tuple]:
    rng = np.random.default_rng(SEED)
    district = OrgUnit.objects.home_district()
    townships = list(OrgUnit.objects.home_townships())
    rows = []
    indicators = Indicator.objects.filter(retired=False).prefetch_related("targets")
    for indicator in indicators.order_by("code"):
        monitored = indicator.targets.exists() or indicator.code in MONITORED
        if not monitored or indicator.lead_department_id is None:
            continue
        # Their own stream, so that adding one leaves every other indicator's draws as they were.
        own = np.random.default_rng([SEED, _stable(indicator.code)])
        rows += _rows_for(
            indicator, own if indicator.code in MONITORED else rng, district, townships
        )
    # A few gaps: townships that did not report a year.
    keep = []
    for row in rows:
        code, unit, year = row[0], row[1], row[2]
        gap = _stable(f"{code}/{unit}/{year}") % 97 == 0 and unit != district.code
        if not gap:
            keep.append(row)
    nation = OrgUnit.objects.filter(level=Level.NATION).first()
    if nation is not None:
        for code, series in NATIONAL.items():
            for year, value in series.items():
                keep.append((code, nation.code, year, "", "", "", value, "", "", "国家统计数据"))
    return keep


def demo_loaded() -> bool:
    return DataValue.objects.filter(source=Channel.DEMO).exists()


def _townships_report_for_themselves() -> None:
    """A township with a reporter account (云山街道 in the demo) entered its own figures: they
    are its own submission, closed in the past years and a draft in the open one."""
    for town in reporting_townships():
        for round_ in ReportingRound.objects.all():
            values = DataValue.objects.filter(year=round_.year, org_unit=town)
            if not values.exists():
                continue
            past = round_.year < OPEN_YEAR
            own = Submission.objects.create(
                round=round_,
                township=town,
                status=SubmissionStatus.LOCKED if past else SubmissionStatus.DRAFT,
                review_comment="示例数据" if past else "",
            )
            values.update(submission=own)


@transaction.atomic
def load_demo() -> dict:
    """Load the demo data once; a second call changes nothing and says so."""
    if demo_loaded():
        return {"loaded": False, "values": DataValue.objects.filter(source=Channel.DEMO).count()}
    for year in YEARS:
        ReportingRound.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": datetime.date(year + 1, 1, 1),
                "due_on": datetime.date(year + 1, 3, 31),
            },
        )
    rows = build_rows()
    late = set(
        Indicator.objects.filter(lead_department__code__in=LATE_DEPARTMENTS).values_list(
            "code", flat=True
        )
    )
    rows = [r for r in rows if not (r[2] == OPEN_YEAR and r[0] in late)]
    source = typed_rows(enumerate(rows, start=2))
    result, _batch = import_file(source, name="demo", channel=Channel.DEMO, reason="示例数据")
    if not result.stored:
        raise RuntimeError("示例数据未能导入：\n" + "\n".join(str(p) for p in result.problems[:20]))
    # Past years are closed, as a real office would have closed them.
    Submission.objects.filter(round__year__lt=OPEN_YEAR).update(
        status=SubmissionStatus.LOCKED, review_comment="示例数据"
    )
    # In the open year a few departments have already sent their figures.
    submitted = Submission.objects.filter(round__year=OPEN_YEAR).order_by("department__sort")[::3]
    Submission.objects.filter(pk__in=[s.pk for s in submitted]).update(
        status=SubmissionStatus.SUBMITTED
    )
    _townships_report_for_themselves()
    ReportingRound.objects.filter(year__lt=OPEN_YEAR).update(status=RoundStatus.LOCKED)
    record(
        user=None,
        action="load_demo",
        obj_type="demo",
        key="demo",
        new={"values": result.n_new},
        channel=Channel.DEMO,
        reason="示例数据（合成）",
    )
    return {"loaded": True, "values": result.n_new}
