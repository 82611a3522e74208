"""A minimal .xlsx writer (one sheet; text, numbers and dates), streamed into a zip file.

Small enough not to need a dependency: an xlsx file is a zip of a few XML parts.
Text cells are inline strings, so nothing is ever read back as a formula; dates are
real dates shown as dd.mm.yyyy. Checked by tests/test_spreadsheets.py: openpyxl opens it
without a warning, LibreOffice reads the same values, and `kimu import` takes it back unchanged.
"""

import re
import zipfile
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import IO, Any
from xml.sax.saxutils import escape

from kimu_cli.errors import KimuError

_EPOCH = date(1899, 12, 30)
MAX_ROWS = 1_048_575  # Excel's 1 048 576 rows, less the header
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE_STYLE = 1
_DATE_FORMAT = 164  # the first number a workbook's own formats may have
# Column widths in characters: a date column fits dd.mm.yyyy (Excel shows ##### in a narrower one).
_DATE_WIDTH, _MIN_WIDTH, _MAX_WIDTH = 11, 10, 40

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    ),
    # What Excel itself writes at the least: two fills (none, gray125), the Normal cell style (openpyxl
    # warns without it), and each cell format naming its font, fill and border. Dates have their own
    # format, dd.mm.yyyy, so they read the same in every locale and a sheet saved as CSV imports back.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="1"><numFmt numFmtId="{_DATE_FORMAT}" formatCode="dd.mm.yyyy"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f'<xf numFmtId="{_DATE_FORMAT}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_HEADER_STYLE = 2


def _workbook(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _text(value: str, style: str = "") -> str:
    text = escape(_NOT_XML.sub("", value))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(value: Any, is_date: bool) -> str:
    if value is None:
        return "<c/>"
    if is_date:
        return f'<c s="{_DATE_STYLE}"><v>{(date.fromisoformat(value) - _EPOCH).days}</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    return _text(str(value))


def _columns(columns: Sequence[str], dated: Sequence[bool]) -> str:
    """The sheet's column widths, and the header row kept in view (frozen) when scrolling."""
    view = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>')
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{_DATE_WIDTH if is_date else min(max(len(c) + 2, _MIN_WIDTH), _MAX_WIDTH)}" '
        'customWidth="1"/>' for i, (c, is_date) in enumerate(zip(columns, dated), 1))
    return view + (f"<cols>{widths}</cols>" if widths else "")


def write(binary: IO[bytes], sheet: str, columns: Sequence[str], rows: Iterable[Sequence[object]],
          date_columns: Collection[str] = ()) -> int:
    """Write rows (tuples in the order of columns) as one sheet to a binary stream.

    Cells of date_columns hold ISO dates and become Excel dates. Returns the number of rows.
    """
    dated = [c in date_columns for c in columns]
    count = 0
    with zipfile.ZipFile(binary, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in _PARTS.items():
            z.writestr(name, xml)
        z.writestr("xl/workbook.xml", _workbook(sheet))
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + _columns(columns, dated).encode() + b"<sheetData>"
            )
            header = "".join(_text(c, f' s="{_HEADER_STYLE}"') for c in columns)
            part.write(f"<row>{header}</row>".encode())
            for row in rows:
                if count == MAX_ROWS:
                    raise KimuError("xlsx_sheet_holds_at_most", MAX_ROWS=MAX_ROWS)
                part.write(("<row>" + "".join(map(_cell, row, dated)) + "</row>").encode())
                count += 1
            part.write(b"</sheetData></worksheet>")
    return count
