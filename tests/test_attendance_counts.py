"""attendance_counts (migration attendance_counts): counted by SQLite's triggers, read by the rates.

The rates count whole months from attendance_counts and only the days at a month's edge from
attendance; these tests compare them with the rates counted row by row (the definition) on a
constructed history: periods that end and start mid-month, two leaders in one month, a period
registered in error, corrections that change a status, imports, and a row deleted with sqlite3.
"""

import json
import shutil
from pathlib import Path

import pytest

SCHEMA_1 = Path(__file__).parent / "fixtures" / "kimu-schema-1.db"
# The rates by the definition: every attendance row of each enrollment inside the window.
RAW_RATES = """
    SELECT {columns}, count(a.date) AS days, coalesce(sum(a.status = 'present'), 0) AS present,
           coalesce(sum(a.status = 'absent'), 0) AS absent, coalesce(sum(a.status = 'excused'), 0) AS excused
    FROM enrollments e JOIN participants p ON p.id = e.participant_id
    JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
    LEFT JOIN attendance a ON a.participant_id = e.participant_id
         AND a.date BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31') AND a.date BETWEEN :start AND :end
    WHERE e.start_date <= :end AND coalesce(e.end_date, '9999-12-31') >= :start
      AND coalesce(e.end_reason, '') <> 'registered_in_error'
    GROUP BY {group} ORDER BY {group}
"""
GROUPS = {"participant": ("p.ref AS ref, l.name AS leader, s.name AS site", "s.name, l.name, p.ref"),
          "leader": ("l.name AS leader, s.name AS site", "s.name, l.name"),
          "site": ("s.name AS site", "s.name")}
# Edges mid-month, a window inside one month, one across the April change of leader, whole history.
WINDOWS = [("2025-11-01", "2026-11-25"), ("2026-01-15", "2026-04-18"), ("2026-04-17", "2026-04-25"),
           ("2026-02-11", "2026-09-30"), ("2026-03-31", "2026-06-01"), ("2026-01-01", "2026-01-31"),
           ("2025-12-24", "2026-08-14")]
def _counts_by_month(kimu):
    return kimu.query("SELECT participant_id, substr(date, 1, 7) AS month, sum(status = 'present') AS present, "
                      "sum(status = 'absent') AS absent, sum(status = 'excused') AS excused FROM attendance "
                      "GROUP BY 1, 2 ORDER BY 1, 2")


def _stored_counts(kimu):
    return kimu.query("SELECT participant_id, month, present, absent, excused FROM attendance_counts "
                      "WHERE present OR absent OR excused ORDER BY 1, 2")


def test_counts_equal_the_attendance_rows_after_imports_and_corrections(history):
    assert len(_stored_counts(history)) > 20
    assert _stored_counts(history) == _counts_by_month(history)


@pytest.mark.parametrize("by", GROUPS)
@pytest.mark.parametrize("window", WINDOWS, ids="-".join)
def test_rates_equal_the_rates_counted_row_by_row(history, window, by):
    start, end = window
    columns, group = GROUPS[by]
    expected = history.query(RAW_RATES.format(columns=columns, group=group), {"start": start, "end": end})
    got = json.loads(history.ok("attendance", "rates", "--from", start, "--to", end, "--by", by, "--format", "json"))
    assert [r["days"] for r in expected] != [0] * len(expected)
    assert [{k: v for k, v in r.items() if k != "rate"} for r in got] == expected


def test_a_re_import_that_changes_statuses_recounts_its_participants(history, tmp_path):
    (tmp_path / "again.csv").write_text("ref;date;status\nP1;2026-05-04;fravær\nP3;2026-07-01;syk\n"
                                        "P3;2026-07-02;møtt\n", encoding="utf-8")
    history.ok("import", "attendance", tmp_path / "again.csv")
    assert _stored_counts(history) == _counts_by_month(history)


def test_a_failed_import_leaves_the_counts_as_they_were(history, tmp_path):
    before = _stored_counts(history)
    (tmp_path / "bad.csv").write_text("ref;date;status\nP1;2026-05-05;absent\nP1;2026-05-06;maybe\n",
                                      encoding="utf-8")
    history.fails("import", "attendance", tmp_path / "bad.csv")
    assert _stored_counts(history) == before


def test_a_deleted_row_is_taken_off_its_month(history):
    """kimu deletes no attendance, but sqlite3 may (db check's advice for a stray row)."""
    conn = history.connect()
    try:
        conn.execute("DELETE FROM attendance WHERE date BETWEEN '2026-04-01' AND '2026-04-10'")
    finally:
        conn.close()
    assert _stored_counts(history) == _counts_by_month(history)


def test_the_upgrade_of_an_older_file_counts_its_attendance(kimu):
    shutil.copy(SCHEMA_1, kimu.path)
    kimu.ok("site", "list")
    assert _stored_counts(kimu) and _stored_counts(kimu) == _counts_by_month(kimu)
