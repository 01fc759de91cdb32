"""Reading uploaded files into rows of the canonical long format.

Accepts CSV (UTF-8 with or without BOM, or GBK/GB18030 as Chinese Excel writes it), .xlsx in
the long format, and the per-department .xlsx template (recognised by its hidden sheet).
Whatever the file, it comes out as a RowSource (collection/sources.py) whose rows carry the row
number the user sees in the spreadsheet,
either as a list or tuple of the cells in LONG_COLUMNS order (CSV, the bulk channel: cheap to
build and to unpack) or as a dict keyed by the long format's column names (Excel, and rows
that need saying something about, like one with more cells than the header).
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path

from planwatch.collection.long_format import LONG_COLUMNS, canonical, cell_text, check_header
from planwatch.collection.problems import FileRefused
from planwatch.collection.sources import RowSource
from planwatch.collection.xlsx_template import TEMPLATE_META_SHEET, read_template

XLSX_MAGIC = b"PK\x03\x04"
SAMPLE_BYTES = 4 * 1024 * 1024


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
        text = head.decode("gb18030")
    except UnicodeDecodeError:
        # A sample cut mid-character: try without the last byte before giving up.
        try:
            text = head[:-1].decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FileRefused(UNKNOWN_ENCODING) from exc
    if not _looks_chinese(text):
        raise FileRefused(UNKNOWN_ENCODING)
    return "gb18030"


UNKNOWN_ENCODING = (
    "无法识别文件编码（不是 UTF-8，按 GBK 读出的也不像中文，可能是 Shift-JIS 等其他编码）："
    "请保存为 UTF-8 或 GBK 编码的 CSV"
)


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes, so a successful decode proves nothing: a Shift-JIS
    file comes out as rare characters of GBK's extension zones. Chinese text from Chinese
    Excel is nearly all in GB2312 (the 6,763 common characters and its punctuation); a file
    whose non-ASCII characters are mostly outside it is refused rather than read as mojibake."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return True
    outside = 0
    for c in wide:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            outside += 1
    return outside <= 0.2 * len(wide)


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
    columns = canonical(header)
    try:
        check_header(columns)
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
    max_rows = _limits()["rows"] + 1  # and the header

    def rows():
        with fh:
            try:
                for number, record in enumerate(reader, start=2):
                    if number > max_rows:
                        raise FileRefused(f"文件超过 {max_rows - 1} 行的上限（请拆分文件）")
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


def _limits():
    from django.conf import settings

    return settings.PLANWATCH_IMPORT_LIMITS


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB"


def unpacked_size(path: Path) -> int:
    """What reading the file means reading: its size, or for a workbook (a zip) the sum of
    its members' sizes as the zip's directory states them (a zip bomb is small only packed)."""
    try:
        with path.open("rb") as fh:
            if fh.read(4) != XLSX_MAGIC:
                return path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return path.stat().st_size if path.exists() else 0


def inspect_xlsx(path: Path) -> None:
    """Refuse a workbook whose parts would take too much memory or time to read, from the
    zip's directory and the sheet's stated dimension alone, before any XML is parsed."""
    limits = _limits()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRefused(f"Excel 文件已损坏或格式无效：{exc}") from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits["xlsx_members"]:
            raise FileRefused(
                f"Excel 文件包含 {len(members)} 个部件，超过上限 {limits['xlsx_members']} 个"
            )
        total = sum(m.file_size for m in members)
        if total > limits["xlsx_unpacked_bytes"]:
            raise FileRefused(
                f"Excel 文件解压后为 {_mb(total)}，超过上限 {_mb(limits['xlsx_unpacked_bytes'])}"
                "（请拆分文件或改用 CSV）"
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1048576 and ratio > limits["xlsx_ratio"]:
                raise FileRefused(
                    f"Excel 文件的部件 {member.filename} 压缩比为 {ratio:.0f}:1，超过上限 "
                    f"{limits['xlsx_ratio']}:1（疑似压缩炸弹），未读取"
                )
            name = member.filename.lower()
            if name.endswith("sharedstrings.xml") and (
                member.file_size > limits["xlsx_shared_strings_bytes"]
            ):
                raise FileRefused(
                    f"Excel 文件的共享字符串部分为 {_mb(member.file_size)}，超过上限 "
                    f"{_mb(limits['xlsx_shared_strings_bytes'])}"
                )
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_dimension(archive, member, limits)


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_dimension(archive, member, limits) -> None:
    """The sheet's stated extent (the <dimension> near its start): a sheet may lie about it,
    so the rows and cells are counted again as they are read (_open_xlsx)."""
    with archive.open(member) as fh:
        head = fh.read(4096)
    found = DIMENSION.search(head)
    if found is None:
        return
    columns, rows = _column_number(found.group(1)), int(found.group(2))
    _check_extent(rows, columns, limits)


def _check_extent(rows: int, columns: int, limits) -> None:
    if rows > limits["rows"]:
        raise FileRefused(f"文件有 {rows} 行，超过上限 {limits['rows']} 行（请拆分文件）")
    if columns > limits["columns"]:
        raise FileRefused(f"工作表有 {columns} 列，超过上限 {limits['columns']} 列")


def _open_xlsx(path: Path) -> RowSource:
    import openpyxl

    inspect_xlsx(path)
    limits = _limits()
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(f"Excel 文件已损坏或格式无效：{exc}") from exc
    except Exception as exc:  # openpyxl raises a zoo of errors on junk; all mean "corrupt"
        raise FileRefused(f"Excel 文件已损坏或格式无效：{type(exc).__name__}") from exc
    if TEMPLATE_META_SHEET in workbook.sheetnames:
        return read_template(workbook)
    sheet = workbook.worksheets[0]
    # A read-only sheet believes its stated dimension and would silently skip the rows
    # beyond it: read every row there is (counted against the limit as they are read).
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration as exc:
        raise FileRefused("工作表为空") from exc
    columns = canonical([cell_text(c) for c in header])
    check_header(columns)

    max_rows, max_columns = limits["rows"], limits["columns"]
    _check_extent(1, len(header), limits)

    def generate():
        for number, record in enumerate(rows, start=2):
            if number > max_rows + 1 or len(record) > max_columns:
                _check_extent(number - 1, len(record), limits)
            cells = [cell_text(c) for c in record]
            if not any(cells):
                continue
            yield number, dict(zip(columns, cells, strict=False))
        workbook.close()

    return RowSource("xlsx", generate())
