"""Load the member departments (成员单位) from their YAML data file."""

from pathlib import Path

from django.db import transaction

from planwatch.catalog.models import Department
from planwatch.sync import DataFileError, SyncReport, read_yaml_list, upsert

DATA_FILE = Path(__file__).resolve().parent / "data" / "departments.yaml"


@transaction.atomic
def load_departments(path: Path | None = None) -> SyncReport:
    path = path or DATA_FILE
    rows = read_yaml_list(path, "departments")
    report = SyncReport()
    seen = set()
    for index, row in enumerate(rows, 1):
        code = row.get("code")
        if not code or not row.get("name"):
            raise DataFileError(f"{path} 第{index}项：code、name 均为必填")
        if code in seen:
            raise DataFileError(f"{path} 第{index}项：代码 {code} 重复")
        seen.add(code)
        values = {
            "name": row["name"],
            "short_name": row.get("short", row["name"]),
            "name_en": row.get("name_en", ""),
            "active": bool(row.get("active", True)),
            "sort": index,
        }
        upsert(Department, {"code": code}, values, report, f"{code} {row['name']}")
    # A department left out of the file is retired, never deleted: people and data refer to it.
    for department in Department.objects.filter(active=True).exclude(code__in=seen):
        department.active = False
        department.save(update_fields=["active"])
        report.removed.append(f"{department.code} {department.name}（停用）")
    return report
