"""主要成效 / 存在问题 / 对策建议 drafted from the data, for the plan office to edit.

The sentences follow the county monitoring reports' usual wording and are built only from the
snapshot (stored results, warnings, gaps, national values). Whatever the office has written in
the platform replaces the draft; the draft is what the sections page offers to start from.
"""

from collections import defaultdict

from planwatch.catalog import numbers
from planwatch.reports import labels
from planwatch.reports.facts import Line, lines_of

MAX_NAMED = 4


def _names(lines: list[Line]) -> str:
    names = list(dict.fromkeys(line.indicator["name"] for line in lines))
    text = "、".join(names[:MAX_NAMED])
    return f"{text}等{len(names)}项指标" if len(names) > MAX_NAMED else text


def _figure(line: Line) -> str:
    return numbers.value(line.value, line.indicator.get("scale"), line.indicator["unit"])


def _against_national(line: Line) -> str:
    point = line.national
    if point is None or line.value is None:
        return ""
    better = line.indicator["direction"] == "lower"
    d = line.value - point["value"]
    if numbers.number(abs(d), line.decimals).strip("0.") == "":
        return "，与全国水平持平"
    above = d > 0
    word = "低于" if not above else "高于"
    good = above != better
    tail = "，好于全国水平" if good else "，与全国水平尚有差距"
    nat = numbers.value(point["value"], line.indicator.get("scale"), line.indicator["unit"])
    return f"，{word}全国（{point['year']}年{nat}）{tail}"


def achievements(snapshot) -> str:
    year = snapshot["year"]
    lines = lines_of(snapshot)
    good = [
        line for line in lines if line.status in ("attained", "on_track") and not line.directional
    ]
    # a directional target is an achievement once its change is significant, not before
    reached = [line for line in lines if line.directional and line.status == "attained"]
    better = [line for line in reached if line.target.get("comparator") != "maintain_high"]
    held = [line for line in reached if line.target.get("comparator") == "maintain_high"]
    if not good and not reached:
        return ""
    paragraphs = []
    if good:
        paragraphs.append(
            f"截至{year}年，在监测的量化目标中，{len(good)}项已实现或按进度可如期实现，"
            f"主要体现在{_names(good)}。"
        )
    if better:
        paragraphs.append(
            f"在方向性目标中，{_names(better)}较基期明显改善，已实现规划提出的变化方向。"
        )
    if held:
        paragraphs.append(f"{_names(held)}较基期未见明显下降，保持在较高水平。")
    for line in good[:MAX_NAMED]:
        if line.value is None:
            continue
        change = ""
        if line.change_on_base is not None:
            change = "，较基期" + numbers.change(
                line.change_on_base, line.indicator.get("scale"), line.indicator["unit"]
            )
        paragraphs.append(
            f"{line.indicator['name']}{year}年为{_figure(line)}{change}{_against_national(line)}。"
        )
    return "\n".join(paragraphs)


def problems(snapshot) -> str:
    year = snapshot["year"]
    paragraphs = []
    by_area = defaultdict(list)
    for line in lines_of(snapshot):
        if line.status in labels.AT_RISK:
            by_area[line.area["name"]].append(line)
    for area, lines in by_area.items():
        behind = [line for line in lines if line.status != "regressing" and not line.directional]
        flat = [line for line in lines if line.status != "regressing" and line.directional]
        back = [line for line in lines if line.status == "regressing"]
        parts = []
        if behind:
            parts.append(f"{_names(behind)}进展慢于预期，按现有速度难以如期达标")
        if flat:
            parts.append(f"{_names(flat)}较基期尚未见改善")
        if back:
            parts.append(f"{_names(back)}较基期出现退步")
        # the gap to a target needs a number: a directional target has none
        first = next((line for line in lines if not line.directional), None)
        detail = ""
        if first is not None and first.value is not None:
            detail = (
                f"。如{first.indicator['name']}{year}年为{_figure(first)}，"
                f"距目标（{first.target['text']}）仍有差距"
            )
        paragraphs.append(f"{area}领域，{'；'.join(parts)}{detail}。")
    gaps = snapshot.get("missing") or []
    n = sum(len(d["items"]) for d in gaps)
    if n:
        depts = "、".join(d["name"] for d in gaps[:MAX_NAMED])
        paragraphs.append(
            f"数据报送不够及时完整。{year}年有{n}项指标数据缺报，涉及{depts}"
            f"{'等' if len(gaps) > MAX_NAMED else ''}{len(gaps)}个部门，影响监测评估的完整性。"
        )
    return "\n".join(paragraphs)


def recommendations(snapshot) -> str:
    paragraphs = []
    by_lead = defaultdict(list)
    for line in lines_of(snapshot):
        if line.status in labels.AT_RISK:
            by_lead[line.indicator["lead"] or "各成员单位"].append(line)
    for lead, lines in by_lead.items():
        paragraphs.append(
            f"{lead}要针对{_names(lines)}，深入分析原因，细化工作措施，加大推进力度，"
            "确保如期实现规划目标。"
        )
    if snapshot.get("missing"):
        paragraphs.append(
            "各成员单位要落实数据报送责任，按时、准确、完整报送监测数据，"
            "对缺报指标及时补报，统计部门加强审核把关。"
        )
    if paragraphs:
        paragraphs.append(
            "区妇儿工委办要加强统筹协调和跟踪督导，对预警指标实行清单管理，定期通报进展。"
        )
    return "\n".join(paragraphs)


DRAFTERS = {
    "achievements": achievements,
    "problems": problems,
    "recommendations": recommendations,
}


def drafts(snapshot) -> dict[str, str]:
    return {key: draft(snapshot) for key, draft in DRAFTERS.items()}
