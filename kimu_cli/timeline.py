"""A participant's timeline (`kimu participant show`): their details and status, every enrollment
with its attendance, then transitions and milestones. Above participants, attendance and
transitions, which it reads together."""

from kimu_cli import attendance, dates, participants, transitions


def show(conn, ref, on=None):
    """One participant's timeline: details, status, every enrollment with its attendance
    (days, present, absent, excused, rate), then transitions and milestones."""
    p = participants.get(conn, ref)
    on = dates.iso(on or dates.today(), "on")
    periods = [
        {**e, **attendance.summary(conn, p["id"], e["start_date"], e["end_date"])}
        for e in participants.enrollments(conn, p["id"])
    ]
    status = conn.execute(
        f"SELECT {participants.STATUS_CASE} "
        f"FROM ({participants.CURRENT_ENROLLMENT} WHERE e.participant_id = :id) e WHERE e.pick = 1",
        {"on": on, "id": p["id"]},
    ).fetchone()
    details = {k: p[k] for k in ("ref", *participants.PERSONAL_FIELDS)}
    return {**details, "status": status[0] if status else "ended", "enrollments": periods,
            **transitions.timeline(conn, p["ref"])}
