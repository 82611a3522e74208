"""Capacity: about 20 participants per leader per year, and at most max_concurrent at once."""

from kimu_cli import dates
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON

# Distinct participants a leader follows during a year (any enrollment overlapping it),
# and those active on a day. Enrollments registered in error do not count.
FOLLOWED_IN_YEAR = """
    SELECT count(DISTINCT participant_id) FROM enrollments
    WHERE leader_id = :leader_id AND start_date <= :year_end
      AND coalesce(end_date, '9999-12-31') >= :year_start
      AND coalesce(end_reason, '') <> :excluded
"""
ACTIVE_ON = """
    SELECT count(*) FROM enrollments
    WHERE leader_id = :leader_id AND start_date <= :on
      AND coalesce(end_date, '9999-12-31') >= :on
      AND coalesce(end_reason, '') <> :excluded
"""


def usage(conn, leader_id, on):
    """(followed during on's year, active on on) for one leader."""
    params = {
        "leader_id": leader_id,
        "on": on,
        "year_start": f"{on[:4]}-01-01",
        "year_end": f"{on[:4]}-12-31",
        "excluded": EXCLUDED_END_REASON,
    }
    return (
        conn.execute(FOLLOWED_IN_YEAR, params).fetchone()[0],
        conn.execute(ACTIVE_ON, params).fetchone()[0],
    )


def check_room(conn, leader, start, force=False, participant_id=None):
    """Refuse one more participant for leader from start when that breaks a limit.

    Returns '' when there is room, or a description of the limit overridden with force.
    participant_id: someone the leader already follows this year does not count twice.
    """
    start = dates.iso(start, "start")
    year_count, active = usage(conn, leader["id"], start)
    already = participant_id is not None and conn.execute(
        """SELECT 1 FROM enrollments WHERE leader_id = ? AND participant_id = ?
           AND start_date <= ? AND coalesce(end_date, '9999-12-31') >= ?""",
        (leader["id"], participant_id, f"{start[:4]}-12-31", f"{start[:4]}-01-01"),
    ).fetchone()
    problems = []
    if not already and year_count + 1 > leader["yearly_capacity"]:
        problems.append(
            f"would follow {year_count + 1} participants in {start[:4]} (yearly capacity {leader['yearly_capacity']})"
        )
    if active + 1 > leader["max_concurrent"]:
        problems.append(f"would have {active + 1} active on {start} (max concurrent {leader['max_concurrent']})")
    if not problems:
        return ""
    description = f"leader '{leader['name']}' " + " and ".join(problems)
    if force:
        return description
    raise KimuError(f"capacity: {description}; {_room_elsewhere(conn, leader, start)}; --force overrides")


def _room_elsewhere(conn, leader, start):
    others = conn.execute(
        """SELECT id, name, yearly_capacity, max_concurrent FROM leaders
           WHERE site_id = ? AND id <> ? AND (ended IS NULL OR ended >= ?) ORDER BY name""",
        (leader["site_id"], leader["id"], start),
    ).fetchall()
    free = []
    for other in others:
        year_count, active = usage(conn, other["id"], start)
        if year_count < other["yearly_capacity"] and active < other["max_concurrent"]:
            free.append(f"{other['name']} ({other['yearly_capacity'] - year_count} left this year)")
    return "room at the same site: " + ", ".join(free) if free else "no other leader at the same site has room"
