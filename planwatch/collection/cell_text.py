"""Text cells written to spreadsheets and CSV files never run as formulas (OWASP "CSV
injection"), and read back exactly as they were written.

- CSV / SDMX-CSV: a text that starts with = + - @ TAB or CR — what Excel and LibreOffice read
  as the start of a formula — or with an apostrophe is written with an apostrophe before it,
  the prefix spreadsheets treat as "this is text". Every importer takes one leading
  apostrophe off such a text again (restore), so an untouched export re-imports unchanged.
- .xlsx: openpyxl stores any string starting with "=" as a formula; such a cell is set back
  to a plain string cell with Excel's quote-prefix flag, so it shows and re-reads as text.

Apply `csv_text` to the text cells of a CSV row, `guard_cells` (or `append_row`) to the
cells of an openpyxl row. Numbers are never touched.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def csv_text(value):
    """A CSV cell: text that could start a formula gets the apostrophe prefix."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, PREFIX)):
        return PREFIX + value
    return value


def csv_row(values) -> list:
    return [csv_text(v) for v in values]


def restore(text: str) -> str:
    """The text csv_text was given (a text typed without the prefix is left as it is)."""
    if len(text) > 1 and text[0] == PREFIX and text[1] in (*FORMULA_STARTS, PREFIX):
        return text[1:]
    return text


def guard_cell(cell) -> None:
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True


def guard_cells(cells) -> None:
    for cell in cells:
        guard_cell(cell)


def append_row(sheet, values) -> None:
    """sheet.append(values), every text cell kept as text."""
    sheet.append(values)
    guard_cells(sheet[sheet.max_row])
