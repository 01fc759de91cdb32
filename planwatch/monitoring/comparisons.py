"""Each indicator's gaps between groups (female/male, urban/rural, in the district) and its
townships' ranking: derived at recompute from the values that count, stored, and read by
pages and reports as they are."""

from collections import defaultdict

from django.db.models import Q

from planwatch.catalog.models import Indicator
from planwatch.collection.models import DataValue
from planwatch.evaluation.english import RESIDENCE_WORDS_EN, SEX_WORDS_EN, gap_en
from planwatch.evaluation.gaps import pair_gap, rank_units
from planwatch.evaluation.vocabulary import RESIDENCE_WORDS, SEX_WORDS
from planwatch.monitoring.models import Comparison

# (axis, the two groups, their Chinese labels): the order pages show them in.
PAIRS = (
    ("sex", ("female", "male"), (SEX_WORDS["female"], SEX_WORDS["male"])),
    ("residence", ("urban", "rural"), (RESIDENCE_WORDS["urban"], RESIDENCE_WORDS["rural"])),
)


def store_comparisons(as_of_year, preview, indicator_ids, townships: dict, district_id) -> None:
    """Replace the stored comparisons as of `as_of_year` (of `indicator_ids`, or all)."""

    indicators = Indicator.objects.all()
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=list(indicator_ids))
    indicators = {i.pk: i for i in indicators}
    values = (
        DataValue.objects.counted(preview=preview)
        .filter(indicator_id__in=list(indicators), year__lte=as_of_year, age_group="")
        .filter(
            Q(org_unit_id=district_id) & ~Q(sex="", residence="")
            | Q(org_unit_id__in=list(townships), sex="", residence="")
        )
        .order_by("year")
        .values_list("indicator_id", "org_unit_id", "sex", "residence", "year", "value")
    )
    groups = defaultdict(dict)  # (indicator, sex, residence) -> {year: value}, district only
    latest = defaultdict(dict)  # indicator -> {township pk: (year, value)}
    for ind, unit, sex, res, year, value in values.iterator():
        if unit == district_id:
            groups[(ind, sex, res)][year] = value
        else:
            latest[ind][unit] = (year, value)
    rows = []
    for pk, indicator in indicators.items():
        gaps = {}
        for axis, (a, b), labels in PAIRS:
            if axis not in indicator.disaggregations:
                continue
            first = groups.get((pk, *_group(axis, a)), {})
            second = groups.get((pk, *_group(axis, b)), {})
            if first or second:
                gap = pair_gap(
                    first,
                    second,
                    a_label=labels[0],
                    b_label=labels[1],
                    scale=indicator.scale,
                    unit=indicator.value_suffix,
                )
                stored = gap.to_dict()
                english = [(SEX_WORDS_EN | RESIDENCE_WORDS_EN)[code] for code in (a, b)]
                stored["explanation_en"] = gap_en(
                    stored, *english, indicator.scale, indicator.value_suffix
                )
                gaps[axis] = {"a": first, "b": second, "gap": stored}
        ranking = None
        if latest.get(pk):
            found = {townships[unit]: value for unit, (_, value) in latest[pk].items()}
            ranked = rank_units(found, lower_is_better=indicator.direction == "lower")
            ranking = {
                "entries": [
                    {"rank": e.rank, "unit": e.unit, "value": e.value} for e in ranked.entries
                ],
                "spread": ranked.spread,
                "best": ranked.best.unit if ranked.best else None,
                "worst": ranked.worst.unit if ranked.worst else None,
                "years": sorted({year for year, _ in latest[pk].values()}),
            }
        if gaps or ranking:
            rows.append(
                Comparison(
                    indicator_id=pk,
                    as_of_year=as_of_year,
                    preview=preview,
                    gaps=gaps,
                    ranking=ranking,
                )
            )
    stale = Comparison.objects.filter(as_of_year=as_of_year, preview=preview)
    if indicator_ids is not None:
        stale = stale.filter(indicator_id__in=list(indicators))
    stale.delete()
    Comparison.objects.bulk_create(rows, batch_size=500)


def _group(axis: str, value: str) -> tuple[str, str]:
    return (value, "") if axis == "sex" else ("", value)


def stored_comparison(indicator, year: int, *, preview: bool = False) -> dict:
    """{"gaps": {axis: {"a", "b", "gap"}}, "ranking": dict | None} as stored by the recompute
    as of `year`; years are ints again (JSON keeps them as strings)."""
    found = Comparison.objects.filter(indicator=indicator, as_of_year=year, preview=preview).first()
    if found is None:
        return {"gaps": {}, "ranking": None}
    gaps = {
        axis: {**pair, "a": _years(pair["a"]), "b": _years(pair["b"])}
        for axis, pair in found.gaps.items()
    }
    return {"gaps": gaps, "ranking": found.ranking}


def _years(mapping: dict) -> dict:
    return {int(year): value for year, value in mapping.items()}
