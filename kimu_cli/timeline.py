"""One participant's story (`kimu participant show`): their details and status, every enrollment
with its attendance, transitions and milestones; what happened, in order (periods started and
ended, absences in a row, excused spells, transitions and milestones, and the corrections the audit
log holds); and the attendance as a calendar of weeks. Above participants, attendance and
transitions, which it reads together. Plain data: render.py shows it."""

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypedDict, cast

from kimu_cli import attendance, audit, dates, participants, transitions
from kimu_cli.participants import Enrollment
from kimu_cli.transitions import Event


class Period(Enrollment):
    """An enrollment with its attendance (attendance.Counts)."""

    days: int
    present: int
    absent: int
    excused: int
    rate: float | None


class Shown(TypedDict):
    """`kimu participant show`: the participant's details and timeline."""

    ref: str
    name: str | None
    birth_year: int | None
    veileder: str | None
    goal: str | None
    notes: str | None
    status: str  # active, waiting or ended on the day
    enrollments: list[Period]
    transitions: list[Event]  # moves to education or work
    milestones: list[Event]  # fagbrev, kompetansebevis
    timeline: list[dict[str, Any]]  # events(): every event in order


def show(conn: sqlite3.Connection, ref: str, on: object = None) -> Shown:
    """One participant's timeline: details, status, every enrollment with its attendance
    (days, present, absent, excused, rate), then transitions and milestones, and `timeline`: every
    event in order (events)."""
    p = participants.get(conn, ref)
    day = dates.iso(on or dates.today(), "on")
    periods: list[Period] = [
        {**e, **attendance.summary(conn, p["id"], e["start_date"], e["end_date"])}
        for e in participants.enrollments(conn, p["id"])
    ]
    status = conn.execute(
        f"SELECT {participants.STATUS_CASE} "
        f"FROM ({participants.CURRENT_ENROLLMENT} WHERE e.participant_id = :id) e WHERE e.pick = 1",
        {"on": day, "id": p["id"]},
    ).fetchone()
    details = {k: p[k] for k in ("ref", *participants.PERSONAL_FIELDS)}
    moves = transitions.timeline(conn, p["ref"])
    return cast(Shown, {**details, "status": status[0] if status else "ended", "enrollments": periods, **moves,
                        "timeline": events(conn, p["id"], periods, moves["transitions"], moves["milestones"])})


# The order of events on one day: a period starts first and ends last.
_ORDER = {"enrolled": 0, "reenrolled": 0, "absent_streak": 1, "excused_spell": 1, "transition": 2, "milestone": 2,
          "corrected": 3, "ended": 4}
# Audit actions that correct what was recorded (an add, end or record is an event of its own).
CORRECTIONS = ("edit", "correct", "remove", "redact")
LONGEST_CALENDAR = 26  # weeks shown, the latest


def events(conn: sqlite3.Connection, participant_id: int, periods: Sequence[Period], transitions: Iterable[Event],
           milestones: Iterable[Event]) -> list[dict[str, Any]]:
    """Events {date, event, ...}, oldest first. periods: participants.enrollments (with attendance)."""
    out: list[dict[str, Any]] = []
    for i, p in enumerate(periods):
        out.append({"date": p["start_date"], "event": "reenrolled" if i else "enrolled", "leader": p["leader"],
                    "site": p["site"], "capacity_overridden": bool(p.get("forced"))})
        if p["end_date"]:
            out.append({"date": p["end_date"], "event": "ended", "end_reason": p["end_reason"]})
    out += _spells(conn, participant_id)
    out += [{"date": t["date"], "event": "transition", "kind": t["kind"], "detail": t["detail"]} for t in transitions]
    out += [{"date": m["date"], "event": "milestone", "kind": m["kind"], "detail": m["detail"]} for m in milestones]
    rows = conn.execute(
        f"SELECT at, action, entity, changes FROM audit_log WHERE participant_id = ? "
        f"AND action IN ({', '.join('?' * len(CORRECTIONS))}) ORDER BY id", (participant_id, *CORRECTIONS))
    for at, action, entity, changes in rows:
        out.append({"date": at[:10], "event": "corrected", "entity": entity, "action": action,
                    "changes": audit.describe(json.loads(changes)) if changes else ""})
    return sorted(out, key=lambda e: (e["date"], _ORDER[e["event"]]))


def _spells(conn: sqlite3.Connection, participant_id: int) -> list[dict[str, Any]]:
    """Absences in a row (two or more recorded absent days with no present day between; excused
    days neither count nor break the run, as the alerts have it) and excused spells (excused days
    recorded one after another)."""
    days = conn.execute("SELECT date, status FROM attendance WHERE participant_id = ? ORDER BY date",
                        (participant_id,)).fetchall()
    out: list[dict[str, Any]] = []
    absent: list[str] = []
    excused: list[str] = []

    def close_absent() -> None:
        if len(absent) >= 2:
            out.append({"date": absent[0], "event": "absent_streak", "until": absent[-1], "days": len(absent)})
        absent.clear()

    def close_excused() -> None:
        if excused:
            out.append({"date": excused[0], "event": "excused_spell", "until": excused[-1], "days": len(excused)})
        excused.clear()

    for day, status in days:
        if status == "absent":
            absent.append(day)
            close_excused()
        elif status == "excused":
            excused.append(day)
        else:
            close_absent()
            close_excused()
    close_absent()
    close_excused()
    return out


class Calendar(TypedDict):
    """The attendance calendar of `participant show` (calendar())."""

    weeks: list[tuple[int, int, dict[int, str]]]  # (ISO year, week, {weekday 0-6: status})
    weekend: bool  # a day of a weekend is recorded: the calendar shows 7 days
    cut: bool  # more weeks than shown


def calendar(conn: sqlite3.Connection, participant_id: int, longest: int = LONGEST_CALENDAR) -> Calendar:
    """{weeks: [(iso_year, week, {weekday 0-6: status})], weekend: bool, cut: bool}: the ISO weeks
    from the first recorded day to the last (the latest `longest` of them)."""
    rows = conn.execute("SELECT date, status FROM attendance WHERE participant_id = ? ORDER BY date",
                        (participant_id,)).fetchall()
    by_week: dict[tuple[int, int], dict[int, str]] = {}
    for day, status in rows:
        d = date.fromisoformat(day)
        year, week, weekday = d.isocalendar()
        by_week.setdefault((year, week), {})[weekday - 1] = status
    if not by_week:
        return {"weeks": [], "weekend": False, "cut": False}
    first, last = date.fromisoformat(rows[0][0]), date.fromisoformat(rows[-1][0])
    monday = date.fromordinal(first.toordinal() - first.weekday())
    weeks: list[tuple[int, int, dict[int, str]]] = []
    while monday <= last:
        year, week, _ = monday.isocalendar()
        weeks.append((year, week, by_week.get((year, week), {})))
        monday = date.fromordinal(monday.toordinal() + 7)
    weekend = any(day >= 5 for _, _, marks in weeks for day in marks)
    return {"weeks": weeks[-longest:], "weekend": weekend, "cut": len(weeks) > longest}
