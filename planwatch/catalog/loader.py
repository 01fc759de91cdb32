"""Load the plan catalog from its data files, in place and idempotently.

Loading twice changes nothing; loading an edited file updates rows by their natural keys
(plan code, area number, objective/measure number, indicator and target codes) and never
touches collected data. Indicators left out of a file are retired, not deleted.
"""

from pathlib import Path

import yaml
from django.db import transaction

from planwatch.catalog.models import (
    DIRECTIONAL_COMPARATORS,
    Area,
    Comparator,
    Computation,
    Department,
    Direction,
    Disaggregation,
    Indicator,
    Measure,
    Objective,
    Origin,
    Plan,
    Scale,
    Scope,
    Target,
)
from planwatch.sync import DataFileError, SyncReport, upsert

DATA_DIR = Path(__file__).resolve().parent / "data"
PLAN_FILES = ("women.yaml", "children.yaml")
ORG_LEVELS = {"district", "township", "village"}


def default_files() -> list[Path]:
    return [DATA_DIR / name for name in PLAN_FILES]


class _Checker:
    """Collects every problem of a file before anything is written."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def need(self, ok: bool, where: str, message: str) -> bool:
        if not ok:
            self.problems.append(f"{self.path.name} {where}：{message}")
        return ok

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError("\n".join(self.problems))


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"无法读取 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(f"{path}：文件内容不是一个映射")
    return data


def read_plan_file(path: Path, shared_codes: set[str] | None = None) -> dict:
    """Read and check one plan file; `shared_codes` are indicators defined by the other files.

    A statistic both plans monitor is defined once, in one file, and the other plan's targets
    refer to it by its code (one indicator, one series, one value).
    """
    data = _read_yaml(path)
    _validate(path, data, shared_codes or set())
    return data


def _indicator_codes(data: dict) -> set[str]:
    return {i.get("code") for i in data.get("indicators") or [] if isinstance(i, dict)}


def _validate(path: Path, data: dict, shared_codes: set[str]) -> None:
    check = _Checker(path)
    departments = set(Department.objects.values_list("code", flat=True))
    for key in ("plan", "areas", "indicators", "targets"):
        check.need(key in data, "顶层", f"缺少 “{key}”")
    check.raise_if_any()

    def dept_ok(codes, where):
        check.need(isinstance(codes, list) and codes, where, "须列出至少一个责任单位")
        for code in codes or []:
            check.need(code in departments, where, f"未知的部门代码 “{code}”")

    items: dict[tuple[int, str], dict] = {}
    for a_index, area in enumerate(data["areas"], 1):
        where = f"领域{area.get('number', a_index)}"
        check.need(area.get("number") == a_index, where, "领域须按 1、2、3… 顺序编号")
        for section, prefix in (("objectives", ""), ("measures", "M")):
            for i, item in enumerate(area.get(section, []), 1):
                w = f"{where} {prefix}{item.get('number')}"
                check.need(item.get("number") == i, w, "须按顺序连续编号")
                check.need(bool(str(item.get("text", "")).strip()), w, "原文不能为空")
                dept_ok(item.get("departments"), w)
                items[(a_index, f"{prefix}{i}")] = item

    indicator_codes = set()
    office_codes = set(
        Indicator.objects.filter(origin=Origin.SUPPLEMENTARY).values_list("code", flat=True)
    )
    for ind in data["indicators"]:
        w = f"指标 {ind.get('code')}"
        check.need(ind.get("code") not in indicator_codes, w, "代码重复")
        check.need(
            ind.get("code") not in office_codes, w, "该代码已被区妇儿工委办的扩充调整指标使用"
        )
        origin = ind.get("origin", Origin.PLAN)
        check.need(
            origin in (Origin.PLAN, Origin.NATIONAL),
            w,
            "origin 须为 plan 或 national（扩充调整指标由区妇儿工委办在平台中添加）",
        )
        if origin == Origin.NATIONAL:
            check.need(
                bool(str(ind.get("source", "")).strip()),
                w,
                "纲要监测指标须给出 source（对应的全国监测指标及文件）",
            )
        indicator_codes.add(ind.get("code"))
        check.need(ind.get("scale") in Scale.values, w, f"scale 须为 {Scale.values}")
        check.need(ind.get("direction") in Direction.values, w, "direction 须为 higher/lower")
        check.need(ind.get("computation", "direct") in Computation.values, w, "computation 无效")
        if ind.get("computation") == Computation.RATIO:
            check.need(bool(ind.get("factor")), w, "比率指标须给出 factor")
        pooled = ind.get("pooled_years", 3)
        check.need(
            isinstance(pooled, int) and not isinstance(pooled, bool) and 1 <= pooled <= 10,
            w,
            "pooled_years 须为1～10的整数（合计的年数）",
        )
        for d in ind.get("disaggregations", []):
            check.need(d in Disaggregation.values, w, f"未知的分组维度 “{d}”")
        groups = ind.get("age_groups", [])
        if Disaggregation.AGE_GROUP in ind.get("disaggregations", []):
            check.need(bool(groups), w, "按年龄分组的指标须列出 age_groups")
        for group in groups:
            check.need(
                isinstance(group, dict) and group.get("code") and group.get("name"),
                w,
                "age_groups 每项须有 code 和 name",
            )
        for level in ind.get("org_levels", ["district"]):
            check.need(level in ORG_LEVELS, w, f"未知的层级 “{level}”")
        check.need(1 <= int(ind.get("area", 0)) <= len(data["areas"]), w, "领域编号无效")
        dept_ok([ind.get("lead"), *ind.get("co", [])], w)

    target_codes = set()
    for tgt in data["targets"]:
        w = f"目标 {tgt.get('code')}"
        check.need(tgt.get("code") not in target_codes, w, "代码重复")
        target_codes.add(tgt.get("code"))
        check.need(tgt.get("indicator") in indicator_codes | shared_codes, w, "指标代码不存在")
        check.need(tgt.get("comparator") in Comparator.values, w, "比较符无效")
        if tgt.get("comparator") in DIRECTIONAL_COMPARATORS:
            check.need(tgt.get("value") is None, w, "方向性目标（提高/下降/稳定）不设目标值")
            check.need(bool(str(tgt.get("wording", "")).strip()), w, "方向性目标须给出规划用语")
        else:
            check.need(isinstance(tgt.get("value"), int | float), w, "目标值须为数字")
        check.need(tgt.get("scope", "district") in Scope.values, w, "范围无效")
        check.need(bool(str(tgt.get("quote", "")).strip()), w, "须给出原文引文")
        prefix = "" if tgt.get("source") == "objective" else "M"
        number = str(tgt.get("source_number", "")).removeprefix("M")
        key = (tgt.get("area"), f"{prefix}{number}")
        check.need(key in items, w, f"来源 {tgt.get('source')} {tgt.get('source_number')} 不存在")
        if key in items:
            source_text = _squash(items[key]["text"])
            check.need(_squash(tgt["quote"]) in source_text, w, "引文不在来源条文中")
    check.raise_if_any()


def _squash(text: str) -> str:
    return "".join(str(text).split())


def _set_departments(obj, codes: list[str], by_code: dict, report: SyncReport, label: str):
    """Apply the file's departments only when the file changed them (see ResponsibleMixin)."""
    if obj.file_departments == codes:
        return
    obj.lead_department = by_code[codes[0]]
    obj.file_departments = codes
    obj.save(update_fields=["lead_department", "file_departments"])
    obj.co_departments.set([by_code[c] for c in codes[1:]])
    if label not in report.created:
        report.updated.append(f"{label}: 责任单位 → {', '.join(codes)}")


def _load_structure(data: dict, report: SyncReport) -> tuple:
    """Plan, areas, objectives, measures and the file's own indicators (targets come later)."""
    by_code = {d.code: d for d in Department.objects.all()}
    p = data["plan"]
    plan = upsert(
        Plan,
        {"code": p["code"]},
        {
            "name": p["name"],
            "name_en": p.get("name_en", ""),
            "document": p.get("document", ""),
            "start_year": p["start_year"],
            "end_year": p["end_year"],
            "sort": p.get("sort", 0),
        },
        report,
        f"规划 {p['name']}",
    )
    areas, sources = {}, {}
    for a in data["areas"]:
        area = upsert(
            Area,
            {"plan": plan, "number": a["number"]},
            {"name": a["name"], "name_en": a.get("name_en", "")},
            report,
            f"{plan.code} 领域{a['number']} {a['name']}",
        )
        areas[a["number"]] = area
        for o in a.get("objectives", []):
            label = f"{plan.code} {a['number']}.{o['number']} 目标"
            obj = upsert(
                Objective, {"area": area, "number": o["number"]}, {"text": o["text"]}, report, label
            )
            _set_departments(obj, o["departments"], by_code, report, label)
            sources[(a["number"], str(o["number"]))] = obj
        for m in a.get("measures", []):
            label = f"{plan.code} {a['number']}.M{m['number']} 措施"
            values = {"title": m.get("title") or m["text"].split("。", 1)[0], "text": m["text"]}
            obj = upsert(Measure, {"area": area, "number": m["number"]}, values, report, label)
            _set_departments(obj, m["departments"], by_code, report, label)
            sources[(a["number"], f"M{m['number']}")] = obj
        report.removed += _remove_extra(area, a)

    indicators = {}
    for i in data["indicators"]:
        label = f"指标 {i['code']} {i['name']}"
        values = {
            "plan": plan,
            "area": areas[i["area"]],
            "name": i["name"],
            "name_en": i.get("name_en", ""),
            "scale": i["scale"],
            "unit": i.get("unit", ""),
            "direction": i["direction"],
            "computation": i.get("computation", Computation.DIRECT),
            "numerator": i.get("numerator", ""),
            "denominator": i.get("denominator", ""),
            "factor": i.get("factor"),
            "is_share": bool(i.get("is_share", False)),
            "pooled_years": int(i.get("pooled_years", 3)),
            "disaggregations": list(i.get("disaggregations", [])),
            "age_groups": list(i.get("age_groups", [])),
            "org_levels": list(i.get("org_levels", ["district"])),
            "note": i.get("note", ""),
            "origin": i.get("origin", Origin.PLAN),
            "origin_source": i.get("source", ""),
            "retired": False,
        }
        ind = upsert(Indicator, {"code": i["code"]}, values, report, label)
        _set_departments(ind, [i["lead"], *i.get("co", [])], by_code, report, label)
        indicators[i["code"]] = ind
    # The plan office's own indicators (扩充调整指标) are in no file: a reload keeps them.
    stale = Indicator.objects.filter(plan=plan, retired=False).exclude(code__in=indicators)
    for ind in stale.exclude(origin=Origin.SUPPLEMENTARY):
        ind.retired = True
        ind.save(update_fields=["retired"])
        report.removed.append(f"指标 {ind.code}（停用，已采集数据保留）")
    return plan, sources


def _load_targets(data: dict, plan: Plan, sources: dict, report: SyncReport) -> None:
    """The file's targets, on its own indicators or on those another plan's file defines."""
    codes = []
    indicators = {i.code: i for i in Indicator.objects.all()}
    for sort, t in enumerate(data["targets"], 1):
        source = sources[(t["area"], _source_key(t))]
        values = {
            "indicator": indicators[t["indicator"]],
            "objective": source if isinstance(source, Objective) else None,
            "measure": source if isinstance(source, Measure) else None,
            "area": source.area,
            "comparator": t["comparator"],
            "value": None if t.get("value") is None else float(t["value"]),
            "wording": t.get("wording", ""),
            "unit": t.get("unit", indicators[t["indicator"]].unit),
            "base_year": t.get("base_year", 2020),
            "target_year": t.get("target_year", 2030),
            "scope": t.get("scope", Scope.DISTRICT),
            "quote": t["quote"],
            "note": t.get("note", ""),
            "sort": plan.sort * 10000 + sort,
        }
        upsert(Target, {"code": t["code"]}, values, report, f"目标 {t['code']}")
        codes.append(t["code"])
    stale = Target.objects.filter(area__plan=plan).exclude(code__in=codes)
    report.removed += [f"目标 {code}" for code in stale.values_list("code", flat=True)]
    stale.delete()


def _source_key(target: dict) -> str:
    number = str(target["source_number"]).removeprefix("M")
    return number if target["source"] == "objective" else f"M{number}"


def _remove_extra(area: Area, data: dict) -> list[str]:
    removed = []
    for model, section in ((Objective, "objectives"), (Measure, "measures")):
        extra = model.objects.filter(area=area, number__gt=len(data.get(section, [])))
        removed += [f"{area} {section} {n}" for n in extra.values_list("number", flat=True)]
        extra.delete()
    return removed


def load_catalog(paths: list[Path] | None = None) -> dict[str, SyncReport]:
    """Load every plan file in one transaction: either the whole catalog loads or nothing.

    Every file's indicators are written before any file's targets, because a target may sit on
    an indicator that the other plan's file defines.
    """
    paths = list(paths or default_files())
    raw = {path: _read_yaml(path) for path in paths}
    known = set(Indicator.objects.filter(retired=False).values_list("code", flat=True))
    datas = {}
    for path in paths:
        others = set().union(*(_indicator_codes(d) for p, d in raw.items() if p != path))
        datas[path] = read_plan_file(path, others | known)
    with transaction.atomic():
        reports, loaded = {}, {}
        for path, data in datas.items():
            reports[path.name] = SyncReport()
            loaded[path] = _load_structure(data, reports[path.name])
        for path, data in datas.items():
            plan, sources = loaded[path]
            _load_targets(data, plan, sources, reports[path.name])
        return reports
