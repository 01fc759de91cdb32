"""planwatch build_report: the same build as the page, from the command line."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from planwatch.audit.models import AuditEntry
from planwatch.reports.models import Report

from .reading import cover_text

pytestmark = pytest.mark.usefixtures("demo_results")


def test_builds_stores_a_version_and_writes_the_file(db, tmp_path, capsys):
    out = tmp_path / "feedback.docx"
    args = ["build_report", "feedback", "--plan", "women", "--year", "2024"]
    call_command(*args, "--department", "health", "--out", str(out))
    report = Report.objects.get()
    assert (report.kind, report.year, report.department.code, report.version) == (
        "feedback",
        2024,
        "health",
        1,
    )
    assert report.channel == "cli" and report.status == "done" and report.demo
    assert out.read_bytes() == report.file.read()
    assert "（区卫生健康局）" in cover_text(Document(str(out)))
    assert "第1版（示例数据）" in capsys.readouterr().out
    call_command(*args, "--department", "health", "--out", str(out))
    assert list(Report.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    assert AuditEntry.objects.filter(action="build_report", channel="cli").count() == 2


def test_compilation_from_the_command_line(db, tmp_path):
    out = tmp_path / "tables.xlsx"
    call_command(
        "build_report", "compilation", "--plan", "children", "--year", "2024", "--out", str(out)
    )
    assert out.read_bytes()[:2] == b"PK"
    assert Report.objects.get().extension == "xlsx"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feedback", "--plan", "women", "--year", "2024"], "须指定成员单位"),
        (["annual", "--plan", "women", "--year", "2025"], "尚无2025年的评价结果"),
        (["annual", "--plan", "women", "--year", "2024", "--department", "health"], "只有部门反馈"),
        (["feedback", "--plan", "women", "--year", "2024", "--department", "nobody"], "nobody"),
        (["annual", "--plan", "women", "--year", "2035"], "年份须在"),
    ],
)
def test_refuses_what_it_cannot_build_and_stores_nothing(db, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, "--out", str(tmp_path / "x.docx"))
    assert not Report.objects.exists()
    assert not (tmp_path / "x.docx").exists()
