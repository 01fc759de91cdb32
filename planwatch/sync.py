"""Idempotent loading of reference data from files: update in place by natural key, and say
what changed. Used by the catalog, org-unit and department loaders alike."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import models


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"新增 {len(self.created)}，更新 {len(self.updated)}，"
            f"移除 {len(self.removed)}，未变 {self.unchanged}"
        )

    def lines(self) -> list[str]:
        out = [f"+ {item}" for item in self.created]
        out += [f"~ {item}" for item in self.updated]
        out += [f"- {item}" for item in self.removed]
        return out


def _differs(obj: models.Model, name: str, value) -> bool:
    field_ = obj._meta.get_field(name)
    if isinstance(field_, models.ForeignKey):
        return getattr(obj, field_.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def upsert(model, lookup: dict, values: dict, report: SyncReport, label: str):
    """Create or update one row; record in the report what happened to it."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.created.append(label)
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.updated.append(f"{label}: {', '.join(changed)}")
    else:
        report.unchanged += 1
    return obj


class DataFileError(ValueError):
    """A data file that cannot be loaded; the message says where and why, in Chinese."""


def read_yaml_list(path: Path, key: str) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"无法读取 {path}：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise DataFileError(f"{path}：缺少列表 “{key}”")
    return data[key]
