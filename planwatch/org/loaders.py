"""Load the org units from their YAML data file."""

from pathlib import Path

from django.db import transaction

from planwatch.org.models import OrgUnit
from planwatch.sync import DataFileError, SyncReport, read_yaml_list, upsert

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_org_units(path: Path | None = None) -> SyncReport:
    path = path or DATA_DIR / "org_units.yaml"
    rows = read_yaml_list(path, "org_units")
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
