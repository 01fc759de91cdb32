"""The importer: every hard error refuses the whole file and stores nothing, in Chinese, by
row and column; good files are stored exactly, in every encoding Chinese Excel writes."""

from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planwatch.collection.batches import import_file
from planwatch.collection.labels import COLUMN_LABELS
from planwatch.collection.models import (
    DataValue,
    ImportBatch,
    Submission,
    SubmissionStatus,
    ValueChange,
)

GOOD = [
    "W1-01,220112,2024,,,,,2,15000,",  # maternal mortality from counts
    "W1-01,220112,2024,,,urban,,1,7000,",
    "W1-01,220112,2024,,,rural,,1,8000,",
    "C1-02,220112,2024,,,,2.5,,,",
    "C1-02,220112,2024,female,,,2.1,,,",
    "W1-10,220112001,2024,,,,95.5,,,说明文字",
]


def cli(path, *args):
    out = StringIO()
    call_command("import_values", str(path), *args, stdout=out)
    return out.getvalue()


def refused(path, *args) -> str:
    before = DataValue.objects.count(), ValueChange.objects.count()
    with pytest.raises(CommandError) as info:
        cli(path, *args)
    assert (DataValue.objects.count(), ValueChange.objects.count()) == before
    return str(info.value)


def test_a_good_file_is_stored_exactly(rounds, write_csv):
    out = cli(write_csv(GOOD))
    assert "新增 6" in out
    mmr = DataValue.objects.get(indicator__code="W1-01", org_unit__code="220112", residence="")
    assert mmr.numerator == 2
    assert mmr.denominator == 15000
    assert mmr.value == pytest.approx(2 / 15000 * 100000)  # computed, never typed twice
    assert mmr.source == "csv"
    female = DataValue.objects.get(indicator__code="C1-02", sex="female")
    assert female.value == 2.1
    assert DataValue.objects.get(indicator__code="W1-10").comment == "说明文字"
    # Each value went into its lead department's submission for the year, as a draft.
    submission = Submission.objects.get(round__year=2024, department__code="health")
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.values.count() == 6


def test_dry_run_stores_nothing_and_reimport_changes_nothing(rounds, write_csv):
    path = write_csv(GOOD)
    assert "新增 6" in cli(path, "--dry-run")
    assert DataValue.objects.count() == 0
    cli(path)
    assert "未变 6" in cli(path)
    assert ValueChange.objects.count() == 6


def test_changes_are_recorded_with_old_and_new(rounds, write_csv, users):
    cli(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    out = cli(write_csv(["C1-02,220112,2024,,,,2.7,,,更正"]), "--user", "t_health")
    assert "修改 1" in out
    history = ValueChange.objects.filter(indicator__code="C1-02").order_by("pk")
    assert [(h.old_value, h.new_value) for h in history] == [(None, 2.5), (2.5, 2.7)]
    assert history.last().user == users["health"]
    assert history.last().comment == "更正"
    assert ImportBatch.objects.filter(status="stored").count() == 2


@pytest.mark.parametrize(
    "line,row,column,message",
    [
        ("X9-99,220112,2024,,,,1,,,", 2, "indicator", "未知的指标代码“X9-99”"),
        ("C1-02,999999,2024,,,,1,,,", 2, "org_unit", "未知的组织单位代码“999999”"),
        ("C1-02,220112,2024,,,,abc,,,", 2, "value", "“abc”不是数字"),
        ("C1-02,220112,2024,,,,-1,,,", 2, "value", "不能为负数"),
        ("W1-10,220112,2024,,,,100.5,,,", 2, "value", "百分比不能超过 100"),
        ("W1-10,220112,2024,,,,,120,100,", 2, "numerator", "分子（120）大于分母（100）"),
        ("C1-02,220112,2019,,,,1,,,", 2, "year", "2019年没有填报任务"),
        ("C1-02,220112,二〇二四,,,,1,,,", 2, "year", "不是整数年份"),
        ("C1-02,220112,2024,x,,,1,,,", 2, "sex", "性别“x”无效"),
        ("W1-01,220112,2024,female,,,1,,,", 2, "sex", "不分性别填报"),
        ("C1-02,220112,2024,,,,,,,", 2, "value", "缺少数值"),
        ("C1-02,220112,2024,,,,,3,,", 2, "denominator", "分子和分母须同时填写"),
        ("C1-02,220112,2024,,,,1,1,0,", 2, "denominator", "分母不能为 0"),
        ("W1-01,220112,2024,,,,20,2,15000,", 2, "value", "数值与分子、分母不一致"),
        ("W1-01,220112001,2024,,,,1,,,", 2, "org_unit", "不在云山街道这一级填报"),
        ("W1-02,220112,2024,,99-100,,50,,,", 2, "age_group", "年龄组“99-100”无效"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(rounds, write_csv, line, row, column, message):
    good_first = "C1-03,220112,2024,,,,3.3,,,"  # a valid row that must not be stored either
    text = refused(write_csv([good_first, line]))
    # The column as the template labels it, in Chinese (deliberately changed from the codes).
    assert f"第{row + 1}行“{COLUMN_LABELS[column]}”列" in text
    assert message in text


def test_duplicate_keys_are_refused(rounds, write_csv):
    text = refused(write_csv(["C1-02,220112,2024,,,,1,,,", "C1-02,220112,2024,,,,2,,,"]))
    assert "第3行" in text
    assert "与第2行重复" in text


def test_female_plus_male_must_equal_total(rounds, write_csv):
    lines = [
        "C1-02,220112,2024,,,,3,30,10000,",
        "C1-02,220112,2024,female,,,2,10,5000,",
        "C1-02,220112,2024,male,,,3,15,5000,",
    ]
    text = refused(write_csv(lines))
    assert "第2行“性别”列" in text
    assert "女性与男性之和" in text
    assert "25" in text and "30" in text


def test_urban_plus_rural_must_equal_total(rounds, write_csv):
    lines = [
        "W1-01,220112,2024,,,,,2,15000,",
        "W1-01,220112,2024,,,urban,,1,7000,",
        "W1-01,220112,2024,,,rural,,1,9000,",
    ]
    text = refused(write_csv(lines))
    assert "城镇与农村之和" in text
    assert "分母" in text


def test_sums_within_rounding_pass(rounds, write_csv):
    lines = [
        "C1-02,220112,2024,,,,3,30,10000.4,",
        "C1-02,220112,2024,female,,,3,15,5000,",
        "C1-02,220112,2024,male,,,3,15,5000,",
    ]
    assert "新增 3" in cli(write_csv(lines))


@pytest.mark.parametrize("status", ["submitted", "approved", "locked"])
def test_values_under_review_or_approved_are_refused(rounds, write_csv, status):
    cli(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    Submission.objects.filter(round__year=2024, department__code="health").update(status=status)
    text = refused(write_csv(["C1-02,220112,2024,,,,2.6,,,"]))
    assert "不能修改" in text


def test_a_locked_year_is_refused(rounds, write_csv):
    rounds[2023].status = "locked"
    rounds[2023].save()
    assert "2023年度数据已锁定" in refused(write_csv(["C1-02,220112,2023,,,,2.5,,,"]))


def test_a_department_cannot_write_another_departments_indicator(rounds, write_csv, users):
    text = refused(write_csv(["C1-02,220112,2024,,,,2.5,,,"]), "--user", "t_education")
    assert "无权填报该指标" in text
    assert "卫健局" in text


def test_a_township_reporter_writes_only_its_own_township(rounds, write_csv, users):
    text = refused(write_csv(["W1-10,220112002,2024,,,,95,,,"]), "--user", "t_yunshan")
    assert "只能填报本乡镇（街道）的数据" in text
    assert "新增 1" in cli(write_csv(["W1-10,220112001,2024,,,,95,,,"]), "--user", "t_yunshan")


def test_a_leader_cannot_import(rounds, write_csv, users):
    assert "没有填报权限" in refused(write_csv(GOOD), "--user", "t_leader")


def test_gbk_csv_with_chinese_headers_and_codes(rounds, write_csv):
    header = "指标代码,组织单位代码,年份,性别,年龄组,城乡,数值,分子,分母,说明"
    lines = ["C1-02,220112,2024,女,,,2.1,,,女童数据", "C1-02,220112,2024,合计,,,2.5,,,"]
    path = write_csv(lines, name="gbk.csv", encoding="gbk", header=header)
    assert "新增 2" in cli(path)
    assert DataValue.objects.get(sex="female").comment == "女童数据"


def test_utf8_bom_csv(rounds, write_csv):
    path = write_csv(["C1-02,220112,2024,,,,2.5,,,带BOM"], encoding="utf-8-sig")
    assert "新增 1" in cli(path)
    assert DataValue.objects.get().comment == "带BOM"


def test_xlsx_in_the_long_format(rounds, tmp_path):
    path = tmp_path / "long.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "org_unit", "year", "sex", "age_group", "residence", "value"])
    sheet.append(["C1-02", "220112", 2024, None, None, None, 2.5])
    sheet.append(["C1-02", 220112, 2024, "male", None, None, 2.9])
    workbook.save(path)
    assert "新增 2" in cli(path)
    assert DataValue.objects.get(sex="male").value == 2.9


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.csv", b"", "文件为空"),
        ("junk.csv", b"\x00\x01\x02\xff\xfe binary junk \x00", "二进制内容"),
        ("fake.xlsx", b"indicator,org_unit\nC1-02,220112\n", "不是有效的 .xlsx"),
        ("corrupt.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "Excel 文件已损坏"),
        ("noheader.csv", b"C1-02,220112,2024,,,,2.5,,,\n", "表头缺少必需的列"),
        ("header-only.csv", b"indicator,org_unit,year,value\n", "没有数据行"),
        ("bad-encoding.csv", b"indicator,org_unit,year,value\n\xff\xfe\xfa,1,2,3\n", "编码"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(rounds, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert message in refused(path)


def test_a_file_over_the_size_limit_is_refused(rounds, write_csv, settings):
    settings.PLANWATCH_IMPORT_MAX_BYTES = 100
    path = write_csv(GOOD)
    assert "文件过大" in refused(path)


def test_export_then_import_round_trips_exactly(rounds, write_csv, tmp_path):
    cli(write_csv(GOOD))
    out = StringIO()
    call_command("export_values", stdout=out)
    exported = tmp_path / "exported.csv"
    exported.write_text(out.getvalue(), encoding="utf-8")
    before = list(DataValue.objects.order_by("pk").values_list("value", "numerator", "denominator"))
    assert "未变 6" in cli(exported)
    DataValue.objects.all().delete()
    assert "新增 6" in cli(exported)
    after = list(DataValue.objects.order_by("pk").values_list("value", "numerator", "denominator"))
    assert sorted(after, key=str) == sorted(before, key=str)


def test_export_filters(rounds, write_csv):
    cli(write_csv(GOOD))
    out = StringIO()
    call_command("export_values", "--indicator", "C1-02", "--year", "2024", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("indicator,org_unit,year")
    assert len(lines) == 3
    assert all(line.startswith("C1-02,") for line in lines[1:])


def test_import_file_reports_every_problem_not_only_the_first(rounds, write_csv):
    result, batch = import_file(
        write_csv(["X1,220112,2024,,,,1,,,", "C1-02,1,2024,,,,1,,,", "C1-02,220112,2024,,,,y,,,"])
    )
    assert not result.stored
    assert [p.row for p in result.problems] == [2, 3, 4]
    assert batch.status == "refused"
    assert len(batch.errors) == 3
