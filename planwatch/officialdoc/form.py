"""The form of a Chinese official document (GB/T 9704 as district offices apply it) in .docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号; body
仿宋_GB2312 三号 with a fixed 28 pt line; headings 黑体 (level 1) and 楷体_GB2312 (level 2);
page numbers "— 1 —" in the footer; a table of contents Word fills in when the file is opened.
The East Asian font is what Chinese text is drawn with, so it is set through w:eastAsia; the
font table names the nearest font Word should use on a machine without the official ones.
"""

import io
import zipfile
from datetime import datetime

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_BREAK,
    WD_LINE_SPACING,
    WD_TAB_ALIGNMENT,
    WD_TAB_LEADER,
)
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

OFFICE = "双阳区妇女儿童工作委员会办公室"  # the issuer of the plan office's documents
DEMO_HEADER = "示例数据（合成数据，非真实统计）"  # printed on every page built from demo data

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十: chapter numbers of an official document."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]

TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# What Word uses where the official font is not installed (w:altName in the font table).
FALLBACKS = {
    TITLE_FONT: "黑体",
    HEADING1_FONT: "SimHei",
    HEADING2_FONT: "楷体",
    BODY_FONT: "仿宋",
    PAGE_NUMBER_FONT: "SimSun",
}

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_CAPTION = Pt(14)  # 四号
SIZE_NOTE = Pt(12)  # 小四
SIZE_TABLE = Pt(10.5)  # 五号
LINE_BODY = Pt(28)

# Word rejects elements out of the schema's order: what may follow each one we insert.
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
SECTPR_AFTER_PAGE_NUMBERS = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip

# ASCII names: Word derives style ids from them.
TABLE_TEXT = "PW Table Text"
TABLE_HEAD = "PW Table Head"
CAPTION = "PW Caption"
NOTE = "PW Note"
COVER_TITLE = "Title"


def set_fonts(rpr_parent, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set w:rFonts on a style or run: Latin faces for digits, `east_asia` for Chinese."""
    fonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _first_line_chars(paragraph_format_element, chars: int) -> None:
    # Two characters of indent whatever the font size: w:firstLineChars is in 1/100 chars.
    ind = paragraph_format_element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _style(doc, name, base="Normal", *, font=BODY_FONT, size=SIZE_BODY, bold=False):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, font)
    return style


def _setup_styles(doc) -> None:
    normal = _style(doc, "Normal")
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_BODY
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32)
    _first_line_chars(normal.element, 2)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT)):
        style = _style(doc, name, font=font)
        f = style.paragraph_format
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = LINE_BODY
        f.space_before = f.space_after = Pt(0)
        f.keep_with_next = True
        f.first_line_indent = Pt(32)
        _first_line_chars(style.element, 2)
    title = _style(doc, COVER_TITLE, font=TITLE_FONT, size=SIZE_TITLE)
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tf.line_spacing = Pt(36)
    tf.space_after = Pt(0)
    _strip_border(title.element)
    for name, font, size, bold in (
        (TABLE_TEXT, BODY_FONT, SIZE_TABLE, False),
        (TABLE_HEAD, HEADING1_FONT, SIZE_TABLE, False),
        (CAPTION, HEADING1_FONT, SIZE_CAPTION, False),
        (NOTE, BODY_FONT, SIZE_NOTE, False),
    ):
        style = _style(doc, name, font=font, size=size, bold=bold)
        f = style.paragraph_format
        f.first_line_indent = Pt(0)
        f.line_spacing_rule = WD_LINE_SPACING.SINGLE if name != NOTE else WD_LINE_SPACING.EXACTLY
        if name == NOTE:
            f.line_spacing = Pt(20)
        f.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == CAPTION else WD_ALIGN_PARAGRAPH.LEFT
        _zero_indent_chars(style.element)
        if name == CAPTION:
            f.space_before = Pt(6)
            f.space_after = Pt(6)
            f.keep_with_next = True
    for level in (1, 2):
        # Word's own names, so that the contents it regenerates use these styles.
        style = _style(doc, f"toc {level}", font=BODY_FONT)
        _zero_indent_chars(style.element)
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.left_indent = Pt(32 * (level - 1))
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = LINE_BODY
        style.paragraph_format.tab_stops.add_tab_stop(
            Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )


def _zero_indent_chars(element) -> None:
    element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")


def _strip_border(style_element) -> None:
    ppr = style_element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _font_table_with_fallbacks(doc) -> None:
    """Declare the official fonts with the alternative Word substitutes when they are missing.

    python-docx has no API for the font table; it keeps unknown parts as raw bytes.
    """
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _page_setup(section) -> None:
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the last line of text.
    section.footer_distance = Mm(22)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, TOC …): Word computes its result when it lays the page out."""

    def char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    if placeholder:
        paragraph.add_run(placeholder)
    char("end")


class OfficialDocument:
    """A document in the official form; chapters add headings, paragraphs, tables, pictures."""

    def __init__(self, *, header_text: str = ""):
        self.doc = Document()
        _setup_styles(self.doc)
        _font_table_with_fallbacks(self.doc)
        self._ask_word_to_update_fields()
        _page_setup(self.doc.sections[0])
        self.header_text = header_text
        self._h1 = 0
        self._h2 = 0
        self._toc = None
        self._headings: list[tuple[int, object]] = []
        self._tables = 0
        self._figures = 0

    # -- structure -------------------------------------------------------------------------

    def cover(self, *, title_lines, subtitle_lines=(), demo=False, demo_note="", footer_lines=()):
        doc = self.doc
        if demo:
            p = doc.add_paragraph(style=CAPTION)
            run = p.add_run("示例数据")
            run.font.size = Pt(26)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            _boxed(p)
            if demo_note:
                note = doc.add_paragraph(demo_note, style=NOTE)
                note.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in note.runs:
                    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        for _ in range(4 if demo else 6):
            doc.add_paragraph(style=NOTE)
        for line in title_lines:
            p = doc.add_paragraph(line, style=COVER_TITLE)
            p.paragraph_format.space_after = Pt(12)
        for _ in range(2):
            doc.add_paragraph(style=NOTE)
        for line in subtitle_lines:
            p = doc.add_paragraph(line, style="Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            _zero_indent_paragraph(p)
        for _ in range(6):
            doc.add_paragraph(style=NOTE)
        for line in footer_lines:
            p = doc.add_paragraph(line, style="Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _zero_indent_paragraph(p)
        # The body starts a new section: numbered from 1, with a header when there is one.
        body = doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(body)
        body.footer.is_linked_to_previous = False
        body.header.is_linked_to_previous = False
        self._page_number_footer(body)
        if self.header_text:
            self._header(body, self.header_text)
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), "1")
        body._sectPr.insert_element_before(pg, *SECTPR_AFTER_PAGE_NUMBERS)

    def table_of_contents(self) -> None:
        p = self.doc.add_paragraph("目  录", style=COVER_TITLE)
        p.paragraph_format.space_after = Pt(18)
        self._toc = self.doc.add_paragraph(style="toc 1")
        _field(self._toc, 'TOC \\o "1-2" \\h \\z \\u', "（打开文件时按提示更新目录。）")
        self.page_break()

    def page_break(self) -> None:
        self.doc.add_paragraph(style=NOTE).add_run().add_break(WD_BREAK.PAGE)

    def heading1(self, text: str) -> str:
        self._h1 += 1
        self._h2 = 0
        title = f"{chinese_number(self._h1)}、{text}"
        self._headings.append((1, self.doc.add_paragraph(title, style="Heading 1")))
        return title

    def heading2(self, text: str) -> str:
        self._h2 += 1
        title = f"（{chinese_number(self._h2)}）{text}"
        self._headings.append((2, self.doc.add_paragraph(title, style="Heading 2")))
        return title

    def appendix(self, text: str) -> None:
        """An appendix heading: level 1 for the contents, but outside the chapter numbering."""
        self.page_break()
        self._headings.append((1, self.doc.add_paragraph(text, style="Heading 1")))
        self._h2 = 0

    def paragraph(self, text: str = "", *, lead: str = "", style: str = "Normal"):
        p = self.doc.add_paragraph(style=style)
        if lead:
            run = p.add_run(lead)
            run.bold = True
        if text:
            p.add_run(text)
        return p

    def note(self, text: str):
        return self.doc.add_paragraph(text, style=NOTE)

    def caption(self, text: str, *, table: bool) -> str:
        if table:
            self._tables += 1
            label = f"表{self._tables}　{text}"
        else:
            self._figures += 1
            label = f"图{self._figures}　{text}"
        self.doc.add_paragraph(label, style=CAPTION)
        return label

    def table(self, headers, rows, widths_mm, *, numeric=(), unit: str | None = None):
        """A grid table: header row repeated on every page, columns of fixed width."""
        if unit:
            p = self.doc.add_paragraph(f"单位：{unit}", style=TABLE_TEXT)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # w:tblLayout fixed: the widths below are kept
        widths = [Mm(w) for w in widths_mm]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid LibreOffice lays out by; cells carry it for Word
        head = table.rows[0]
        _repeat_header(head)
        for cell, text, width in zip(head.cells, headers, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            para.style = self.doc.styles[TABLE_HEAD]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.add_run(str(text))
        numeric = set(numeric)
        for values in rows:
            cells = table.add_row().cells
            for i, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
                cell.width = width
                para = cell.paragraphs[0]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                para.style = self.doc.styles[TABLE_TEXT]
                if i in numeric:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                para.add_run("" if text is None else str(text))
        return table

    def picture(self, png: bytes, width_mm: float = TEXT_WIDTH_MM) -> None:
        p = self.doc.add_paragraph(style=NOTE)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A fixed line height would crop the picture to one line.
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

    def save(self, *, title: str, created: datetime, identifier: str = "") -> bytes:
        props = self.doc.core_properties
        props.title = title
        props.author = OFFICE
        props.last_modified_by = "planwatch"
        props.comments = ""
        props.keywords = ""
        props.subject = ""
        props.identifier = identifier
        props.created = created.replace(tzinfo=None)
        props.modified = created.replace(tzinfo=None)
        props.revision = 1
        if self._toc is not None and self._headings:
            self._fill_contents()
        out = io.BytesIO()
        self.doc.save(out)
        return _stamped(out.getvalue(), created)

    # -- helpers ---------------------------------------------------------------------------

    def _fill_contents(self) -> None:
        """Write the contents as entries, each heading's text and a PAGEREF to a bookmark on it.

        No outer TOC field around them: LibreOffice leaves PAGEREFs inside a TOC field empty, so
        the contents printed without page numbers until someone updated it in Word. Plain entries
        show the page numbers in every reader (LibreOffice lays them out; Word updates the
        fields on opening, as asked by updateFields).
        """
        for run in self._toc._p.findall(qn("w:r")):
            self._toc._p.remove(run)
        anchor = self._toc
        for i, (level, heading) in enumerate(self._headings, start=1):
            name = f"_Toc{i:06d}"
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(i))
            start.set(qn("w:name"), name)
            finish = OxmlElement("w:bookmarkEnd")
            finish.set(qn("w:id"), str(i))
            heading._p.insert(1 if heading._p.pPr is not None else 0, start)
            heading._p.append(finish)
            if i == 1:
                entry = self._toc
                entry.style = self.doc.styles[f"toc {level}"]
            else:
                entry = _paragraph_after(anchor, f"toc {level}")
            entry.add_run(heading.text)
            entry.add_run("\t")
            _field(entry, f"PAGEREF {name} \\h", "")
            anchor = entry

    def _ask_word_to_update_fields(self) -> None:
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *SETTINGS_AFTER_UPDATE_FIELDS)

    def _page_number_footer(self, section) -> None:
        footer = section.footer
        p = footer.paragraphs[0]
        p.style = self.doc.styles[NOTE]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("— ")
        _field(p, "PAGE", "1")
        p.add_run(" —")
        for run in p.runs:
            run.font.size = Pt(14)
            set_fonts(run._r, PAGE_NUMBER_FONT)

    def _header(self, section, text: str) -> None:
        p = section.header.paragraphs[0]
        p.style = self.doc.styles[NOTE]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _paragraph_after(paragraph, style):
    new = OxmlElement("w:p")
    paragraph._p.addnext(new)
    from docx.text.paragraph import Paragraph

    result = Paragraph(new, paragraph._parent)
    result.style = style
    return result


def _zero_indent_paragraph(p) -> None:
    p.paragraph_format.first_line_indent = Pt(0)
    _zero_indent_chars(p._p)


def _boxed(p) -> None:
    ppr = p._p.get_or_add_pPr()
    ppr.insert_element_before(
        parse_xml(
            f"<w:pBdr {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="18" w:space="4" w:color="C00000"/>'
                for side in ("top", "left", "bottom", "right")
            )
            + "</w:pBdr>"
        ),
        *PPR_AFTER_BORDER,
    )


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _stamped(package: bytes, when: datetime) -> bytes:
    """The package with every part dated ``when`` instead of the moment it was zipped.

    python-docx dates each zip entry with the clock, so the same document built twice a second
    apart differed in its bytes; an archived copy could then not be matched against a rebuild.
    """
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            dst.writestr(info, src.read(entry.filename))
    return out.getvalue()
