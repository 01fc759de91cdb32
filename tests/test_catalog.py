"""The plan catalog: complete, verbatim, every numeric target structured and correct."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from planwatch.catalog.loader import DATA_DIR, load_catalog
from planwatch.catalog.models import Area, Department, Indicator, Measure, Objective, Target
from planwatch.sync import DataFileError

pytestmark = pytest.mark.django_db

# (objectives, measures) per area, counted in 长双府办发〔2022〕8号.
AREA_COUNTS = {
    "women": [(10, 12), (10, 13), (10, 13), (11, 11), (9, 11), (9, 11), (9, 11), (9, 12)],
    "children": [(13, 16), (10, 12), (9, 13), (11, 14), (8, 9), (9, 11), (10, 14)],
}
AREA_NAMES = {
    "women": [
        "妇女与健康",
        "妇女与教育",
        "妇女与经济",
        "妇女参与决策和管理",
        "妇女与社会保障",
        "妇女与家庭建设",
        "妇女与环境",
        "妇女与法律",
    ],
    "children": [
        "儿童与健康",
        "儿童与安全",
        "儿童与教育",
        "儿童与福利",
        "儿童与家庭",
        "儿童与环境",
        "儿童与法律保护",
    ],
}


@pytest.mark.parametrize("plan", ["women", "children"])
def test_areas_objectives_and_measures_per_area(plan):
    areas = Area.objects.filter(plan__code=plan).order_by("number")
    assert [a.name for a in areas] == AREA_NAMES[plan]
    counts = [(a.objectives.count(), a.measures.count()) for a in areas]
    assert counts == AREA_COUNTS[plan]


def test_totals():
    assert Objective.objects.filter(area__plan__code="women").count() == 77
    assert Objective.objects.filter(area__plan__code="children").count() == 70
    assert Measure.objects.filter(area__plan__code="women").count() == 94
    assert Measure.objects.filter(area__plan__code="children").count() == 89


@pytest.mark.parametrize(
    "plan,area,number,text",
    [
        ("women", 1, 2, "保障孕产妇安全分娩。孕产妇死亡率控制在 12/10 万以下。"),
        # Split by a page break in the source: joined with nothing lost or added.
        (
            "women",
            1,
            5,
            "减少艾滋病、梅毒和乙肝母婴传播，艾滋病母婴传播率下降到 2%以下，孕产妇艾滋病、"
            "梅毒和乙肝检测率达到 98%以上，艾滋病、梅毒孕产妇感染者治疗率达到 95%以上。",
        ),
        ("women", 2, 3, "女童平等接受义务教育，义务教育巩固率提高到99%以上。"),
        ("women", 5, 2, "完善生育保障制度。提高生育保险参保率。"),
        ("children", 1, 2, "普及儿童健康生活方式，儿童健康素养水平不低于 30%。"),
        (
            "children",
            1,
            6,
            "适龄儿童免疫规划疫苗接种率以乡（镇）街道为单位保持在95%以上。",
        ),
        ("children", 2, 1, None),
    ],
)
def test_objective_texts_are_verbatim(plan, area, number, text):
    objective = Objective.objects.get(area__plan__code=plan, area__number=area, number=number)
    if text is None:
        assert "儿童伤害死亡率以2020年数据为基数下降20%" in objective.text
    else:
        assert objective.text == text
    assert not objective.text.startswith(("-", str(number)))


# At least twenty targets, value by value, as read from the document.
EXPECTED_TARGETS = [
    # plan, area, source_number, indicator name, comparator, value, unit, base, target year, scope
    ("women", 1, "2", "孕产妇死亡率", "<=", 12, "1/10万", 2020, 2030, "district"),
    ("women", 1, "3", "适龄妇女宫颈癌人群筛查率", ">=", 70, "%", 2020, 2030, "district"),
    ("women", 1, "3", "宫颈癌患者治疗率", ">=", 90, "%", 2020, 2030, "district"),
    ("women", 1, "5", "艾滋病母婴传播率", "<=", 2, "%", 2020, 2030, "district"),
    ("women", 1, "5", "孕产妇梅毒检测率", ">=", 98, "%", 2020, 2030, "district"),
    ("women", 1, "M4", "孕产妇系统管理率", ">=", 90, "%", 2020, 2030, "district"),
    ("women", 1, "M5", "农村适龄妇女乳腺癌筛查覆盖率", ">=", 70, "%", 2020, 2030, "district"),
    ("women", 2, "3", "九年义务教育巩固率", ">=", 99, "%", 2020, 2030, "district"),
    ("women", 2, "4", "高中阶段教育毛入学率", ">=", 100, "%", 2020, 2030, "district"),
    ("women", 3, "4", "城镇单位就业人员中的女性比例", ">=", 40, "%", 2020, 2030, "district"),
    ("women", 4, "8", "村委会成员中女性比例", ">=", 30, "%", 2020, 2030, "district"),
    ("women", 5, "3", "妇女基本医疗保险参保率", "maintain>=", 95, "%", 2020, 2030, "district"),
    ("women", 5, "4", "妇女基本养老保险参保率", ">=", 95, "%", 2020, 2030, "district"),
    ("women", 7, "7", "农村自来水普及率", ">=", 95, "%", 2020, 2030, "district"),
    ("children", 1, "2", "儿童健康素养水平", ">=", 30, "%", 2020, 2030, "district"),
    ("children", 1, "3", "新生儿死亡率", "<=", 3.0, "‰", 2020, 2030, "district"),
    ("children", 1, "3", "婴儿死亡率", "<=", 4.0, "‰", 2020, 2030, "district"),
    ("children", 1, "3", "5岁以下儿童死亡率", "<=", 5.0, "‰", 2020, 2030, "district"),
    (
        "children",
        1,
        "6",
        "适龄儿童免疫规划疫苗接种率",
        "maintain>=",
        95,
        "%",
        2020,
        2030,
        "each_township",
    ),
    ("children", 1, "8", "5岁以下儿童贫血率", "<=", 10, "%", 2020, 2030, "district"),
    ("children", 1, "8", "5岁以下儿童生长迟缓率", "<=", 5, "%", 2020, 2030, "district"),
    ("children", 1, "9", "小学生近视率", "<=", 38, "%", 2020, 2030, "district"),
    ("children", 1, "9", "高中阶段学生近视率", "<=", 70, "%", 2020, 2030, "district"),
    (
        "children",
        1,
        "11",
        "每千人口拥有三岁以下婴幼儿托位数",
        ">=",
        4.5,
        "个/千人口",
        2020,
        2030,
        "district",
    ),
    (
        "children",
        1,
        "11",
        "每千名儿童儿科床位数",
        ">=",
        3.17,
        "张/千名儿童",
        2020,
        2030,
        "district",
    ),
    ("children", 1, "M4", "新生儿访视率", "maintain>=", 90, "%", 2020, 2030, "district"),
    ("children", 1, "M10", "6个月内婴儿纯母乳喂养率", ">=", 50, "%", 2020, 2030, "district"),
    ("children", 1, "M13", "初中生每天睡眠时间", ">=", 9, "小时/天", 2020, 2030, "district"),
    ("children", 2, "1", "儿童伤害死亡率", "reduce_by_pct", 20, "%", 2020, 2030, "district"),
    ("children", 3, "2", "学前教育毛入园率", "maintain>=", 100, "%", 2020, 2030, "district"),
    (
        "children",
        5,
        "6",
        "城市社区建立家长学校或家庭教育指导服务站点的比例",
        ">=",
        95,
        "%",
        2020,
        2030,
        "district",
    ),
    (
        "children",
        5,
        "6",
        "农村社区（村）建立家长学校或家庭教育指导服务站点的比例",
        ">=",
        85,
        "%",
        2020,
        2030,
        "district",
    ),
]


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, reference_data):
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("export_catalog", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("expected", EXPECTED_TARGETS, ids=lambda e: f"{e[0]}-{e[3]}")
def test_target_value_by_value(exported, expected):
    plan, area, source_number, name, comparator, value, unit, base, year, scope = expected
    matches = [
        t
        for t in exported["targets"]
        if t["plan"] == plan and t["indicator_name"] == name and t["source_number"] == source_number
    ]
    assert len(matches) == 1, f"{name}: {len(matches)} targets"
    t = matches[0]
    assert t["area"] == area
    assert t["source"] == ("measure" if source_number.startswith("M") else "objective")
    assert t["comparator"] == comparator
    assert t["value"] == pytest.approx(value)
    assert t["unit"] == unit
    assert t["base_year"] == base
    assert t["target_year"] == year
    assert t["scope"] == scope


def test_export_shape(exported):
    assert set(exported) == {"plans", "objectives", "measures", "indicators", "targets"}
    assert [p["code"] for p in exported["plans"]] == ["women", "children"]
    assert len(exported["objectives"]) == 147
    assert len(exported["measures"]) == 183
    required = {
        "code", "plan", "area", "source", "source_number", "indicator", "indicator_name",
        "comparator", "value", "unit", "base_year", "target_year", "quote",
    }  # fmt: skip
    for target in exported["targets"]:
        assert required <= set(target)
        assert target["plan"] in {"women", "children"}
        if target["comparator"] in ("increase", "decrease", "maintain_high"):
            # a directional target has the plan's words and no value
            assert target["value"] is None and target["wording"]
        else:
            assert isinstance(target["value"], float | int)
    for objective in exported["objectives"]:
        assert {"plan", "area", "number", "text", "quantitative"} <= set(objective)
    quantitative = {
        (o["plan"], o["area"], str(o["number"]))
        for o in exported["objectives"]
        if o["quantitative"]
    }
    from_targets = {
        (t["plan"], t["area"], t["source_number"])
        for t in exported["targets"]
        if t["source"] == "objective"
    }
    assert quantitative == from_targets


def test_every_target_quote_stands_in_its_source_text():
    for target in Target.objects.select_related("objective", "measure"):
        source = "".join(target.source_item.text.split())
        assert "".join(target.quote.split()) in source, target.code


def test_several_values_in_one_sentence_are_several_targets():
    quote = "新生儿、婴儿和 5 岁以下儿童死亡率分别降至 3.0‰、4.0‰和 5.0‰以下"
    values = sorted(Target.objects.filter(quote=quote).values_list("value", flat=True))
    assert values == [3.0, 4.0, 5.0]


def test_every_objective_and_measure_has_a_responsible_department():
    for model in (Objective, Measure):
        assert not model.objects.filter(lead_department__isnull=True).exists()
    assert not Indicator.objects.filter(lead_department__isnull=True).exists()


def test_maternal_mortality_belongs_to_the_health_commission():
    indicator = Indicator.objects.get(name="孕产妇死亡率")
    assert indicator.lead_department.code == "health"
    assert indicator.direction == "lower"
    assert indicator.factor == 100000
    assert indicator.valid_range == (0.0, None)


def test_share_indicators_are_capped_at_100_and_gross_ratios_are_not():
    assert Indicator.objects.get(name="孕产妇系统管理率").valid_range == (0.0, 100.0)
    assert Indicator.objects.get(name="高中阶段教育毛入学率").valid_range == (0.0, None)


# --- loading: idempotent, in place, all-or-nothing -------------------------------------


def test_loading_twice_changes_nothing():
    ids = dict(Target.objects.values_list("code", "pk"))
    reports = load_catalog()
    for report in reports.values():
        assert not report.changed, report.lines()
        assert report.unchanged > 0
    assert dict(Target.objects.values_list("code", "pk")) == ids


def _copy_files(tmp_path: Path) -> tuple[Path, Path]:
    women, children = tmp_path / "women.yaml", tmp_path / "children.yaml"
    shutil.copy(DATA_DIR / "women.yaml", women)
    shutil.copy(DATA_DIR / "children.yaml", children)
    return women, children


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_edited_file_updates_the_catalog_in_place(tmp_path):
    women, children = _copy_files(tmp_path)
    target = Target.objects.get(indicator__name="孕产妇死亡率")
    objective_pk = Objective.objects.get(area__plan__code="women", area__number=1, number=7).pk

    def change(data):
        for t in data["targets"]:
            if t["code"] == target.code:
                t["value"] = 10
        data["areas"][0]["objectives"][6]["text"] = "提高妇女健康素养水平。（修订）"

    _edit(women, change)
    reports = load_catalog([women, children])
    lines = "\n".join(reports["women.yaml"].lines())
    assert f"目标 {target.code}: value" in lines
    assert "women 1.7 目标: text" in lines
    assert not reports["children.yaml"].changed
    target.refresh_from_db()
    assert target.value == 10
    objective = Objective.objects.get(pk=objective_pk)  # same row, updated in place
    assert objective.text == "提高妇女健康素养水平。（修订）"


def test_an_indicator_left_out_of_the_file_is_retired_not_deleted(tmp_path):
    women, children = _copy_files(tmp_path)

    def change(data):
        gone = data["indicators"].pop()
        data["targets"] = [t for t in data["targets"] if t["indicator"] != gone["code"]]

    _edit(women, change)
    last_code = yaml.safe_load((DATA_DIR / "women.yaml").read_text())["indicators"][-1]["code"]
    load_catalog([women, children])
    indicator = Indicator.objects.get(code=last_code)
    assert indicator.retired
    assert not indicator.targets.exists()


def test_plan_office_edits_survive_a_reload_unless_the_file_changed_them(tmp_path):
    indicator = Indicator.objects.get(name="孕产妇死亡率")
    court = Department.objects.get(code="court")
    indicator.lead_department = court
    indicator.save()
    load_catalog()
    indicator.refresh_from_db()
    assert indicator.lead_department == court  # the file did not change: the edit stays

    women, children = _copy_files(tmp_path)

    def change(data):
        for i in data["indicators"]:
            if i["code"] == indicator.code:
                i["lead"] = "medical_security"

    _edit(women, change)
    load_catalog([women, children])
    indicator.refresh_from_db()
    assert indicator.lead_department.code == "medical_security"


@pytest.mark.parametrize(
    "breakage,message",
    [
        (lambda d: d["targets"][0].update(quote="文件中没有的引文"), "引文不在来源条文中"),
        (lambda d: d["targets"][0].update(comparator="about"), "比较符无效"),
        (lambda d: d["targets"][0].update(comparator="increase"), "不设目标值"),
        (lambda d: d["targets"][0].update(comparator="increase", value=None), "须给出规划用语"),
        (lambda d: d["targets"][0].update(value=None), "目标值须为数字"),
        (lambda d: d["targets"][0].update(indicator="W9-99"), "指标代码不存在"),
        (lambda d: d["indicators"][0].update(lead="no_such_dept"), "未知的部门代码"),
        (lambda d: d["areas"][0]["objectives"].pop(3), "须按顺序连续编号"),
        (lambda d: d["targets"].append(dict(d["targets"][0])), "代码重复"),
    ],
)
def test_a_broken_file_is_refused_whole_and_nothing_changes(tmp_path, breakage, message):
    women, children = _copy_files(tmp_path)

    def change(data):
        data["targets"][1]["value"] = 1234  # a valid change that must not land either
        breakage(data)

    _edit(women, change)
    before = list(Target.objects.order_by("code").values_list("code", "value"))
    with pytest.raises(DataFileError, match=message):
        load_catalog([children, women])
    assert list(Target.objects.order_by("code").values_list("code", "value")) == before


def test_load_catalog_command_reports_and_fails_cleanly(tmp_path):
    out = StringIO()
    call_command("load_catalog", stdout=out)
    assert "women.yaml: 新增 0，更新 0，移除 0" in out.getvalue()
    broken = tmp_path / "broken.yaml"
    broken.write_text("plan: [unclosed", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未写入任何内容"):
        call_command("load_catalog", str(broken))


@pytest.mark.parametrize(("comparator", "value"), [(">=", None), ("increase", 5.0)])
def test_only_directional_targets_go_without_a_value(comparator, value):
    from django.db import IntegrityError, transaction

    model = Target.objects.get(code="W3-M5-1")
    assert model.comparator == "increase" and model.value is None and model.directional
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=model.pk).update(comparator=comparator, value=value)
