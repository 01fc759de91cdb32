"""The long format — one value a row — as every door reads and writes it: the columns, the
Chinese headers people type in their own sheets, and numbers and cells as text.

Import (CSV, .xlsx, the template, typed rows) and export (CSV, JSON, .xlsx, DHIS2) both use
this module and nothing else for it, so that export → import round-trips exactly. It imports
nothing of the collection but the problems, so any reader or writer may import it.
"""

from planwatch.collection.problems import FileRefused

LONG_COLUMNS = [
    "indicator",
    "org_unit",
    "year",
    "sex",
    "age_group",
    "residence",
    "value",
    "numerator",
    "denominator",
    "comment",
]
REQUIRED_COLUMNS = {"indicator", "org_unit", "year"}
# Chinese headers people type in their own sheets map onto the canonical names.
HEADER_ALIASES = {
    "指标代码": "indicator",
    "指标": "indicator",
    "组织单位代码": "org_unit",
    "区划代码": "org_unit",
    "年份": "year",
    "年度": "year",
    "性别": "sex",
    "年龄组": "age_group",
    "城乡": "residence",
    "数值": "value",
    "值": "value",
    "分子": "numerator",
    "分母": "denominator",
    "说明": "comment",
    "备注": "comment",
}
NUMBER_COLUMNS = (6, 7, 8)  # value, numerator, denominator in LONG_COLUMNS


def canonical(header: list[str]) -> list[str]:
    """A header row as the long format's column names (aliases and case folded)."""
    out = []
    for raw in header:
        name = (raw or "").strip().lstrip("\ufeff")
        out.append(HEADER_ALIASES.get(name, name.lower()))
    return out


def check_header(columns: list[str]) -> None:
    missing = [c for c in LONG_COLUMNS if c in REQUIRED_COLUMNS and c not in columns]
    if missing:
        raise FileRefused(
            "表头缺少必需的列：" + "、".join(missing) + "（应为 " + ",".join(LONG_COLUMNS) + "）"
        )
    if "value" not in columns and not {"numerator", "denominator"} <= set(columns):
        raise FileRefused("表头缺少 value 列（或 numerator 与 denominator 列）")
    seen = set()
    for c in columns:
        if c and c in seen:
            raise FileRefused(f"表头中 “{c}” 列重复")
        seen.add(c)


def number_text(value: float | None) -> str:
    """A stored number as text: the shortest that reads back as the same float."""
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def cell_text(cell) -> str:
    """A spreadsheet cell (openpyxl's value) as the text the importer reads."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def cells_of(code, unit, year, sex, age, residence, value, numerator, denominator, comment):
    """A stored value's fields as the long format's text cells (an export row)."""
    return [
        code,
        unit,
        str(year),
        sex,
        age,
        residence,
        number_text(value),
        number_text(numerator),
        number_text(denominator),
        comment,
    ]


def typed_cells(cells: list[str]) -> list:
    """Text cells with the year and the numbers as numbers (JSON and .xlsx exports)."""
    out = list(cells)
    out[2] = int(out[2])
    for i in NUMBER_COLUMNS:
        out[i] = float(out[i]) if out[i] else None
    return out
