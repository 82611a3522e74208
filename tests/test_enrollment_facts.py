"""enrollment_facts (migration enrollment_facts): kept by SQLite's triggers, read by the outcome
summary and by attendance rates over long periods.

The facts must equal a recount from enrollments, transitions and attendance after every kind of
write (kimu's commands, imports, and sqlite3 behind kimu's back); the outcome summary read from
them must equal the summary counted by its definition (here in Python), and the rates, which take
a period's days less the rows outside the window, the rates counted row by row (in SQL), on a
constructed history: periods that end and start mid-month, two leaders in one month, a period
registered in error, corrections that change a status.
"""

import itertools
import json
import shutil
from datetime import date
from statistics import median

import pytest
from conftest import SCHEMA_1, TODAY, templated, weekdays
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kimu_cli.schema import FACTS

PERIODS = """ref;leader;site;start_date;end_date;end_reason
P1;Kari Nordmann;Solbakken omsorgssenter;13.01.2026;16.04.2026;other
P1;Ola Brøndbo;Solbakken omsorgssenter;20.04.2026;;
P2;Kari Nordmann;Solbakken omsorgssenter;03.11.2025;10.02.2026;feilregistrert
P2;Håkon Ødegård;Åsgården sykehjem;02.03.2026;14.08.2026;annet løp
P3;Ola Brøndbo;Solbakken omsorgssenter;01.06.2026;;
"""



def _attendance_csv(periods):
    """Every weekday of the periods, absent every third and excused every seventh day."""
    lines = ["ref;date;status"]
    for ref, start, end in periods:
        for i, day in enumerate(weekdays(start, end)):
            lines.append(f"{ref};{day};{'excused' if i % 7 == 6 else 'absent' if i % 3 == 2 else 'present'}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def history(register, tmp_path):
    """Three participants in five periods (one registered in error, edges mid-month, a change of
    leader in April), every weekday of them registered, then corrected one day at a time."""
    (tmp_path / "periods.csv").write_text(PERIODS, encoding="utf-8")
    register.ok("import", "participants", tmp_path / "periods.csv")
    (tmp_path / "attendance.csv").write_text(_attendance_csv([
        ("P1", "2026-01-13", "2026-04-16"), ("P1", "2026-04-20", "2026-11-24"),
        ("P2", "2025-11-03", "2026-02-10"), ("P2", "2026-03-02", "2026-08-14"), ("P3", "2026-06-01", "2026-11-24"),
    ]), encoding="utf-8")
    register.ok("import", "attendance", tmp_path / "attendance.csv")
    # Corrections one day at a time: a status changed at a month's edges and inside one.
    for day, ref, status in [("2026-04-16", "P1", "absent"), ("2026-04-20", "P1", "excused"),
                             ("2026-03-02", "P2", "absent"), ("2026-06-15", "P3", "absent"),
                             ("2026-06-15", "P3", "present"), ("2026-02-02", "P1", "absent")]:
        register.ok("attendance", "record", day, ref, "--status", status)
    register.ok("attendance", "record", "2026-11-25", "-l", "Ola Brøndbo", "-a", "P3")
    return register

WINDOWS = [(None, None), ("2025-11-01", "2026-11-25"), ("2026-01-15", "2026-04-18"), ("2026-02-11", "2026-09-30"),
           ("2026-03-01", "2026-12-31"), ("2026-04-20", "2026-04-20")]
P1, P3, P4 = (f"(SELECT id FROM participants WHERE ref = '{ref}')" for ref in ("P1", "P3", "P4"))
KINDS = ["mfy", "apprenticeship", "education", "job_permanent", "job_part_time", "job_summer", "job_weekend",
         "job_other", "fagbrev", "kompetansebevis"]


def stored(kimu):
    return kimu.query("SELECT * FROM enrollment_facts ORDER BY enrollment_id")


def recounted(kimu):
    return kimu.query(f"SELECT * FROM ({FACTS.format(which='1')}) ORDER BY enrollment_id")


@templated
def moves(history):
    """The history with moves on, a milestone, a transition removed again, and a fourth participant
    who comes back to another leader after a period registered in error."""
    for args in [("P1", "mfy", "--date", "2026-05-04"), ("P1", "job_summer", "--date", "2026-02-20"),
                 ("P2", "sommerjobb", "--date", "2026-06-22"), ("P2", "fagbrev", "--date", "2026-09-01"),
                 ("P3", "kompetansebevis", "--date", "2026-10-01"), ("P3", "deltid", "--date", "2026-07-01")]:
        history.ok("transition", "add", *args)
    history.ok("transition", "remove", history.query("SELECT max(id) AS id FROM transitions")[0]["id"])
    history.ok("participant", "add", "P4", "--leader", "Håkon Ødegård", "--start", "2026-01-05")
    history.ok("participant", "end", "P4", "--date", "2026-01-09", "--reason", "registered_in_error")
    history.ok("participant", "reenroll", "P4", "--leader", "Kari Nordmann", "--start", "2026-02-02")
    history.ok("attendance", "record", "2026-02-03", "P4", "--status", "absent")
    return history


def test_facts_equal_a_recount_after_imports_corrections_and_transitions(moves):
    assert len(stored(moves)) == 7
    assert stored(moves) == recounted(moves)


@pytest.mark.parametrize("change", [
    ("participant", "end", "P3", "--date", "2026-11-25", "--reason", "health"),
    ("participant", "edit", "P3", "--start", "2026-05-27"),
    ("participant", "edit", "P4", "--leader", "Ola Brøndbo"),
    ("leader", "edit", "Ola Brøndbo", "--site", "Åsgården sykehjem"),
    ("transition", "add", "P3", "mfy", "--date", "2026-11-25", "--end"),
    ("attendance", "record", "2026-11-25", "P1", "--status", "absent"),
])
def test_facts_follow_every_kind_of_change(moves, change):
    before = stored(moves)
    moves.ok(*change)
    assert stored(moves) != before
    assert stored(moves) == recounted(moves)



OLA_TO_ASGARDEN = ("INSERT OR REPLACE INTO leaders (id, name, site_id, yearly_capacity, max_concurrent) "
                   "SELECT id, name, (SELECT id FROM sites WHERE name = 'Åsgården sykehjem'), yearly_capacity, "
                   "max_concurrent FROM leaders WHERE name = 'Ola Brøndbo'")
P1_FIRST_PERIOD_TO_P4 = (f"INSERT OR REPLACE INTO enrollments (id, participant_id, leader_id, start_date, end_date, "
                         f"end_reason) SELECT id, {P4}, leader_id, '2025-01-06', '2025-01-31', 'other' FROM enrollments "
                         f"WHERE participant_id = {P1} AND start_date = '2026-01-13'")
P3_PERIOD_TO_P4 = (f"INSERT OR REPLACE INTO enrollments (id, participant_id, leader_id, start_date, end_date, end_reason) "
                   f"SELECT id, {P4}, leader_id, '2025-01-06', '2025-01-31', 'other' FROM enrollments "
                   f"WHERE participant_id = {P3}")


@pytest.mark.parametrize("statements", [
    # kimu deletes no attendance or periods, but sqlite3 may (db check's advice for a stray row)
    (f"DELETE FROM attendance WHERE participant_id = {P1} AND date BETWEEN '2026-04-01' AND '2026-04-30'",
     "UPDATE transitions SET date = '2026-01-02' WHERE kind = 'mfy'",
     f"DELETE FROM enrollments WHERE participant_id = {P4} AND end_reason = 'registered_in_error'"),
    # rows written again with INSERT OR REPLACE, which runs no delete trigger
    (P3_PERIOD_TO_P4,),
    (P1_FIRST_PERIOD_TO_P4,),  # P1 keeps their second period
    (OLA_TO_ASGARDEN,),
    # a kind of transition added (a vocabulary migration): the kinds' bits move
    ("INSERT INTO transition_kinds (kind, kind_group) VALUES ('arbeidstrening', 'work')",),
], ids=["deleted and moved", "only period replaced", "one of two periods replaced", "leader replaced", "kind added"])
def test_facts_follow_changes_made_with_sqlite3(moves, statements):
    before = stored(moves)
    moves.execute(*statements)
    assert stored(moves) != before
    assert stored(moves) == recounted(moves)


def test_a_participant_keeps_the_period_left_after_another_was_replaced_away(moves):
    moves.execute(P1_FIRST_PERIOD_TO_P4)
    moves.execute(f"INSERT INTO attendance (participant_id, date, status) VALUES ({P1}, '2026-11-21', 'present')")
    assert stored(moves) == recounted(moves)


@pytest.mark.parametrize("statement, refusal", [
    ((f"INSERT OR REPLACE INTO transitions (id, participant_id, date, kind) SELECT id, {P1}, '2026-08-03', 'fagbrev' "
      f"FROM transitions WHERE participant_id = {P3}"), "a transition id belongs to another participant"),
    ("UPDATE OR REPLACE transitions SET id = (SELECT max(id) FROM transitions) WHERE id = (SELECT min(id) FROM transitions)",
     "a transition keeps its id"),
])
def test_a_transition_never_takes_another_ones_id(moves, statement, refusal):
    """Else a REPLACE would remove a participant's transition with no trigger to count their moves again."""
    with pytest.raises(Exception, match=refusal):
        moves.execute(statement)
    assert stored(moves) == recounted(moves)


def test_a_participant_whose_period_was_replaced_away_gets_no_attendance(moves):
    moves.execute(P3_PERIOD_TO_P4)
    with pytest.raises(Exception, match="attendance must fall inside an enrollment"):
        moves.execute(f"INSERT INTO attendance (participant_id, date, status) VALUES ({P3}, '2026-10-03', 'present')")  # a Saturday


def test_db_recount_mends_a_day_replaced_behind_kimus_back(moves):
    """INSERT OR REPLACE of an existing day runs no delete trigger, so the day is counted twice."""
    moves.execute(f"INSERT OR REPLACE INTO attendance (participant_id, date, status) "
                             f"VALUES ({P3}, '2026-06-15', 'absent')")
    assert stored(moves) != recounted(moves)
    assert "db recount" in moves("db", "check").stdout
    assert moves.ok("db", "recount") == "Counted again: the facts of 1 participant(s) were wrong (P3)\n"
    assert stored(moves) == recounted(moves)
    assert moves.ok("db", "recount") == "Nothing to count again: the facts equal the tables\n"
    assert [e["action"] for e in json.loads(moves.ok("audit", "--format", "json"))].count("recount") == 1


@pytest.mark.parametrize("statement", [
    f"INSERT INTO attendance (participant_id, date, status) VALUES ({P3}, '2026-05-29', 'present')",
    f"UPDATE attendance SET date = '2026-04-18' WHERE participant_id = {P1} AND date = '2026-04-16'",  # between periods
])
def test_attendance_outside_every_enrollment_is_still_refused_by_sqlite(moves, statement):
    before = stored(moves)
    with pytest.raises(Exception, match="attendance must fall inside an enrollment"):
        moves.execute(statement)
    assert stored(moves) == before == recounted(moves)


def test_db_check_finds_facts_that_differ_from_a_recount(moves):
    moves.execute(f"UPDATE enrollment_facts SET present = present + 1 WHERE participant_id = {P3}")
    result = moves("db", "check", "--format", "json")
    assert result.exit_code == 3
    problems = json.loads(result.stdout)
    assert {"check": "enrollment facts differ from a recount", "record": "P3"} in [
        {k: p[k] for k in ("check", "record")} for p in problems]


def test_the_upgrade_of_an_older_file_counts_its_facts(kimu):
    shutil.copy(SCHEMA_1, kimu.path)
    kimu.ok("site", "list")
    assert stored(kimu) and stored(kimu) == recounted(kimu)
    for by in (None, "site", "leader", "year"):  # not only its own query: the summary read from it is right
        assert _summary(kimu, None, None, by) == definition(kimu, None, None, by)


def definition(kimu, start, end, by):
    """The outcome summary by its definition (docs/design.md, "Outcomes"), from enrollments, transitions
    and attendance: {group: figures}, the whole cohort under None."""
    periods = kimu.query("""SELECT e.*, l.name AS leader, s.name AS site FROM enrollments e
                            JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
                            WHERE coalesce(e.end_reason, '') <> 'registered_in_error' ORDER BY e.start_date""")
    moves = kimu.query("SELECT t.*, k.kind_group FROM transitions t JOIN transition_kinds k ON k.kind = t.kind")
    days = kimu.query("SELECT * FROM attendance")
    start = start or min(p["start_date"] for p in periods)
    end = end or TODAY
    members = {}
    for pid in {p["participant_id"] for p in periods}:
        own = [p for p in periods if p["participant_id"] == pid]
        in_window = [p for p in own if start <= p["start_date"] <= end]
        if not in_window:
            continue
        first, last = in_window[0], own[-1]
        since = [t for t in moves if t["participant_id"] == pid and t["date"] >= first["start_date"]]
        moved = sorted(t["date"] for t in since if t["kind_group"] in ("education", "work"))
        counted = [a["status"] for a in days if a["participant_id"] == pid and start <= a["date"] <= TODAY and any(
            p["start_date"] <= a["date"] <= (p["end_date"] or "9999-12-31") for p in own)]
        members[pid] = {
            "group": {None: None, "site": first["site"], "leader": first["leader"], "year": int(first["start_date"][:4])}[by],
            "moved": moved[0] if moved else None, "start": first["start_date"], "kinds": {t["kind"] for t in since},
            "active": (last["end_date"] or "9999-12-31") >= TODAY, "reason": last["end_reason"],
            "present": counted.count("present"), "absent": counted.count("absent"),
        }
    groups = {}
    for m in members.values():
        groups.setdefault(m["group"], []).append(m)
    if by:
        groups[None] = list(members.values())
    return {group: _figures(ms) for group, ms in groups.items()}


def _figures(members):
    waits = [(date.fromisoformat(m["moved"]) - date.fromisoformat(m["start"])).days for m in members if m["moved"]]
    present, absent = sum(m["present"] for m in members), sum(m["absent"] for m in members)
    ended = [m["reason"] for m in members if not m["moved"] and not m["active"]]
    return {
        "participants": len(members),
        "moved_on": len(waits),
        "by_kind": {k: sum(k in m["kinds"] for m in members) for k in KINDS},
        "still_active": sum(m["active"] for m in members),
        "ended_by_reason": {r: ended.count(r) for r in set(ended)},
        "median_days_to_move": median(waits) if waits else None,
        "attendance_rate": present / (present + absent) if present + absent else None,
    }


def _summary(kimu, start, end, by):
    args = ["summary", "outcomes", "--format", "json"]
    args += ["--from", start, "--to", end] if start else []
    args += ["--by", by] if by else []
    out = json.loads(kimu.ok(*args))
    got = {g[by]: g for g in out["groups"]} if by else {}
    got[None] = out
    keys = _figures([]).keys()
    return {group: {k: ({r: n for r, n in f[k].items() if n} if k == "ended_by_reason" else f[k]) for k in keys}
            for group, f in got.items()}


@pytest.mark.parametrize("by", [None, "site", "leader", "year"])
@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: "-".join(filter(None, w)) or "whole history")
def test_outcomes_equal_their_definition(moves, window, by):
    expected = definition(moves, *window, by)
    assert expected[None]["participants"] > 0 or window[0] == "2026-04-20"
    assert _summary(moves, *window, by) == expected


def test_outcomes_count_attendance_up_to_today(moves):
    """kimu records no day after today; rows written so behind its back are left out, as before."""
    moves.execute(f"INSERT INTO attendance (participant_id, date, status) "
                             f"VALUES ({P1}, '2026-12-01', 'absent'), ({P1}, '2026-12-02', 'absent')")
    for by in (None, "site"):
        assert _summary(moves, None, None, by) == definition(moves, None, None, by)


def test_outcomes_follow_a_leader_who_moves_to_another_site(moves):
    moves.ok("leader", "edit", "Ola Brøndbo", "--site", "Åsgården sykehjem")
    assert _summary(moves, None, None, "site") == definition(moves, None, None, "site")


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
# Edges mid-month, a window inside one month, one across the April change of leader, whole history,
# and windows that cut long periods at one end or both (counted as the period less its edges).
RATE_WINDOWS = [("2025-11-01", "2026-11-25"), ("2026-01-15", "2026-04-18"), ("2026-04-17", "2026-04-25"),
                ("2026-02-11", "2026-09-30"), ("2026-03-31", "2026-06-01"), ("2026-01-01", "2026-01-31"),
                ("2025-12-24", "2026-08-14"), ("2026-05-04", "2026-11-20"), ("2026-03-09", "2026-08-07")]


@pytest.mark.parametrize("by", GROUPS)
@pytest.mark.parametrize("window", RATE_WINDOWS, ids="-".join)
def test_rates_equal_the_rates_counted_row_by_row(moves, window, by):
    start, end = window
    columns, group = GROUPS[by]
    expected = moves.query(RAW_RATES.format(columns=columns, group=group), {"start": start, "end": end})
    got = json.loads(moves.ok("attendance", "rates", "--from", start, "--to", end, "--by", by, "--format", "json"))
    assert [r["days"] for r in expected] != [0] * len(expected)
    assert [{k: v for k, v in r.items() if k != "rate"} for r in got] == expected


def test_a_re_import_that_changes_statuses_recounts_its_periods(moves, tmp_path):
    (tmp_path / "again.csv").write_text("ref;date;status\nP1;2026-05-04;fravær\nP3;2026-07-01;syk\n"
                                        "P3;2026-07-02;møtt\n", encoding="utf-8")
    before = stored(moves)
    moves.ok("import", "attendance", tmp_path / "again.csv")
    assert stored(moves) != before
    assert stored(moves) == recounted(moves)


def test_an_import_of_new_and_stored_days_in_many_batches_counts_each_day_once(moves, tmp_path, monkeypatch):
    from kimu_cli import importer

    # Three lines a batch, two rows a statement. Weekends were never registered, so they are new days.
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    monkeypatch.setattr(importer, "ROWS_PER_INSERT", 2)
    (tmp_path / "more.csv").write_text(
        "ref;date;status\n"
        "P1;2026-01-17;møtt\nP1;2026-01-18;fravær\nP2;2026-03-07;syk\n"  # new days, nothing stored between
        "P3;2026-06-06;møtt\nP1;2026-05-04;fravær\nP3;2026-06-07;syk\n"  # a stored day (present) among new
        "P2;2026-03-08;møtt\nP2;2026-03-08;fravær\nP3;2026-06-13;møtt\n",  # a day given twice
        encoding="utf-8")
    assert "9 rows: 7 inserted, 2 updated" in moves.ok("import", "attendance", tmp_path / "more.csv")
    assert stored(moves) == recounted(moves)
    assert moves.query("SELECT a.status FROM attendance a JOIN participants p ON p.id = a.participant_id "
                       "WHERE p.ref = 'P2' AND a.date = '2026-03-08'") == [{"status": "absent"}]


def test_an_import_refuses_to_count_days_into_a_period_whose_facts_are_missing(moves, tmp_path):
    moves.execute(f"DELETE FROM enrollment_facts WHERE participant_id = {P3}")
    (tmp_path / "weekend.csv").write_text("ref;date;status\nP3;2026-06-06;møtt\n", encoding="utf-8")
    assert "kimu db recount" in moves.fails("import", "attendance", tmp_path / "weekend.csv")
    moves.ok("db", "recount")
    assert "1 inserted" in moves.ok("import", "attendance", tmp_path / "weekend.csv")
    assert stored(moves) == recounted(moves)


def test_a_failed_import_leaves_the_facts_as_they_were(moves, tmp_path):
    before = stored(moves)
    (tmp_path / "bad.csv").write_text("ref;date;status\nP1;2026-05-05;absent\nP1;2026-05-06;maybe\n",
                                      encoding="utf-8")
    moves.fails("import", "attendance", tmp_path / "bad.csv")
    assert stored(moves) == before


# ---- any sequence of writes, through the core and behind its back (hypothesis) ----

REFS = ["Q1", "Q2", "Q3"]  # Q1 and Q2 are enrolled at the start
LEADERS = ["Kari", "Ola"]
DAYS = [f"2026-{month:02d}-{day:02d}" for month in (1, 3, 5, 9, 11) for day in (5, 20)] + ["2026-11-25"]
ATTENDANCE = st.tuples(st.just("attendance"), st.sampled_from(REFS), st.sampled_from(DAYS),
                       st.sampled_from(["present", "absent", "excused"]))
IMPORT = st.tuples(st.just("import"), st.lists(st.tuples(st.sampled_from(REFS), st.sampled_from(DAYS),
                                                         st.sampled_from(["møtt", "fravær", "syk"])), max_size=8))
WRITES = st.one_of(
    ATTENDANCE, ATTENDANCE, IMPORT, IMPORT,
    st.tuples(st.just("add"), st.sampled_from(REFS), st.sampled_from(LEADERS), st.sampled_from(DAYS)),
    st.tuples(st.just("end"), st.sampled_from(REFS), st.sampled_from(DAYS),
              st.sampled_from(["moved_on", "other_path", "registered_in_error"])),
    st.tuples(st.just("reenroll"), st.sampled_from(REFS), st.sampled_from(LEADERS), st.sampled_from(DAYS)),
    st.tuples(st.just("edit"), st.sampled_from(REFS), st.sampled_from([None, *LEADERS]), st.sampled_from([None, *DAYS])),
    st.tuples(st.just("attendance"), st.sampled_from(REFS), st.sampled_from(DAYS),
              st.sampled_from(["present", "absent", "excused"])),
    st.tuples(st.just("transition"), st.sampled_from(REFS), st.sampled_from(["mfy", "job_summer", "fagbrev"]),
              st.sampled_from(DAYS)),
    st.tuples(st.just("untransition"), st.integers(1, 6)),
    st.tuples(st.just("site"), st.sampled_from(LEADERS), st.sampled_from(["Solbakken", "Åsgården"])),
    st.tuples(st.just("import"), st.lists(st.tuples(st.sampled_from(REFS), st.sampled_from(DAYS),
                                                    st.sampled_from(["møtt", "fravær", "syk"])), max_size=6)),
    st.tuples(st.just("sql"), st.sampled_from([
        "DELETE FROM attendance WHERE date = (SELECT min(date) FROM attendance)",
        "UPDATE attendance SET status = 'absent' WHERE date = '2026-05-20'",
        "DELETE FROM transitions WHERE id = (SELECT max(id) FROM transitions)",
        ("DELETE FROM enrollments WHERE id = (SELECT max(id) FROM enrollments) AND NOT EXISTS ("
        "SELECT 1 FROM attendance a WHERE a.participant_id = enrollments.participant_id)"),
        "UPDATE enrollments SET end_reason = 'registered_in_error' WHERE end_reason IS NOT NULL",
    ])),
)


def _write(conn, tmp_path, write):
    from kimu_cli import attendance, importer, leaders, participants, transitions

    kind, *args = write
    if kind == "add":
        participants.add(conn, args[0], args[1], args[2], force=True)
    elif kind == "end":
        participants.end(conn, *args)
    elif kind == "reenroll":
        participants.reenroll(conn, *args, force=True)
    elif kind == "edit":
        participants.edit(conn, args[0], leader=args[1], start=args[2])
    elif kind == "attendance":
        attendance.save(conn, attendance.check_row(conn, *args))
    elif kind == "transition":
        transitions.add(conn, *args)
    elif kind == "untransition":
        transitions.remove(conn, args[0])
    elif kind == "site":
        leaders.edit(conn, args[0], site=args[1])
    elif kind == "import":
        path = tmp_path / "oppmøte.csv"
        path.write_text("deltaker;dato;oppmøte\n" + "".join(f"{r};{d};{s}\n" for r, d, s in args[0]), encoding="utf-8")
        importer.run(conn, "attendance", path)
    else:
        conn.execute(args[0])


@settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(WRITES, min_size=1, max_size=25))
def test_facts_equal_a_recount_after_any_sequence_of_writes(tmp_path, writes):
    """Whatever is written, in whatever order (refused writes leave nothing behind), the facts are
    the recount, and each period's first move on is the first of outcomes.MOVES on or after its start."""
    import sqlite3

    from kimu_cli import db, outcomes, participants
    from kimu_cli.errors import KimuError

    path = tmp_path / f"facts-{next(_FILES)}.db"
    conn = db.connect(path, create=True)
    try:
        with db.transaction(conn):
            conn.execute("INSERT INTO sites (name) VALUES ('Solbakken'), ('Åsgården')")
            conn.execute("INSERT INTO leaders (name, site_id, yearly_capacity, max_concurrent) "
                         "VALUES ('Kari', 1, 50, 50), ('Ola', 2, 50, 50)")
            for ref, leader, start in [("Q1", "Kari", "2026-01-05"), ("Q2", "Ola", "2026-03-05")]:
                participants.add(conn, ref, leader, start)
        for write in writes:
            try:
                if write[0] == "import":  # an import is a transaction of its own
                    _write(conn, tmp_path, write)
                else:
                    with db.transaction(conn):
                        _write(conn, tmp_path, write)
            except (KimuError, sqlite3.IntegrityError):
                pass
        stored = conn.execute("SELECT * FROM enrollment_facts ORDER BY enrollment_id").fetchall()
        event(f"periods: {min(len(stored), 3)}+, days: {'some' if any(r['present'] + r['absent'] for r in stored) else 'none'}")
        assert stored == conn.execute(f"SELECT * FROM ({FACTS.format(which='1')}) ORDER BY enrollment_id").fetchall()
        moves = conn.execute(f"""
            SELECT f.enrollment_id, (SELECT min(m.date) FROM ({outcomes.MOVES}) m
                                     WHERE m.participant_id = f.participant_id AND m.date >= f.start_date)
            FROM enrollment_facts f ORDER BY f.enrollment_id""", outcomes._params(None, None)).fetchall()
        assert [tuple(r) for r in moves] == [(r["enrollment_id"], r["first_move"]) for r in stored]
        _as_of_agrees_with_a_recount(conn)
    finally:
        conn.close()


def _as_of_agrees_with_a_recount(conn):
    """history.as_of copies the facts of participants with nothing dated after the day and counts the
    others again: together they are the recount of the register as it stood that day. Capacity
    counted up to the day (as_it_stood, what the weekly summary uses) is capacity under as_of."""
    from kimu_cli import capacity, history

    for day in ("2026-03-05", "2026-09-20"):
        counted_up_to_day = capacity.report(conn, 2026, day, as_it_stood=True)
        with history.as_of(conn, day, "2026-01-01"):
            assert capacity.report(conn, 2026, day) == counted_up_to_day, day
            shadowed = conn.execute("SELECT * FROM temp.enrollment_facts ORDER BY enrollment_id").fetchall() \
                if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'enrollment_facts'").fetchone() \
                else None
            which = ("e.participant_id IN (SELECT participant_id FROM main.enrollments "
                     f"WHERE start_date BETWEEN '2026-01-01' AND '{day}')")
            recount = conn.execute(f"SELECT * FROM ({FACTS.format(which=which)}) ORDER BY enrollment_id").fetchall()
        if shadowed is not None:  # something was dated after the day
            assert [tuple(r) for r in shadowed] == [tuple(r) for r in recount], day
        with history.as_of(conn, day):  # every participant's facts
            everyone = conn.execute("SELECT * FROM enrollment_facts ORDER BY enrollment_id").fetchall()
            recount = conn.execute(f"SELECT * FROM ({FACTS.format(which='1')}) ORDER BY enrollment_id").fetchall()
        assert [tuple(r) for r in everyone] == [tuple(r) for r in recount], day


_FILES = itertools.count()
