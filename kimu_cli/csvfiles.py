"""Reading the CSV files Excel writes in Norwegian offices: encoding, delimiter, headers.

Excel here saves Windows-1252 (or UTF-8 with a BOM, "CSV UTF-8") with `;`, or UTF-16
with tabs ("Unicode text"); scripts write UTF-8 with `,`; some tools use tab. All are
detected; --encoding and --delimiter override. The file is decoded as a stream and never
held in memory.

A file is read once before it is parsed (`_read_through`): its encoding is decided from all of
it, every byte is checked against that encoding, a NUL byte anywhere is refused, and its line
breaks are counted. A message names the file and the line, and quotes at most a short prefix
of what the file holds (`clip`): a file may be careless or hostile.
"""

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache, partial
from itertools import chain
from pathlib import Path
from typing import AnyStr, BinaryIO, NoReturn, Protocol, cast

from kimu_cli import labels
from kimu_cli.errors import KimuError
from kimu_cli.formulas import unneutralise

DELIMITERS = {";": ";", ",": ",", "tab": "\t", "\\t": "\t", "\t": "\t"}
CHUNK_BYTES = 1 << 20
# The longest line a file may have, in bytes (characters in UTF-16): a row of a register is some
# hundred, and the csv reader builds all the cells of a line at once, about ten times its size in
# memory (a line of a million empty cells). At least CHUNK_BYTES: a line inside one chunk is then
# shorter than it, and only a line running over chunks is measured (_LongLine).
LINE_LIMIT = CHUNK_BYTES
# The longest field a file may hold, in characters: kimu keeps at most 2 000 in any text field.
FIELD_LIMIT = 100_000
# What a message quotes of a file: the first QUOTED characters of a text; of a header line at
# most CELLS_QUOTED cells, the first CELL_QUOTED characters of each.
QUOTED = 40
CELLS_QUOTED, CELL_QUOTED = 4, 20
# Bytes Windows-1252 leaves undefined (Python's cp1252 codec refuses them too).
CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
# A message that may repeat a file's text is cut to this many characters (brief).
MESSAGE_LIMIT = 300
# The most cells a header may have: a spreadsheet's columns (Excel's XFD).
MAX_COLUMNS = 16_384
# Given to the csv reader after the file's last line (CsvFile._end).
END = "\rEND"
_HEADER_SEPARATORS = re.compile(r"[\s_\-]+")
_NORDIC = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def header_key(text: str) -> str:
    """'Fødsels-år' == 'fodselsar': lower case, no spaces, '-' or '_', æ/ø/å as ae/o/a."""
    return _HEADER_SEPARATORS.sub("", text.strip().lstrip("\ufeff").lower()).translate(_NORDIC)


def clip(text: str, limit: int = QUOTED) -> str:
    """text, or its first `limit` characters and '…': what a message may quote of a file."""
    return text if len(text) <= limit else text[:limit] + "…"


def quote_cells(cells: Sequence[str]) -> str:
    """The first CELLS_QUOTED cells of a line, each clipped, for a message: 'ref', 'dato', … (812 cells)."""
    shown = ", ".join(repr(clip(cell, CELL_QUOTED)) for cell in cells[:CELLS_QUOTED])
    return shown + (f", … ({len(cells)} cells)" if len(cells) > CELLS_QUOTED else "")


_LONG_QUOTE = re.compile(f"'([^']{{{QUOTED}}})[^']+'")


def brief(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """message with every quoted text ('...') longer than QUOTED characters cut to its start, and at
    most `limit` characters in all: for a message that may repeat what a file holds."""
    return clip(_LONG_QUOTE.sub("'\\1…'", message), limit)


# --- the encoding: decided from the whole file, every byte checked (_read_through) ----------------

_NUL = labels.later("csv_nul")
_TOO_LONG = labels.later("csv_line_too_long", limit=f"{LINE_LIMIT >> 20} MiB")
_TOO_LONG_TEXT = labels.later("csv_line_too_long_text", count=LINE_LIMIT)  # counted in characters (UTF-16)
_GIVE = labels.later("csv_give_encoding")
_ASCII = bytes(range(128))


class _Refused(Exception):
    """What is wrong with a file's bytes, and where: a byte offset into the file (in a bytewise
    codec), or the line."""

    def __init__(self, what: str, offset: int | None = None, line: int | None = None) -> None:
        super().__init__(what)
        self.what, self.offset, self.line = what, offset, line


class _LongLine:
    """Finds a line longer than LINE_LIMIT over the pieces of a text, or of the bytes of a bytewise
    codec; a line ends at a '\n' or a '\r', as the csv reader reads it."""

    def __init__(self) -> None:
        self.run = 0  # characters since the last line break

    def add(self, piece: AnyStr) -> int | None:
        """None, or when a line goes past the limit in piece: how much of it came before piece."""
        cr, lf = ("\r", "\n") if isinstance(piece, str) else (b"\r", b"\n")
        first = min((i for i in (piece.find(lf), piece.find(cr)) if i >= 0), default=None)
        before = self.run
        if first is None:
            self.run += len(piece)
            return before if self.run > LINE_LIMIT else None
        if before + first > LINE_LIMIT:
            return before
        self.run = len(piece) - 1 - max(piece.rfind(lf), piece.rfind(cr))
        return None


class _NotUtf8(Exception):
    """Read as UTF-8, the file has a byte at offset that is not, and nothing but ASCII before it."""

    def __init__(self, offset: int, byte: int) -> None:
        super().__init__(offset)
        self.offset, self.byte = offset, byte


def _shown(e: UnicodeDecodeError) -> str:
    """The bytes a UnicodeDecodeError is about (at most four) and a verb: 'byte 0xE9 is'."""
    bad = e.object[e.start:e.end][:4]
    shown = " ".join(f"0x{b:02X}" for b in bad)
    return labels.later("csv_byte_is" if len(bad) == 1 else "csv_bytes_are", shown=shown)


def _codec(name: str) -> str:
    """The codec's own name for an --encoding; a text encoding only."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise KimuError("csvfiles_unknown_encoding_name_utf", name=clip(name))
    return info.name


@cache
def _bytewise(codec: str) -> bool:
    """Whether codec writes ASCII as ASCII, a byte a character: then a NUL and a line break are the
    bytes 0x00, 0x0A and 0x0D of the file, and can be found without decoding it."""
    try:
        return codecs.decode(_ASCII, codec) == _ASCII.decode("ascii")
    except (UnicodeError, ValueError, TypeError):  # one that refuses plain ASCII (utf-7 on '+'...)
        return False


def _chunks(binary: BinaryIO) -> Iterator[bytes]:
    return iter(partial(binary.read, CHUNK_BYTES), b"")


def _read_through(binary: BinaryIO, encoding: str | None = None) -> tuple[str, int]:
    """(codec, line breaks) of the whole file, read once from its start; _Refused at its first bad byte.

    With an encoding, every byte must be one of it. Without: a UTF-8 BOM is utf-8-sig and a UTF-16
    one (LE or BE) utf-16; a file that is UTF-8 throughout is utf-8; one with no UTF-8 sequence of
    several bytes anywhere but bytes of 128 and over is cp1252 (Excel's default here), but not with a
    byte cp1252 leaves undefined; one that mixes UTF-8 with bytes that are not is refused.
    Line breaks: the '\\n' in the file (CsvFile.lines).
    """
    head = binary.read(4)
    binary.seek(0)
    if encoding:
        codec = encoding
    elif head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        try:
            return "utf-8", _through_bytes(binary, "utf-8", auto=True)
        except _NotUtf8 as first:
            return "cp1252", _through_cp1252(binary, first)
    if codec == "utf-8-sig":  # its BOM read past here, so that offsets count from the file's start
        bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        return codec, _through_bytes(binary, "utf-8", skip=bom)
    if _bytewise(codec):
        return codec, _through_bytes(binary, codec)
    return codec, _through_text(binary, codec)


def _through_bytes(binary: BinaryIO, codec: str, auto: bool = False, skip: int = 0) -> int:
    """The '\\n' in a file in a codec that keeps ASCII as it is, each chunk decoded to check it.

    auto: the encoding was not given but guessed as UTF-8: a bad byte with only ASCII before it
    raises _NotUtf8 (the file may be cp1252), one after UTF-8 text is a mix of the two.
    """
    decoder = codecs.getincrementaldecoder(codec)()
    decode, state = decoder.decode, decoder.getstate
    binary.seek(skip)
    lines, read, several = 0, skip, False  # several: a character of several bytes was read
    long_line = _LongLine()
    for chunk in _chunks(binary):
        if (before := long_line.add(chunk)) is not None:  # it began in a chunk before: the first problem
            raise _Refused(_TOO_LONG, offset=read - before)
        nul = chunk.find(0)
        base = read - len(state()[0])  # the offset of what decode() sees: its held bytes, then chunk
        try:
            text = decode(chunk if nul < 0 else chunk[:nul])
        except UnicodeDecodeError as e:
            _undecodable(e, base, codec, auto, several)
        if nul >= 0:
            raise _Refused(_nul(nul + read, auto), offset=read + nul)
        several = several or not text.isascii()
        lines += chunk.count(b"\n")
        read += len(chunk)
    try:
        decode(b"", True)
    except UnicodeDecodeError as e:  # the file ends inside a character
        _undecodable(e, read - len(e.object), codec, auto, several, end=True)
    return lines


def _undecodable(e: UnicodeDecodeError, base: int, codec: str, auto: bool, several: bool,
                 end: bool = False) -> NoReturn:
    offset = base + e.start
    if auto and not several and e.object[:e.start].isascii():
        raise _NotUtf8(offset, e.object[e.start])
    if end:
        what = labels.later("csv_ends_inside", codec=codec)
    elif auto:
        what = labels.later("csv_mixes_encodings", shown=_shown(e))
    else:
        what = labels.later("csv_not_codec", shown=_shown(e), codec=codec)
    raise _Refused(what, offset=offset)


def _nul(offset: int, auto: bool) -> str:
    if auto and offset < 2:  # 'r\0e\0f\0' or '\0r\0e\0f'
        return labels.later("csv_nul_utf16")
    return _NUL


def _through_cp1252(binary: BinaryIO, first: _NotUtf8) -> int:
    """The '\\n' in a file that, read as UTF-8, has a bad byte (first) with only ASCII before it. It is
    cp1252 unless a UTF-8 character of several bytes follows anywhere (a mix: refused at first), a
    byte cp1252 leaves undefined, or a NUL."""
    as_utf8 = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode
    binary.seek(0)
    lines = read = 0
    long_line = _LongLine()
    for chunk in _chunks(binary):
        if (before := long_line.add(chunk)) is not None:  # it began in a chunk before: the first problem
            raise _Refused(_TOO_LONG, offset=read - before)
        found = [i for i in map(chunk.find, b"\0" + CP1252_UNDEFINED) if i >= 0]
        stop = min(found, default=len(chunk))
        if not _only_bytes(as_utf8(chunk[:stop])):  # a character cut at the end is escaped: not one
            raise _Refused(labels.later("csv_mixes_encodings", shown=labels.later("csv_byte_is",
                           shown=f"0x{first.byte:02X}")), offset=first.offset)
        if found:
            byte = chunk[stop]
            what = _NUL if byte == 0 else labels.later("csv_neither", byte=f"0x{byte:02X}")
            raise _Refused(what, offset=read + stop)
        lines += chunk.count(b"\n")
        read += len(chunk)
    return lines


def _only_bytes(text: str) -> bool:
    """Whether text, decoded from UTF-8 with surrogateescape, holds no character of several bytes:
    nothing but ASCII and the escapes of bytes that are not UTF-8."""
    if text.isascii():
        return True
    try:
        text.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def _through_text(binary: BinaryIO, codec: str) -> int:
    """The line breaks of a file in a codec that does not keep ASCII as it is (UTF-16), decoded to
    find them, a NUL and a line too long; _Refused with the line, counted here. The last piece is
    what the decoder gives back at the end, and what it holds back meanwhile counts as the line it
    is in (UTF-7 keeps a run of base64 to itself until the run ends)."""
    decoder = codecs.getincrementaldecoder(codec)()
    breaks, long_line = _Breaks(), _LongLine()
    for chunk, final in chain(((chunk, False) for chunk in _chunks(binary)), [(b"", True)]):
        state = decoder.getstate()
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as e:
            if final:
                raise _Refused(labels.later("csv_ends_inside", codec=codec), line=breaks.count + 1) from None
            before = codecs.getincrementaldecoder(codec)("replace")  # the line: what came before, again
            before.setstate(state)
            breaks.add(before.decode(chunk[:max(e.start - len(state[0]), 0)]))
            raise _Refused(labels.later("csv_not_codec", shown=_shown(e), codec=codec), line=breaks.count + 1) from None
        except UnicodeError:  # the codec's refusal of the whole file, at no byte (UTF-16 without a BOM)
            raise _Refused(labels.later("csv_cannot_read_as", codec=codec), line=breaks.count + 1) from None
        if long_line.add(text) is not None:  # the line after the breaks counted so far, begun before
            raise _Refused(_TOO_LONG_TEXT, line=breaks.count + 1)
        nul = text.find("\0")
        if nul >= 0:
            breaks.add(text[:nul])
            raise _Refused(_NUL, line=breaks.count + 1)
        breaks.add(text)
        if len(decoder.getstate()[0]) > LINE_LIMIT:  # held back: part of the line after those breaks
            raise _Refused(_TOO_LONG_TEXT, line=breaks.count + 1)
    return breaks.count


class _Breaks:
    """Counts line breaks as the csv reader does ('\\n', '\\r\\n' or a '\\r' alone) over the pieces of
    a text, or of the bytes of a bytewise codec."""

    def __init__(self) -> None:
        self.count, self._after_cr = 0, False

    def add(self, piece: AnyStr) -> None:
        if not piece:
            return
        cr, lf = ("\r", "\n") if isinstance(piece, str) else (b"\r", b"\n")
        self.count += piece.count(lf) + piece.count(cr) - piece.count(cr + lf)
        if self._after_cr and piece[:1] == lf:
            self.count -= 1
        self._after_cr = piece[-1:] == cr


def _line_at(binary: BinaryIO, offset: int) -> int:
    """The line (1, 2, ...) of the byte at offset in a file in a bytewise codec."""
    breaks, left = _Breaks(), offset
    binary.seek(0)
    while left > 0 and (chunk := binary.read(min(CHUNK_BYTES, left))):
        left -= len(chunk)
        breaks.add(chunk)
    return breaks.count + 1


def detect_delimiter(header_line: str) -> str:
    """The candidate that splits the header line into the most columns (',' when none does)."""
    return max((";", ",", "\t"), key=header_line.count) if header_line.strip() else ","


class CsvFile:
    """One open file: its encoding, delimiter, header cells, and an iterator of (line, cells)."""

    def __init__(self, path: str | os.PathLike[str], binary: BinaryIO, encoding: str, delimiter: str | None,
                 lines: int = 0) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._binary = binary
        self.encoding = encoding
        self._lines = lines
        self._text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        first = self._text.readline()
        skipped = 0
        if first.lower().startswith("sep=") and len(first.rstrip("\r\n")) == 5:  # Excel's own delimiter line
            delimiter, first, skipped = delimiter or first[4], self._text.readline(), 1
        self.delimiter = delimiter or detect_delimiter(first)
        # After the file's last line the reader is given END: a line it refuses when it starts a new
        # record, as it does after a complete one; inside a quoted field it takes it in silently.
        self._ended = False
        self._reader = csv.reader(chain([first], self._text, self._end()), delimiter=self.delimiter)
        self._skipped = skipped
        try:
            self.headers = next(self._reader, [])
        except csv.Error as e:
            raise self._unreadable(e, skipped + 1) from None
        if self._ended:
            raise self._open_quote(skipped + 1)
        if len(self.headers) > MAX_COLUMNS:
            raise KimuError("csvfiles_line_skipped_header_has", name=self.name, skipped=skipped + 1, count=len(self.headers), MAX_COLUMNS=MAX_COLUMNS)
        self.size = self.path.stat().st_size
        # What a message about the header says (Columns): a sheet (spreadsheets.SheetFile) says its own.
        self.header_place: object = labels.later("csv_header_line")
        self.described: object = labels.later("csv_read_as", delimiter=repr(self.delimiter), encoding=self.encoding)

    def _end(self) -> Iterator[str]:
        self._ended = True
        yield END

    def position(self) -> int:
        """Bytes read so far (for a progress bar)."""
        return self._binary.tell()

    def lines(self) -> int:
        """Line breaks ('\\n') in the file, a quoted one included: counted as the file was checked."""
        return self._lines

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for every row after the header; the line is where the row starts."""
        reader, skipped = self._reader, self._skipped
        last = start = reader.line_num + skipped + 1
        try:
            for cells in reader:
                yield start, cells
                last, start = start, reader.line_num + skipped + 1
        except csv.Error as e:
            if self._ended and str(e).startswith("new-line"):  # END refused: the file ended after a record
                return
            raise self._unreadable(e, start) from None
        except UnicodeDecodeError as e:  # the file changed since it was checked
            raise KimuError("csvfiles_line_start_e_encoding", name=self.name, start=start, e=_shown(e), encoding=self.encoding, _GIVE=_GIVE) from None
        if self._ended:  # END was taken into the last row: a quoted field runs to the end of the file
            raise self._open_quote(last)

    def _unreadable(self, e: csv.Error, line: int) -> KimuError:
        what: str  # a labels.later, read in the language of the run, or the csv module's text
        if "field limit" in str(e):
            what = labels.later("csv_field_too_long", limit=FIELD_LIMIT)
        else:
            what = clip(str(e), 2 * QUOTED)
        return KimuError("csvfiles_line_line_what", name=self.name, line=line, what=what)

    def _open_quote(self, line: int) -> KimuError:
        return KimuError("csvfiles_line_line_quoted_field", name=self.name, line=line)


@contextmanager
def open_csv(path: str | os.PathLike[str], encoding: str | None = None,
             delimiter: str | None = None) -> Iterator[CsvFile]:
    """Open a CSV file for reading, detecting encoding and delimiter unless given. The whole file is
    read once first (_read_through): a bad byte or a NUL refuses it before a row is parsed."""
    path = Path(path)
    if delimiter is not None and delimiter not in DELIMITERS:
        raise KimuError("csvfiles_delimiter_one_tab", delimiter=clip(delimiter))
    codec = _codec(encoding) if encoding else None
    try:
        binary = open(path, "rb")  # noqa: SIM115 -- closed below, after the caller's block
    except OSError as e:
        raise KimuError("cannot_read_file", path=path, strerror=e.strerror) from None
    limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        try:
            chosen, lines = _read_through(binary, codec)
        except _Refused as e:
            line = e.line if e.line is not None else _line_at(binary, cast(int, e.offset))  # one of them is set
            raise KimuError("csvfiles_line_line_what", name=path.name, line=line, what=e.what) from None
        except OSError as e:
            raise KimuError("cannot_read_file", path=path, strerror=e.strerror) from None
        binary.seek(0)
        try:
            opened = CsvFile(path, binary, chosen, DELIMITERS[delimiter] if delimiter is not None else None, lines)
        except UnicodeDecodeError:  # the file changed since it was checked
            raise KimuError("csvfiles_header_chosen_give", name=path.name, chosen=chosen, _GIVE=_GIVE) from None
        yield opened
    finally:
        csv.field_size_limit(limit)
        binary.close()


class HeaderedFile(Protocol):
    """What Columns reads of a file: a CsvFile or a spreadsheets.SheetFile."""

    name: str
    headers: list[str]
    header_place: object  # what a message calls the header: "the header line", "row 3" (a labels.later)
    described: object  # how the file was read, for a message: "delimiter ';', encoding cp1252" (the same)


class Columns:
    """Where each known column is in a file (a CsvFile or a spreadsheets.SheetFile), from its header,
    and the extra columns ignored."""

    def __init__(self, csvfile: HeaderedFile, known: Mapping[str, list[str]], required: Sequence[str]) -> None:
        """known: {column: [aliases]}; required: columns a file must have."""
        lookup = {header_key(alias): column for column, aliases in known.items() for alias in [column, *aliases]}
        self.index: dict[str, int] = {}  # column -> its cell in a row
        self.header: dict[str, str] = {}  # column -> the header cell that named it
        places: dict[str, list[int]] = {}
        extra: list[int] = []
        for i, cell in enumerate(csvfile.headers):
            column = lookup.get(header_key(cell))
            if column is not None:
                places.setdefault(column, []).append(i)
            elif cell.strip():
                extra.append(i)
        for column, found in places.items():
            # A column under its own name wins over an alias of it (kimu's own lists carry both
            # `id` and `ref`); two aliases of one column are a question only the user can answer.
            named = [i for i in found if header_key(csvfile.headers[i]) == header_key(column)]
            if len(found) > 1 and len(named) != 1:
                first, second = (csvfile.headers[i] for i in found[:2])
                raise KimuError("csvfiles_columns_first_second_both", name=csvfile.name, first=clip(first), second=clip(second), column=column)
            chosen = (named or found)[0]
            self.index[column], self.header[column] = chosen, csvfile.headers[chosen].strip()
            extra += [i for i in found if i != chosen]
        self.extra = [clip(csvfile.headers[i].strip(), 2 * QUOTED) for i in sorted(extra)]
        missing = [c for c in required if c not in self.index]
        if missing:
            wanted = "; ".join(labels.t("csv_column_or", column=c, names=", ".join(known[c])) if known[c] else f"'{c}'"
                               for c in missing)
            has = quote_cells(csvfile.headers) or labels.later("csv_header_nothing")
            raise KimuError("csvfiles_missing_column_wanted_header", name=csvfile.name, wanted=wanted,
                            header_place=csvfile.header_place, found=has, described=csvfile.described)

    def values(self, cells: Sequence[str]) -> dict[str, str]:
        """{column: stripped text, Excel's formula guard undone} for the known columns of one row
        (short rows padded)."""
        return {column: unneutralise(cells[i].strip()) if i < len(cells) else "" for column, i in self.index.items()}
