"""Workbooks for `kimu import`: .xlsx (and .xlsm), .ods, .xls and .xlsb, read with python-calamine.

A workbook is known by its content, not its name: a zip holding `xl/workbook.xml` (xlsx),
`xl/workbook.bin` (xlsb) or an OpenDocument spreadsheet `mimetype` (ods), or an OLE file (xls);
anything else is read as CSV (`format_of`). python-calamine is imported only here, when a
workbook is opened, so kimu starts as fast as before.

A sheet is handed to the importer as a CSV file is (`SheetFile`: headers, then (row, cells) with
every cell as text), so its rows go through the same checks. A cell becomes the text a
spreadsheet user means by it: a date or date-time cell its date (ISO), a whole number without
`.0` (a ref cell 123 is '123'; a text cell '00123' keeps its zeros), another number with up to
15 significant digits as a spreadsheet shows it ('7.5'), a formula its computed value. Rows are
numbered as the spreadsheet numbers them and columns lettered as it letters them, so a message
names the cell: `Oppmøte!C14 (Dato): ...`.

calamine reads an error cell (#VALUE!, #DIV/0!, Err:509) as empty, and a formula written by a
program that does not compute (openpyxl, xlsxwriter: no value, or a stand-in the workbook asks to
recompute on load) as empty or 0. So the sheet's own XML is looked through for them first
(`_xlsx_marks`, `_ods_marks`; not possible in .xls and .xlsb), and such a cell in a column the
import reads is an error of its row (`SheetFile.marked`) instead of an empty cell.
"""

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kimu_cli import idnumber, labels
from kimu_cli.csvfiles import clip, quote_cells
from kimu_cli.errors import KimuError

if TYPE_CHECKING:
    import zipfile

# Whether a row of header texts has every required column (the importer's, per kind).
IsHeader = Callable[[list[str]], bool]
# {(row number, column index): what is wrong} of the cells calamine reads as empty but are not.
Marks = dict[tuple[int, int], str]

ZIP = b"PK\x03\x04"
OLE = bytes.fromhex("D0CF11E0A1B11AE1")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# The most a workbook may unpack to (its parts' sizes as its zip directory gives them): far more
# than Excel's 1 048 576 rows of attendance, far less than a zip bomb.
MAX_UNPACKED = 1 << 30
# Non-blank rows looked through for the header when the first is not one.
HEADER_SEARCH = 20
CHUNK_BYTES = 1 << 20
_SIMPLE_SHEET_NAME = re.compile(r"\w+")


def format_of(path: str | os.PathLike[str]) -> str | None:
    """'xlsx', 'xlsb', 'ods' or 'xls' for a workbook, by its content; None for anything else (a text
    file, or a file that cannot be opened: the CSV reader names the problem)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(OLE))
    except OSError:
        return None
    if head.startswith(ZIP):
        return _zip_format(Path(path))
    return "xls" if head == OLE else None


def _zip_format(path: Path) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype")[:100].strip() == ODS_MIMETYPE:
                found = "ods"
            elif "xl/workbook.xml" in names:
                found = "xlsx"
            elif "xl/workbook.bin" in names:
                found = "xlsb"
            else:
                raise KimuError("spreadsheets_zip_file_but_workbook", name=path.name)
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as e:
        raise KimuError("spreadsheets_starts_as_zip_file", name=path.name, e=clip(str(e))) from None
    if unpacked > MAX_UNPACKED:
        raise KimuError("spreadsheets_workbook_unpacks_unpacked_mib", name=path.name, unpacked=unpacked >> 20, MAX_UNPACKED=MAX_UNPACKED >> 20)
    return found


def sheet_reference(sheet: str, cell: str) -> str:
    """Oppmøte!C14, or 'Mine deltakere'!C14 for a name a formula would have to quote."""
    name = sheet if _SIMPLE_SHEET_NAME.fullmatch(sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{cell}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


# --- cells as text -------------------------------------------------------------------------------


def _number(value: float) -> str:
    if value.is_integer() and -1e15 < value < 1e15:
        whole = str(int(value))
        # A number cell drops the leading zero of an identity number typed into it (01019000083 is
        # shown as 1019000083): read with it when that makes one, so it is refused as one.
        if len(whole) == idnumber.LENGTH - 1 and idnumber.is_identity_number("0" + whole):
            return "0" + whole
        return whole
    return format(value, ".15g")


def _datetime(value: datetime) -> str:
    return value.date().isoformat()


def _time(value: time) -> str:
    return value.isoformat(timespec="minutes" if not value.second else "seconds")


def _duration(value: timedelta) -> str:
    minutes = round(value.total_seconds() / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


# The type of a cell's value -> its text; str is taken as it is.
_TEXT: dict[type, Callable[[Any], str]] = {
    float: _number, int: str, date: date.isoformat, datetime: _datetime, time: _time, timedelta: _duration,
    bool: lambda value: "TRUE" if value else "FALSE"}


def cell_text(value: Any) -> str:
    """A cell's value as calamine gives it -> the text a spreadsheet user means by it."""
    return value if type(value) is str else _TEXT[type(value)](value)


# --- the workbook --------------------------------------------------------------------------------


@contextmanager
def open_sheet(path: str | os.PathLike[str], fmt: str, sheet: str | None = None, header_row: int | None = None,
               is_header: IsHeader | None = None) -> Iterator["SheetFile"]:
    """The sheet (the first visible worksheet, or the one named) of the workbook at path, found to be
    of format fmt by format_of, as a SheetFile. is_header(cells): whether a row of texts has every
    required column (to find a header below a title)."""
    try:
        import python_calamine as calamine
    except ImportError:  # pragma: no cover -- a dependency of kimu; an install without it
        raise KimuError("spreadsheets_reading_workbooks_needs_python") from None
    path = Path(path)
    try:
        binary = open(path, "rb")  # noqa: SIM115 -- closed below, after the caller's block
    except OSError as e:
        raise KimuError("cannot_read_file", path=path, strerror=e.strerror) from None
    with binary:
        try:
            workbook = calamine.CalamineWorkbook.from_filelike(binary)
        except calamine.PasswordError:
            raise KimuError("spreadsheets_workbook_protected_by_password", name=path.name) from None
        except Exception as e:  # noqa: BLE001 -- calamine's errors for a damaged file are of many kinds
            raise KimuError("spreadsheets_readable_fmt_workbook_e", name=path.name, fmt=fmt, e=clip(str(e))) from None
        with workbook:
            name = _chosen(calamine, workbook, sheet, path.name)
            try:
                data = workbook.get_sheet_by_name(name)
            except Exception as e:  # noqa: BLE001
                raise KimuError("spreadsheets_sheet_name_cannot_be", name=path.name, name2=clip(name), e=clip(str(e))) from None
            marks = _marks(path, fmt, name)
            yield SheetFile(path, fmt, data, marks, header_row, is_header or (lambda cells: False))


def _chosen(calamine: Any, workbook: Any, wanted: str | None, filename: str) -> str:
    """The name of the sheet to read: wanted (exactly, else ignoring case), or the first visible
    worksheet."""
    sheets = workbook.sheets_metadata
    names = [s.name for s in sheets]
    if not names:
        raise KimuError("spreadsheets_workbook_has_no_sheets", filename=filename)
    if wanted is not None:
        if wanted in names:
            return wanted
        same = [n for n in names if n.casefold() == wanted.strip().casefold()]
        if len(same) == 1:
            return same[0]
        raise KimuError("spreadsheets_filename_has_no_sheet", filename=filename, wanted=clip(wanted), names=quote_cells(names))
    shown = [s.name for s in sheets
             if s.typ == calamine.SheetTypeEnum.WorkSheet and s.visible == calamine.SheetVisibleEnum.Visible]
    return (shown or names)[0]


def _trimmed(texts: list[str]) -> list[str]:
    """A header's texts without the empty cells after its last (the used range may be wider)."""
    while texts and not texts[-1]:
        texts = texts[:-1]
    return texts


class SheetFile:
    """One sheet read as the importer reads a CSV file: name, headers, rows() of (row number, cells
    as text), position() and size for the progress bar, lines() for the size of the import."""

    encoding: str | None = None  # what a CsvFile has and a sheet has not
    delimiter: str | None = None

    def __init__(self, path: Path, fmt: str, data: Any, marks: Marks, header_row: int | None,
                 is_header: IsHeader) -> None:
        self.path, self.name, self.format, self.sheet = path, path.name, fmt, data.name
        self._marks, self._refused = marks, set[int]()
        if data.start is None:
            raise KimuError("spreadsheets_sheet_name_empty", name=self.name, name2=clip(data.name))
        (top, left), (bottom, right) = data.start, data.end
        rows = iter(data.iter_rows())
        first = next(rows)
        # python-calamine gives the rows above the first one used as empty rows (0.9), or starts at it
        # (so a first row that has nothing starts above the data); the columns start at the first used.
        number = 1 if top and not any(cell != "" for cell in first) else top + 1
        self._left = left if len(first) == right - left + 1 else 0
        self._last = bottom + 1
        self._rows = self._numbered(first, rows, number)
        self.header_row, self.headers = self._header(header_row, is_header)
        self._read = self.header_row
        self.size = self._last  # for the progress bar: rows, not bytes
        self.header_place = labels.later("sheet_header_row", row=self.header_row, sheet=clip(self.sheet))
        self.described = labels.later("sheet_read_as", fmt=fmt)

    @staticmethod
    def _numbered(first: list[Any], rows: Iterable[list[Any]], number: int) -> Iterator[tuple[int, list[Any]]]:
        yield number, first
        yield from enumerate(rows, number + 1)

    def _header(self, wanted: int | None, is_header: IsHeader) -> tuple[int, list[str]]:
        """(row number, header texts): row `wanted`; else the first non-blank row when it has every
        required column, else the one row among the first HEADER_SEARCH that has (a title above it)."""
        if wanted is not None:
            for number, cells in self._rows:
                if number == wanted:
                    headers = _trimmed([cell_text(c).strip() for c in cells])
                    if not headers:
                        raise KimuError("spreadsheets_row_wanted_sheet_sheet", wanted=wanted, sheet=clip(self.sheet))
                    return number, headers
            raise KimuError("spreadsheets_sheet_sheet_name_ends", sheet=clip(self.sheet), name=self.name,
                            _last=self._last)
        read: list[tuple[int, list[Any]]] = []
        seen: list[tuple[int, list[str]]] = []  # every row read (blank ones too: they are counted), the non-blank ones
        for number, cells in self._rows:
            read.append((number, cells))
            texts = [cell_text(c).strip() for c in cells]
            if not any(texts):
                continue
            seen.append((number, texts))
            if (len(seen) == 1 and is_header(texts)) or len(seen) == HEADER_SEARCH:
                break
        if not seen:
            raise KimuError("spreadsheets_sheet_sheet_has_no_2", name=self.name, sheet=clip(self.sheet))
        found = [(number, texts) for number, texts in seen if is_header(texts)]
        if len(found) > 1 and found[0][0] != seen[0][0]:
            rows = " and ".join(str(number) for number, _ in found[:2])
            raise KimuError("spreadsheets_rows_rows_sheet_sheet", name=self.name, rows=rows, sheet=clip(self.sheet))
        number, texts = (found or seen)[0]
        self._rows = self._chained([row for row in read if row[0] > number], self._rows)
        return number, _trimmed(texts)

    @staticmethod
    def _chained(first: Iterable[tuple[int, list[Any]]],
                 rest: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        yield from first
        yield from rest

    def marked(self, used: Mapping[int, str]) -> list[tuple[int, str, str]]:
        """(row number, column, what) for each cell of the columns used ({index into cells: column})
        below the header that shows an error or holds a formula no program has computed; rows()
        leaves their rows out (each is an error of the file)."""
        found: list[tuple[int, str, str]] = []
        for (row, col), what in sorted(self._marks.items()):
            column = used.get(col - self._left)
            if row > self.header_row and column is not None:
                found.append((row, column, what))
                self._refused.add(row)
        return found

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells as text) for every row below the header, empty rows included (the
        importer skips them)."""
        text, refused = _TEXT, self._refused
        number = self.header_row
        try:
            for number, cells in self._rows:
                self._read = number
                if number in refused:
                    continue
                yield number, [c if type(c) is str else text[type(c)](c) for c in cells]
        except KimuError:
            raise
        except Exception as e:  # noqa: BLE001 -- a value calamine cannot hand over (a date out of range)
            raise KimuError("spreadsheets_value_cell_cannot_be", name=self.name, value1=self.row(number + 1), e=clip(str(e))) from None

    def position(self) -> int:
        return self._read

    def lines(self) -> int:
        """Rows from the header to the last one used (the header counted, as a CSV file's line is)."""
        return self._last - self.header_row + 1

    def cell(self, row: int, index: int) -> str:
        """The reference of cells[index] of row: Oppmøte!C14."""
        return sheet_reference(self.sheet, f"{column_letter(self._left + index)}{row}")

    def row(self, row: int) -> str:
        """Oppmøte row 14."""
        return f"{sheet_reference(self.sheet, '')[:-1]} row {row}"


# --- cells calamine reads as empty: errors, and formulas nobody computed -------------------------

_UNCOMPUTED = ("a formula no spreadsheet program has computed{formula}: open the workbook in Excel or "
               "LibreOffice, save it, and import it again")


def _marks(path: Path, fmt: str, sheet: str) -> Marks:
    """{(row number, column index): what} of the sheet's cells that show an error or hold a formula
    no program computed; only .xlsx and .ods can be looked through."""
    if fmt not in ("xlsx", "ods"):
        return {}
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return _xlsx_marks(z, sheet) if fmt == "xlsx" else _ods_marks(z, sheet)
    except KimuError:
        raise
    except Exception as e:  # noqa: BLE001 -- calamine read it; a part it did not need is damaged
        raise KimuError("spreadsheets_workbook_cannot_be_read", name=path.name, e=clip(str(e))) from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _xlsx_part(z: "zipfile.ZipFile", sheet: str) -> tuple[str, bool]:
    """(the sheet's part in the zip, whether the workbook asks to recompute its formulas on load)."""
    from xml.etree import ElementTree

    workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rid, stale = None, False
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "sheet" and element.get("name") == sheet:
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        elif name == "calcPr":
            stale = element.get("fullCalcOnLoad") in ("1", "true")
    relations = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in relations if r.get("Id") == rid), None)
    if target is None:
        raise KimuError("spreadsheets_sheet_sheet_has_no", sheet=clip(sheet))
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return part, stale


_MARK = re.compile(rb'<(?:\w+:)?f[\s>/]|\st="e"')
_ATTRIBUTE = re.compile(rb'\s(r|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)<)")
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _xlsx_marks(z: "zipfile.ZipFile", sheet: str) -> Marks:
    """Cells with t="e", and formulas without a value (or in a workbook that asks to recompute them:
    their values are stand-ins), from the sheet's XML read in pieces of whole rows."""
    part, stale = _xlsx_part(z, sheet)
    marks: Marks = {}
    rest = b""
    with z.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            piece = rest + chunk
            cut = piece.rfind(b"row>") + 4  # a cell never spans the end of a row
            if cut < 4:  # no row ends in it yet
                rest = piece
                continue
            piece, rest = piece[:cut], piece[cut:]
            if b"<f" in piece or b't="e"' in piece:
                _mark_cells(piece, stale, marks)
    if b"<f" in rest or b't="e"' in rest:
        _mark_cells(rest, stale, marks)
    return marks


def _mark_cells(piece: bytes, stale: bool, marks: Marks) -> None:
    done = 0
    for match in _MARK.finditer(piece):
        at = match.start()
        if at < done:  # a second mark of a cell already looked at
            continue
        start = max(piece.rfind(b"<c ", 0, at), piece.rfind(b":c ", 0, at))
        ends = [i for i in (piece.find(b"</c>", at), piece.find(b":c>", at)) if i >= 0]
        if start < 0 or not ends:
            continue
        head_end = piece.find(b">", start)
        done = min(ends)
        attributes = dict(_ATTRIBUTE.findall(piece[start:head_end]))
        body = piece[head_end + 1:done]
        found = _VALUE.search(body)
        value = found.group(1).decode("utf-8", "replace") if found else ""
        formula = _FORMULA.search(body)
        kind = attributes.get(b"t", b"n")
        if kind == b"e":
            what = f"the cell shows the error {clip(value) or '#N/A'}, not a value"
        elif formula is not None and (stale or (kind in (b"n", b"b", b"d") and not value.strip())):
            shown = (formula.group(1) or b"").decode("utf-8", "replace")
            what = _UNCOMPUTED.format(formula=f" (={clip(_unescape(shown))})" if shown else "")
        else:
            continue
        ref = _REF.fullmatch(attributes.get(b"r", b"").decode("ascii", "replace"))
        if ref is None:
            raise KimuError("spreadsheets_cell_what_file_does", what=what)
        marks[int(ref.group(2)), column_index(ref.group(1))] = what


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALCEXT_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"


def _ods_marks(z: "zipfile.ZipFile", sheet: str) -> Marks:
    """The cells LibreOffice marks as errors (calcext:value-type="error"), found by reading the
    sheet's table through: only when the document has one at all."""
    with z.open("content.xml") as stream:
        rest, found = b"", False
        while chunk := stream.read(CHUNK_BYTES):
            if b'value-type="error"' in rest + chunk:
                found = True
                break
            rest = chunk[-32:]
    if not found:
        return {}
    from xml.etree import ElementTree

    marks: Marks = {}
    inside, row, col = False, 0, 0
    cells = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    with z.open("content.xml") as stream:
        for event, element in ElementTree.iterparse(stream, ("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    inside, row = element.get(f"{_TABLE}name") == sheet, 0
                elif tag == f"{_TABLE}table-row":
                    col = 0
                continue
            if tag in cells:
                if inside and element.get(_CALCEXT_TYPE) == "error":
                    shown = "".join(element.itertext()).strip() or "#N/A"
                    marks[row + 1, col] = f"the cell shows the error {clip(shown)}, not a value"
                col += int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                element.clear()
            elif tag == f"{_TABLE}table-row":
                row += int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                element.clear()
            elif tag == f"{_TABLE}table":
                if inside:
                    break
                element.clear()
    return marks
