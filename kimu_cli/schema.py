"""The schema as an ordered list of migrations; each runs once per file, in order.

Append new functions to MIGRATIONS; never change one that has shipped. The rules
of docs/design.md ("Data model") live here so that SQLite refuses a bad row whoever writes it.
"""

import re
import sqlite3
from typing import TYPE_CHECKING

from kimu_cli.errors import KimuError

if TYPE_CHECKING:
    from sqlite_utils import Database

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
    """
    CREATE TABLE enrollments (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        leader_id INTEGER NOT NULL REFERENCES leaders(id),
        start_date TEXT NOT NULL CHECK (date(start_date) IS start_date),
        end_date TEXT CHECK (end_date IS NULL OR (date(end_date) IS end_date AND end_date >= start_date)),
        end_reason TEXT CHECK (end_reason IN ('moved_on', 'other_path', 'dropped_out', 'moved_away', 'health', 'never_started', 'needs_other_support', 'registered_in_error', 'other')),
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


# The kinds of transition and their groups when kimu was first released (vocab.TRANSITION_KINDS then):
# written out, as this migration is frozen; a kind added since comes with a migration of its own.
INITIAL_TRANSITION_KINDS = [
    ("mfy", "education"), ("apprenticeship", "education"), ("education", "education"),
    ("job_permanent", "work"), ("job_part_time", "work"), ("job_summer", "work"), ("job_weekend", "work"),
    ("job_other", "work"), ("fagbrev", "milestone"), ("kompetansebevis", "milestone"),
]


def initial(db: "Database") -> None:
    """Sites, leaders, participants, enrollments, attendance, transitions and the audit log."""
    for sql in INITIAL:
        db.execute(sql)
    db.conn.executemany("INSERT INTO transition_kinds (kind, kind_group) VALUES (?, ?)", INITIAL_TRANSITION_KINDS)


def leader_periods_by_end(db: "Database") -> None:
    """Who a leader follows on a day (capacity, attendance alerts) without reading their history.

    `leader_id = ? AND coalesce(end_date, '9999-12-31') >= day` seeks the few open or recent
    periods; with enrollments_leader alone SQLite read every period a leader ever had
    (bench/README.md: alerts on the national data set 0.37 s -> 0.17 s of queries).
    """
    db.execute("CREATE INDEX enrollments_leader_end ON enrollments(leader_id, coalesce(end_date, '9999-12-31'))")


ATTENDANCE_COUNTS = [
    # Days present/absent/excused per participant and calendar month ('YYYY-MM'), kept equal to
    # the attendance rows by the triggers below (each adds its row's day to the month, -1 takes it
    # away), so a rate over years reads months, not days.
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
    """
    CREATE TRIGGER attendance_counts_insert AFTER INSERT ON attendance
    BEGIN
        INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
        VALUES (NEW.participant_id, substr(NEW.date, 1, 7), 1 * (NEW.status = 'present'),
                1 * (NEW.status = 'absent'), 1 * (NEW.status = 'excused'))
        ON CONFLICT (participant_id, month) DO UPDATE SET
            present = present + excluded.present, absent = absent + excluded.absent, excused = excused + excluded.excused;
    END
    """,
    """
    CREATE TRIGGER attendance_counts_update AFTER UPDATE OF participant_id, date, status ON attendance
    WHEN NEW.status IS NOT OLD.status OR NEW.date IS NOT OLD.date OR NEW.participant_id IS NOT OLD.participant_id
    BEGIN
        INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
        VALUES (OLD.participant_id, substr(OLD.date, 1, 7), -1 * (OLD.status = 'present'),
                -1 * (OLD.status = 'absent'), -1 * (OLD.status = 'excused'))
        ON CONFLICT (participant_id, month) DO UPDATE SET
            present = present + excluded.present, absent = absent + excluded.absent, excused = excused + excluded.excused;
        INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
        VALUES (NEW.participant_id, substr(NEW.date, 1, 7), 1 * (NEW.status = 'present'),
                1 * (NEW.status = 'absent'), 1 * (NEW.status = 'excused'))
        ON CONFLICT (participant_id, month) DO UPDATE SET
            present = present + excluded.present, absent = absent + excluded.absent, excused = excused + excluded.excused;
    END
    """,
    """
    CREATE TRIGGER attendance_counts_delete AFTER DELETE ON attendance
    BEGIN
        INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
        VALUES (OLD.participant_id, substr(OLD.date, 1, 7), -1 * (OLD.status = 'present'),
                -1 * (OLD.status = 'absent'), -1 * (OLD.status = 'excused'))
        ON CONFLICT (participant_id, month) DO UPDATE SET
            present = present + excluded.present, absent = absent + excluded.absent, excused = excused + excluded.excused;
    END
    """,
    """
    INSERT INTO attendance_counts (participant_id, month, present, absent, excused)
    SELECT participant_id, substr(date, 1, 7), sum(status = 'present'), sum(status = 'absent'), sum(status = 'excused')
    FROM attendance GROUP BY participant_id, substr(date, 1, 7)
    """,
]


def attendance_counts(db: "Database") -> None:
    """Attendance counted per participant and month, kept by SQLite itself (triggers), for rates over
    long periods: the whole history was 4.9 million rows read nationally (bench/README.md).

    The triggers cost about 0.8 µs per row written (a million-row import: 5.3 s -> 6.1 s). A
    bulk mode that skips them and recounts the participants touched at the end was measured
    and saved nothing (noting the participant per row and the recount's sort cost as much), so
    every row is counted as it is written, whoever writes it.
    """
    for sql in ATTENDANCE_COUNTS:
        db.execute(sql)


def periods_by_end(db: "Database") -> None:
    """Who is followed on a day, all leaders (attendance alerts, the weekly summary): seeks the
    periods ending on or after it instead of reading every period (national: 56 000)."""
    db.execute("CREATE INDEX enrollments_end ON enrollments(coalesce(end_date, '9999-12-31'))")


def periods_by_start(db: "Database") -> None:
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


def transition_ids_never_reused(db: "Database") -> None:
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
# The facts of every enrollment of the participants {which} selects, as the triggers below keep them:
# what `kimu db check` recounts and `kimu db recount` stores again. Frozen with this migration, whose
# triggers hold it written out (with {which} filled in): the values of vocab and rules it depends on
# are written as they were then (tests/test_schema.py checks they still agree). The three day counts
# are packed into one integer (present + absent * 2**21 + excused * 2**42) so that one scalar subquery
# reads the period's days once.
FACTS = """
SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
       participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
       CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
       tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
FROM (
    SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
           coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
           prev.start_date AS previous_start,
           iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
           last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
           last.end_reason AS last_reason,
           (
               SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
               WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                 AND k.kind_group IN ('education', 'work')) AS first_move,
           (
               SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
               FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
           (
               SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
               FROM attendance a WHERE a.participant_id = e.participant_id
                 AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
    FROM enrollments e JOIN leaders l ON l.id = e.leader_id
    LEFT JOIN enrollments prev ON prev.id = (
        SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
          AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
    LEFT JOIN enrollments last ON last.id = (
        SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
          AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
    WHERE {which}
)
"""
# The facts of the participants {which} selects, stored.
FACTS_OF = "INSERT INTO enrollment_facts " + FACTS + ";"

# The triggers that keep enrollment_facts equal to FACTS, written out whole. A participant's facts
# are counted again whenever one of their enrollments changes (delete their rows, insert FACTS of
# them). An INSERT or UPDATE OR REPLACE that takes the period NEW.id from another participant runs no
# delete trigger (recursive triggers are off in sqlite3 and most clients): that participant is found
# by the period's old facts row, which is kept until their other periods are counted again, then
# removed (the first three statements of enrollment_facts_insert and _move).
ENROLLMENT_FACTS_INSERT = """
CREATE TRIGGER enrollment_facts_insert AFTER INSERT ON enrollments
BEGIN
    DELETE FROM enrollment_facts WHERE participant_id = (SELECT participant_id FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id)
      AND enrollment_id <> NEW.id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = (SELECT participant_id FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id)
    )
    ;DELETE FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id;
    DELETE FROM enrollment_facts WHERE participant_id = NEW.participant_id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = NEW.participant_id
    )
    ;
END
"""
ENROLLMENT_FACTS_UPDATE = """
CREATE TRIGGER enrollment_facts_update AFTER UPDATE ON enrollments
WHEN NEW.id IS OLD.id AND NEW.participant_id IS OLD.participant_id
BEGIN
    DELETE FROM enrollment_facts WHERE participant_id = NEW.participant_id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = NEW.participant_id
    )
    ;
END
"""
ENROLLMENT_FACTS_MOVE = """
CREATE TRIGGER enrollment_facts_move AFTER UPDATE ON enrollments
WHEN NEW.id IS NOT OLD.id OR NEW.participant_id IS NOT OLD.participant_id
BEGIN
    DELETE FROM enrollment_facts WHERE participant_id = (SELECT participant_id FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id)
      AND enrollment_id <> NEW.id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = (SELECT participant_id FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id)
    )
    ;DELETE FROM enrollment_facts WHERE enrollment_id = NEW.id AND participant_id <> NEW.participant_id;
    DELETE FROM enrollment_facts WHERE participant_id = OLD.participant_id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = OLD.participant_id
    )
    ;
    DELETE FROM enrollment_facts WHERE participant_id = NEW.participant_id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = NEW.participant_id
    )
    ;
END
"""
ENROLLMENT_FACTS_DELETE = """
CREATE TRIGGER enrollment_facts_delete AFTER DELETE ON enrollments
BEGIN
    DELETE FROM enrollment_facts WHERE participant_id = OLD.participant_id;INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE e.participant_id = OLD.participant_id
    )
    ;
END
"""
# A change to the kinds of transition (a migration) moves the bits and the moves on: all counted
# again, once per row changed (1.6 s nationally; a migration adding many kinds may drop these
# triggers, add them, count once and create them again).
ENROLLMENT_FACTS_KINDS_INSERT = """
CREATE TRIGGER enrollment_facts_kinds_insert AFTER INSERT ON transition_kinds
BEGIN
    DELETE FROM enrollment_facts; INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE 1
    )
    ;
END
"""
ENROLLMENT_FACTS_KINDS_DELETE = """
CREATE TRIGGER enrollment_facts_kinds_delete AFTER DELETE ON transition_kinds
BEGIN
    DELETE FROM enrollment_facts; INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE 1
    )
    ;
END
"""
ENROLLMENT_FACTS_KINDS_UPDATE = """
CREATE TRIGGER enrollment_facts_kinds_update AFTER UPDATE ON transition_kinds
WHEN NEW.kind IS NOT OLD.kind OR NEW.kind_group IS NOT OLD.kind_group
BEGIN
    DELETE FROM enrollment_facts; INSERT INTO enrollment_facts
    SELECT site_id, kinds, coalesce(last_reason, '') AS last_reason, leader_id, start_date, enrollment_id,
           participant_id, until, counted, previous_start, previous_until, last_start, last_until, first_move,
           CAST(julianday(first_move) - julianday(start_date) AS INTEGER) AS days_to_move,
           tally % 2097152 AS present, tally / 2097152 % 2097152 AS absent, tally / 4398046511104 AS excused
    FROM (
        SELECT l.site_id, e.start_date, e.id AS enrollment_id, e.participant_id, e.leader_id,
               coalesce(e.end_date, '9999-12-31') AS until, coalesce(e.end_reason, '') <> 'registered_in_error' AS counted,
               prev.start_date AS previous_start,
               iif(prev.id IS NULL, NULL, coalesce(prev.end_date, '9999-12-31')) AS previous_until,
               last.start_date AS last_start, iif(last.id IS NULL, NULL, coalesce(last.end_date, '9999-12-31')) AS last_until,
               last.end_reason AS last_reason,
               (
                   SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
                   WHERE t.participant_id = e.participant_id AND t.date >= e.start_date
                     AND k.kind_group IN ('education', 'work')) AS first_move,
               (
                   SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
                   FROM transitions t WHERE t.participant_id = e.participant_id AND t.date >= e.start_date) AS kinds,
               (
                   SELECT coalesce(sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN 2097152 ELSE 4398046511104 END), 0)
                   FROM attendance a WHERE a.participant_id = e.participant_id
                     AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')) AS tally
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id
        LEFT JOIN enrollments prev ON prev.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id AND p.start_date < e.start_date
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        LEFT JOIN enrollments last ON last.id = (
            SELECT p.id FROM enrollments p WHERE p.participant_id = e.participant_id
              AND coalesce(p.end_reason, '') <> 'registered_in_error' ORDER BY p.start_date DESC LIMIT 1)
        WHERE 1
    )
    ;
END
"""
# A transition changes the first move on and the kinds of its participant's periods (old and new).
TRANSITION_FACTS_INSERT = """
CREATE TRIGGER transition_facts_insert AFTER INSERT ON transitions
BEGIN
    UPDATE enrollment_facts
    SET first_move = (
            SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
            WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date
              AND k.kind_group IN ('education', 'work')),
        kinds = (
            SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
            FROM transitions t WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date)
    WHERE participant_id = NEW.participant_id;
    UPDATE enrollment_facts SET days_to_move = CAST(julianday(first_move) - julianday(start_date) AS INTEGER)
    WHERE participant_id = NEW.participant_id;
END
"""
TRANSITION_FACTS_UPDATE = """
CREATE TRIGGER transition_facts_update AFTER UPDATE OF participant_id, date, kind ON transitions
BEGIN
    UPDATE enrollment_facts
    SET first_move = (
            SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
            WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date
              AND k.kind_group IN ('education', 'work')),
        kinds = (
            SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
            FROM transitions t WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date)
    WHERE participant_id = OLD.participant_id;
    UPDATE enrollment_facts SET days_to_move = CAST(julianday(first_move) - julianday(start_date) AS INTEGER)
    WHERE participant_id = OLD.participant_id;
    UPDATE enrollment_facts
    SET first_move = (
            SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
            WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date
              AND k.kind_group IN ('education', 'work')),
        kinds = (
            SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
            FROM transitions t WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date)
    WHERE participant_id = NEW.participant_id;
    UPDATE enrollment_facts SET days_to_move = CAST(julianday(first_move) - julianday(start_date) AS INTEGER)
    WHERE participant_id = NEW.participant_id;
END
"""
TRANSITION_FACTS_DELETE = """
CREATE TRIGGER transition_facts_delete AFTER DELETE ON transitions
BEGIN
    UPDATE enrollment_facts
    SET first_move = (
            SELECT min(t.date) FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
            WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date
              AND k.kind_group IN ('education', 'work')),
        kinds = (
            SELECT coalesce(sum(DISTINCT 1 << (SELECT count(*) FROM transition_kinds k WHERE k.kind < t.kind)), 0)
            FROM transitions t WHERE t.participant_id = enrollment_facts.participant_id AND t.date >= enrollment_facts.start_date)
    WHERE participant_id = OLD.participant_id;
    UPDATE enrollment_facts SET days_to_move = CAST(julianday(first_move) - julianday(start_date) AS INTEGER)
    WHERE participant_id = OLD.participant_id;
END
"""
# One trigger per attendance write does it all: the day into or out of the days of the period that
# covers it; none found: the row is outside every enrollment, refused (now also when only its status
# changes). They replace the monthly counts: a rate over months reads the periods' days less the few
# rows outside the window (attendance.SPAN_PIECES). An INSERT OR REPLACE of an existing day (sqlite3,
# not kimu) counts it twice, as no delete trigger runs: `kimu db check` finds it and `kimu db recount`
# mends it.
ATTENDANCE_INSERT = """
CREATE TRIGGER attendance_insert AFTER INSERT ON attendance
BEGIN
    UPDATE enrollment_facts SET present = present + 1 * (NEW.status = 'present'),
        absent = absent + 1 * (NEW.status = 'absent'), excused = excused + 1 * (NEW.status = 'excused')
    WHERE participant_id = NEW.participant_id AND NEW.date BETWEEN start_date AND until;
    SELECT RAISE(ABORT, 'attendance must fall inside an enrollment') WHERE changes() = 0;
END
"""
ATTENDANCE_UPDATE = """
CREATE TRIGGER attendance_update AFTER UPDATE OF participant_id, date, status ON attendance
WHEN NEW.status IS NOT OLD.status OR NEW.date IS NOT OLD.date OR NEW.participant_id IS NOT OLD.participant_id
BEGIN
    UPDATE enrollment_facts SET present = present + -1 * (OLD.status = 'present'),
        absent = absent + -1 * (OLD.status = 'absent'), excused = excused + -1 * (OLD.status = 'excused')
    WHERE participant_id = OLD.participant_id AND OLD.date BETWEEN start_date AND until;
    UPDATE enrollment_facts SET present = present + 1 * (NEW.status = 'present'),
        absent = absent + 1 * (NEW.status = 'absent'), excused = excused + 1 * (NEW.status = 'excused')
    WHERE participant_id = NEW.participant_id AND NEW.date BETWEEN start_date AND until;
    SELECT RAISE(ABORT, 'attendance must fall inside an enrollment') WHERE changes() = 0;
END
"""
ATTENDANCE_DELETE = """
CREATE TRIGGER attendance_delete AFTER DELETE ON attendance
BEGIN
    UPDATE enrollment_facts SET present = present + -1 * (OLD.status = 'present'),
        absent = absent + -1 * (OLD.status = 'absent'), excused = excused + -1 * (OLD.status = 'excused')
    WHERE participant_id = OLD.participant_id AND OLD.date BETWEEN start_date AND until;
END
"""
ENROLLMENT_FACTS_KEPT = [
    ENROLLMENT_FACTS,
    "CREATE INDEX enrollment_facts_participant ON enrollment_facts(participant_id, start_date, until)",
    "CREATE INDEX enrollment_facts_later ON enrollment_facts(previous_start)",  # periods after a cohort's first
    "CREATE INDEX enrollment_facts_enrollment ON enrollment_facts(enrollment_id)",
    FACTS_OF.format(which="1"),
    ENROLLMENT_FACTS_INSERT,
    ENROLLMENT_FACTS_UPDATE,
    ENROLLMENT_FACTS_MOVE,
    ENROLLMENT_FACTS_DELETE,
    # A leader's site: changed, or the leader written again (INSERT OR REPLACE).
    """CREATE TRIGGER enrollment_facts_site AFTER UPDATE OF site_id ON leaders
       BEGIN UPDATE enrollment_facts SET site_id = NEW.site_id WHERE leader_id = NEW.id; END""",
    """CREATE TRIGGER enrollment_facts_leader AFTER INSERT ON leaders
       BEGIN UPDATE enrollment_facts SET site_id = NEW.site_id WHERE leader_id = NEW.id; END""",
    ENROLLMENT_FACTS_KINDS_INSERT,
    ENROLLMENT_FACTS_KINDS_DELETE,
    ENROLLMENT_FACTS_KINDS_UPDATE,
    # A transition keeps its id and never takes another participant's (an INSERT OR REPLACE would
    # remove theirs without a delete trigger, leaving their moves counted).
    """CREATE TRIGGER transitions_keep_ids BEFORE UPDATE OF id ON transitions WHEN NEW.id IS NOT OLD.id
       BEGIN SELECT RAISE(ABORT, 'a transition keeps its id'); END""",
    """CREATE TRIGGER transitions_own_ids BEFORE INSERT ON transitions
       WHEN EXISTS (SELECT 1 FROM transitions WHERE id = NEW.id AND participant_id <> NEW.participant_id)
       BEGIN SELECT RAISE(ABORT, 'a transition id belongs to another participant'); END""",
    TRANSITION_FACTS_INSERT,
    TRANSITION_FACTS_UPDATE,
    TRANSITION_FACTS_DELETE,
    "DROP TRIGGER attendance_inside_enrollment_insert",
    "DROP TRIGGER attendance_inside_enrollment_update",
    "DROP TRIGGER attendance_counts_insert",
    "DROP TRIGGER attendance_counts_update",
    "DROP TRIGGER attendance_counts_delete",
    "DROP TABLE attendance_counts",
    ATTENDANCE_INSERT,
    ATTENDANCE_UPDATE,
    ATTENDANCE_DELETE,
]


def enrollment_facts(db: "Database") -> None:
    """The outcome summary of ten years (53 500 cohort members) read from one table kept by triggers,
    in one ordered pass: 0.75 s -> 0.06 s of queries nationally (bench/README.md). The days per
    period replace the monthly counts, so an attendance row costs one update, as before."""
    for sql in ENROLLMENT_FACTS_KEPT:
        db.execute(sql)


# PRAGMA application_id of every kimu file ("KIMU" in ASCII): the file's header says whose it is, so
# another program's SQLite file is recognised before anything is written to it.
APPLICATION_ID = 0x4B494D55


def marked_as_kimu(db: "Database") -> None:
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


def text_limits(db: "Database") -> None:
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


def audit_chain(db: "Database") -> None:
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


# Follow-up contacts (issue 18): who was contacted about a participant, when and how. Values written
# literally (frozen as every migration; contacts.WITH_WHOM / HOW give the same words); the note's
# limit is fields.LIMITS["contacts.note"] as this migration was written. One contact per participant,
# day, person and way: logging the same call twice, or importing a file again, changes nothing.
CONTACT_LIMITS = {"contacts": {"note": 2000}}
CONTACTS = [
    """
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        date TEXT NOT NULL CHECK (date(date) IS date),
        with_whom TEXT NOT NULL CHECK (with_whom IN ('participant', 'veileder', 'leader', 'school', 'employer')),
        how TEXT NOT NULL CHECK (how IN ('phone', 'meeting', 'message', 'visit')),
        note TEXT CHECK (length(note) <= 2000),
        UNIQUE (participant_id, date, with_whom, how)
    )
    """,
    "CREATE INDEX contacts_date ON contacts(date)",
    # A contact keeps its id and participant (an INSERT OR REPLACE would move another's row).
    """CREATE TRIGGER contacts_keep_ids BEFORE UPDATE OF id, participant_id ON contacts
       WHEN NEW.id IS NOT OLD.id OR NEW.participant_id IS NOT OLD.participant_id
       BEGIN SELECT RAISE(ABORT, 'a contact keeps its id and participant'); END""",
]


def contacts(db: "Database") -> None:
    """Follow-up contacts of a participant (issue 18): date, with whom, how, an optional short note."""
    for sql in CONTACTS:
        db.execute(sql)


MIGRATIONS = [
    initial, leader_periods_by_end, attendance_counts, periods_by_end, periods_by_start,
    transition_ids_never_reused, enrollment_facts, marked_as_kimu, text_limits, audit_chain, contacts,
]
