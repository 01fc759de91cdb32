"""Merge an indicator into another when both plans turn out to monitor the same statistic.

Collected data moves to the kept indicator; where both held a value for the same series and
year and the two differ, the kept indicator's value stays (the one its lead department
reported under the surviving code), the other is written into the value's history with the
reason, and the audit entry lists every such conflict for the plan office to check. Results
of the affected targets are cleared because they were computed from two series: the next
`planwatch recompute` writes them again from the one.

Written against an app registry (`apps`) so that a migration can run it on historical models.
"""

from django.utils import timezone

SERIES_KEY = ("org_unit_id", "year", "sex", "age_group", "residence")
DHIS2_KEY = ("sex", "age_group", "residence", "part")


def merge_indicator(apps, kept_code: str, gone_code: str) -> dict | None:
    Indicator = apps.get_model("catalog", "Indicator")
    kept = Indicator.objects.filter(code=kept_code).first()
    gone = Indicator.objects.filter(code=gone_code).first()
    if kept is None or gone is None:
        return None
    now = timezone.now()
    summary = {"moved_values": 0, "identical_values": 0, "conflicts": [], "dhis2_dropped": []}
    _merge_values(apps, kept, gone, now, summary)
    apps.get_model("collection", "ValueChange").objects.filter(indicator_id=gone.pk).update(
        indicator_id=kept.pk
    )
    _merge_dhis2(apps, kept, gone, summary)
    _merge_publication(apps, kept, gone)
    Target = apps.get_model("catalog", "Target")
    summary["targets"] = sorted(
        Target.objects.filter(indicator_id=gone.pk).values_list("code", flat=True)
    )
    Target.objects.filter(indicator_id=gone.pk).update(indicator_id=kept.pk)
    SeriesResult = apps.get_model("monitoring", "SeriesResult")
    cleared = SeriesResult.objects.filter(target__indicator_id=kept.pk)
    summary["results_cleared"] = cleared.count()
    cleared.delete()
    gone.delete()
    apps.get_model("audit", "AuditEntry").objects.create(
        at=now,
        action="merge_indicator",
        object_type="indicator",
        object_key=f"{gone_code}→{kept_code}",
        old={"code": gone_code, "name": gone.name, "plan_id": gone.plan_id},
        new=summary,
        channel="system",
        reason=(
            f"两个规划共用同一统计指标：{gone_code} 并入 {kept_code}（一个指标、一个数列）。"
            f"两者同一数列同一年份的值不同之处保留 {kept_code} 的值，另一值记入历史；"
            "评估结果待重新计算（planwatch recompute）。"
        ),
    )
    return summary


def _merge_values(apps, kept, gone, now, summary) -> None:
    DataValue = apps.get_model("collection", "DataValue")
    ValueChange = apps.get_model("collection", "ValueChange")
    existing = {
        tuple(getattr(v, f) for f in SERIES_KEY): v
        for v in DataValue.objects.filter(indicator_id=kept.pk)
    }
    history = []
    for value in DataValue.objects.filter(indicator_id=gone.pk).order_by("pk"):
        key = tuple(getattr(value, f) for f in SERIES_KEY)
        other = existing.get(key)
        if other is None:
            value.indicator_id = kept.pk
            value.save(update_fields=["indicator"])
            summary["moved_values"] += 1
            continue
        same = (other.value, other.numerator, other.denominator) == (
            value.value,
            value.numerator,
            value.denominator,
        )
        if same:
            summary["identical_values"] += 1
        else:
            summary["conflicts"].append(
                {
                    "org_unit_id": value.org_unit_id,
                    "year": value.year,
                    "group": "/".join(x for x in key[2:] if x),
                    "kept": other.value,
                    "dropped": value.value,
                }
            )
            history.append(
                ValueChange(
                    indicator_id=kept.pk,
                    org_unit_id=value.org_unit_id,
                    year=value.year,
                    sex=value.sex,
                    age_group=value.age_group,
                    residence=value.residence,
                    old_value=value.value,
                    new_value=other.value,
                    old_numerator=value.numerator,
                    new_numerator=other.numerator,
                    old_denominator=value.denominator,
                    new_denominator=other.denominator,
                    channel="system",
                    at=now,
                    reason=(
                        f"指标合并 {gone.code}→{kept.code}：{gone.code} 报送的值 {value.value:g} "
                        f"与 {kept.code} 的值 {other.value:g} 不同，保留 {kept.code} 的值"
                    ),
                )
            )
        value.delete()
    ValueChange.objects.bulk_create(history)


def _merge_dhis2(apps, kept, gone, summary) -> None:
    Mapping = apps.get_model("exchange", "Dhis2DataElement")
    taken = {
        tuple(getattr(m, f) for f in DHIS2_KEY)
        for m in Mapping.objects.filter(indicator_id=kept.pk)
    }
    for mapping in Mapping.objects.filter(indicator_id=gone.pk):
        if tuple(getattr(mapping, f) for f in DHIS2_KEY) in taken:
            summary["dhis2_dropped"].append(
                f"{mapping.data_element}.{mapping.category_option_combo}"
            )
            mapping.delete()
        else:
            mapping.indicator_id = kept.pk
            mapping.save(update_fields=["indicator"])


def _merge_publication(apps, kept, gone) -> None:
    Published = apps.get_model("exchange", "PublishedIndicator")
    mine = Published.objects.filter(indicator_id=kept.pk).first()
    theirs = Published.objects.filter(indicator_id=gone.pk).first()
    if theirs is None:
        return
    if mine is None:
        theirs.indicator_id = kept.pk
        theirs.save(update_fields=["indicator"])
        return
    mine.from_year = min(mine.from_year, theirs.from_year)
    mine.to_year = max(mine.to_year, theirs.to_year)
    mine.save(update_fields=["from_year", "to_year"])
    theirs.delete()
