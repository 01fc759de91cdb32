"""The reports' account of the 预警通报 issued and the state of each 整改 item: the annual
report's of its monitoring year, the mid-term and final evaluations' of every year since the
plan began (what was done about the warnings is part of what is evaluated).

The snapshot part is read from the stored bulletins and items (their state on the day the
snapshot is taken); the chapter prints only what the snapshot holds."""

from django.db.models import Q
from django.utils import timezone

from planwatch.accounts.notices import official_date
from planwatch.catalog.models import Target
from planwatch.rectification.models import TRACKING_LABELS, Bulletin, RectificationItem

STATE_ORDER = ["closed", "answered", "returned", "open", "overdue"]


def snapshot_part(plan, year: int, department=None, *, since: int | None = None) -> dict:
    """Bulletins on `year`'s monitoring (on `since`…`year`'s, for an evaluation) with their
    items of this plan's targets."""
    today = timezone.localdate()
    codes = Target.objects.filter(area__plan=plan).values("code")
    years = Q(bulletin__monitoring_year=year)
    if since is not None:
        years = Q(bulletin__monitoring_year__gte=since, bulletin__monitoring_year__lte=year)
    items = (
        RectificationItem.objects.filter(years, target_code__in=codes)
        .select_related("bulletin", "department", "indicator")
        .order_by("bulletin__year", "bulletin__number", "department__sort", "sort", "pk")
    )
    if department is not None:
        items = items.filter(Q(department=department))
    items = list(items)
    bulletins = Bulletin.objects.filter(pk__in={i.bulletin_id for i in items}).order_by(
        "year", "number"
    )
    part = {
        "as_of": today.isoformat(),
        "bulletins": [
            {
                "number": b.document_number,
                "title": b.title,
                "issued_on": b.issued_on.isoformat(),
                "due_on": b.due_on.isoformat(),
            }
            for b in bulletins
        ],
        "items": [
            {
                "bulletin": i.bulletin.document_number,
                "department": i.department.name,
                "indicator": i.indicator.code,
                "indicator_name": i.indicator.name,
                "level_label": i.level_label,
                "state": i.tracking_state(today),
                "measures": i.measures,
                "complete_by": i.complete_by.isoformat() if i.complete_by else None,
            }
            for i in items
        ],
    }
    if since is not None:  # only then: annual snapshots keep their shape (and their hashes)
        part["since"] = since
    return part


def _date(iso: str) -> str:
    import datetime

    return official_date(datetime.date.fromisoformat(iso))


def chapter(doc, snapshot) -> None:
    part = snapshot.get("rectification") or {"bulletins": [], "items": []}
    year = snapshot["year"]
    since = part.get("since", year)
    period = f"{since}—{year}年度" if since < year else f"{year}年度"
    doc.heading1("预警通报与整改落实情况")
    bulletins, items = part["bulletins"], part["items"]
    if not bulletins:
        doc.paragraph(f"截至报告生成时，区妇儿工委办未就{period}监测预警印发预警通报。")
        return
    numbers = "、".join(b["number"] for b in bulletins)
    counts = {s: sum(1 for i in items if i["state"] == s) for s in STATE_ORDER}
    states = "，".join(f"{TRACKING_LABELS[s]}{counts[s]}项" for s in STATE_ORDER if counts[s])
    departments = len({i["department"] for i in items})
    doc.paragraph(
        ("规划实施以来，" if "since" in part else "")
        + f"区妇儿工委办就{period}监测预警印发预警通报{len(bulletins)}份（{numbers}），"
        f"通报预警指标{len(items)}项，涉及{departments}个成员单位。"
        f"截至{_date(part['as_of'])}，{states}。"
    )
    doc.caption(f"{period}预警通报整改落实情况", table=True)
    doc.table(
        [
            "序号",
            "通报文号",
            "责任单位",
            "监测指标",
            "预警级别",
            "整改措施",
            "完成时限",
            "督办状态",
        ],
        [
            [
                n,
                i["bulletin"],
                i["department"],
                f"{i['indicator_name']}（{i['indicator']}）",
                i["level_label"],
                i["measures"] or "—",
                _date(i["complete_by"]) if i["complete_by"] else "—",
                TRACKING_LABELS[i["state"]],
            ]
            for n, i in enumerate(items, start=1)
        ],
        [9, 24, 17, 26, 14, 40, 18, 18],
        numeric=(0,),
    )
