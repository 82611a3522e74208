"""A participant's timeline (`kimu participant show`): their details and status, every enrollment
with its attendance, then transitions and milestones. Above participants, attendance and
transitions, which it reads together."""

import sqlite3
from typing import TypedDict, cast

from kimu_cli import attendance, dates, participants, transitions
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


def show(conn: sqlite3.Connection, ref: str, on: object = None) -> Shown:
    """One participant's timeline: details, status, every enrollment with its attendance
    (days, present, absent, excused, rate), then transitions and milestones."""
    p = participants.get(conn, ref)
    day = dates.iso(on or dates.today(), "on")
    periods = [
        {**e, **attendance.summary(conn, p["id"], e["start_date"], e["end_date"])}
        for e in participants.enrollments(conn, p["id"])
    ]
    status = conn.execute(
        f"SELECT {participants.STATUS_CASE} "
        f"FROM ({participants.CURRENT_ENROLLMENT} WHERE e.participant_id = :id) e WHERE e.pick = 1",
        {"on": day, "id": p["id"]},
    ).fetchone()
    details = {k: p[k] for k in ("ref", *participants.PERSONAL_FIELDS)}
    return cast(Shown, {**details, "status": status[0] if status else "ended", "enrollments": periods,
                        **transitions.timeline(conn, p["ref"])})
