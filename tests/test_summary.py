"""kimu summary outcomes|cost|weekly on constructed data where the right numbers are known by hand."""

import json
import os
import re
import stat
import subprocess
import sys
import threading
from datetime import date, timedelta

import pytest
from conftest import core

from kimu_cli import attendance, db, labels, leaders, participants, sites, transitions, weekly


def as_json(kimu, *args):
    return json.loads(kimu.ok(*args, "--format", "json"))


def test_the_evaluation_reads_103_participants_48_moved_on_47_percent(kimu):
    with core(kimu) as conn:
        sites.add(conn, "Solbakken omsorgssenter")
        leaders.add(conn, "Kari Nordmann", "Solbakken omsorgssenter", 500, 500)
        first = date(2022, 1, 3)
        for i in range(103):
            ref, start = f"E-{i:03d}", first + timedelta(days=7 * i)
            participants.add(conn, ref, "Kari Nordmann", start)
            kind = "mfy" if i < 28 else "job_permanent" if i < 38 else "utdanning" if i < 48 else None
            if kind:
                transitions.add(conn, ref, kind, start + timedelta(days=30 + i))
            elif i < 53:  # a milestone alone is not moving on
                transitions.add(conn, ref, "kompetansebevis", start + timedelta(days=200))
        # Outside the cohort: registered in error, started before or after the window.
        for ref, start, end in (("X-ERR", "2023-03-06", "2023-03-07"), ("X-BEFORE", "2021-12-27", None),
                                ("X-AFTER", "2025-01-06", None)):
            participants.add(conn, ref, "Kari Nordmann", start)
            transitions.add(conn, ref, "mfy", end or "2025-06-02")
            if end:
                participants.end(conn, ref, end, "registered_in_error")

    text = kimu.ok("summary", "outcomes", "--from", "01.01.2022", "--to", "31.12.2024")
    assert re.search(r"Participants\s+103\n.*Moved on to education or work\s+48\n\s+Share moved on\s+47 %", text, re.DOTALL)
    result = as_json(kimu, "summary", "outcomes", "--from", "2022-01-01", "--to", "2024-12-31")
    assert (result["from"], result["to"], result["participants"], result["moved_on"]) == (
        "2022-01-01", "2024-12-31", 103, 48)
    assert result["moved_on_rate"] == pytest.approx(48 / 103)
    assert {k: v for k, v in result["by_kind"].items() if v} == {
        "mfy": 28, "job_permanent": 10, "education": 10, "kompetansebevis": 5}
    assert result["groups"] == []
    assert set(result) == {"from", "to", "participants", "moved_on", "moved_on_rate", "by_kind", "still_active",
                           "ended_by_reason", "median_days_to_move", "attendance_rate", "groups"}


@pytest.fixture
def cohort(register, monkeypatch):
    """A 2026 cohort of five (A1..A5) and two around it, numbers worked out by hand in the tests."""
    with core(register) as conn:
        participants.add(conn, "A1", "Kari Nordmann", "2026-01-05")
        transitions.add(conn, "A1", "mfy", "2026-03-06")  # 60 days; still followed (Helt i mål)
        participants.add(conn, "A2", "Kari Nordmann", "2026-02-02")
        participants.end(conn, "A2", "2026-04-30", "other_path")
        participants.add(conn, "A3", "Ola Brøndbo", "2026-03-02")
        transitions.add(conn, "A3", "deltid", "2026-04-01", end=True)  # 30 days
        participants.add(conn, "A4", "Håkon Ødegård", "2026-01-12")
        participants.end(conn, "A4", "2026-02-27", "health")
        participants.add(conn, "A5", "Håkon Ødegård", "2025-06-02")
        transitions.add(conn, "A5", "job_summer", "2025-08-01")  # before A5's 2026 start: not in the 2026 cohort
        participants.end(conn, "A5", "2025-12-19", "other")
        participants.reenroll(conn, "A5", "Kari Nordmann", "2026-06-01")
        participants.add(conn, "A6", "Ola Brøndbo", "2026-04-06")
        participants.end(conn, "A6", "2026-04-10", "registered_in_error")
        participants.add(conn, "A7", "Kari Nordmann", "2025-10-06")
        transitions.add(conn, "A7", "education", "2026-01-15")  # 101 days
        attendance.record(conn, "2026-01-05", [("A1", "present"), ("A7", "absent")])
        attendance.record(conn, "2026-01-06", [("A1", "absent")])
        attendance.record(conn, "2026-01-07", [("A1", "excused")])
        attendance.record(conn, "2026-02-02", [("A2", "present")])
    return register


def test_outcomes_of_a_cohort(cohort):
    result = as_json(cohort, "summary", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31")
    assert (result["participants"], result["moved_on"], result["moved_on_rate"]) == (5, 2, 0.4)
    assert {k: v for k, v in result["by_kind"].items() if v} == {"mfy": 1, "job_part_time": 1}
    assert result["still_active"] == 2  # A1 (after MFY) and A5 (re-enrolled)
    assert {k: v for k, v in result["ended_by_reason"].items() if v} == {"other_path": 1, "health": 1}
    assert "registered_in_error" not in result["ended_by_reason"]
    assert result["median_days_to_move"] == 45
    assert result["attendance_rate"] == pytest.approx(2 / 3)  # A1 1 of 2 (excused not counted), A2 1 of 1


def test_outcome_groups_by_site_leader_and_year(cohort):
    by_site = as_json(cohort, "summary", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "site")
    assert [(g["site"], g["participants"], g["moved_on"], g["moved_on_rate"]) for g in by_site["groups"]] == [
        ("Solbakken omsorgssenter", 4, 2, 0.5), ("Åsgården sykehjem", 1, 0, 0.0)]
    by_leader = as_json(cohort, "summary", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "leader")
    assert {g["leader"]: g["participants"] for g in by_leader["groups"]} == {
        "Håkon Ødegård": 1, "Kari Nordmann": 3, "Ola Brøndbo": 1}
    # A re-enrolled participant belongs to the year of their first start in the window.
    by_year = as_json(cohort, "summary", "outcomes", "--from", "2025-01-01", "--to", "2026-12-31", "--by", "year")
    assert [(g["year"], g["participants"], g["moved_on"], g["median_days_to_move"]) for g in by_year["groups"]] == [
        (2025, 2, 2, 80.5), (2026, 4, 2, 45)]
    csv_header = cohort.ok("summary", "outcomes", "--by", "site", "--format", "csv").splitlines()[0].split(",")
    assert csv_header[:5] == ["site", "from", "to", "participants", "moved_on"] and "by_kind.mfy" in csv_header


def test_cohort_window_includes_both_ends(cohort):
    inside = as_json(cohort, "summary", "outcomes", "--from", "2026-01-05", "--to", "12.01.2026")
    assert (inside["participants"], inside["moved_on"]) == (2, 1)
    empty = as_json(cohort, "summary", "outcomes", "--from", "2026-01-06", "--to", "2026-01-11")
    assert (empty["participants"], empty["moved_on_rate"], empty["median_days_to_move"]) == (0, None, None)
    assert "from: 2026-02-01 is after to (2026-01-01)" in cohort.fails(
        "summary", "outcomes", "--from", "2026-02-01", "--to", "2026-01-01")


def test_suppression_hides_small_counts_and_rates_built_on_them(cohort):
    args = ("summary", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31", "--suppress-below", "3")
    result = as_json(cohort, *args, "--by", "site")
    assert (result["participants"], result["moved_on"], result["still_active"]) == (5, "<3", "<3")
    assert (result["moved_on_rate"], result["median_days_to_move"]) == (None, None)
    assert result["attendance_rate"] == pytest.approx(2 / 3)
    assert (result["by_kind"]["mfy"], result["by_kind"]["job_summer"]) == ("<3", 0)
    assert result["ended_by_reason"]["health"] == "<3"
    asgarden = result["groups"][1]
    assert (asgarden["participants"], asgarden["moved_on"], asgarden["moved_on_rate"]) == ("<3", 0, None)
    text = cohort.ok(*args)
    assert re.search(r"Moved on to education or work\s+<3\n\s+Share moved on\s+–\n", text)
    assert "Counts below 3 are shown as <3" in text
    assert cohort("summary", "outcomes", "--suppress-below", "1").exit_code == 2


def test_cost_of_participant_months(cohort, monkeypatch):
    # January 2026: A1 27 days, A4 20, A7 31 = 78 days = 2.5626 months, 2.56 as shown and paid for;
    # A7 moved on (education 15.01).
    result = as_json(cohort, "summary", "cost", "--from", "2026-01-01", "--to", "2026-01-31")
    assert {k: result[k] for k in ("participants", "participant_months", "model_cost", "compare_cost", "saving",
                                   "moved_on", "cost_per_moved_on", "compare_cost_per_moved_on")} == {
        "participants": 3, "participant_months": 2.56, "model_cost": 8960, "compare_cost": 46080,
        "saving": 37120, "moved_on": 1, "cost_per_moved_on": 8960, "compare_cost_per_moved_on": 46080}
    cheaper = as_json(cohort, "summary", "cost", "--from", "2026-01-01", "--to", "2026-01-31",
                      "--monthly-cost", "1000", "--compare", "2000")
    assert (cheaper["model_cost"], cheaper["compare_cost"]) == (2560, 5120)
    text = cohort.ok("summary", "cost", "--from", "2026-01-01", "--to", "2026-01-31", "--suppress-below", "3")
    assert re.search(r"Cost in this model\s+NOK 8,960", text)
    assert re.search(r"Cost per participant who moved on\s*\n", text)
    norsk = cohort.ok("summary", "cost", "--from", "2026-01-01", "--to", "2026-01-31", "--lang", "nb")
    assert re.search(r"Kostnad i denne modellen\s+8 960 kr", norsk) and "Periode: 01.01.2026 til 31.01.2026" in norsk


@pytest.fixture
def year_end(register, monkeypatch):
    """Around the turn of 2026/2027 (2026 has an ISO week 53: 28.12.2026-03.01.2027)."""
    monkeypatch.setenv("KIMU_TODAY", "2027-01-20")
    with core(register) as conn:
        participants.add(conn, "W1", "Kari Nordmann", "2026-12-01", name="Amira Hansen")
        attendance.record(conn, "2026-12-28", [("W1", "absent")])
        attendance.record(conn, "2026-12-29", [("W1", "absent")])
        attendance.record(conn, "2026-12-30", [("W1", "fravær")])
        participants.add(conn, "W2", "Ola Brøndbo", "2026-12-30")
        attendance.record(conn, "2026-12-30", [("W2", "present")])
        participants.add(conn, "W3", "Ola Brøndbo", "2026-06-01")
        transitions.add(conn, "W3", "fast stilling", "2027-01-02", end=True)
        participants.add(conn, "W4", "Kari Nordmann", "2027-01-05")
    return register


def test_weekly_default_is_the_last_complete_iso_week(kimu, monkeypatch):
    kimu.ok("db", "init")
    assert as_json(kimu, "summary", "weekly")["week"] == "2026-W47"  # today 2026-11-25, a Wednesday
    for today, week in (("2027-01-04", "2026-W53"), ("2027-01-10", "2026-W53"), ("2027-01-11", "2027-W01")):
        monkeypatch.setenv("KIMU_TODAY", today)
        assert as_json(kimu, "summary", "weekly")["week"] == week


def test_weekly_across_the_year_end(year_end):
    w53 = as_json(year_end, "summary", "weekly", "--week", "2026-W53")
    assert list(w53) == ["week", "from", "to", "active", "new_enrollments", "ended_enrollments", "transitions",
                         "attendance_by_leader", "alerts", "capacity", "outcomes_year_to_date", "counted_on",
                         "follow_up", "audit_head"]
    assert (w53["from"], w53["to"], w53["active"]) == ("2026-12-28", "2027-01-03", 3)
    assert [e["ref"] for e in w53["new_enrollments"]] == ["W2"]
    assert [(e["ref"], e["end_date"], e["end_reason"]) for e in w53["ended_enrollments"]] == [
        ("W3", "2027-01-02", "moved_on")]
    assert [(t["ref"], t["kind"]) for t in w53["transitions"]] == [("W3", "job_permanent")]
    assert {(a["ref"], a["alert"]) for a in w53["alerts"]} >= {("W1", "consecutive_absences")}
    assert all("name" not in a for a in w53["alerts"])
    kari = next(r for r in w53["attendance_by_leader"] if r["leader"] == "Kari Nordmann")
    assert (kari["absent"], kari["rate"]) == (3, 0.0)
    ytd = w53["outcomes_year_to_date"]  # the ISO year of the week: 2026
    assert (ytd["from"], ytd["to"], ytd["participants"], ytd["moved_on"]) == ("2026-01-01", "2027-01-03", 3, 1)
    assert {r["year"] for r in w53["capacity"]} == {2026}

    w01 = as_json(year_end, "summary", "weekly", "--week", "2027-w01")
    assert (w01["week"], w01["from"], w01["to"]) == ("2027-W01", "2027-01-04", "2027-01-10")
    assert [e["ref"] for e in w01["new_enrollments"]] == ["W4"] and w01["transitions"] == []
    assert (w01["outcomes_year_to_date"]["from"], w01["outcomes_year_to_date"]["participants"]) == ("2027-01-01", 1)

    named = as_json(year_end, "summary", "weekly", "--week", "2026-W53", "--names")
    assert {a["name"] for a in named["alerts"]} == {"Amira Hansen"}


def test_weekly_reads_one_state_while_another_connection_writes(year_end):
    """A participant enrolled by someone else halfway through the report is in none of its parts."""
    conn, other = year_end.connect(), year_end.connect()
    statements = []

    def write_after_the_first_read(sql):
        statements.append(sql)
        if len(statements) == 5:  # the file's name, BEGIN, the snapshot's first read, the first query, then this
            with db.transaction(other):
                participants.add(other, "W9", "Kari Nordmann", "2026-12-28")  # not registered: an alert
    try:
        conn.set_trace_callback(write_after_the_first_read)
        week = weekly.summary(conn, "2026-W53")
    finally:
        conn.close()
        other.close()
    assert len(statements) > 5
    assert "W9" not in [e["ref"] for e in week["new_enrollments"]] + [a["ref"] for a in week["alerts"]]
    assert (week["active"], week["outcomes_year_to_date"]["participants"]) == (3, 3)
    assert sum(c["followed"] for c in week["capacity"]) == 3
    assert as_json(year_end, "summary", "weekly", "--week", "2026-W53")["active"] == 4  # the next report sees it


def test_weekly_alerts_agree_with_the_rest_when_a_writer_commits_before_they_are_counted(year_end, monkeypatch):
    """The alerts are counted on a second connection; a participant enrolled (and never registered:
    an alert) after the report began, before the alerts and the other parts are counted, is in none."""
    real_alerts, real_figures, enrolled, written = attendance.alerts_by_day, weekly._figures, [], threading.Event()

    def alerts_after_a_write(conn, first, last, **options):
        writer = year_end.connect()
        try:
            with db.transaction(writer):
                enrolled.append(participants.add(writer, f"W{9 + len(enrolled)}", "Kari Nordmann", "2026-12-28"))
        finally:
            writer.close()
        written.set()
        return real_alerts(conn, first, last, **options)

    def figures_after_the_write(*args):
        assert written.wait(10)
        return real_figures(*args)

    monkeypatch.setattr(attendance, "alerts_by_day", alerts_after_a_write)
    monkeypatch.setattr(weekly, "_figures", figures_after_the_write)
    conn = year_end.connect()
    try:
        week = weekly.summary(conn, "2026-W53")
    finally:
        conn.close()
    assert enrolled and not set(enrolled) & {a["ref"] for a in week["alerts"]}
    assert {(a["ref"], a["alert"]) for a in week["alerts"]} >= {("W1", "consecutive_absences")}
    assert week["active"] == 3


def test_weekly_inside_a_callers_transaction_counts_its_own_writes_everywhere(year_end):
    """A script that writes and reports in one transaction: the alerts see its uncommitted rows too."""
    conn = year_end.connect()
    try:
        with db.transaction(conn):
            participants.add(conn, "W9", "Kari Nordmann", "2026-12-28")  # not registered: an alert
            week = weekly.summary(conn, "2026-W53")
            conn.execute("SELECT 1")  # the transaction is still the caller's
    finally:
        conn.close()
    assert "W9" in [e["ref"] for e in week["new_enrollments"]] and week["active"] == 4
    assert ("W9", "missing_registration") in {(a["ref"], a["alert"]) for a in week["alerts"]}


def test_weekly_refuses_weeks_that_do_not_exist(kimu):
    kimu.ok("db", "init")
    assert kimu.fails("summary", "weekly", "--week", "2025-W53") == (
        "kimu: week: 2025 has no week 53 (it has 52 weeks)")
    assert "is not a week (use 48, 2026-48 or 2026-W48)" in kimu.fails("summary", "weekly", "--week", "2026-4-7")


def test_weekly_text_markdown_and_self_contained_html(year_end):
    text = year_end.ok("summary", "weekly", "--week", "2026-W53")
    assert text.startswith("Weekly summary 2026-W53\n") and "Period: 2026-12-28 to 2027-01-03" in text
    assert re.search(r"W1\s+Kari Nordmann\s+Absent several days in a row", text)
    assert "Amira Hansen" not in text and "\x1b[" not in text
    table = year_end.ok("summary", "weekly", "--week", "2026-W53", "--format", "table")  # text's tables, piped
    assert table.startswith("Weekly summary 2026-W53\n") and re.search(r"W1\s+Kari Nordmann\s+Absent", table)
    markdown = year_end.ok("summary", "weekly", "--week", "2026-W53", "--format", "markdown")
    assert markdown.startswith("# Weekly summary 2026-W53") and "## Needs follow-up" in markdown
    html = year_end.ok("summary", "weekly", "--week", "2026-W53", "--format", "html")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert html.count("<svg") == 5  # attendance per leader, outcomes by kind; the 12-week rate, follow-up and moves
    assert not re.search(r"<script|<link|src=|@import", html)


def english_left(report):
    """English labels (that differ from their bokmål ones) found as words in a report."""
    en, nb = labels.LABELS["en"], labels.LABELS["nb"]
    words = {en[k] for k in en if en[k] != nb[k] and "{" not in en[k]}
    report = re.sub(r"<style>.*?</style>", " ", report, flags=re.DOTALL)  # CSS (max-width:none) is not prose
    report = re.sub(r"<[^>]*>", " ", report)  # HTML's own words (text-anchor="end") are not the report's
    return sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", report))


def test_labels_are_complete_in_both_languages():
    assert labels.LABELS["en"].keys() == labels.LABELS["nb"].keys()
    assert all(labels.LABELS[lang][key].strip() for lang in labels.LANGUAGES for key in labels.LABELS[lang])
    assert {f"alert_{a}" for a in attendance.ALERTS} <= labels.LABELS["en"].keys()


def test_no_english_label_left_in_a_norwegian_report(year_end, monkeypatch):
    year_end.ok("participant", "add", "W5", "--leader", "Håkon Ødegård", "--start", "2026-12-28")
    year_end.ok("participant", "add", "W6", "--leader", "Håkon Ødegård", "--start", "2026-12-28")
    year_end.ok("participant", "add", "W7", "--leader", "Håkon Ødegård", "--start", "2026-12-28", "--force")
    for fmt in ("text", "markdown", "html"):
        report = year_end.ok("summary", "weekly", "--week", "2026-W53", "--format", fmt, "--lang", "nb")
        assert "Ukesoppsummering uke 53 2026" in report and "over kapasitet" in report
        assert english_left(report) == [] and "None" not in report
    outcomes = year_end.ok("summary", "outcomes", "--by", "leader", "--lang", "nb", "--suppress-below", "3")
    assert english_left(outcomes) == [] and "Andel med overgang" in outcomes
    monkeypatch.setenv("KIMU_LANG", "nb")
    assert "Periode: 28.12.2026 til 03.01.2027" in year_end.ok("summary", "weekly", "--week", "2026-W53")


def cron(args, tmp_path, db_path):
    """Run kimu as cron does: no terminal, only PATH, HOME and KIMU_DB in the environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KIMU_DB": str(db_path)}
    return subprocess.run([sys.executable, "-m", "kimu_cli", *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60, check=False)


def test_weekly_runs_from_cron(register, tmp_path, db_path):
    out = tmp_path / "mail" / "weekly.html"
    out.parent.mkdir()
    out.write_text("old")
    os.chmod(out, 0o644)
    done = cron(["summary", "weekly", "--week", "2026-W47", "--format", "html", "--output", str(out),
                 "--lang", "nb"], tmp_path, db_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    written = out.read_text(encoding="utf-8")
    assert "Ukesoppsummering uke 47 2026" in written and "Håkon Ødegård" in written
    assert list(out.parent.iterdir()) == [out]

    done = cron(["summary", "weekly"], tmp_path, db_path)  # the real today, plain text on stdout
    assert done.returncode == 0 and done.stdout.startswith("Weekly summary ") and done.stderr == ""


def test_weekly_from_cron_fails_with_one_line(tmp_path, db_path):
    done = cron(["summary", "weekly"], tmp_path, tmp_path)  # KIMU_DB is a directory
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "is a directory" in done.stderr
    assert cron(["db", "init"], tmp_path, db_path).returncode == 0
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    done = cron(["summary", "weekly", "--output", str(blocked / "weekly.txt")], tmp_path, db_path)
    assert done.returncode == 1 and done.stderr.startswith("kimu: output: ") and "is not a folder" in done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_a_participant_month_is_an_average_month_of_365_25_over_12_days(register):
    """A year followed (365 days) is 11.99 months (11.9918; 30.44 days a month would give 11.9908):
    NOK 41 965 at 3 500, the months as shown times the price."""
    register.ok("participant", "add", "Y1", "--leader", "Kari Nordmann", "--start", "2025-01-01")
    register.ok("participant", "end", "Y1", "--date", "2025-12-31")
    cost = as_json(register, "summary", "cost", "--from", "2025-01-01", "--to", "2025-12-31")
    assert (cost["participant_months"], cost["model_cost"], cost["compare_cost"]) == (11.99, 41965, 215820)
