"""Participants (deltakere) and their enrollments (periods followed by one leader).

A participant's status is derived from the enrollments, never stored:
active (an enrollment covers the day), waiting (one starts later), ended.
"""

from kimu_cli import audit, dates, fields, leaders, vocab
from kimu_cli.errors import KimuError

PERSONAL_FIELDS = ("name", "birth_year", "veileder", "goal", "notes")
STATUSES = ("active", "waiting", "ended", "all")

# The enrollment that decides a participant's status and leader on :on: the one that
# covers the day, else the latest. Used by list and show.
CURRENT_ENROLLMENT = """
    SELECT e.*, row_number() OVER (
        PARTITION BY e.participant_id
        ORDER BY (e.start_date <= :on AND coalesce(e.end_date, '9999-12-31') >= :on) DESC,
                 e.start_date DESC) AS pick
    FROM enrollments e
"""
STATUS_CASE = """
    CASE WHEN e.start_date > :on THEN 'waiting'
         WHEN coalesce(e.end_date, '9999-12-31') >= :on THEN 'active'
         ELSE 'ended' END
"""


def get(conn, ref, field="ref"):
    row = conn.execute("SELECT * FROM participants WHERE ref = ?", (str(ref).strip(),)).fetchone()
    if row is None:
        raise KimuError(f"{field}: unknown participant '{ref}' (see 'kimu participant list --status all')")
    return row


def _clean_personal(given):
    """Validate the personal fields a user typed; None means 'not given'."""
    out = {}
    for key, value in given.items():
        if value is None:
            continue
        if key == "birth_year":
            value = check_birth_year(value)
        else:
            value = fields.clean(value, f"participants.{key}")
        out[key] = value
    return out


def check_birth_year(value, field="birth-year"):
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise KimuError("participants_value_year", field=field, value=value) from None
    if not 1900 <= year <= dates.today().year:
        raise KimuError("participants_year_plausible_birth_year", field=field, year=year)
    return year


def check_ref(ref):
    ref = fields.clean(ref, "participants.ref")
    if not ref:
        raise KimuError("participants_participant_needs_reference")
    return ref


def _leader_open_on(conn, leader, start):
    row = leaders.get(conn, leader)
    if row["ended"] and row["ended"] < start:
        raise KimuError("participants_name_ended_ended_before", name=row['name'], ended=row['ended'], start=start)
    if row["started"] and row["started"] > start:
        raise KimuError("participants_name_starts_started_after", name=row['name'], started=row['started'], start=start)
    return row


def _enroll(conn, participant_id, ref, leader, start, force):
    from kimu_cli import capacity  # the capacity rule is applied wherever people are added

    leader_row = _leader_open_on(conn, leader, start)
    forced = capacity.check_room(conn, leader_row, start, force, participant_id)
    cur = conn.execute(
        "INSERT INTO enrollments (participant_id, leader_id, start_date, forced) VALUES (?, ?, ?, ?)",
        (participant_id, leader_row["id"], start, int(bool(forced))),
    )
    changes = {"leader": [None, leader_row["name"]], "start_date": [None, start]}
    audit.record(conn, "enroll", "enrollment", ref, changes, participant_id)
    if forced:
        audit.record(conn, "force", "enrollment", ref, {"capacity_override": [None, forced]}, participant_id)
    return cur.lastrowid


def add(conn, ref, leader, start, force=False, **personal):
    """A new participant with a first enrollment. Like reenroll, end and edit it returns the
    stored ref; `show` is the one reader of the result, for callers that print it."""
    ref = check_ref(ref)
    start = dates.iso(start, "start")
    details = _clean_personal(personal)
    if conn.execute("SELECT 1 FROM participants WHERE ref = ?", (ref,)).fetchone():
        raise KimuError("participants_participant_ref_already_exists", ref=ref)
    columns = ["ref", *details]
    cur = conn.execute(
        f"INSERT INTO participants ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        (ref, *details.values()),
    )
    audit.record(conn, "add", "participant", ref, audit.diff({}, {"ref": ref, **details}), cur.lastrowid)
    _enroll(conn, cur.lastrowid, ref, leader, start, force)
    return ref


def reenroll(conn, ref, leader, start, force=False):
    """A participant who comes back gets a new enrollment; the old ones are kept."""
    p = get(conn, ref)
    start = dates.iso(start, "start")
    last = conn.execute(
        "SELECT start_date, end_date FROM enrollments WHERE participant_id = ? ORDER BY start_date DESC LIMIT 1",
        (p["id"],),
    ).fetchone()
    if last and last["end_date"] is None:
        raise KimuError("participants_ref_still_enrolled_since", ref=p['ref'], start_date=last['start_date'])
    if last and start <= last["end_date"]:
        raise KimuError("participants_start_after_last_period", start=start, end_date=last['end_date'])
    _enroll(conn, p["id"], p["ref"], leader, start, force)
    return p["ref"]


def open_enrollment(conn, participant):
    row = conn.execute(
        "SELECT * FROM enrollments WHERE participant_id = ? AND end_date IS NULL", (participant["id"],)
    ).fetchone()
    if row is None:
        raise KimuError("participants_ref_has_no_open", ref=participant['ref'])
    return row


def end(conn, ref, date, reason, enrollment=None):
    """End the open enrollment, or correct the end of `enrollment` (an ended one: the importer)."""
    p = get(conn, ref)
    e = enrollment or open_enrollment(conn, p)
    end_date = dates.iso(date, "date")
    reason = vocab.end_reason(reason)
    if end_date < e["start_date"]:
        raise KimuError("participants_end_end_date_before", end_date=end_date, start_date=e['start_date'])
    later = conn.execute(
        "SELECT count(*), max(date) FROM attendance WHERE participant_id = ? AND date > ? AND date <= ?",
        (p["id"], end_date, e["end_date"] or "9999-12-31"),
    ).fetchone()
    if later[0]:
        raise KimuError(
            "participants_ref_has_attendance_value", ref=p['ref'], value1=later[0], end_date=end_date, value3=later[1]
        )
    conn.execute("UPDATE enrollments SET end_date = ?, end_reason = ? WHERE id = ?", (end_date, reason, e["id"]))
    changes = audit.diff(dict(e), {"end_date": end_date, "end_reason": reason})
    audit.record(conn, "edit" if e["end_date"] else "end", "enrollment", p["ref"], changes, p["id"])
    return p["ref"]


def edit(conn, ref, new_ref=None, leader=None, start=None, **personal):
    """Correct a participant's details; --leader/--start correct the current enrollment."""
    p = dict(get(conn, ref))
    changes = _clean_personal(personal)
    if new_ref is not None:
        new_ref = check_ref(new_ref)
        if conn.execute("SELECT 1 FROM participants WHERE ref = ? AND id <> ?", (new_ref, p["id"])).fetchone():
            raise KimuError("participants_new_ref_already_used", new_ref=new_ref)
        changes["ref"] = new_ref
    if not changes and leader is None and start is None:
        raise KimuError("participants_give_at_least_one")
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)  # column names are ours
        conn.execute(f"UPDATE participants SET {assignments} WHERE id = ?", (*changes.values(), p["id"]))
        audit.record(conn, "edit", "participant", p["ref"], audit.diff(p, changes), p["id"])
    if leader is not None or start is not None:
        _correct_enrollment(conn, p, leader, start)
    return changes.get("ref", p["ref"])


def _correct_enrollment(conn, p, leader, start):
    e = conn.execute(
        "SELECT * FROM enrollments WHERE participant_id = ? ORDER BY start_date DESC LIMIT 1", (p["id"],)
    ).fetchone()
    new = {}
    if start is not None:
        new["start_date"] = dates.iso(start, "start")
        if e["end_date"] and new["start_date"] > e["end_date"]:
            raise KimuError("participants_start_date_after_period", start_date=new['start_date'], end_date=e['end_date'])
        early = conn.execute(
            "SELECT count(*) FROM attendance WHERE participant_id = ? AND date >= ? AND date < ?",
            (p["id"], e["start_date"], new["start_date"]),
        ).fetchone()[0]
        if early:
            raise KimuError("participants_ref_has_attendance_early", ref=p['ref'], early=early, start_date=new['start_date'])
    if leader is not None:
        new["leader_id"] = _leader_open_on(conn, leader, new.get("start_date", e["start_date"]))["id"]
    assignments = ", ".join(f"{column} = ?" for column in new)  # column names are ours
    conn.execute(f"UPDATE enrollments SET {assignments} WHERE id = ?", (*new.values(), e["id"]))
    audit.record(conn, "edit", "enrollment", p["ref"], audit.diff(dict(e), new), p["id"])


def list_participants(conn, leader=None, site=None, status="active", on=None):
    if status not in STATUSES:
        raise KimuError("participants_unknown_value_status_one", status=status, STATUSES=', '.join(STATUSES))
    on = dates.iso(on or dates.today(), "on")
    sql = f"""
        SELECT p.ref, p.name, l.name AS leader, s.name AS site, e.start_date, e.end_date, e.end_reason,
               {STATUS_CASE} AS status
        FROM participants p
        JOIN ({CURRENT_ENROLLMENT}) e ON e.participant_id = p.id AND e.pick = 1
        JOIN leaders l ON l.id = e.leader_id
        JOIN sites s ON s.id = l.site_id
        WHERE {leaders.FILTER} AND (:status = 'all' OR {STATUS_CASE} = :status)
        ORDER BY s.name, l.name, p.ref
    """
    params = {"on": on, "status": status, **leaders.filter_ids(conn, leader, site)}
    return [dict(r) for r in conn.execute(sql, params)]


def enrollments(conn, participant_id):
    sql = """
        SELECT e.start_date, e.end_date, e.end_reason, l.name AS leader, s.name AS site, e.forced
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
        WHERE e.participant_id = ? ORDER BY e.start_date
    """
    return [dict(r) for r in conn.execute(sql, (participant_id,))]


def show(conn, ref, on=None):
    """One participant's timeline: details, status, every enrollment with its attendance
    (days, present, absent, excused, rate), then transitions and milestones."""
    from kimu_cli import attendance, transitions  # they import this module

    p = get(conn, ref)
    on = dates.iso(on or dates.today(), "on")
    periods = [
        {**e, **attendance.summary(conn, p["id"], e["start_date"], e["end_date"])}
        for e in enrollments(conn, p["id"])
    ]
    status = conn.execute(
        f"SELECT {STATUS_CASE} FROM ({CURRENT_ENROLLMENT} WHERE e.participant_id = :id) e WHERE e.pick = 1",
        {"on": on, "id": p["id"]},
    ).fetchone()
    details = {k: p[k] for k in ("ref", *PERSONAL_FIELDS)}
    return {**details, "status": status[0] if status else "ended", "enrollments": periods,
            **transitions.timeline(conn, p["ref"])}

