"""Reading a built .docx back as a reader would: paragraphs, headings and tables in order."""

from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def blocks(document):
    """[("p", style name, text) | ("t", [[cell text, ...], ...])] in document order."""
    out = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            p = Paragraph(element, document)
            out.append(("p", p.style.name if p.style is not None else "", p.text))
        elif element.tag == qn("w:tbl"):
            table = Table(element, document)
            out.append(("t", [[cell.text for cell in row.cells] for row in table.rows]))
    return out


def body_text(document) -> list[str]:
    return [b[2] if b[0] == "p" else " | ".join(map(" | ".join, b[1])) for b in blocks(document)]


def headings(document, level: int = 1) -> list[str]:
    return [b[2] for b in blocks(document) if b[0] == "p" and b[1] == f"Heading {level}"]


def table_after(document, caption_part: str) -> list[list[str]]:
    """The rows of the first table after the caption containing `caption_part`."""
    found = False
    for block in blocks(document):
        if block[0] == "p" and caption_part in block[2] and block[1] == "PW Caption":
            found = True
        elif found and block[0] == "t":
            return block[1]
    raise AssertionError(f"no table after a caption with {caption_part!r}")


def chapter(document, title_part: str) -> list:
    """The blocks of the level-1 chapter whose heading contains `title_part`."""
    inside, out = False, []
    for block in blocks(document):
        if block[0] == "p" and block[1] == "Heading 1":
            if inside:
                break
            inside = title_part in block[2]
            continue
        if inside:
            out.append(block)
    if not inside and not out:
        raise AssertionError(f"no chapter {title_part!r}")
    return out


def cover_text(document) -> str:
    """The paragraphs of the first section: the cover page."""
    out = []
    for element in document.element.body.iterchildren():
        if element.tag != qn("w:p"):
            continue
        out.append(Paragraph(element, document).text)
        if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
    return "\n".join(out)
