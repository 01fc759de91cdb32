"""Extract areas, objectives and measures from the plans' source text (a one-off dev tool).

The catalog data files under planwatch/catalog/data/ were first generated with this script
from the extracted PDF text and then curated by hand (indicators, targets, departments).
It is kept so that anyone can re-check the verbatim texts against the source:

    python tools/extract_plan_text.py ../shared/seed/000_865f18c5c55f9d8b.txt --check

The product never reads the source text at run time.
"""

import argparse
import json
import re
import sys
from pathlib import Path

PLAN_HEADINGS = {
    "women": "双阳区妇女发展规划（2021-2030年）",
    "children": "双阳区儿童发展规划（2021-2030年）",
}
AREA_RE = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(\S.*)$")
ITEM_RE = re.compile(r"^(?:-\s*)?(\d+)\s*[.．、]\s*(.*)$")
SECTION_GOALS = re.compile(r"^主要目标\s*[:：]\s*$")
SECTION_MEASURES = re.compile(r"^策略措施\s*[:：]\s*$")
PART_RE = re.compile(r"^[一二三四五六七八九十]+、")
SENTENCE_END = "。；！？”"
MIN_BROKEN_LINE = 25


def _paragraphs(lines):
    """Yield (first line number, text) with page-break continuations joined."""
    buf, start, last = None, 0, ""
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        # A page break leaves a long line cut mid-sentence; a short unpunctuated line is a
        # heading or a signature and never continues into the next paragraph.
        starts_new = (
            buf is None
            or len(last) < MIN_BROKEN_LINE
            or buf[-1] in SENTENCE_END
            or buf.endswith(("：", ":"))
            or AREA_RE.match(line)
            or SECTION_GOALS.match(line)
            or SECTION_MEASURES.match(line)
            or PART_RE.match(line)
            or ITEM_RE.match(line)
            or line in PLAN_HEADINGS.values()
        )
        if starts_new:
            if buf is not None:
                yield start, buf
            buf, start = line, number
        else:
            buf += line
        last = line
    if buf is not None:
        yield start, buf


def extract(text: str) -> dict:
    lines = text.split("\n")
    plans: dict[str, dict] = {}
    plan = None
    area = None
    section = None
    in_areas = False
    for lineno, para in _paragraphs(lines):
        for key, heading in PLAN_HEADINGS.items():
            if para == heading:
                plan = plans.setdefault(key, {"plan": key, "name": heading, "areas": []})
                in_areas = False
        if plan is None:
            continue
        if PART_RE.match(para):
            in_areas = para.startswith("二、")
            area = None
            continue
        if not in_areas:
            continue
        m = AREA_RE.match(para)
        if m and len(para) < 30:
            area = {
                "number": len(plan["areas"]) + 1,
                "name": m.group(2).strip(),
                "objectives": [],
                "measures": [],
            }
            plan["areas"].append(area)
            section = None
            continue
        if SECTION_GOALS.match(para):
            section = "objectives"
            continue
        if SECTION_MEASURES.match(para):
            section = "measures"
            continue
        m = ITEM_RE.match(para)
        if m and area is not None and section:
            item = {"number": int(m.group(1)), "text": m.group(2).strip(), "line": lineno}
            if section == "measures":
                item["title"] = item["text"].split("。", 1)[0]
            area[section].append(item)
    return plans


def check(plans: dict) -> list[str]:
    problems = []
    for plan in plans.values():
        for area in plan["areas"]:
            for section in ("objectives", "measures"):
                numbers = [item["number"] for item in area[section]]
                if numbers != list(range(1, len(numbers) + 1)):
                    problems.append(f"{plan['plan']} {area['name']} {section}: {numbers}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("--check", action="store_true", help="only report numbering problems")
    args = parser.parse_args()
    plans = extract(args.source.read_text(encoding="utf-8"))
    problems = check(plans)
    if args.check:
        for plan in plans.values():
            for area in plan["areas"]:
                print(
                    plan["plan"],
                    area["number"],
                    area["name"],
                    len(area["objectives"]),
                    len(area["measures"]),
                )
        print("\n".join(problems) or "numbering ok")
        return 1 if problems else 0
    json.dump(plans, sys.stdout, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
