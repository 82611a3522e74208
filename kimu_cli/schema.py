"""The schema as an ordered list of migrations; each runs once per file, in order.

Append new functions to MIGRATIONS; never change one that has shipped. The rules
of DESIGN.md live here so that SQLite refuses a bad row whoever writes it.
"""

import re
import sqlite3

from kimu_cli.errors import KimuError
from kimu_cli.vocab import END_REASONS, EXCLUDED_END_REASON, MOVED_ON_GROUPS, TRANSITION_KINDS

_END_REASONS = ", ".join(f"'{r}'" for r in END_REASONS)

INITIAL = [
    """
    CREATE TABLE sites (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) <> ''),
        municipality TEXT,
        nav_office TEXT
    )
    """,
    """
    CREATE TABLE leaders (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) <> ''),
        site_id INTEGER NOT NULL REFERENCES sites(id),
        yearly_capacity INTEGER NOT NULL DEFAULT 20 CHECK (yearly_capacity > 0),
        max_concurrent INTEGER NOT NULL DEFAULT 10 CHECK (max_concurrent > 0),
        started TEXT CHECK (started IS NULL OR date(started) IS started),
        ended TEXT CHECK (ended IS NULL OR (date(ended) IS ended AND ended >= coalesce(started, ended)))
    )
    """,
    "CREATE INDEX leaders_site ON leaders(site_id)",
    """
    CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(ref) <> ''),
        name TEXT,
        birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
        veileder TEXT,
        goal TEXT,
        notes TEXT,
        anonymised INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1))
    )
    """,
    # end_date is the last day followed (inclusive); an open enrollment has neither end nor reason.
    # forced = 1 records a capacity override (--force).
    f"""
    CREATE TABLE enrollments (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        leader_id INTEGER NOT NULL REFERENCES leaders(id),
        start_date TEXT NOT NULL CHECK (date(start_date) IS start_date),
        end_date TEXT CHECK (end_date IS NULL OR (date(end_date) IS end_date AND end_date >= start_date)),
        end_reason TEXT CHECK (end_reason IN ({_END_REASONS})),
        forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
        CHECK ((end_date IS NULL) = (end_reason IS NULL))
    )
    """,
    "CREATE UNIQUE INDEX enrollments_one_open ON enrollments(participant_id) WHERE end_date IS NULL",
    "CREATE INDEX enrollments_participant ON enrollments(participant_id, start_date)",
    "CREATE INDEX enrollments_leader ON enrollments(leader_id, start_date)",
    """
    CREATE TRIGGER enrollments_no_overlap_insert BEFORE INSERT ON enrollments
    WHEN EXISTS (
        SELECT 1 FROM enrollments e
        WHERE e.participant_id = NEW.participant_id
          AND e.start_date <= coalesce(NEW.end_date, '9999-12-31')
          AND NEW.start_date <= coalesce(e.end_date, '9999-12-31'))
    BEGIN SELECT RAISE(ABORT, 'enrollment periods of a participant may not overlap'); END
    """,
    """
    CREATE TRIGGER enrollments_no_overlap_update BEFORE UPDATE OF participant_id, start_date, end_date ON enrollments
    WHEN EXISTS (
        SELECT 1 FROM enrollments e
        WHERE e.participant_id = NEW.participant_id AND e.id <> NEW.id
          AND e.start_date <= coalesce(NEW.end_date, '9999-12-31')
          AND NEW.start_date <= coalesce(e.end_date, '9999-12-31'))
    BEGIN SELECT RAISE(ABORT, 'enrollment periods of a participant may not overlap'); END
    """,
    """
    CREATE TABLE attendance (
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        date TEXT NOT NULL CHECK (date(date) IS date),
        status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
        hours REAL CHECK (hours IS NULL OR hours BETWEEN 0 AND 24),
        note TEXT,
        PRIMARY KEY (participant_id, date)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX attendance_date ON attendance(date)",
    """
    CREATE TRIGGER attendance_inside_enrollment_insert BEFORE INSERT ON attendance
    WHEN NOT EXISTS (
        SELECT 1 FROM enrollments e
        WHERE e.participant_id = NEW.participant_id
          AND NEW.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31'))
    BEGIN SELECT RAISE(ABORT, 'attendance must fall inside an enrollment'); END
    """,
    """
    CREATE TRIGGER attendance_inside_enrollment_update BEFORE UPDATE OF participant_id, date ON attendance
    WHEN NOT EXISTS (
        SELECT 1 FROM enrollments e
        WHERE e.participant_id = NEW.participant_id
          AND NEW.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31'))
    BEGIN SELECT RAISE(ABORT, 'attendance must fall inside an enrollment'); END
    """,
    """
    CREATE TABLE transition_kinds (
        kind TEXT PRIMARY KEY,
        kind_group TEXT NOT NULL CHECK (kind_group IN ('education', 'work', 'milestone'))
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE transitions (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        date TEXT NOT NULL CHECK (date(date) IS date),
        kind TEXT NOT NULL REFERENCES transition_kinds(kind),
        detail TEXT,
        note TEXT,
        UNIQUE (participant_id, date, kind)
    )
    """,
    "CREATE INDEX transitions_date ON transitions(date)",
    # Who did what, append-only. `changes` is JSON {field: [old, new]}. The one
    # permitted update is a purge redacting a row's personal values (redacted 0 -> 1).
    """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        login TEXT NOT NULL,
        command TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        record TEXT,
        participant_id INTEGER,
        changes TEXT,
        redacted INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1))
    )
    """,
    "CREATE INDEX audit_log_participant ON audit_log(participant_id)",
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_log_only_redaction BEFORE UPDATE ON audit_log
    WHEN NOT (OLD.redacted = 0 AND NEW.redacted = 1 AND NEW.id = OLD.id AND NEW.at = OLD.at
              AND NEW.login = OLD.login AND NEW.command = OLD.command AND NEW.action = OLD.action
              AND NEW.entity = OLD.entity)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
    """,
]


def initial(db):
    """Sites, leaders, participants, enrollments, attendance, transitions and the audit log."""
    for sql in INITIAL:
        db.execute(sql)
    db.conn.executemany(
        "INSERT INTO transition_kinds (kind, kind_group) VALUES (?, ?)",
        [(kind, group) for kind, (group, _) in TRANSITION_KINDS.items()],
    )


def leader_periods_by_end(db):
    """Who a leader follows on a day (capacity, attendance alerts) without reading their history.

    `leader_id = ? AND coalesce(end_date, '9999-12-31') >= day` seeks the few open or recent
    periods; with enrollments_leader alone SQLite read every period a leader ever had
    (bench/README.md: alerts on the national data set 0.37 s -> 0.17 s of queries).
    """
    db.execute("CREATE INDEX enrollments_leader_end ON enrollments(leader_id, coalesce(end_date, '9999-12-31'))")


# What one attendance row adds to its participant's month in attendance_counts (-1: takes away).
_COUNT_ROW = """
    INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
    VALUES ({row}.participant_id, substr({row}.date, 1, 7), {sign} * ({row}.status = 'present'),
            {sign} * ({row}.status = 'absent'), {sign} * ({row}.status = 'excused'))
    ON CONFLICT (participant_id, month) DO UPDATE SET
        present = present + excluded.present, absent = absent + excluded.absent, excused = excused + excluded.excused;
"""
ATTENDANCE_COUNTS = [
    # Days present/absent/excused per participant and calendar month ('YYYY-MM'), kept equal to
    # the attendance rows by the triggers below, so a rate over years reads months, not days.
    """
    CREATE TABLE attendance_counts (
        participant_id INTEGER NOT NULL,
        month TEXT NOT NULL,
        present INTEGER NOT NULL,
        absent INTEGER NOT NULL,
        excused INTEGER NOT NULL,
        PRIMARY KEY (participant_id, month)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TRIGGER attendance_counts_insert AFTER INSERT ON attendance
    BEGIN {_COUNT_ROW.format(row="NEW", sign=1)} END
    """,
    f"""
    CREATE TRIGGER attendance_counts_update AFTER UPDATE OF participant_id, date, status ON attendance
    WHEN NEW.status IS NOT OLD.status OR NEW.date IS NOT OLD.date OR NEW.participant_id IS NOT OLD.participant_id
    BEGIN {_COUNT_ROW.format(row="OLD", sign=-1)} {_COUNT_ROW.format(row="NEW", sign=1)} END
    """,
    f"""
    CREATE TRIGGER attendance_counts_delete AFTER DELETE ON attendance
    BEGIN {_COUNT_ROW.format(row="OLD", sign=-1)} END
    """,
    """
    INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
    SELECT participant_id, substr(date, 1, 7), sum(status = 'present'), sum(status = 'absent'), sum(status = 'excused')
    FROM attendance GROUP BY participant_id, substr(date, 1, 7)
    """,
]


def attendance_counts(db):
    """Attendance counted per participant and month, kept by SQLite itself (triggers), for rates over
    long periods: the whole history was 4.9 million rows read nationally (bench/README.md).

    The triggers cost about 0.8 µs per row written (a million-row import: 5.3 s -> 6.1 s). A
    bulk mode that skips them and recounts the participants touched at the end was measured
    and saved nothing (noting the participant per row and the recount's sort cost as much), so
    every row is counted as it is written, whoever writes it.
    """
    for sql in ATTENDANCE_COUNTS:
        db.execute(sql)


def periods_by_end(db):
    """Who is followed on a day, all leaders (attendance alerts, the weekly summary): seeks the
    periods ending on or after it instead of reading every period (national: 56 000)."""
    db.execute("CREATE INDEX enrollments_end ON enrollments(coalesce(end_date, '9999-12-31'))")


def periods_by_start(db):
    """Periods starting in a window (a cohort, the weekly summary's new enrollments) and the first
    start of all, sought instead of read from every period."""
    db.execute("CREATE INDEX enrollments_start ON enrollments(start_date)")


# The transitions table again, with AUTOINCREMENT: a removed transition's id is never given
# to another, so "transition 12" in the audit log always means one transition.
TRANSITION_IDS_NEVER_REUSED = [
    """
    CREATE TABLE transitions_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        date TEXT NOT NULL CHECK (date(date) IS date),
        kind TEXT NOT NULL REFERENCES transition_kinds(kind),
        detail TEXT,
        note TEXT,
        UNIQUE (participant_id, date, kind)
    )
    """,
    "INSERT INTO transitions_new (id, participant_id, date, kind, detail, note) "
    "SELECT id, participant_id, date, kind, detail, note FROM transitions",
    "DROP TABLE transitions",
    "ALTER TABLE transitions_new RENAME TO transitions",
    "CREATE INDEX transitions_date ON transitions(date)",
    # Ids already removed before this migration are not given out again either.
    "DELETE FROM sqlite_sequence WHERE name = 'transitions'",
    """INSERT INTO sqlite_sequence (name, seq)
       SELECT 'transitions', max(coalesce((SELECT max(id) FROM transitions), 0),
                                 coalesce((SELECT max(CAST(record AS INTEGER)) FROM audit_log
                                           WHERE entity = 'transition'), 0))""",
]


def transition_ids_never_reused(db):
    for sql in TRANSITION_IDS_NEVER_REUSED:
        db.execute(sql)


# What the outcome summary needs of each enrollment, kept by SQLite (triggers below), so a cohort of
# ten years is one pass over this table instead of a search per member in four others:
# - a copy of the period (until = end_date, '9999-12-31' while open; counted = not registered in error)
#   and its leader's site;
# - the participant's counted period before it and their latest counted period (cohort: the first
#   period starting in a window is the one whose previous period started before it; the latest gives
#   the end reason, '' while open, and whether still active);
# - the first move on (education or work) dated on or after its start, and a bit per transition kind
#   dated so (bit i = the i-th kind by name in transition_kinds);
# - its days present, absent and excused.
# The key's order lets the summary count by site, kinds and end reason as it reads, without sorting.
ENROLLMENT_FACTS = """
    CREATE TABLE enrollment_facts (
        site_id INTEGER NOT NULL,
        kinds INTEGER NOT NULL,
        last_reason TEXT NOT NULL,
        leader_id INTEGER NOT NULL,
        start_date TEXT NOT NULL,
        enrollment_id INTEGER NOT NULL,
        participant_id INTEGER NOT NULL,
        until TEXT NOT NULL,
        counted INTEGER NOT NULL,
        previous_start TEXT,
        previous_until TEXT,
        last_start TEXT,
        last_until TEXT,
        first_move TEXT,
        days_to_move INTEGER,
        present INTEGER NOT NULL,
        absent INTEGER NOT NULL,
        excused INTEGER NOT NULL,
        PRIMARY KEY (site_id, kinds, last_reason, leader_id, start_date, enrollment_id)
    ) WITHOUT ROWID
"""
_COUNTED_PERIOD = f"coalesce({{e}}.end_reason, '') <> '{EXCLUDED_END_REASON}'"
# The first move on and the transition kinds of a facts row {f} (its participant_id and start_date).
_FIRST_MOVE = f"""(
    SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
    WHERE t.participant_id = {{f}}.participant_id AND t.date >= {{f}}.start_date
      AND k.kind_group IN ('{MOVED_ON_GROUPS[0]}', '{MOVED_ON_GROUPS[1]}'))"""
_KINDS = """(
    SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
    FROM transitions t WHERE t.participant_id = {f}.participant_id AND t.date >= {f}.start_date)"""
# Days present + 2^21 absent + 2^42 excused, as attendance.alerts tallies them.
_TALLY = """(
    SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
    FROM attendance a WHERE a.participant_id = e.participant_id
      AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31'))"""
# The facts of every enrollment of the participants {which} selects (`kimu db check` recounts them).
FACTS = f"""
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, {_COUNTED_PERIOD.format(e="e")} AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason, {_FIRST_MOVE.format(f="e")} AS first_move,
               {_KINDS.format(f="e")} AS kinds, {_TALLY} AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND {_COUNTED_PERIOD.format(e="p")} ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND {_COUNTED_PERIOD.format(e="p")} ORDER BY p.start_date DESC LIMIT 1)
        WHERE {{which}}
    )
"""
# The facts of the participants {which} selects, stored (migration, triggers, `kimu db recount`).
FACTS_OF = "INSERT INTO enrollment_facts " + FACTS + ";"
# The facts of participant {pid} counted again.
_REFRESH = "DELETE FROM enrollment_facts WHERE participant_id = {pid};" + FACTS_OF.format(
    which="e.participant_id = {pid}")
# The same for a participant whose period NEW.id an INSERT or UPDATE OR REPLACE took (SQLite runs no
# delete trigger for that unless recursive triggers are on, which they are not in sqlite3 and most
# clients): found by that period's old facts row, which is kept until their other periods are
# counted again, then removed.
_LOSER = "(SELECT participant_id FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id)"
_REPLACED = (f"DELETE FROM enrollment_facts WHERE participant_id = {_LOSER} AND enrollment_id <> NEW.id;"
             + FACTS_OF.format(which=f"e.participant_id = {_LOSER}")
             + "DELETE FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id;")
# One attendance row into or out of the days of the period that covers it ({sign} 1 or -1).
_TALLY_ROW = """
    UPDATE enrollment_facts SET present = present + {sign} * ({row}.status = 'present'),
        absent = absent + {sign} * ({row}.status = 'absent'), excused = excused + {sign} * ({row}.status = 'excused')
    WHERE participant_id = {row}.participant_id AND {row}.date BETWEEN start_date AND until;
"""
_INSIDE = "SELECT RAISE(ABORT, 'attendance must fall inside an enrollment') WHERE changes() = 0;"
_MOVES = f"""
    UPDATE enrollment_facts
    SET first_move = {_FIRST_MOVE.format(f="enrollment_facts")}, kinds = {_KINDS.format(f="enrollment_facts")}
    WHERE participant_id = {{row}}.participant_id;
    UPDATE enrollment_facts SET days_to_move = CAST(julianday(first_move) - julianday(start_date) AS INTEGER)
    WHERE participant_id = {{row}}.participant_id;
"""
ENROLLMENT_FACTS_KEPT = [
    ENROLLMENT_FACTS,
    "CREATE INDEX enrollment_facts_participant ON enrollment_facts(participant_id, start_date, until)",
    "CREATE INDEX enrollment_facts_later ON enrollment_facts(previous_start)",  # periods after a cohort's first
    "CREATE INDEX enrollment_facts_enrollment ON enrollment_facts(enrollment_id)",
    FACTS_OF.format(which="1"),
    f"""CREATE TRIGGER enrollment_facts_insert AFTER INSERT ON enrollments
        BEGIN {_REPLACED} {_REFRESH.format(pid='NEW.participant_id')} END""",
    f"""CREATE TRIGGER enrollment_facts_update AFTER UPDATE ON enrollments
        WHEN NEW.id IS OLD.id AND NEW.participant_id IS OLD.participant_id
        BEGIN {_REFRESH.format(pid='NEW.participant_id')} END""",
    f"""CREATE TRIGGER enrollment_facts_move AFTER UPDATE ON enrollments
        WHEN NEW.id IS NOT OLD.id OR NEW.participant_id IS NOT OLD.participant_id
        BEGIN {_REPLACED} {_REFRESH.format(pid='OLD.participant_id')} {_REFRESH.format(pid='NEW.participant_id')} END""",
    f"""CREATE TRIGGER enrollment_facts_delete AFTER DELETE ON enrollments
        BEGIN {_REFRESH.format(pid='OLD.participant_id')} END""",
    # A leader's site: changed, or the leader written again (INSERT OR REPLACE).
    """CREATE TRIGGER enrollment_facts_site AFTER UPDATE OF site_id ON leaders
       BEGIN UPDATE enrollment_facts SET site_id = NEW.site_id WHERE leader_id = NEW.id; END""",
    """CREATE TRIGGER enrollment_facts_leader AFTER INSERT ON leaders
       BEGIN UPDATE enrollment_facts SET site_id = NEW.site_id WHERE leader_id = NEW.id; END""",
    # A change to the kinds of transition (a migration) moves the bits and the moves on: all counted
    # again, once per row changed (1.6 s nationally; a migration adding many kinds may drop these
    # triggers, add them, count once and create them again).
    *(f"""CREATE TRIGGER enrollment_facts_kinds_{event.lower()} AFTER {event} ON transition_kinds {when}
          BEGIN DELETE FROM enrollment_facts; {FACTS_OF.format(which="1")} END"""
      for event, when in (("INSERT", ""), ("DELETE", ""), (
          "UPDATE", "WHEN NEW.kind IS NOT OLD.kind OR NEW.kind_group IS NOT OLD.kind_group"))),
    # A transition keeps its id and never takes another participant's (an INSERT OR REPLACE would
    # remove theirs without a delete trigger, leaving their moves counted).
    """CREATE TRIGGER transitions_keep_ids BEFORE UPDATE OF id ON transitions WHEN NEW.id IS NOT OLD.id
       BEGIN SELECT RAISE(ABORT, 'a transition keeps its id'); END""",
    """CREATE TRIGGER transitions_own_ids BEFORE INSERT ON transitions
       WHEN EXISTS (SELECT 1 FROM transitions WHERE id = NEW.id AND participant_id <> NEW.participant_id)
       BEGIN SELECT RAISE(ABORT, 'a transition id belongs to another participant'); END""",
    f"CREATE TRIGGER transition_facts_insert AFTER INSERT ON transitions BEGIN {_MOVES.format(row='NEW')} END",
    f"""CREATE TRIGGER transition_facts_update AFTER UPDATE OF participant_id, date, kind ON transitions
        BEGIN {_MOVES.format(row='OLD')} {_MOVES.format(row='NEW')} END""",
    f"CREATE TRIGGER transition_facts_delete AFTER DELETE ON transitions BEGIN {_MOVES.format(row='OLD')} END",
    # One trigger per attendance write does it all: the period's days (none found: the row is outside
    # every enrollment, refused as before, now also when only its status changes). They replace the
    # monthly counts: a rate over months reads the periods' days less the few rows outside the window
    # (attendance.SPAN_PIECES). An INSERT OR REPLACE of an existing day (sqlite3, not kimu) counts it
    # twice, as no delete trigger runs: `kimu db check` finds it and `kimu db recount` mends it.
    "DROP TRIGGER attendance_inside_enrollment_insert",
    "DROP TRIGGER attendance_inside_enrollment_update",
    "DROP TRIGGER attendance_counts_insert",
    "DROP TRIGGER attendance_counts_update",
    "DROP TRIGGER attendance_counts_delete",
    "DROP TABLE attendance_counts",
    f"""CREATE TRIGGER attendance_insert AFTER INSERT ON attendance
        BEGIN {_TALLY_ROW.format(row='NEW', sign=1)} {_INSIDE} END""",
    f"""CREATE TRIGGER attendance_update AFTER UPDATE OF participant_id, date, status ON attendance
        WHEN NEW.status IS NOT OLD.status OR NEW.date IS NOT OLD.date OR NEW.participant_id IS NOT OLD.participant_id
        BEGIN {_TALLY_ROW.format(row='OLD', sign=-1)} {_TALLY_ROW.format(row='NEW', sign=1)} {_INSIDE} END""",
    f"""CREATE TRIGGER attendance_delete AFTER DELETE ON attendance
        BEGIN {_TALLY_ROW.format(row='OLD', sign=-1)} END""",
]


def enrollment_facts(db):
    """The outcome summary of ten years (53 500 cohort members) read from one table kept by triggers,
    in one ordered pass: 0.75 s -> 0.06 s of queries nationally (bench/README.md). The days per
    period replace the monthly counts, so an attendance row costs one update, as before."""
    for sql in ENROLLMENT_FACTS_KEPT:
        db.execute(sql)


# PRAGMA application_id of every kimu file ("KIMU" in ASCII): the file's header says whose it is, so
# another program's SQLite file is recognised before anything is written to it.
APPLICATION_ID = 0x4B494D55


def marked_as_kimu(db):
    """The header names the file kimu's (files from before this migration are known by their tables)."""
    db.execute("PRAGMA application_id = 1263095125")


# The longest text of each field (characters), as kimu_cli/fields.py gave them when this migration
# was written: literal numbers, frozen like every migration (fields.LIMITS may change later; then a
# new migration changes these). tests/test_field_lengths.py insists a new file agrees with fields.py.
TEXT_LIMITS = {
    "sites": {"name": 200, "municipality": 200, "nav_office": 200},
    "leaders": {"name": 200},
    "participants": {"ref": 64, "name": 200, "veileder": 200, "goal": 200, "notes": 2000},
    "attendance": {"note": 2000},
    "transitions": {"detail": 200, "note": 2000},
}
# A CREATE TABLE statement as sqlite_master keeps it: its column list and what follows the list.
_TABLE_SQL = re.compile(r"(?s)(CREATE TABLE .*?)(\s*\)\s*(?:WITHOUT\s+ROWID)?\s*)")


def text_limits(db):
    """CHECK (length(column) <= N) on every text a person types or a file brings (TEXT_LIMITS).

    The tables are not built again: attendance may hold millions of rows, and a rebuild must drop
    and create again the triggers and indexes on them. A CHECK changes nothing in how rows are
    stored, so its text is added to each table's CREATE statement in sqlite_master, as SQLite
    describes for such changes (lang_altertable.html, "Making Other Kinds Of Table Schema Changes":
    PRAGMA writable_schema, bump schema_version), inside the upgrade's one transaction:
    - each new statement is first created in an empty in-memory database, so one SQLite cannot
      parse never reaches the file;
    - writable_schema is switched off again before schema_version is bumped, so the connection reads
      the new schema back with every check on: a statement it refuses fails the upgrade, and the
      transaction leaves the file as it was;
    - rows are not read: a text stored longer before this migration stays (nothing is cut short)
      and `kimu db check` names it with the command that shortens it (SQLite's integrity_check,
      step 8 of that procedure, would also report it as "CHECK constraint failed in <table>");
      a change of the row leaving that column alone still succeeds.
    """
    conn = db.conn
    edited = {}
    for table, limits in TEXT_LIMITS.items():
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        parts = _TABLE_SQL.fullmatch(sql)
        if parts is None:
            raise KimuError("schema_table_table_as_kimu", table=table)
        columns, end = parts.groups()
        checks = "".join(f",\n        CHECK (length({column}) <= {most})" for column, most in limits.items())
        edited[table] = columns + checks + end
        scratch = sqlite3.connect(":memory:")
        try:
            scratch.execute(edited[table])
        finally:
            scratch.close()
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for table, sql in edited.items():
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, table))
    except sqlite3.DatabaseError as e:  # SQLite built or configured defensive: sqlite_master is read-only
        raise KimuError("schema_this_sqlite_does_let", e=e) from None
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    for table, sql in edited.items():  # read back (the schema is parsed again here) as written
        if conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0] != sql:
            raise KimuError("schema_text_limits_table_were", table=table)


# Every update of the audit log but a redaction is refused, from any client: audit_log_append_only_allows
# is kimu's audit.is_redaction, a function only kimu's connections have (another client's update fails
# with "no such function"). A row keeps its id, time, login, command, action, entity, participant,
# digest and chain.
AUDIT_LOG_ONLY_REDACTION = """
    CREATE TRIGGER audit_log_only_redaction BEFORE UPDATE ON audit_log
    WHEN NOT (NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.participant_id IS OLD.participant_id
              AND NEW.digest IS OLD.digest AND NEW.chain IS OLD.chain AND NEW.redacted = 1
              AND audit_log_append_only_allows(OLD.login, NEW.login)
              AND audit_log_append_only_allows(OLD.command, NEW.command)
              AND audit_log_append_only_allows(OLD.action, NEW.action)
              AND audit_log_append_only_allows(OLD.entity, NEW.entity)
              AND audit_log_append_only_allows(OLD.record, NEW.record)
              AND audit_log_append_only_allows(OLD.changes, NEW.changes))
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""
# Every row takes the next id, given by kimu (audit.record): an INSERT with the id of a row that
# exists (INSERT OR REPLACE would delete it without a delete trigger), before the last one, or left
# to SQLite (-1 here) is refused.
AUDIT_LOG_ONLY_APPEND = """
    CREATE TRIGGER audit_log_only_append BEFORE INSERT ON audit_log
    WHEN NEW.id <= coalesce((SELECT max(id) FROM audit_log), 0)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""


def audit_chain(db):
    """The audit log as a hash chain (audit.py): each row's digest and chain, computed here for the
    rows already written, in id order; updates only as redactions, inserts only at the end."""
    from kimu_cli import audit

    db.execute("DROP TRIGGER audit_log_only_redaction")
    db.execute("ALTER TABLE audit_log ADD COLUMN digest TEXT")
    db.execute("ALTER TABLE audit_log ADD COLUMN chain TEXT")
    previous, links = audit.GENESIS, []
    for row in db.conn.execute(f"SELECT {', '.join(audit.CONTENT)} FROM audit_log ORDER BY id"):
        row_digest = audit.digest(dict(zip(audit.CONTENT, row)))
        previous = audit.link(previous, row_digest)
        links.append((row_digest, previous, row[0]))
    db.conn.executemany("UPDATE audit_log SET digest = ?, chain = ? WHERE id = ?", links)
    db.execute(AUDIT_LOG_ONLY_REDACTION)
    db.execute(AUDIT_LOG_ONLY_APPEND)


MIGRATIONS = [
    initial, leader_periods_by_end, attendance_counts, periods_by_end, periods_by_start,
    transition_ids_never_reused, enrollment_facts, marked_as_kimu, text_limits, audit_chain,
]
