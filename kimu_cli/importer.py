"""`kimu import`: participants, attendance and transitions from CSV files or a workbook's sheet
(spreadsheets.py); all rows or none.

Each file is one transaction. Every row is checked by the same rules as the commands
(participants, attendance, transitions modules); all errors of a file are collected and
reported together, and then nothing is written. Re-importing a file changes nothing:
rows are matched (participants by ref and start date, attendance by ref and date,
transitions by ref, date and kind) and only differences are written. An empty cell
never erases a stored value.

Attendance files can hold millions of rows, so that path streams: the refs and their
enrollment periods are loaded once, rows are checked in Python against them (anything
unusual goes through attendance.check_row for the exact rule and message), and written
in batches of large multi-row statements. New rows are written with the trigger that counts
each day in its period off, and counted per period at the end (see _Writing). It writes one
summary audit row per file (docs/design.md, "The audit log").
"""

import json
import sqlite3
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache, partial
from itertools import chain, groupby, islice
from operator import itemgetter
from pathlib import Path
from queue import Empty, Queue
from typing import Any

from kimu_cli import (
    attendance,
    audit,
    csvfiles,
    dates,
    db,
    fields,
    formulas,
    idnumber,
    labels,
    leaders,
    names,
    participants,
    rules,
    sites,
    spreadsheets,
    transitions,
    vocab,
)
from kimu_cli.errors import KimuError, Lines, one_line

KINDS = ("participants", "attendance", "transitions", "contacts")
ERRORS_SHOWN = 20

REF = ["deltaker", "deltaker_id", "id", "referanse"]
NOTE = ["notat", "merknad", "kommentar"]
COLUMNS = {
    "participants": {
        "ref": REF, "name": ["navn"], "leader": ["arbeidsleder"], "site": ["omsorgssenter", "sted"],
        "start_date": ["startdato", "start", "oppstart"], "end_date": ["sluttdato", "slutt"],
        "end_reason": ["sluttårsak"], "birth_year": ["fødselsår"], "veileder": ["nav_veileder"],
        "goal": ["mål"], "notes": ["notat", "notater", "merknad"],
    },
    "attendance": {"ref": REF, "date": ["dato"], "status": ["oppmøte"], "hours": ["timer"], "note": NOTE},
    "transitions": {
        "ref": REF, "date": ["dato"], "kind": ["type", "overgang"], "detail": ["arbeidsgiver", "skole", "detaljer"], "note": NOTE,
    },
    "contacts": {"ref": REF, "date": ["dato"], "with": ["with_whom", "med", "hvem", "kontakt_med"],
                 "how": ["hvordan", "kanal", "måte"], "note": NOTE},
}
REQUIRED = {
    "participants": ("ref", "leader", "start_date"),
    "attendance": ("ref", "date", "status"),
    "transitions": ("ref", "date", "kind"),
    "contacts": ("ref", "date", "with", "how"),
}
COUNTS = ("rows", "inserted", "updated", "unchanged", "skipped")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Problems:
    """The errors of one file: all counted, the first ERRORS_SHOWN kept for the message. An error
    from the core names its field first ('date: ...'); here it names the file's column instead
    ('line 4: Dato: ...'), and in a sheet its cell ('Oppmøte!C4 (Dato): ...'). An error that names
    the column as the file writes it ('Dato: empty') is placed the same way."""

    def __init__(self, f: csvfiles.HeaderedFile, columns: csvfiles.Columns) -> None:
        self.name, self.shown, self.count = f.name, [], 0
        self.header = columns.header
        self.columns = {**{header: column for column, header in columns.header.items()},
                        **{column: column for column in columns.header}}
        self.cell = getattr(f, "cell", None)  # a sheet's cells have references
        self.row, self.index = getattr(f, "row", None), columns.index

    def add(self, line: int, error: object) -> None:
        self.count += 1
        if len(self.shown) < ERRORS_SHOWN:
            field, _, rest = str(error).partition(": ")
            column = self.columns.get(field) if rest else None
            if self.cell is None:
                named = f"{self.header[column]}: {rest}" if column else str(error) if rest else field
                shown = labels.t("import_line", line=line, message=named)
            elif column:
                shown = f"{self.cell(line, self.index[column])} ({self.header[column]}): {rest}"
            else:
                shown = f"{self.row(line)}: {error}"
            # A cell may be 100 000 characters, and hold line breaks: each error stays one line.
            self.shown.append(one_line(csvfiles.brief(shown)))

    def raise_if_any(self) -> None:
        if not self.count:
            return
        more = [labels.t("import_more_errors", count=self.count - len(self.shown))] if self.count > len(self.shown) else []
        raise KimuError("import_errors", name=self.name, count=self.count, errors=Lines("\n  ".join(self.shown + more)))


def check_source(path: str | Path) -> None:
    """Refuse, before the database is opened, a file that cannot be imported: missing, a folder, a
    FIFO or device (reading one could wait forever), or a name holding an identity number (the name
    goes into the audit log)."""
    import stat

    try:
        mode = Path(path).stat().st_mode
    except OSError as e:
        raise KimuError("cannot_read_file", path=path, strerror=e.strerror) from None
    if not stat.S_ISREG(mode):
        raise KimuError("importer_regular_file_folder_fifo", path=path)
    idnumber.refuse(Path(path).name, "file name")  # rename the file


def run(conn: sqlite3.Connection, kind: str, path: str | Path, encoding: str | None = None,
        delimiter: str | None = None, dry_run: bool = False, force: bool = False,
        progress: Callable[[int, int], object] | None = None, sheet: str | None = None,
        header_row: int | None = None) -> dict[str, Any]:
    """Import one file of kind, CSV or a workbook's sheet; returns the summary (counts, leaders and
    sites created).

    progress(done, total) is called now and then on large files (bytes of a CSV file, rows of a sheet).
    """
    if kind not in KINDS:
        raise KimuError("exporter_unknown_value_kind_one", kind=kind, KINDS=', '.join(KINDS))
    check_source(path)
    with _opened(path, kind, encoding, delimiter, sheet, header_row) as f:
        columns = csvfiles.Columns(f, COLUMNS[kind], REQUIRED[kind])
        summary = {
            "file": f.name, "kind": kind, "dry_run": dry_run, **dict.fromkeys(COUNTS, 0),
            "leaders_created": [], "sites_created": [], "extra_columns": columns.extra,
            "encoding": f.encoding, "delimiter": "tab" if f.delimiter == "\t" else f.delimiter,
        }
        problems = Problems(f, columns)
        if isinstance(f, spreadsheets.SheetFile):
            summary.update(format=f.format, sheet=f.sheet, header_row=f.header_row)
            for line, column, what in f.marked({i: column for column, i in columns.index.items()}):
                problems.add(line, f"{column}: {what}")
        try:
            with db.transaction(conn), names.without_suggestions():  # errors by the thousand: no difflib
                _IMPORTERS[kind](conn, f, columns, summary, problems, force, progress)
                problems.raise_if_any()
                if summary["inserted"] or summary["updated"]:  # a re-import changes nothing, the log included
                    _audit(conn, summary)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return summary


def _opened(path: str | Path, kind: str, encoding: str | None, delimiter: str | None, sheet: str | None,
            header_row: int | None) -> AbstractContextManager[Any]:
    """The file as the importer reads it: a workbook's sheet when its content is a workbook
    (spreadsheets.format_of), else CSV. The options of the one do not apply to the other."""
    fmt = spreadsheets.format_of(path)
    name = Path(path).name
    if fmt is None:
        if sheet is not None or header_row is not None:
            option = "--sheet" if sheet is not None else "--header-row"
            raise KimuError("importer_name_workbook_xlsx_ods", option=option, name=name)
        return csvfiles.open_csv(path, encoding, delimiter)
    if encoding or delimiter:
        option = "--encoding" if encoding else "--delimiter"
        raise KimuError("importer_name_workbook_fmt_option", option=option, name=name, fmt=fmt)
    if header_row is not None and header_row < 1:
        raise KimuError("importer_header_row_row_number", header_row=header_row)
    return spreadsheets.open_sheet(path, fmt, sheet, header_row, _header_test(kind))


def _header_test(kind: str) -> Callable[[list[str]], bool]:
    """Whether a row of texts has every column a file of kind needs: the header, below a title."""
    lookup = {csvfiles.header_key(alias): column for column, aliases in COLUMNS[kind].items()
              for alias in [column, *aliases]}
    required = set(REQUIRED[kind])
    return lambda cells: required <= {lookup.get(csvfiles.header_key(cell)) for cell in cells}


def _audit(conn: sqlite3.Connection, summary: dict[str, Any]) -> None:
    changes = {k: [None, summary[k]] for k in (*COUNTS, "leaders_created", "sites_created") if summary[k]}
    audit.record(conn, "import", summary["kind"], summary["file"], changes)


def _is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _empty_cell(cells: Sequence[str], columns: csvfiles.Columns, required: Iterable[str]) -> str | None:
    """The message for a row that leaves a required cell empty, or None."""
    for column in required:
        i = columns.index[column]
        if i >= len(cells) or not cells[i].strip():
            return labels.t("import_empty_cell", header=columns.header[column], column=labels.t(f"column_{column}"))
    return None


def _filled(f: Any, columns: csvfiles.Columns, kind: str, summary: dict[str, Any],
            problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, values) of the rows of a small file that give every required cell: blank rows are
    skipped, a row with an empty required cell is reported (and nothing more about it)."""
    for line, cells in f.rows():
        summary["rows"] += 1
        if _is_blank(cells):
            summary["skipped"] += 1
        elif empty := _empty_cell(cells, columns, REQUIRED[kind]):
            problems.add(line, empty)
        else:
            yield line, columns.values(cells)


# --- participants: small files; each row is a participant with one enrollment -------------------


def _participants(conn: sqlite3.Connection, f: Any, columns: csvfiles.Columns, summary: dict[str, Any],
                  problems: Problems, force: bool, progress: Callable[[int, int], object] | None) -> None:
    checked = []
    for line, values in _filled(f, columns, "participants", summary, problems):
        row, errors = _check_participant(values, columns.header)
        for error in errors:
            problems.add(line, error)
        if not errors:
            checked.append((line, row))
    # In date order, so periods follow each other and capacity sees the register as it was.
    checked.sort(key=lambda item: item[1]["start_date"])
    for line, row in checked:
        _in_savepoint(conn, line, problems, summary, lambda: _apply_participant(conn, row, force, summary))


def _in_savepoint(conn: sqlite3.Connection, line: int, problems: Problems, summary: dict[str, Any],
                  apply: Callable[[], str]) -> None:
    """Apply one row; on error undo just that row so later rows are checked against a sound state."""
    created = len(summary["leaders_created"]), len(summary["sites_created"])
    conn.execute("SAVEPOINT import_row")
    try:
        outcome = apply()
    except (KimuError, sqlite3.IntegrityError) as e:  # the schema's own rules, e.g. overlapping periods
        conn.execute("ROLLBACK TO import_row")
        del summary["leaders_created"][created[0]:], summary["sites_created"][created[1]:]
        problems.add(line, e)
    else:
        summary[outcome] += 1
    conn.execute("RELEASE import_row")


# The text cells of a participants row and the field each is kept in (or looked up by).
TEXT_FIELDS = {"leader": "leaders.name", "site": "sites.name", "name": "participants.name",
               "veileder": "participants.veileder", "goal": "participants.goal", "notes": "participants.notes"}


def _clean(field: str, value: object, header: str) -> str | None:
    return fields.clean(value, field, header)


def _check_participant(values: dict[str, str], header: dict[str, str]) -> tuple[dict[str, Any], list[Any]]:
    """The cells of one row -> (clean row, errors); every bad cell is reported, not just the first."""
    row, errors = {}, []

    def check(column: str, fn: Callable[[str, str], object]) -> None:
        if column in values:
            try:
                row[column] = fn(values[column], header[column])
            except KimuError as e:
                errors.append(e)

    check("ref", lambda v, _: participants.check_ref(v))
    for column, field in TEXT_FIELDS.items():
        check(column, partial(_clean, field))
    check("start_date", lambda v, field: dates.likely(v, field, "start_date"))  # --yes: dates.unlikely_accepted
    check("end_date", lambda v, field: dates.likely(v, field, "end_date"))
    check("birth_year", lambda v, field: participants.check_birth_year(v, field) if v else None)
    check("end_reason", lambda v, field: vocab.end_reason(v, field) if v else None)
    if row.get("end_reason") and not row.get("end_date") and not errors:
        errors.append(f"{header['end_reason']}: '{row['end_reason']}' without an end date")
    if row.get("end_date") and row.get("start_date") and row["end_date"] < row["start_date"]:
        errors.append(f"{header['end_date']}: {row['end_date']} is before the start ({row['start_date']})")
    return row, errors


def _apply_participant(conn: sqlite3.Connection, row: dict[str, Any], force: bool, summary: dict[str, Any]) -> str:
    leader = _leader(conn, row["leader"], row.get("site"), summary)
    ref, start = row["ref"], row["start_date"]
    personal = {k: row[k] for k in participants.PERSONAL_FIELDS if row.get(k) is not None}
    p = conn.execute("SELECT * FROM participants WHERE ref = ?", (ref,)).fetchone()
    if p is None:
        participants.add(conn, ref, leader["name"], start, force, **personal)
        _end(conn, ref, None, row)
        return "inserted"
    changed = {k: v for k, v in personal.items() if p[k] != v}
    if changed:
        participants.edit(conn, p["ref"], **changed)
    updated = bool(changed)
    e = conn.execute("SELECT * FROM enrollments WHERE participant_id = ? AND start_date = ?", (p["id"], start)).fetchone()
    if e is None:
        participants.reenroll(conn, p["ref"], leader["name"], start, force)
        _end(conn, p["ref"], None, row)
        return "inserted"
    if e["leader_id"] != leader["id"]:
        _correct_leader(conn, p, e, leader)
        updated = True
    return "updated" if _end(conn, p["ref"], e, row) or updated else "unchanged"


def _leader(conn: sqlite3.Connection, name: str, site: str | None, summary: dict[str, Any]) -> sqlite3.Row:
    """The row's leader; an unknown leader (and site) is created when the row names the site."""
    row = conn.execute(
        "SELECT l.*, s.name AS site FROM leaders l JOIN sites s ON s.id = l.site_id WHERE l.name = ?", (name,)
    ).fetchone()
    if row is not None:
        if site and site.casefold() != row["site"].casefold():
            raise KimuError("importer_leader_name_works_at", name=row['name'], site=row['site'], site2=site)
        return row
    if not site:
        raise KimuError("importer_unknown_leader_name_give", name=name)
    if not conn.execute("SELECT 1 FROM sites WHERE name = ?", (site,)).fetchone():
        sites.add(conn, site)
        summary["sites_created"].append(site)
    leaders.add(conn, name, site)
    summary["leaders_created"].append(name)
    return leaders.get(conn, name)


def _correct_leader(conn: sqlite3.Connection, p: sqlite3.Row, e: sqlite3.Row, leader: sqlite3.Row) -> None:
    latest = conn.execute("SELECT max(start_date) FROM enrollments WHERE participant_id = ?", (p["id"],)).fetchone()[0]
    if e["start_date"] != latest:
        raise KimuError(
            "importer_period_ref_from_start", ref=p['ref'], start_date=e['start_date']
        )
    participants.edit(conn, p["ref"], leader=leader["name"])


def _end(conn: sqlite3.Connection, ref: str, e: sqlite3.Row | None, row: dict[str, Any]) -> bool:
    """End (or correct the end of) the row's enrollment as the file says; True when it changed.

    An empty end reason keeps a stored one, else means 'other' (docs/design.md, "Words")."""
    end_date = row.get("end_date")
    reason = row.get("end_reason") or (e is not None and e["end_reason"]) or vocab.end_reason(None)
    if not end_date or (e is not None and (e["end_date"], e["end_reason"]) == (end_date, reason)):
        return False
    participants.end(conn, ref, end_date, reason, e if e is not None and e["end_date"] else None)
    return True


# --- attendance: the hot path, streamed --------------------------------------------------------


# SQLite's NOCASE (refs are UNIQUE COLLATE NOCASE) folds A-Z only: 'Øya1' and 'øya1' are two refs.
# The fast path compares refs in Python; tests/test_import_paths.py checks it matches as SQLite does.
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ref_key(ref: str) -> str:
    """A ref as the participants table compares it, so the fast path finds whom participants.get finds."""
    return ref.translate(_NOCASE)


def _enrollment_periods(conn: sqlite3.Connection) -> dict[str, tuple[int, tuple[tuple[str, str], ...]]]:
    """_ref_key(ref) -> (participant id, ((start, end), ...)) for every participant.

    A date is kept once however many periods share it (nationally 54 000 participants: 7 MiB less)."""
    refs, day = {}, {}
    for pid, ref, start, end in conn.execute(
        f"SELECT p.id, p.ref, e.start_date, {rules.until()} "
        "FROM participants p LEFT JOIN enrollments e ON e.participant_id = p.id ORDER BY p.id, e.start_date"
    ):
        ref = _ref_key(ref)
        pid, periods = refs.get(ref, (pid, ()))
        if start:
            periods += ((day.setdefault(start, start), day.setdefault(end, end)),)
        refs[ref] = (pid, periods)
    return refs


@lru_cache
def _insert(rows: int, given: int = 5, upsert: bool = False) -> str:
    """Insert of `rows` rows; as an upsert, an empty hours or note keeps the stored one, and
    unchanged rows are not written (so they are not counted as changed).

    An empty hours or note comes as '' (NULL here): sqlite3 binds None through its adapter
    lookup, which for the two usually empty columns cost a tenth of the import. A file without
    hours and note columns gives three values a row."""
    row = "(?, ?, ?, nullif(?, ''), nullif(?, ''))" if given == 5 else "(?, ?, ?, NULL, NULL)"
    values = ", ".join([row] * rows)
    return f"INSERT INTO attendance (participant_id, date, status, hours, note) VALUES {values}" + (upsert and """
        ON CONFLICT (participant_id, date) DO UPDATE SET
            status = excluded.status,
            hours = coalesce(excluded.hours, attendance.hours),
            note = coalesce(excluded.note, attendance.note)
        WHERE attendance.status IS NOT excluded.status
           OR excluded.hours IS NOT NULL AND excluded.hours IS NOT attendance.hours
           OR excluded.note IS NOT NULL AND excluded.note IS NOT attendance.note
    """ or "")


# Lines of the file per batch. A reading thread parses and checks the next batch while SQLite
# writes this one (sqlite3 lets go of the GIL while a statement runs): at most three in memory.
BATCH_ROWS = 25_000
# Many rows per statement: after each one the writing thread waits for its turn with the GIL while
# the reading thread runs, so fewer, larger statements are faster (per million rows 2 000 a statement
# took 4.4 s, 12 500 took 3.5 s); each takes about 0.4 KiB of SQLite's memory per row while kept.
ROWS_PER_INSERT = 12_500


def _attendance(conn: sqlite3.Connection, f: Any, columns: csvfiles.Columns, summary: dict[str, Any],
                problems: Problems, force: bool, progress: Callable[[int, int], object] | None) -> None:
    for sql in NOTE_CORRECTIONS:
        conn.execute(sql)
    try:
        _stream_attendance(conn, f, columns, summary, problems, progress)
        _audit_corrections(conn)
    finally:
        for sql in FORGET_CORRECTIONS:
            conn.execute(sql)


# A day the file changes is audited with its old and new values, as `attendance record` does.
# A TEMP trigger (this connection only, gone with it) notes each row the upsert updates; new
# rows, the bulk of an import, pass it by and are covered by the file's summary row.
NOTE_CORRECTIONS = [
    """CREATE TEMP TABLE import_corrections (
           participant_id, date, old_status, new_status, old_hours, new_hours, old_note, new_note)""",
    """CREATE TEMP TRIGGER import_corrections AFTER UPDATE ON main.attendance
       BEGIN
           INSERT INTO import_corrections VALUES (NEW.participant_id, NEW.date, OLD.status, NEW.status,
                                                  OLD.hours, NEW.hours, OLD.note, NEW.note);
       END""",
]
FORGET_CORRECTIONS = ["DROP TRIGGER IF EXISTS temp.import_corrections", "DROP TABLE IF EXISTS temp.import_corrections"]


def _audit_corrections(conn: sqlite3.Connection) -> None:
    sql = """SELECT c.*, p.ref FROM temp.import_corrections c JOIN participants p ON p.id = c.participant_id
             ORDER BY c.rowid"""
    for r in conn.execute(sql).fetchall():
        old, new = ({k: r[f"{age}_{k}"] for k in ("status", "hours", "note")} for age in ("old", "new"))
        audit.record(conn, "correct", "attendance", f"{r['ref']} {r['date']}", audit.diff(old, new),
                     r["participant_id"])


def _stream_attendance(conn: sqlite3.Connection, f: Any, columns: csvfiles.Columns, summary: dict[str, Any],
                       problems: Problems, progress: Callable[[int, int], object] | None) -> None:
    check = _AttendanceCheck(conn, columns)
    # Within SQLite's limit of parameters per statement (a compile-time setting: 250 000 on Debian's).
    per_insert = min(ROWS_PER_INSERT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 5)
    given = 5 if {"hours", "note"} & columns.index.keys() else 3
    layout = (per_insert, given, check.periods)
    writing = _Writing(conn, given, _is_bulk(conn, f))
    changed = rows = skipped = 0
    with _read_ahead(_batches(f, check, layout)) as batches:
        for batch in batches:
            rows, skipped = rows + batch.lines, skipped + batch.blank
            if batch.suspects:
                batch.settle(check.exact, problems, layout)
            if not problems.count:  # once the file has an error nothing more is written: it will be rolled back
                changed += writing.write(batch)
            if progress:
                progress(batch.position, f.size)
    writing.done()
    # Of the rows the upserts changed, NOTE_CORRECTIONS noted each one updated; the rest are new.
    updated = conn.execute("SELECT count(*) FROM temp.import_corrections").fetchone()[0]
    valid = rows - skipped - problems.count
    summary.update(rows=rows, skipped=skipped, inserted=changed - updated, updated=updated,
                   unchanged=valid - changed)


def _is_bulk(conn: sqlite3.Connection, f: Any) -> bool:
    """Whether the file has more lines than attendance has rows (a first import of the history):
    then the date index is built once at the end, by a sort (0.3 s per million rows instead of 1 s)."""
    rows = max(f.lines() - 1, 0)  # less the header
    return conn.execute("SELECT count(*) FROM (SELECT 1 FROM attendance LIMIT ?)", (rows,)).fetchone()[0] < rows


class _Writing:
    """Writes the batches of one file with attendance_insert off: per row, that trigger's count of
    the day in its period was 2 of 5.6 s per million rows (bench/). A batch of new days, the bulk of
    an import, is inserted as it is and its days are added per period at the end. From the first
    batch that gives a day twice or one of its participants' days already stored in its range of
    dates (a re-import, a correction) the trigger is on and the rest of the file is upserted. In a
    bulk import the date index is off too. Both are dropped when the first new batch is written
    (so a re-import never touches the file) and created again from their own text inside the
    file's transaction, so whatever ends it early brings them back."""

    def __init__(self, conn: sqlite3.Connection, given: int, bulk: bool) -> None:
        # days: the days of the rows inserted fresh, {(participant id, period start, status): rows}
        self.conn, self.fresh, self.dropped, self.days = conn, True, set(), Counter()
        names = ("attendance_insert", "attendance_date") if bulk else ("attendance_insert",)
        self.schema = {name: (kind, sql) for name, kind, sql in conn.execute(
            f"SELECT name, type, sql FROM sqlite_master WHERE name IN ({', '.join('?' * len(names))})", names)}
        self.insert = partial(_insert, given=given)
        self.upsert = partial(_insert, given=given, upsert=True)

    def write(self, batch: "_Batch") -> int:
        """Write the batch; returns the rows changed."""
        if not batch.groups:  # blank lines only: nothing to write, so nothing is dropped either
            return 0
        self.fresh = self.fresh and not batch.repeats and not self.conn.execute(STORED, (batch.spans,)).fetchone()
        if not self.fresh:
            self._on("attendance_insert")
            return batch.write(self.conn, self.upsert)
        self._off()
        self.days.update(batch.days)
        return batch.write(self.conn, self.insert)

    def done(self) -> None:
        """Add the days of the rows inserted fresh to their periods; the trigger and index back."""
        periods = {}
        for (pid, start, status), count in self.days.items():
            periods.setdefault((pid, start), dict.fromkeys(vocab.ATTENDANCE_STATUSES, 0))[status] += count
        added = self.conn.executemany(ADD_DAYS, ({"pid": pid, "start": start, **counts}
                                                 for (pid, start), counts in periods.items())).rowcount
        if added != len(periods):
            raise KimuError("importer_period_row_missing_run")
        self._on(*self.schema)

    def _off(self) -> None:
        for name in self.schema.keys() - self.dropped:
            self.conn.execute(f"DROP {self.schema[name][0]} {name}")
            self.dropped.add(name)

    def _on(self, *names: str) -> None:
        for name in self.dropped.intersection(names):
            self.conn.execute(self.schema[name][1])
            self.dropped.remove(name)


# Whether any of a batch's participants has a day stored between their first and last day in it (a JSON
# list of [id, first, last]: one statement a batch, as each hands the GIL to the reading thread).
STORED = """
    SELECT 1 FROM json_each(?) s CROSS JOIN attendance a ON a.participant_id = json_extract(s.value, '$[0]')
        AND a.date BETWEEN json_extract(s.value, '$[1]') AND json_extract(s.value, '$[2]')
    LIMIT 1
"""
# The days new rows add to a period, as the trigger attendance_insert (schema.ATTENDANCE_INSERT) adds
# one row's, kept for speed while that trigger is off (see _Writing); tests/test_import_paths.py
# checks that the facts equal a recount after any import.
ADD_DAYS = """UPDATE enrollment_facts SET present = present + :present, absent = absent + :absent,
                  excused = excused + :excused
              WHERE participant_id = :pid AND start_date = :start"""


def _batches(f: Any, check: "_AttendanceCheck", layout: tuple[int, int, dict[int, Any]]) -> Iterator["_Batch"]:
    """The file's rows in batches of BATCH_ROWS lines, checked in the reading thread.

    The common row is taken apart here with the caches of check.fast (filled by the rows before
    it): a known ref, a date, a status and hours seen before, no note, a day inside a period.
    Every other row goes through check.fast itself.
    """
    refs, days, statuses, hours_of, fast = check.seen, check.days, check.statuses, check.hours_of, check.fast
    i_ref, i_date, i_status, i_hours, i_note = check.at
    rows, suspects, blank, lines = [], [], 0, 0
    append = rows.append
    for line, cells in f.rows():
        lines += 1
        try:
            pid, periods = refs[cells[i_ref]]
            day, status = days[cells[i_date]], statuses[cells[i_status]]
            hours = hours_of[cells[i_hours]] if i_hours is not None else ""
            if i_note is not None and cells[i_note]:
                raise KeyError
        except (KeyError, IndexError):
            row = fast(cells)
            if row is None:
                blank += 1
            elif row is SUSPECT:
                suspects.append((len(rows), line, cells))
            else:
                append(row)
        else:
            if _period_start(periods, day) is None:
                suspects.append((len(rows), line, cells))
            else:
                append((pid, day, status, hours, ""))
        if lines == BATCH_ROWS:
            yield _Batch(rows, suspects, blank, f.position(), layout)
            rows, suspects, blank, lines = [], [], 0, 0
            append = rows.append
    yield _Batch(rows, suspects, blank, f.position(), layout)


SUSPECT = object()
_KEY, _FIRST_THREE = itemgetter(0, 1), itemgetter(0, 1, 2)


class _Batch:
    """Some lines of the file: rows that passed the fast check, in primary-key order and grouped
    per statement; suspects (place among the rows, line, cells) wait for the exact check."""

    def __init__(self, rows: list[Any], suspects: list[tuple[int, int, list[str]]], blank: int, position: int,
                 layout: tuple[int, int, dict[int, Any]]) -> None:
        self.lines, self.blank, self.position = len(rows) + len(suspects) + blank, blank, position
        self.rows, self.suspects = rows, suspects
        if not suspects:
            self._group(layout)

    def settle(self, exact: Callable[[list[str]], Any], problems: Problems,
               layout: tuple[int, int, dict[int, Any]]) -> None:
        """Check the suspects with exact (the connection's thread); those that pass join the rows in
        file order, the others are problems."""
        rows, done = [], 0
        for at, line, cells in self.suspects:
            rows += self.rows[done:at]
            done = at
            try:
                rows.append(exact(cells))
            except KimuError as e:
                problems.add(line, e)
        self.rows, self.suspects = rows + self.rows[done:], []
        self._group(layout)

    def _group(self, layout: tuple[int, int, dict[int, Any]]) -> None:
        """Primary-key order (neighbouring rows share pages; stable, so a day given twice keeps the
        file's last value), as the flat parameters of statements of up to layout's rows (values per
        row given); and the days the rows add to each period of layout's {participant id: periods}."""
        (per_insert, given, periods), rows = layout, self.rows
        rows.sort(key=_KEY)
        self.days, spans, self.repeats = _days(rows, periods)
        self.spans = json.dumps(spans)
        values = chain.from_iterable(rows if given == 5 else map(_FIRST_THREE, rows))  # one pass
        self.groups = [(size, list(islice(values, size * given))) for size in _sizes(len(rows), per_insert)]
        self.rows = None

    def write(self, conn: sqlite3.Connection, statement: Callable[[int], str]) -> int:
        """Write the batch, each group with statement(its rows); returns the rows changed."""
        return sum(conn.execute(statement(size), values).rowcount for size, values in self.groups)


def _sizes(rows: int, most: int) -> list[int]:
    """Rows per statement: as many times `most` as fit, the rest in powers of two, so that a file
    needs at most 15 statements, each prepared once (sqlite3 keeps them)."""
    rest = rows % most
    return [most] * (rows // most) + [1 << bit for bit in reversed(range(rest.bit_length())) if rest >> bit & 1]


_PID, _STATUS = itemgetter(0), itemgetter(2)


def _days(rows: list[Any], periods: dict[int, Any]) -> tuple[Counter[tuple[int, str, str]], list[Any], bool]:
    """Of checked rows (each inside a period) in primary-key order: Counter {(participant id, period
    start, status): rows}, each participant's (id, first day, last day), and whether a day repeats.
    A participant with one period counts their statuses in one go (4x faster)."""
    days, spans, repeats = Counter(), [], False
    for pid, own in groupby(rows, _PID):
        own, periods_of = list(own), periods[pid]
        spans.append((pid, own[0][1], own[-1][1]))
        repeats = repeats or len({row[1] for row in own}) < len(own)
        if len(periods_of) == 1 and periods_of[0][0] <= own[0][1] and own[-1][1] <= periods_of[0][1]:
            for status, count in Counter(map(_STATUS, own)).items():
                days[pid, periods_of[0][0], status] += count
        else:
            for _, day, status, *_ in own:
                start = _period_start(periods_of, day)
                if start is None:  # the rule attendance_insert would refuse the row by
                    raise KimuError("importer_day_inside_enrollment_attendance", day=day)
                days[pid, start, status] += 1
    return days, spans, repeats


def _period_start(periods: Iterable[tuple[str, str]], day: str) -> str | None:
    """The start of the period ((start, end), ...) that holds day, or None."""
    for start, end in periods:
        if start <= day <= end:
            return start
    return None


class _AttendanceCheck:
    """cells -> (participant_id, date, status, hours, note) with '' for an empty hours or note,
    None for a blank row, or KimuError.

    fast() checks a row against the refs and periods loaded once, without the connection (it
    runs in the reading thread), and keeps what it found in caches by the cell's text: refs,
    dates up to today, statuses and hours. A row it does not pass is SUSPECT and goes through
    exact(), attendance.check_row, which has the rule and the message. A row fast() passes must
    be the row exact() makes of it: tests/test_import_paths.py generates rows to prove it.
    """

    def __init__(self, conn: sqlite3.Connection, columns: csvfiles.Columns) -> None:
        self.conn, self.columns = conn, columns
        self.refs = _enrollment_periods(conn)
        self.periods = dict(self.refs.values())
        self.today = dates.today().isoformat()
        self.seen, self.days, self.statuses, self.hours_of = {}, {}, {}, {"": ""}
        index = columns.index
        self.at = (index["ref"], index["date"], index["status"], index.get("hours"), index.get("note"))
        self.width = max(index.values()) + 1

    def _cells(self, cells: list[str]) -> tuple[str, str, str, str, str]:
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        i_ref, i_date, i_status, i_hours, i_note = self.at
        note = cells[i_note].strip() if i_note is not None else ""
        return (formulas.unneutralise(cells[i_ref].strip()), cells[i_date], cells[i_status],
                cells[i_hours] if i_hours is not None else "", formulas.unneutralise(note))

    def fast(self, cells: list[str]) -> Any:
        ref_text, day_text, status_text, hours_text, note = self._cells(cells)
        ref = ref_text.strip()
        if not (ref and day_text.strip() and status_text.strip()):
            return None if _is_blank(cells) else SUSPECT
        known = self.refs.get(_ref_key(ref))
        day = _cached(self.days, day_text, self._past_day)
        status = _cached(self.statuses, status_text, vocab.attendance_status)
        hours = _cached(self.hours_of, hours_text, self._hours)
        if (known is None or day is None or status is None or hours is None and hours_text
                or note and not fields.fits(note, "attendance.note") or _period_start(known[1], day) is None):
            return SUSPECT
        if len(self.seen) < CACHED:
            self.seen[ref_text] = known
        return known[0], day, status, hours, note

    @staticmethod
    def _hours(text: str) -> float | str:
        hours = attendance.parse_hours(text)
        return "" if hours is None else hours

    def _past_day(self, text: str) -> str:
        day = dates.iso(text)
        if day is None or day > self.today:  # a blank or a future day: check_day has the rule and message
            raise KimuError(text)
        return day

    def exact(self, cells: list[str]) -> tuple[int, str, str, float | str, str]:
        ref, day_text, status_text, hours_text, note = self._cells(cells)
        ref = ref.strip()
        if not (ref and day_text.strip() and status_text.strip()):
            raise KimuError(_empty_cell(cells, self.columns, REQUIRED["attendance"]))
        row = attendance.check_row(self.conn, ref, day_text, status_text, hours_text, note)
        hours, note = row["hours"], row["note"]
        return row["participant_id"], row["date"], row["status"], "" if hours is None else hours, note or ""


# Texts kept per cache (dates, statuses, hours, refs): far more than a file's distinct values.
CACHED = 100_000


def _cached(cache: dict[str, Any], text: str, fn: Callable[[str], Any]) -> Any:
    """fn(text) from cache, else computed and kept; None when fn refuses it or finds nothing (not
    kept, so the row takes the slow path again and gets its message)."""
    try:
        return cache[text]
    except KeyError:
        try:
            value = fn(text)
        except KimuError:
            return None
        if value is not None and len(cache) < CACHED:  # what the fast path may take as it is
            cache[text] = value
        return value


_END = object()
SWITCH_SECONDS = 0.0001


@contextmanager
def _read_ahead(items: Iterator[Any], ahead: int = 1) -> Iterator[Iterator[Any]]:
    """Iterate over items (a generator) run in a thread, at most `ahead` items ahead of the caller.

    An exception in the thread is raised in the caller; leaving the block early stops the thread.
    Meanwhile Python switches threads every SWITCH_SECONDS: after each SQLite call the caller waits
    for the GIL while the thread runs Python, by default up to 5 ms a time (per million rows 0.9 s).
    """
    queue, stop, saved = Queue(ahead), threading.Event(), sys.getswitchinterval()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                queue.put(item)
            queue.put(_END)
        except BaseException as e:  # handed over to the caller
            queue.put(e)

    def consume() -> Iterator[Any]:
        while (item := queue.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item

    thread = threading.Thread(target=produce, name="kimu-import-reader", daemon=True)
    ours = None
    try:
        sys.setswitchinterval(SWITCH_SECONDS)
        ours = sys.getswitchinterval()
        thread.start()
        yield consume()
    finally:
        if sys.getswitchinterval() == ours:  # not already put back by an import that overlapped this one
            sys.setswitchinterval(saved)
        stop.set()
        while thread.is_alive():  # make room for a put the thread may be waiting on
            try:
                queue.get(timeout=0.05)
            except Empty:
                pass
        thread.join()


# --- transitions: small files, each row through transitions.check --------------------------------


def _transitions(conn: sqlite3.Connection, f: Any, columns: csvfiles.Columns, summary: dict[str, Any],
                 problems: Problems, force: bool, progress: Callable[[int, int], object] | None) -> None:
    for line, values in _filled(f, columns, "transitions", summary, problems):
        _in_savepoint(conn, line, problems, summary, lambda: _apply_transition(conn, values, columns.header))


def _apply_transition(conn: sqlite3.Connection, values: dict[str, str], header: dict[str, str]) -> str:
    text = {k: values[k] for k in ("detail", "note") if k in values}
    dates.likely(values["date"], header["date"], "transition_date", ahead=False)
    row = transitions.check(conn, values["ref"], values["kind"], values["date"], **text)
    same = transitions.find(conn, row)
    if same is None:
        transitions.insert(conn, row)
        return "inserted"
    return "updated" if transitions.update(conn, same, row) else "unchanged"


# --- contacts: small files, each row through contacts.check ---------------------------------------


def _contacts(conn: sqlite3.Connection, f: Any, columns: csvfiles.Columns, summary: dict[str, Any],
              problems: Problems, force: bool, progress: Callable[[int, int], object] | None) -> None:
    from kimu_cli import contacts

    def apply(values: dict[str, str]) -> str:
        row = contacts.check(conn, values["ref"], values["with"], values["how"], values["date"], values.get("note"))
        same = contacts.find(conn, row)
        if same is None:
            contacts.insert(conn, row)
            return "inserted"
        return contacts.update_note(conn, same["id"], same["note"], row)

    for line, values in _filled(f, columns, "contacts", summary, problems):
        _in_savepoint(conn, line, problems, summary, partial(apply, values))


_IMPORTERS = {"participants": _participants, "attendance": _attendance, "transitions": _transitions,
              "contacts": _contacts}
