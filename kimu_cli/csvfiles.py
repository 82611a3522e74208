"""Reading the CSV files Excel writes in Norwegian offices: encoding, delimiter, headers.

Excel here saves Windows-1252 (or UTF-8 with a BOM, "CSV UTF-8") with `;`; scripts
write UTF-8 with `,`; some tools use tab. All are detected; --encoding and
--delimiter override. The file is decoded as a stream and never held in memory.
"""

import codecs
import csv
import io
import re
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from kimu_cli.errors import KimuError

DELIMITERS = {";": ";", ",": ",", "tab": "\t", "\\t": "\t", "\t": "\t"}
SAMPLE_BYTES = 1 << 20
# A text cell starting with one of these is run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_SEPARATORS = re.compile(r"[\s_\-]+")
_NORDIC = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def header_key(text):
    """'Fødsels-år' == 'fodselsar': lower case, no spaces, '-' or '_', æ/ø/å as ae/o/a."""
    return _HEADER_SEPARATORS.sub("", text.strip().lstrip("\ufeff").lower()).translate(_NORDIC)


def detect_encoding(sample):
    """utf-8-sig with a BOM, utf-8 when the sample decodes, else cp1252 (Excel's default here)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(sample) - 3:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8"


def detect_delimiter(header_line):
    """The candidate that splits the header line into the most columns (',' when none does)."""
    return max((";", ",", "\t"), key=header_line.count) if header_line.strip() else ","


def neutralise(value):
    """Prefix a text that a spreadsheet would run as a formula with ' (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text):
    """Undo neutralise() so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _codec(name):
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise KimuError(f"--encoding: unknown encoding '{name}' (use utf-8, utf-8-sig or cp1252)") from None


class CsvFile:
    """One open file: its encoding, delimiter, header cells, and an iterator of (line, cells)."""

    def __init__(self, path, binary, encoding, delimiter):
        self.path = Path(path)
        self.name = self.path.name
        self._binary = binary
        self.encoding = encoding
        self._text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        first = self._text.readline()
        skipped = 0
        if first.lower().startswith("sep=") and len(first.rstrip("\r\n")) == 5:  # Excel's own delimiter line
            delimiter, first, skipped = delimiter or first[4], self._text.readline(), 1
        self.delimiter = delimiter or detect_delimiter(first)
        self._reader = csv.reader(chain([first], self._text), delimiter=self.delimiter)
        self.headers = next(self._reader, [])
        self._skipped = skipped
        self.size = self.path.stat().st_size

    def position(self):
        """Bytes read so far (for a progress bar)."""
        return self._binary.tell()

    def lines(self):
        """Lines in the file (a quoted line break counts), read apart from rows()."""
        with open(self.path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

    def rows(self):
        """(line number, cells) for every row after the header; the line is where the row starts."""
        reader, skipped = self._reader, self._skipped
        start = reader.line_num + skipped + 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + skipped + 1
        except UnicodeDecodeError as e:
            raise KimuError(
                f"{self.name}: line {start}: byte {e.object[e.start:e.start + 1]!r} is not {self.encoding}; "
                "give the right --encoding (e.g. cp1252 for Excel's default, utf-8)"
            ) from None
        except csv.Error as e:
            raise KimuError(f"{self.name}: line {start}: {e}") from None


@contextmanager
def open_csv(path, encoding=None, delimiter=None):
    """Open a CSV file for reading, detecting encoding and delimiter unless given."""
    path = Path(path)
    if delimiter is not None and delimiter not in DELIMITERS:
        raise KimuError(f"--delimiter: '{delimiter}' is not one of ';', ',', 'tab'")
    try:
        binary = open(path, "rb")
    except OSError as e:
        raise KimuError(f"{path}: cannot read the file ({e.strerror})") from None
    try:
        sample = binary.read(SAMPLE_BYTES)
        binary.seek(0)
        chosen = _codec(encoding) if encoding else detect_encoding(sample)
        try:
            yield CsvFile(path, binary, chosen, DELIMITERS.get(delimiter))
        except UnicodeDecodeError:
            raise KimuError(f"{path.name}: the header is not {chosen}; give the right --encoding") from None
    finally:
        binary.close()


class Columns:
    """Where each known column is in a file, from its header, and the extra columns ignored."""

    def __init__(self, csvfile, known, required):
        """known: {column: [aliases]}; required: columns a file must have."""
        lookup = {header_key(alias): column for column, aliases in known.items() for alias in [column, *aliases]}
        self.index, self.header, places, extra = {}, {}, {}, []
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
                raise KimuError(f"{csvfile.name}: columns '{first}' and '{second}' both mean '{column}'; keep one")
            chosen = (named or found)[0]
            self.index[column], self.header[column] = chosen, csvfile.headers[chosen].strip()
            extra += [i for i in found if i != chosen]
        self.extra = [csvfile.headers[i].strip() for i in sorted(extra)]
        missing = [c for c in required if c not in self.index]
        if missing:
            wanted = "; ".join(f"'{c}' (or {', '.join(known[c])})" if known[c] else f"'{c}'" for c in missing)
            found = ", ".join(repr(h) for h in csvfile.headers) or "nothing"
            raise KimuError(
                f"{csvfile.name}: missing column {wanted}; the header line has {found} "
                f"(delimiter {csvfile.delimiter!r}, encoding {csvfile.encoding})"
            )

    def values(self, cells):
        """{column: stripped text, Excel's formula guard undone} for the known columns of one row
        (short rows padded)."""
        return {column: unneutralise(cells[i].strip()) if i < len(cells) else "" for column, i in self.index.items()}
