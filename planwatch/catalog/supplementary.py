"""扩充调整指标: monitoring indicators the plan office adds without a numeric target.

The page and the CLI hand the raw input (strings, as typed) to `clean`, which returns the
fields or a Chinese message per field; the audited writes are in catalog.actions. Only the
office's own indicators are changed here: the plans' and the 纲要's come from the data files.
"""

from dataclasses import dataclass, field

from planwatch.catalog.models import (
    Area,
    Computation,
    Direction,
    Disaggregation,
    Indicator,
    Origin,
    Plan,
    Scale,
)

# The department model through the indicator's own field: catalog adds no import of org.
Department = Indicator._meta.get_field("lead_department").related_model
ORG_LEVELS = ("district", "township", "village")
# The input every door takes, with the label its messages name.
FIELDS = {
    "plan": "规划",
    "area": "领域",
    "name": "指标名称",
    "name_en": "英文名称",
    "scale": "计量方式",
    "unit": "单位",
    "direction": "期望方向",
    "computation": "计算方式",
    "numerator": "分子",
    "denominator": "分母",
    "factor": "乘数",
    "is_share": "分子为分母的一部分",
    "disaggregations": "分组维度",
    "org_levels": "填报层级",
    "lead": "牵头单位",
    "co": "配合单位",
    "source": "增设依据",
    "note": "备注",
}
# Fields an indicator with collected values keeps: changing them would change what the values mean.
DEFINING = ("scale", "computation", "factor", "is_share")
TEXT_LIMITS = {"name": 150, "name_en": 200, "unit": 20, "numerator": 200, "denominator": 200}


@dataclass
class Cleaned:
    fields: dict = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _split(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").replace("，", ",").split(",") if v.strip()]


def clean(raw: dict, *, indicator: Indicator | None = None) -> Cleaned:
    """Check every field of an add (indicator None) or an edit; all problems at once."""
    out = Cleaned()
    f, bad = out.fields, out.problems
    text = {k: str(raw.get(k) or "").strip() for k in raw}

    if indicator is None:
        plan = Plan.objects.filter(code=text.get("plan", "")).first()
        if plan is None:
            bad["plan"] = "请选择规划（women 妇女规划 或 children 儿童规划）。"
        else:
            area = Area.objects.filter(plan=plan, number=_int(text.get("area"))).first()
            if area is None:
                bad["area"] = f"领域编号无效：{plan.name}没有领域“{text.get('area', '')}”。"
            f.update(plan=plan, area=area)
    for key, limit in TEXT_LIMITS.items():
        if key in text and len(text[key]) > limit:
            bad[key] = f"不能超过{limit}个字。"
    if indicator is None or "name" in text:
        if not text.get("name"):
            bad["name"] = "指标名称不能为空。"
        elif (
            Indicator.objects.filter(name=text["name"], retired=False)
            .exclude(pk=getattr(indicator, "pk", None))
            .exists()
        ):
            bad["name"] = f"已有同名指标“{text['name']}”：同一统计只设一个指标。"
    if indicator is None or "source" in text:
        if not text.get("source"):
            bad["source"] = "请说明增设理由或依据（如上级监测方案、部门统计制度）。"
    choices = (
        ("scale", Scale.values, "计量方式无效"),
        ("direction", Direction.values, "期望方向须为 higher（越高越好）或 lower（越低越好）"),
        ("computation", Computation.values, "计算方式须为 direct（直接填报）或 ratio（分子/分母）"),
    )
    for key, allowed, message in choices:
        if indicator is None or key in text:
            if text.get(key, "") not in allowed:
                bad[key] = f"{message}：“{text.get(key, '')}”。"
            else:
                f[key] = text[key]
    computation = f.get("computation", getattr(indicator, "computation", None))
    if indicator is None or "factor" in text:
        factor = _int(text.get("factor"))
        if computation == Computation.RATIO and not (factor and factor > 0):
            bad["factor"] = "比率指标须给出正整数的乘数（如100、1000、100000）。"
        f["factor"] = factor if computation == Computation.RATIO else None
    if "is_share" in raw:
        f["is_share"] = raw["is_share"] in (True, "1", "true", "on", "yes", "是")
    for key in ("disaggregations", "org_levels"):
        if key in raw:
            values = _split(raw[key])
            allowed = Disaggregation.values if key == "disaggregations" else ORG_LEVELS
            unknown = [v for v in values if v not in allowed]
            if unknown:
                what = "分组维度" if key == "disaggregations" else "层级"
                bad[key] = f"未知的{what}：{'、'.join(unknown)}。"
            f[key] = values
    if Disaggregation.AGE_GROUP in f.get("disaggregations", []):
        bad["disaggregations"] = "按年龄分组的指标须列出年龄组，请在数据文件中定义。"
    if indicator is None and not f.get("org_levels"):
        f["org_levels"] = ["district"]
    if indicator is None or "lead" in text:
        lead = Department.objects.filter(code=text.get("lead", "")).first()
        if lead is None:
            bad["lead"] = f"请选择牵头单位（未知的部门代码“{text.get('lead', '')}”）。"
        f["lead"] = lead
    if "co" in raw:
        codes = _split(raw["co"])
        co = list(Department.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in co})
        if unknown:
            bad["co"] = f"未知的部门代码：{'、'.join(unknown)}。"
        f["co"] = co
    for key in ("name", "name_en", "unit", "numerator", "denominator", "source", "note"):
        if key in text:
            f[key] = text[key]
    if indicator is not None and indicator.values.exists():
        for key in DEFINING:
            if key in f and f[key] != getattr(indicator, key):
                bad[key] = (
                    "该指标已有采集数据，不能修改计量方式、计算方式或乘数；请停用后另增一个指标。"
                )
    if f.get("computation") == Computation.DIRECT:
        f["is_share"] = False
    return out


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def next_code(plan: Plan, area: Area) -> str:
    """W3-X01, C2-X02…: the plan's letter, the area, X for 扩充, a number never used before."""
    prefix = f"{plan.code[:1].upper()}{area.number}-X"
    used = Indicator.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in used if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def is_office_indicator(indicator: Indicator) -> bool:
    return indicator.origin == Origin.SUPPLEMENTARY
