"""`kimu export`: the register as CSV, JSON or xlsx, streamed row by row.

CSV columns are the names `kimu import` takes, so export -> edit in Excel -> import
round-trips, and re-importing an unedited export changes nothing. `participants`
(each participant with their latest period) and `enrollments` (every period) are both
imported with `kimu import participants`. --excel writes what a Norwegian Excel opens
directly: `;`, a UTF-8 BOM, dd.mm.yyyy and decimal commas, and in bokmål (--lang nb) Norwegian headers
and words (deltaker, dato, oppmøte: møtt/fravær/gyldig fravær, overgang: opplæringskontrakt ...) that
`kimu import` takes back. Text cells that a
spreadsheet would run as a formula are neutralised with a leading ' (the importer
takes it off again).
"""

import csv
import io
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from kimu_cli import dates, db, formulas, idnumber, labels, outputs, rules, vocab
from kimu_cli.errors import KimuError

FORMATS = ("csv", "json", "xlsx")
DATE_COLUMNS = {"date", "start_date", "end_date", "started", "ended"}

# Every period overlapping [:start, :end] (either may be NULL: unbounded), with the participant.
_PERIODS = f"""
    SELECT p.ref, p.name, p.birth_year, p.veileder, p.goal, p.notes, l.name AS leader, s.name AS site,
           e.start_date, e.end_date, e.end_reason,
           row_number() OVER (PARTITION BY e.participant_id ORDER BY e.start_date DESC) AS latest
    FROM enrollments e
    JOIN participants p ON p.id = e.participant_id
    JOIN leaders l ON l.id = e.leader_id
    JOIN sites s ON s.id = l.site_id
    WHERE (:start IS NULL OR {rules.until()} >= :start)
      AND (:end IS NULL OR e.start_date <= :end)
"""
_PERIOD_COLUMNS = ("ref, name, birth_year, veileder, goal, notes, leader, site, "
                   "start_date, end_date, end_reason")
# kind -> (query, whether --from/--to apply); the selected names are the CSV columns.
QUERIES = {
    "participants": (f"SELECT {_PERIOD_COLUMNS} FROM ({_PERIODS}) WHERE latest = 1 ORDER BY ref", True),
    "enrollments": (f"SELECT {_PERIOD_COLUMNS} FROM ({_PERIODS}) ORDER BY ref, start_date", True),
    # In primary-key order, so a million rows stream without a sort.
    "attendance": (
        """SELECT p.ref, a.date, a.status, a.hours, a.note FROM attendance a
           JOIN participants p ON p.id = a.participant_id
           WHERE (:start IS NULL OR a.date >= :start) AND (:end IS NULL OR a.date <= :end)
           ORDER BY a.participant_id, a.date""",
        True,
    ),
    "transitions": (
        """SELECT p.ref, t.date, t.kind, t.detail, t.note FROM transitions t
           JOIN participants p ON p.id = t.participant_id
           WHERE (:start IS NULL OR t.date >= :start) AND (:end IS NULL OR t.date <= :end)
           ORDER BY t.date, p.ref, t.kind""",
        True,
    ),
    "contacts": (
        """SELECT p.ref, c.date, c.with_whom AS "with", c.how, c.note FROM contacts c
           JOIN participants p ON p.id = c.participant_id
           WHERE (:start IS NULL OR c.date >= :start) AND (:end IS NULL OR c.date <= :end)
           ORDER BY c.date, p.ref, c.id""",
        True,
    ),
    "leaders": (
        """SELECT l.name AS leader, s.name AS site, l.yearly_capacity, l.max_concurrent, l.started, l.ended
           FROM leaders l JOIN sites s ON s.id = l.site_id ORDER BY s.name, l.name""",
        False,
    ),
    "sites": ("SELECT name AS site, municipality, nav_office FROM sites ORDER BY name", False),
}
KINDS = tuple(QUERIES)
# --excel in bokmål: Norwegian headers (each one `kimu import` accepts) and values (vocab.NORWEGIAN).
HEADERS_NB = {
    "ref": "deltaker", "name": "navn", "leader": "arbeidsleder", "site": "omsorgssenter",
    "start_date": "startdato", "end_date": "sluttdato", "end_reason": "sluttårsak", "birth_year": "fødselsår",
    "veileder": "NAV-veileder", "goal": "mål", "notes": "notater", "date": "dato", "status": "oppmøte",
    "hours": "timer", "note": "notat", "kind": "overgang", "detail": "detaljer",
    "yearly_capacity": "kapasitet per år", "max_concurrent": "maks samtidig", "started": "startet",
    "ended": "sluttet", "municipality": "kommune", "nav_office": "NAV-kontor",
}


def query(conn: sqlite3.Connection, kind: str, start: object = None,
          end: object = None) -> tuple[list[str], sqlite3.Cursor]:
    """(columns, cursor of tuples) for one kind."""
    if kind not in QUERIES:
        raise KimuError("exporter_unknown_value_kind_one", kind=kind, KINDS=', '.join(KINDS))
    sql, dated = QUERIES[kind]
    if not dated and (start or end):
        raise KimuError("exporter_kind_have_no_dates", kind=kind)
    params = {"start": dates.iso(start, "from"), "end": dates.iso(end, "to")}
    if params["start"] and params["end"] and params["start"] > params["end"]:
        raise KimuError("from_after_to", start=params['start'], end=params['end'])
    cursor = conn.execute(sql, params)
    cursor.row_factory = None  # plain tuples: cheaper for a million rows
    return [d[0] for d in cursor.description], cursor


def export(conn: sqlite3.Connection, kind: str, fmt: str = "csv", output: Path | str | None = None, excel: bool = False,
           start: object = None, end: object = None) -> int:
    """Write kind to output (a path, written whole with mode 0600; None or '-': stdout); returns the
    number of rows."""
    if fmt not in FORMATS:
        raise KimuError("exporter_unknown_value_fmt_one", fmt=fmt, FORMATS=', '.join(FORMATS))
    if fmt == "xlsx" and outputs.is_stdout(output) and sys.stdout.isatty():
        raise KimuError("exporter_xlsx_binary_file_give")
    with outputs.stream(output, db.file_of(conn)) as binary:
        columns, found = query(conn, kind, start, end)
        rows = _masked(found)
        if fmt == "xlsx":
            neutral = (tuple(map(formulas.neutralise, row)) for row in rows)
            from kimu_cli import xlsx  # zipfile (and bz2, lzma) only for a workbook

            return xlsx.write(binary, kind, columns, neutral, DATE_COLUMNS)
        text = io.TextIOWrapper(binary, encoding="utf-8-sig" if excel else "utf-8", newline="")
        try:
            return (_json if fmt == "json" else _csv)(text, columns, rows, excel)
        finally:
            text.flush()
            text.detach()


def _masked(rows: Iterable[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """rows with the digits of every identity number in a text masked. One is in the file only when
    written behind kimu's back (`kimu db check` finds it), and an export leaves the office, on
    standard output past the masking of every printed line too (it writes bytes)."""
    for row in rows:
        yield tuple(idnumber.mask(v) if isinstance(v, str) and len(v) >= idnumber.LENGTH else v for v in row)


def _csv(text: TextIO, columns: Sequence[str], rows: Iterable[tuple[object, ...]], excel: bool) -> int:
    writer = csv.writer(text, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    norwegian = excel and labels.current() == "nb"
    writer.writerow([HEADERS_NB.get(c, c) for c in columns] if norwegian else columns)
    cell = _excel_cell if excel else _cell
    dated = [c in DATE_COLUMNS for c in columns]
    words = [vocab.NORWEGIAN.get(c) if norwegian else None for c in columns]
    count = 0
    for row in rows:
        values: Iterable[object] = row
        if norwegian:  # coded values in Norwegian words (a code is text; nothing else has a word)
            values = [w.get(v, v) if w and isinstance(v, str) else v for w, v in zip(words, row)]
        writer.writerow(list(map(cell, values, dated)))
        count += 1
    return count


def _cell(value: object, is_date: bool) -> object:
    return "" if value is None else formulas.neutralise(value)


def _excel_cell(value: object, is_date: bool) -> object:
    """What a Norwegian Excel reads as intended: dd.mm.yyyy dates and decimal commas."""
    if value is None:
        return ""
    if is_date:
        return dates.norwegian(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return formulas.neutralise(value)


def _json(text: TextIO, columns: Sequence[str], rows: Iterable[tuple[object, ...]], excel: bool) -> int:
    """A JSON array of objects keyed by the CSV column names, written as it is read."""
    text.write("[")
    count = 0
    for row in rows:
        text.write(",\n  " if count else "\n  ")
        text.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False))
        count += 1
    text.write("\n]\n" if count else "]\n")
    return count
