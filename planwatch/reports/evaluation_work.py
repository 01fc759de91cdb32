"""评估工作开展情况: how the evaluation was organised — the reporting rounds of the years it
covers, who reported, what was approved and locked, and the departments' self-assessments.

`snapshot_part` counts the stored workflow objects once, when the snapshot is taken; `chapter`
writes from the snapshot alone."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from planwatch.audit.models import AuditEntry
from planwatch.catalog.models import Measure, Objective
from planwatch.collection.board import reporting_departments
from planwatch.collection.models import APPROVED_STATES, ReportingRound, RoundStatus
from planwatch.collection.models import SubmissionStatus as S
from planwatch.reports import labels
from planwatch.reports.models import SelfAssessment

# A submission that reached the reviewers at least once counts as reported.
REPORTED_STATES = {S.SUBMITTED, S.RETURNED, *APPROVED_STATES}
RATINGS = ("done", "in_progress", "not_started")


def snapshot_part(plan, year: int, indicators, values, district, townships) -> dict:
    """`values` is the snapshot's {indicator_id: {(unit, sex, age, res): {year: ...}}}."""
    first = plan.start_year
    return {
        "first_year": first,
        "rounds": _rounds(first, year, indicators, values, district, townships),
        "departments": _assessing_departments(plan, first, year),
    }


def _lock_dates(years) -> dict:
    """The day each year was last locked, from the audit record (a year unlocked and locked
    again counts from its last lock)."""
    out = {}
    entries = AuditEntry.objects.filter(
        action="round_lock", object_type="round", object_key__in=[str(y) for y in years]
    ).order_by("at", "pk")
    for entry in entries:
        out[int(entry.object_key)] = timezone.localdate(entry.at).isoformat()
    return out


def _rounds(first, year, indicators, values, district, townships) -> list[dict]:
    rounds = list(
        ReportingRound.objects.filter(year__gte=first, year__lte=year)
        .prefetch_related("submissions")
        .order_by("year")
    )
    expected = reporting_departments().count()
    locked_on = _lock_dates([r.year for r in rounds])
    town_codes = {u.code for u in townships}
    out = []
    for r in rounds:
        statuses = [s.status for s in r.submissions.all()]
        with_data = 0
        towns = set()
        for ind in indicators:
            cells = values.get(ind.pk, {})
            if r.year in cells.get((district.code, "", "", ""), {}):
                with_data += 1
            towns |= {
                unit
                for (unit, sex, age, res), years in cells.items()
                if unit in town_codes and not (sex or age or res) and r.year in years
            }
        out.append(
            {
                "year": r.year,
                "opens_on": r.opens_on.isoformat(),
                "due_on": r.due_on.isoformat(),
                "expected": max(expected, len(statuses)),
                "reported": sum(1 for s in statuses if s in REPORTED_STATES),
                "approved": sum(1 for s in statuses if s in APPROVED_STATES),
                "locked": r.status == RoundStatus.LOCKED,
                "locked_on": locked_on.get(r.year) if r.status == RoundStatus.LOCKED else None,
                "townships": len(towns),
                "indicators": len(indicators),
                "indicators_with_data": with_data,
            }
        )
    return out


def _assessing_departments(plan, first, year) -> list[dict]:
    """Per department answering for a measure or qualitative objective of the plan: how many
    items, how many it assessed (its latest account of each up to `year`) and its ratings."""
    responsible = defaultdict(set)
    names = {}
    items = [
        *(
            ("o", o)
            for o in Objective.objects.filter(area__plan=plan, targets__isnull=True)
            .distinct()
            .select_related("lead_department")
            .prefetch_related("co_departments")
        ),
        *(
            ("m", m)
            for m in Measure.objects.filter(area__plan=plan)
            .select_related("lead_department")
            .prefetch_related("co_departments")
        ),
    ]
    for kind, item in items:
        for d in item.all_departments():
            responsible[d.pk].add((kind, item.pk))
            names[d.pk] = d
    latest = {}
    received = defaultdict(int)
    qs = (
        SelfAssessment.objects.filter(year__gte=first, year__lte=year)
        .filter(Q(measure__area__plan=plan) | Q(objective__area__plan=plan))
        .select_related("department")
        .order_by("year", "pk")
    )
    for a in qs:
        key = ("m", a.measure_id) if a.measure_id else ("o", a.objective_id)
        latest[(a.department_id, key)] = a.rating  # later years overwrite earlier ones
        received[a.department_id] += 1
        names.setdefault(a.department_id, a.department)
    out = []
    for pk, department in sorted(names.items(), key=lambda x: (x[1].sort, x[1].code)):
        ratings = [r for (d, _key), r in latest.items() if d == pk]
        out.append(
            {
                "code": department.code,
                "name": str(department),
                "items": len(responsible.get(pk, ())),
                "assessed": len(ratings),
                "received": received.get(pk, 0),
                **{rating: ratings.count(rating) for rating in RATINGS},
            }
        )
    return out


def _date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _years(first: int, last: int) -> str:
    return f"{first}年" if first == last else f"{first}—{last}年"


def chapter(doc, snapshot) -> None:
    work = snapshot.get("work")
    if not work:
        return
    year = snapshot["year"]
    rounds = work["rounds"]
    kind = "中期" if snapshot["kind"] == "midterm" else "终期"
    doc.heading1("评估工作开展情况")
    doc.paragraph(
        f"按照{_plan_ref(snapshot)}关于监测评估的要求，区妇儿工委办组织开展规划实施{kind}评估。"
        f"评估以{_years(work['first_year'], year)}各年度统计监测数据为基础，由各成员单位通过"
        "规划监测平台逐年填报，经审核通过并锁定后作为评价依据；各责任单位同时对所负责的策略措施"
        "和定性目标开展自评。"
    )
    doc.heading2("数据填报与审核")
    if not rounds:
        doc.paragraph(f"{_years(work['first_year'], year)}尚未组织年度填报。")
    for r in rounds:
        doc.paragraph(_round_sentence(r, len(snapshot["townships"])))
    if rounds:
        doc.caption(f"{_years(work['first_year'], year)[:-1]}年度数据填报情况", table=True)
        doc.table(
            [
                "年度",
                "填报期限",
                "应报单位",
                "已报送",
                "审核通过",
                "报送乡镇（街道）",
                "有数据指标",
                "锁定情况",
            ],
            [
                [
                    r["year"],
                    f"{_date(r['opens_on'])}—{_date(r['due_on'])}",
                    r["expected"],
                    r["reported"],
                    r["approved"],
                    r["townships"],
                    f"{r['indicators_with_data']}/{r['indicators']}",
                    _lock_words(r),
                ]
                for r in rounds
            ],
            [13, 42, 16, 16, 16, 20, 18, 27],
            numeric=(0, 2, 3, 4, 5, 6),
            unit="个，项",
        )
        doc.note("注：有数据指标为有审核通过的全区数据的监测指标数/本规划监测指标数。")
    self_assessment_section(doc, snapshot)


def _lock_words(r) -> str:
    if not r["locked"]:
        return "尚未锁定"
    return f"{_date(r['locked_on'])}锁定" if r["locked_on"] else "已锁定"


def _round_sentence(r, n_townships: int) -> str:
    lock = (
        f"该年度数据已于{_date(r['locked_on'])}锁定"
        if r["locked"] and r["locked_on"]
        else "该年度数据已锁定"
        if r["locked"]
        else "该年度数据尚未锁定，数值仍可能修改"
    )
    n, have = r["indicators"], r["indicators_with_data"]
    data = (
        f"本规划{n}项监测指标均有审核通过的全区数据"
        if have == n
        else f"本规划{n}项监测指标中{have}项有审核通过的全区数据，{n - have}项暂无"
    )
    towns = (
        f"{n_townships}个乡镇（街道）均有审核通过的数据"
        if r["townships"] == n_townships
        else f"{n_townships}个乡镇（街道）中{r['townships']}个有审核通过的数据"
    )
    return (
        f"{r['year']}年度填报于{_date(r['opens_on'])}开始、{_date(r['due_on'])}截止。"
        f"应报的{r['expected']}个成员单位中，{r['reported']}个已报送，{r['approved']}个审核通过；"
        f"{towns}；{data}；{lock}。"
    )


def self_assessment_section(doc, snapshot) -> None:
    work = snapshot["work"]
    year = snapshot["year"]
    departments = work["departments"]
    doc.heading2("部门自评情况")
    responsible = [d for d in departments if d["items"]]
    silent = [d for d in responsible if not d["received"]]
    senders = sum(1 for d in departments if d["received"])
    received = sum(d["received"] for d in departments)
    if not responsible:
        doc.paragraph("本规划未设置需责任单位自评的策略措施或定性目标。")
        return
    counts = {r: sum(d[r] for d in departments) for r in RATINGS}
    judged = "，".join(f"{labels.RATING_LABELS[r]}{counts[r]}项" for r in RATINGS if counts[r])
    doc.paragraph(
        f"{_years(work['first_year'], year)}，{len(responsible)}个责任单位负责本规划策略措施和"
        "定性目标的落实，"
        + (
            f"共收到部门自评{received}条，涉及{senders}个单位。"
            if received
            else "尚未收到部门自评。"
        )
        + (f"按各单位最近一次自评，{judged}。" if judged else "")
        + (
            f"{'、'.join(d['name'] for d in silent)}{len(silent)}个单位尚未提交自评，"
            "请在平台“部门自评”页面补充。"
            if silent
            else "各责任单位均已提交自评。"
        )
    )
    doc.caption(f"各责任单位自评情况（截至{year}年）", table=True)
    doc.table(
        ["序号", "责任单位", "负责事项", "已自评", "已完成", "推进中", "未启动"],
        [
            [
                i,
                d["name"],
                d["items"],
                d["assessed"],
                d["done"],
                d["in_progress"],
                d["not_started"],
            ]
            for i, d in enumerate(departments, start=1)
        ],
        [10, 46, 20, 20, 20, 20, 20],
        numeric=(0, 2, 3, 4, 5, 6),
        unit="项",
    )
    doc.note(
        "注：负责事项为单位牵头或配合的策略措施和定性目标；已完成、推进中、未启动为单位自己的判断，按其最近一次自评计。"
    )


def _plan_ref(snapshot) -> str:
    plan = snapshot["plan"]
    return f"《{plan['title']}》"
