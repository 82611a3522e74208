"""The demo: a fictional data set from data/ loaded through the same rules as real input."""

import csv
import random
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from kimu_cli import attendance, dates, leaders, participants, rules, sites, transitions


def _data_files() -> Any:  # a Traversable, whose open() takes newline at run time, or a Path
    """data/ as installed (package kimu_cli.data), or beside the package in a source checkout."""
    try:
        return resources.files("kimu_cli.data")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"


def _read(name: str, years: int = 0) -> list[dict[str, str]]:
    """The rows of a data file, their dates moved by `years`."""
    with _data_files().joinpath(name).open(encoding="utf-8", newline="") as f:
        return [{k: _moved(v, years) if k in DATE_FIELDS else v for k, v in row.items()} for row in csv.DictReader(f)]


# The day the data in data/ were written for: on another today they are moved by whole years (so each
# leader's calendar years hold the same people, within capacity) to end on or before it.
DATA_DAY = date(2026, 11, 25)
DATE_FIELDS = ("started", "start_date", "end_date", "date")


def load(conn: sqlite3.Connection) -> None:
    """Load the demo register into an empty database (inside the caller's transaction)."""
    today = dates.today()
    years = today.year - DATA_DAY.year - ((today.month, today.day) < (DATA_DAY.month, DATA_DAY.day))
    for row in _read("sites.csv"):
        sites.add(conn, row["site"], row["municipality"], row["nav_office"])
    for row in _read("leaders.csv", years):
        leaders.add(conn, row["leader"], row["site"], int(row["yearly_capacity"]),
                    int(row["max_concurrent"]), row["started"])
    _load_enrollments(conn, _read("participants.csv", years))
    for row in _read("transitions.csv", years):  # the ends are in participants.csv already
        transitions.add(conn, row["ref"], row["kind"], row["date"], row["detail"], row["note"])
    _attendance(conn, today)
    _contacts(conn, today)


def _moved(day: str, years: int) -> str:
    """An ISO date `years` later (29 February becomes 28 February in a year without it)."""
    if not day or not years:
        return day
    moved = date.fromisoformat(day)
    try:
        return moved.replace(year=moved.year + years).isoformat()
    except ValueError:
        return moved.replace(year=moved.year + years, day=28).isoformat()


def _load_enrollments(conn: sqlite3.Connection, rows: list[dict[str, str]]) -> None:
    """Replay starts and ends in date order, so the capacity rule sees the register as it was."""
    events = [(r["start_date"], 0, r) for r in rows] + [(r["end_date"], 1, r) for r in rows if r["end_date"]]
    seen: set[str] = set()
    for _, is_end, r in sorted(events, key=lambda e: (e[0], e[1])):
        if is_end:
            participants.end(conn, r["ref"], r["end_date"], r["end_reason"])
        elif r["ref"] in seen:
            participants.reenroll(conn, r["ref"], r["leader"], r["start_date"])
        else:
            seen.add(r["ref"])
            participants.add(
                conn, r["ref"], r["leader"], r["start_date"], name=r["name"], birth_year=r["birth_year"],
                veileder=r["veileder"], goal=r["goal"],
            )


def is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sites").fetchone()[0] == 0


# Weekday attendance up to today, the same on every run (a seeded random per enrollment).
ALERT_WINDOW = timedelta(days=14)  # today's picture: registered every weekday, with the alerts below
FADING = ("dropped_out", "other_path", "needs_other_support", "never_started")


def _attendance(conn: sqlite3.Connection, today: date) -> None:
    """Leaders register every weekday outside holidays; participants have their own habits,
    sick spells (excused), a forgotten registration now and then, and fade before dropping
    out. Three followed today are made to need a call, one for each alert."""
    sql = """SELECT p.id, p.ref, e.leader_id, e.start_date, e.end_date, e.end_reason FROM enrollments e
             JOIN participants p ON p.id = e.participant_id WHERE e.start_date <= ? ORDER BY p.ref, e.start_date"""
    periods = conn.execute(sql, (today.isoformat(),)).fetchall()
    targets = _alert_targets(periods, today)
    for e in periods:
        for day, status in _days(e, today, targets.get(e["ref"])):
            attendance.save(conn, {"participant_id": e["id"], "ref": e["ref"], "date": day, "status": status})


def _alert_targets(periods: list[sqlite3.Row], today: date) -> dict[str, str]:
    """ref -> alert for three participants with different leaders, followed for a month or more."""
    month_ago = (today - 2 * ALERT_WINDOW).isoformat()
    targets: dict[str, str] = {}
    leaders_used: set[int] = set()
    for e in periods:
        if e["end_date"] is None and e["start_date"] < month_ago and e["leader_id"] not in leaders_used:
            targets[e["ref"]] = attendance.ALERTS[len(targets)]
            leaders_used.add(e["leader_id"])
        if len(targets) == len(attendance.ALERTS):
            return targets
    return targets


def _weekdays(e: sqlite3.Row, today: date) -> list[date]:
    start = date.fromisoformat(e["start_date"])
    end = min(date.fromisoformat(e["end_date"] or rules.OPEN_END), today)
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5 and (d > today - ALERT_WINDOW or not _holiday(d))]


def _days(e: sqlite3.Row, today: date, alert: str | None) -> Iterator[tuple[str, str]]:
    """(ISO day, status) for one enrollment; a day left out is a forgotten registration."""
    rng = random.Random(f"{e['ref']} {e['start_date']}")
    habit = rng.uniform(0.80, 0.97)
    weekdays = _weekdays(e, today)
    sick = 0
    for i, day in enumerate(weekdays):
        left = len(weekdays) - i  # registered days until the end (or today), this one included
        recent = day > today - ALERT_WINDOW
        if recent and alert:
            status = _alert_day(alert, left)
        elif not recent and rng.random() < 0.02:
            status = None
        elif sick or rng.random() < 0.01:
            sick = sick - 1 if sick else rng.randint(1, 4)
            status = "excused"
        else:
            chance = 0.5 if e["end_reason"] in FADING and left <= 15 else 0.97 if recent else habit
            status = "present" if rng.random() < chance else "absent"
        if status:
            yield day.isoformat(), status


def _alert_day(alert: str, left: int) -> str | None:
    """The last two weeks of a participant who needs a call."""
    if alert == "consecutive_absences":
        return "absent" if left <= 4 else "present"
    if alert == "low_rate":
        return "present" if left == 1 or left % 2 == 0 else "absent"
    return None if left <= 2 else "present"  # missing_registration


def _holiday(day: date) -> bool:
    """The three summer weeks (fellesferie) and Christmas to New Year: nobody is registered."""
    return (day.month == 7 and day.day <= 21) or (day.month == 12 and day.day >= 24) or (day.month, day.day) == (1, 1)


# Follow-up contacts (issue 18): most alerts of the last 12 weeks were followed up within a few working
# days; of today's alerts the first participant's are followed up today and the others are open, so
# `kimu attendance alerts` shows both.
WITH_HOW = [("participant", "phone"), ("participant", "message"), ("veileder", "phone"), ("leader", "meeting"),
            ("employer", "visit"), ("school", "meeting")]


def _contacts(conn: sqlite3.Connection, today: date) -> None:
    from kimu_cli import followup

    rng = random.Random("contacts")
    alert_days = followup.AlertDays(conn)
    now = {a["ref"] for a in attendance.alerts(conn, today.isoformat())}
    sunday = today - timedelta(days=today.weekday() + 1)
    first_sunday = sunday - timedelta(weeks=followup.WEEKS - 1)
    alert_days.span(first_sunday - timedelta(days=7), sunday)  # every day of the weeks in one pass
    for back in range(followup.WEEKS, 0, -1):
        end = sunday - timedelta(weeks=back - 1)
        for alert in followup.raised(conn, end - timedelta(days=6), end, alert_days):
            if alert["ref"] in now or rng.random() < 0.25:
                continue
            day = date.fromisoformat(alert["raised"]) + timedelta(days=rng.choice((0, 1, 1, 2, 3, 6)))
            with_, how = rng.choice(WITH_HOW)
            _contact(conn, alert["ref"], with_, how, min(day, today))
    if now:
        _contact(conn, min(now), "veileder", "phone", today)


def _contact(conn: sqlite3.Connection, ref: str, with_: str, how: str, day: date) -> None:
    from kimu_cli import contacts

    row = contacts.check(conn, ref, with_, how, day.isoformat())
    if contacts.find(conn, row) is None:
        contacts.insert(conn, row)
