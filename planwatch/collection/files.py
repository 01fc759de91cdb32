"""Reading uploaded files into rows of the canonical long format.

Accepts CSV (UTF-8 with or without BOM, or GBK/GB18030 as Chinese Excel writes it), .xlsx in
the long format, and the per-department .xlsx template (recognised by its hidden sheet).
Whatever the file, the rows come out with the row number the user sees in the spreadsheet,
either as a list or tuple of the cells in LONG_COLUMNS order (CSV, the bulk channel: cheap to
build and to unpack) or as a dict keyed by the long format's column names (Excel, and rows
that need saying something about, like one with more cells than the header).
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path

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
TEMPLATE_META_SHEET = "_meta"
XLSX_MAGIC = b"PK\x03\x04"
SAMPLE_BYTES = 4 * 1024 * 1024


class RowSource:
    """An opened file: its kind, its rows, and (for a template) what the template says."""

    def __init__(
        self, kind: str, rows: Iterator[tuple[int, Sequence | dict]], meta: dict | None = None
    ):
        self.kind = kind  # "csv" | "xlsx" | "template"
        self.rows = rows
        self.meta = meta or {}


def open_rows(path: Path, *, name: str | None = None, max_bytes: int) -> RowSource:
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(f"无法读取文件：{exc}") from exc
    if size == 0:
        raise FileRefused("文件为空")
    if size > max_bytes:
        raise FileRefused(
            f"文件过大：{size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB"
        )
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    suffix = Path(name).suffix.lower()
    if head.startswith(XLSX_MAGIC):
        if suffix not in {".xlsx", ".xlsm", ""}:
            raise FileRefused(f"文件扩展名为 {suffix}，但内容是 Excel 工作簿")
        return _open_xlsx(path)
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        raise FileRefused(
            "文件扩展名为 Excel，但内容不是有效的 .xlsx 工作簿（可能已损坏或是旧版 .xls）"
        )
    if b"\x00" in head:
        raise FileRefused("文件包含二进制内容，不是 CSV 文本文件")
    return RowSource("csv", _csv_rows(path, _detect_encoding(head)))


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # A sample cut mid-character must not count against UTF-8: drop up to 3 trailing bytes.
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            continue
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise FileRefused("无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV") from exc


def _canonical(header: list[str]) -> list[str]:
    out = []
    for raw in header:
        name = (raw or "").strip().lstrip("\ufeff")
        out.append(HEADER_ALIASES.get(name, name.lower()))
    return out


def _check_header(columns: list[str]) -> None:
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


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, dict]]:
    # Read the header eagerly so that a bad header refuses the file before any row.
    fh = path.open("r", encoding=encoding, newline="")
    reader = csv.reader(fh)
    try:
        header = next(reader)
    except StopIteration as exc:
        fh.close()
        raise FileRefused("文件没有表头") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        fh.close()
        raise FileRefused(f"无法按 {encoding} 读取文件：{exc}") from exc
    columns = _canonical(header)
    try:
        _check_header(columns)
    except FileRefused:
        fh.close()
        raise
    # Rows come out as sequences of the LONG_COLUMNS cells: the record itself when the header
    # is the long format's, else a tuple picked from it. A long-format column missing from the
    # header reads an empty cell added after the record's last, as a short record's missing
    # cells read empty cells: as a missing key would.
    width = len(columns)
    positions = [columns.index(c) if c in columns else width for c in LONG_COLUMNS]
    cells = None if positions == list(range(width)) else itemgetter(*positions)
    reach = max(positions) + 1  # the shortest record that needs no padding

    def rows():
        with fh:
            try:
                for number, record in enumerate(reader, start=2):
                    first = record[0] if record else ""
                    if not first or first.isspace():
                        # Skip the row if no cell has anything but whitespace.
                        joined = "".join(record)
                        if not joined or joined.isspace():
                            continue
                    if len(record) > width:
                        yield number, {"__extra__": record[width:]}
                        continue
                    if len(record) < reach:
                        record.extend([""] * (reach - len(record)))
                    yield number, record if cells is None else cells(record)
            except UnicodeDecodeError as exc:
                raise FileRefused(f"文件编码前后不一致（按 {encoding} 读取失败）：{exc}") from exc
            except csv.Error as exc:
                raise FileRefused(f"CSV 格式错误（第{reader.line_num}行）：{exc}") from exc

    return rows()


def _open_xlsx(path: Path) -> RowSource:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(f"Excel 文件已损坏或格式无效：{exc}") from exc
    except Exception as exc:  # openpyxl raises a zoo of errors on junk; all mean "corrupt"
        raise FileRefused(f"Excel 文件已损坏或格式无效：{type(exc).__name__}") from exc
    if TEMPLATE_META_SHEET in workbook.sheetnames:
        from planwatch.collection.xlsx_template import read_template

        return read_template(workbook)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration as exc:
        raise FileRefused("工作表为空") from exc
    columns = _canonical([_cell_text(c) for c in header])
    _check_header(columns)

    def generate():
        for number, record in enumerate(rows, start=2):
            cells = [_cell_text(c) for c in record]
            if not any(cells):
                continue
            yield number, dict(zip(columns, cells, strict=False))
        workbook.close()

    return RowSource("xlsx", generate())


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def rows_to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, LONG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
