"""State changes on the catalog, each atomic and audited. Pages, API and CLI call these."""

from django.db import transaction

from planwatch.audit.models import Channel, record
from planwatch.catalog import supplementary
from planwatch.catalog.models import Indicator, Origin


@transaction.atomic
def set_responsibility(item, lead, co, *, by, channel=Channel.WEB, reason=""):
    """Change who answers for an indicator, objective or measure."""
    before = item.department_codes()
    item.lead_department = lead
    item.save(update_fields=["lead_department"])
    item.co_departments.set([d for d in co if d != lead])
    after = item.department_codes()
    if before != after:
        record(
            user=by,
            action="set_responsibility",
            obj_type=item._meta.model_name,
            key=getattr(item, "code", None) or str(item.pk),
            old=before,
            new=after,
            channel=channel,
            reason=reason,
        )
    return item


class IndicatorRefused(ValueError):
    """Bad input: nothing was written; `problems` maps each field to its Chinese message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("；".join(f"{k}：{v}" for k, v in problems.items()))


SNAPSHOT_FIELDS = (
    "name", "name_en", "scale", "unit", "direction", "computation", "numerator",
    "denominator", "factor", "is_share", "disaggregations", "org_levels", "note",
    "origin_source", "retired",
)  # fmt: skip


def _snapshot(indicator) -> dict:
    out = {name: getattr(indicator, name) for name in SNAPSHOT_FIELDS}
    out["area"] = f"{indicator.plan.code}-{indicator.area.number}"
    out["departments"] = indicator.department_codes()
    return out


def _apply(indicator, fields: dict) -> None:
    for name in ("name", "name_en", "scale", "unit", "direction", "computation"):
        if name in fields:
            setattr(indicator, name, fields[name])
    for name in ("numerator", "denominator", "factor", "is_share", "note"):
        if name in fields:
            setattr(indicator, name, fields[name])
    for name in ("disaggregations", "org_levels"):
        if name in fields:
            setattr(indicator, name, fields[name])
    if "source" in fields:
        indicator.origin_source = fields["source"]
    if fields.get("lead") is not None:
        indicator.lead_department = fields["lead"]


@transaction.atomic
def add_indicator(raw: dict, *, by, channel=Channel.WEB, reason=""):
    """The plan office adds a 扩充调整指标 (no numeric target); audited."""
    cleaned = supplementary.clean(raw)
    if not cleaned.ok:
        raise IndicatorRefused(cleaned.problems)
    f = cleaned.fields
    indicator = Indicator(
        code=supplementary.next_code(f["plan"], f["area"]),
        plan=f["plan"],
        area=f["area"],
        origin=Origin.SUPPLEMENTARY,
    )
    _apply(indicator, f)
    indicator.save()
    indicator.co_departments.set([d for d in f.get("co", []) if d != indicator.lead_department])
    record(
        user=by,
        action="add_indicator",
        obj_type="indicator",
        key=indicator.code,
        new=_snapshot(indicator),
        channel=channel,
        reason=reason or f.get("source", ""),
    )
    return indicator


def _office_own(indicator) -> None:
    if not supplementary.is_office_indicator(indicator):
        raise IndicatorRefused(
            {
                "code": f"{indicator.code}是规划或纲要监测指标，由数据文件维护，"
                "不能在平台中修改或停用。"
            }
        )


@transaction.atomic
def edit_indicator(indicator, raw: dict, *, by, channel=Channel.WEB, reason=""):
    """Change a 扩充调整指标's definition or responsibility; audited when anything changed."""
    _office_own(indicator)
    if indicator.retired:
        raise IndicatorRefused({"code": f"{indicator.code}已停用，不能修改。"})
    cleaned = supplementary.clean(raw, indicator=indicator)
    if not cleaned.ok:
        raise IndicatorRefused(cleaned.problems)
    before = _snapshot(indicator)
    _apply(indicator, cleaned.fields)
    indicator.save()
    if "co" in cleaned.fields or "lead" in cleaned.fields:
        co = cleaned.fields.get("co", list(indicator.co_departments.all()))
        indicator.co_departments.set([d for d in co if d != indicator.lead_department])
    after = _snapshot(indicator)
    if before != after:
        record(
            user=by,
            action="edit_indicator",
            obj_type="indicator",
            key=indicator.code,
            old=before,
            new=after,
            channel=channel,
            reason=reason,
        )
    return indicator


@transaction.atomic
def retire_indicator(indicator, *, by, channel=Channel.WEB, reason=""):
    """Stop monitoring a 扩充调整指标; its collected values stay (they are history)."""
    _office_own(indicator)
    if not str(reason).strip():
        raise IndicatorRefused({"reason": "请说明停用理由。"})
    if indicator.retired:
        raise IndicatorRefused({"code": f"{indicator.code}已停用。"})
    indicator.retired = True
    indicator.save(update_fields=["retired"])
    record(
        user=by,
        action="retire_indicator",
        obj_type="indicator",
        key=indicator.code,
        old={"retired": False},
        new={"retired": True},
        channel=channel,
        reason=reason,
    )
    return indicator
