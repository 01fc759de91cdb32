"""Rebuild planwatch/catalog/data/national.csv from a reference list of national values.

    python tools/build_national.py REFERENCE.csv

The reference list (plan, area, indicator_zh, unit, year, value, source) records national
values read from the NBS 纲要 statistical monitoring reports. Only rows whose statistic has the
district indicator's definition (MATCH) and whose source is a monitoring report without a
check mark are kept; the others are printed so that data/national.md can say why.
"""

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "planwatch" / "catalog" / "data" / "national.csv"
MATCH = {
    ("妇女", "孕产妇死亡率"): "W1-01",
    ("妇女", "艾滋病母婴传播率"): "W1-04",
    ("妇女", "孕产妇系统管理率"): "W1-10",
    ("妇女", "城镇非私营单位就业人员中女性比重"): "W3-02",
    ("妇女", "村委会成员中女性比例"): "W4-02",
    ("儿童", "新生儿死亡率"): "C1-02",
    ("儿童", "婴儿死亡率"): "C1-03",
    ("儿童", "5岁以下儿童死亡率"): "C1-04",
    ("儿童", "0—6岁儿童眼保健和视力检查覆盖率"): "C1-11",
    ("儿童", "小学生近视率"): "C1-08",
    ("儿童", "初中生近视率"): "C1-09",
    ("儿童", "每千人口拥有3岁以下婴幼儿托位数"): "C1-12",
    ("儿童", "每千名儿童拥有儿科执业(助理)医生数"): "C1-13",
    ("儿童", "中小学生《国家学生体质健康标准》达标优良比例"): "C1-15",
    ("儿童", "新生儿访视率"): "C1-18",
    ("儿童", "3岁以下儿童系统管理率"): "C1-19",
    ("儿童", "7岁以下儿童健康管理率"): "C1-20",
    ("儿童", "学前教育毛入园率"): "C3-01",
    ("儿童", "九年义务教育巩固率"): "C3-02",
}
FLAGS = ("[非监测报告]", "待核", "非官方", "同义词")


def main(reference: str) -> None:
    rows = []
    with open(reference, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = MATCH.get((row["plan"], row["indicator_zh"]))
            if code is None:
                continue
            source = row["source"]
            if any(flag in source for flag in FLAGS):
                print("left out:", code, row["year"], row["value"], source.split(";")[0])
                continue
            url = re.search(r"https?://www\.stats\.gov\.cn/\S+", source)
            rows.append(
                {
                    "indicator": code,
                    "year": row["year"],
                    "value": row["value"],
                    "unit": row["unit"],
                    "national_name": row["indicator_zh"],
                    "source": source.split(";")[0].strip(),
                    "url": url.group(0).replace("http://", "https://") if url else "",
                }
            )
    rows.sort(key=lambda r: (r["indicator"], int(r["year"])))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
