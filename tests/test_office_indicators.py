"""扩充调整指标 (issue 12 item 3): the plan office adds, edits and retires monitoring indicators
without a numeric target, at the page and the CLI alike; every change audited, bad input
refused in Chinese with nothing written, everyone else refused, a reload keeps them."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from planwatch.audit.models import AuditEntry, Channel
from planwatch.catalog import actions
from planwatch.catalog.loader import load_catalog
from planwatch.catalog.models import Area, Indicator, Origin

pytestmark = pytest.mark.django_db

BURNS = {
    "plan": "children",
    "area": "2",
    "name": "儿童烧烫伤住院率",
    "scale": "per_100k",
    "unit": "1/10万",
    "direction": "lower",
    "computation": "ratio",
    "numerator": "因烧烫伤住院的0-17岁儿童数",
    "denominator": "0-17岁儿童人口数",
    "factor": "100000",
    "disaggregations": ["sex"],
    "org_levels": ["district"],
    "lead": "health",
    "co": ["emergency"],
    "source": "区儿童伤害监测方案增设",
}


def _audit(action, code):
    return AuditEntry.objects.filter(action=action, object_type="indicator", object_key=code)


def test_add_edit_retire_each_audited(users):
    office = users["office"]
    ind = actions.add_indicator(BURNS, by=office)
    assert ind.code == "C2-X01" and ind.origin == Origin.SUPPLEMENTARY
    assert ind.targets.count() == 0 and ind.factor == 100000
    assert ind.department_codes() == ["health", "emergency"]
    entry = _audit("add_indicator", "C2-X01").get()
    assert entry.user == office and entry.new["name"] == "儿童烧烫伤住院率"
    assert actions.add_indicator({**BURNS, "name": "儿童跌落伤住院率"}, by=office).code == "C2-X02"

    actions.edit_indicator(ind, {"name": "儿童烧烫伤住院发生率", "lead": "emergency"}, by=office)
    ind.refresh_from_db()
    entry = _audit("edit_indicator", "C2-X01").get()
    assert entry.old["name"] == "儿童烧烫伤住院率" and entry.new["name"] == "儿童烧烫伤住院发生率"
    assert ind.lead_department.code == "emergency"
    # an edit that changes nothing writes no audit row
    actions.edit_indicator(ind, {"name": "儿童烧烫伤住院发生率"}, by=office)
    assert _audit("edit_indicator", "C2-X01").count() == 1

    actions.retire_indicator(ind, by=office, reason="并入伤害监测")
    ind.refresh_from_db()
    assert ind.retired and _audit("retire_indicator", "C2-X01").get().reason == "并入伤害监测"


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"name": ""}, "name", "不能为空"),
        ({"name": "儿童伤害死亡率"}, "name", "已有同名指标"),
        ({"scale": "per_cent"}, "scale", "计量方式无效"),
        ({"factor": "0"}, "factor", "乘数"),
        ({"lead": "nobody"}, "lead", "未知的部门代码"),
        ({"area": "9"}, "area", "领域编号无效"),
        ({"source": ""}, "source", "增设理由"),
        ({"org_levels": ["county"]}, "org_levels", "未知的层级"),
    ],
)
def test_bad_input_refused_in_chinese_and_nothing_written(users, change, field, words):
    before = Indicator.objects.count()
    with pytest.raises(actions.IndicatorRefused) as refused:
        actions.add_indicator({**BURNS, **change}, by=users["office"])
    assert words in refused.value.problems[field]
    assert Indicator.objects.count() == before
    assert not AuditEntry.objects.filter(action="add_indicator").exists()


def test_plan_and_national_indicators_are_the_files_not_the_office(users):
    for code in ("C2-01", "C2-02"):
        with pytest.raises(actions.IndicatorRefused) as refused:
            actions.edit_indicator(
                Indicator.objects.get(code=code), {"name": "x"}, by=users["office"]
            )
        assert "由数据文件维护" in refused.value.problems["code"]


def test_defining_fields_stay_once_values_were_collected(users, rounds):
    from planwatch.collection.models import DataValue
    from planwatch.org.models import OrgUnit

    ind = actions.add_indicator(BURNS, by=users["office"])
    DataValue.objects.create(
        indicator=ind, org_unit=OrgUnit.objects.home_district(), year=2023, value=12.0,
        numerator=8, denominator=66000, updated_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(actions.IndicatorRefused) as refused:
        actions.edit_indicator(ind, {"factor": "1000"}, by=users["office"])
    assert "已有采集数据" in refused.value.problems["factor"]


def test_a_reload_keeps_the_offices_indicators(users):
    ind = actions.add_indicator(BURNS, by=users["office"])
    reports = load_catalog()
    ind.refresh_from_db()
    assert not ind.retired and ind.origin == Origin.SUPPLEMENTARY
    assert not any("C2-X01" in line for r in reports.values() for line in r.removed)
    # the file's own indicators keep their origin
    assert Indicator.objects.get(code="C2-02").origin == Origin.NATIONAL
    assert Indicator.objects.get(code="C2-01").origin == Origin.PLAN


def test_the_page_adds_edits_and_retires(clients):
    office = clients["office"]
    area = Area.objects.get(plan__code="children", number=2)
    data = {k: v for k, v in BURNS.items() if k not in ("plan", "area")} | {"area_id": area.pk}
    answer = office.post(reverse("office_indicator_list"), data)
    assert answer.status_code == 302
    ind = Indicator.objects.get(code="C2-X01")
    assert _audit("add_indicator", ind.code).get().channel == Channel.WEB
    page = office.get(reverse("office_indicator_edit", args=[ind.code])).content.decode()
    assert "儿童烧烫伤住院率" in page and 'value="per_100k" selected' in page

    bad = office.post(reverse("office_indicator_edit", args=[ind.code]), {**data, "name": ""})
    assert bad.status_code == 400 and "指标名称：指标名称不能为空。" in bad.content.decode()
    ind.refresh_from_db()
    assert ind.name == "儿童烧烫伤住院率"

    office.post(reverse("office_indicator_edit", args=[ind.code]), {**data, "unit": "1/10万人"})
    ind.refresh_from_db()
    assert ind.unit == "1/10万人" and _audit("edit_indicator", ind.code).count() == 1

    no_reason = office.post(reverse("office_indicator_retire", args=[ind.code]), {"reason": ""})
    assert no_reason.status_code == 400 and "请说明停用理由" in no_reason.content.decode()
    office.post(reverse("office_indicator_retire", args=[ind.code]), {"reason": "不再监测"})
    ind.refresh_from_db()
    assert ind.retired


@pytest.mark.parametrize("role", ["stats", "health", "education", "yunshan", "leader", "norole"])
def test_everyone_but_the_office_is_refused(clients, role):
    client = clients[role]
    assert client.get(reverse("office_indicator_list")).status_code == 403
    area = Area.objects.get(plan__code="children", number=2)
    data = {k: v for k, v in BURNS.items() if k not in ("plan", "area")} | {"area_id": area.pk}
    assert client.post(reverse("office_indicator_list"), data).status_code == 403
    assert not Indicator.objects.filter(origin=Origin.SUPPLEMENTARY).exists()


def test_the_cli_is_the_same_action(users):
    call_command(
        "office_indicator", "add", "--user", "t_office", "--plan", "women", "--area", "3",
        "--name", "女性创业贷款发放率", "--scale", "percent", "--unit", "%",
        "--direction", "higher", "--computation", "ratio", "--factor", "100",
        "--lead", "hrss", "--source", "区就业工作方案",
    )  # fmt: skip
    ind = Indicator.objects.get(code="W3-X01")
    assert _audit("add_indicator", ind.code).get().channel == Channel.CLI
    with pytest.raises(CommandError, match="只有区妇儿工委办"):
        call_command("office_indicator", "retire", "W3-X01", "--user", "t_stats", "--reason", "x")
    with pytest.raises(CommandError, match="计量方式：计量方式无效"):
        call_command("office_indicator", "edit", "W3-X01", "--user", "t_office", "--scale", "bad")
    call_command("office_indicator", "retire", "W3-X01", "--user", "t_office", "--reason", "停")
    ind.refresh_from_db()
    assert ind.retired


def test_collection_forms_and_templates_carry_them(users):
    """The entry form and the Excel template read indicators generally: the 纲要 ones and the
    office's own are there for their lead department; a retired one is not."""
    import io

    from openpyxl import load_workbook

    from planwatch.catalog.models import Department
    from planwatch.collection.entry import entry_rows
    from planwatch.collection.xlsx_template import build_template

    ind = actions.add_indicator(BURNS, by=users["office"])
    health = Department.objects.get(code="health")
    codes = {row.indicator.code for row in entry_rows(2024, department=health)}
    assert {"W1-14", "W1-17", "C2-02", ind.code} <= codes
    book = load_workbook(io.BytesIO(build_template(2024, department=health)))
    cells = {c.value for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert {"W1-14", "C2-02", ind.code} <= cells
    actions.retire_indicator(ind, by=users["office"], reason="停")
    assert ind.code not in {row.indicator.code for row in entry_rows(2024, department=health)}
