"""Load org units and departments from their YAML data files."""

from pathlib import Path

import yaml
from django.db import transaction

from planwatch.org.models import Department, OrgUnit
from planwatch.sync import SyncReport, upsert

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(ValueError):
    """A data file that cannot be loaded; the message says where and why, in Chinese."""


def _read(path: Path, key: str) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"无法读取 {path}：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise DataFileError(f"{path}：缺少列表 “{key}”")
    return data[key]


@transaction.atomic
def load_org_units(path: Path | None = None) -> SyncReport:
    path = path or DATA_DIR / "org_units.yaml"
    rows = _read(path, "org_units")
    report = SyncReport()
    known = {u.code: u for u in OrgUnit.objects.all()}
    for index, row in enumerate(rows, 1):
        code = str(row.get("code", "")).strip()
        if not code or not row.get("name") or row.get("level") is None:
            raise DataFileError(f"{path} 第{index}项：code、name、level 均为必填")
        parent = None
        if row.get("parent"):
            parent = known.get(str(row["parent"]))
            if parent is None:
                raise DataFileError(
                    f"{path} 第{index}项（{code}）：上级单位 {row['parent']} 不存在"
                )
        values = {
            "name": row["name"],
            "name_en": row.get("name_en", ""),
            "level": int(row["level"]),
            "kind": row.get("kind", ""),
            "parent": parent,
            "is_reference": bool(row.get("reference", False)),
            "sort": index,
        }
        known[code] = upsert(OrgUnit, {"code": code}, values, report, f"{code} {row['name']}")
    return report


@transaction.atomic
def load_departments(path: Path | None = None) -> SyncReport:
    path = path or DATA_DIR / "departments.yaml"
    rows = _read(path, "departments")
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
