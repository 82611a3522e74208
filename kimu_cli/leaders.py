"""Leaders (arbeidsledere): each belongs to one site and follows participants there."""

from kimu_cli import audit, capacity, dates, fields, sites, vocab
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON

DEFAULT_YEARLY_CAPACITY = 20
DEFAULT_MAX_CONCURRENT = 10


def get(conn, name, field="leader"):
    row = conn.execute("SELECT * FROM leaders WHERE name = ?", (str(name).strip(),)).fetchone()
    if row is None:
        raise KimuError(f"{field}: unknown leader '{name}' (see 'kimu leader list')")
    return row


def find(conn, name):
    """A leader by full name, or by the unambiguous start of a word of it ('kari' or 'nord' for
    'Kari Nordmann'): the daily registration is short to type."""
    try:
        return get(conn, name)
    except KimuError:
        start = " " + vocab.normalise(name)
        everyone = conn.execute("SELECT * FROM leaders ORDER BY name").fetchall()
        found = [r for r in everyone if start in " " + vocab.normalise(r["name"])]
        if len(found) == 1:
            return found[0]
        if found:
            raise KimuError(f"leader: '{name}' matches {', '.join(r['name'] for r in found)}; give more of the name")
        raise


# The --leader/--site options of lists and reports, over `leaders l JOIN sites s`.
FILTER = "(:leader_id IS NULL OR l.id = :leader_id) AND (:site_id IS NULL OR s.id = :site_id)"


def filter_ids(conn, leader=None, site=None):
    """The parameters of FILTER for --leader/--site (a leader by name or its start; unknown names refused)."""
    return {
        "leader_id": find(conn, leader)["id"] if leader else None,
        "site_id": sites.get(conn, site)["id"] if site else None,
    }


def _check_numbers(yearly_capacity, max_concurrent):
    for field, value in (("yearly-capacity", yearly_capacity), ("max-concurrent", max_concurrent)):
        if value is not None and value < 1:
            raise KimuError("at_least_one", field=field, value=value)


def add(conn, name, site, yearly_capacity=None, max_concurrent=None, started=None):
    name = fields.clean(name, "leaders.name")
    if not name:
        raise KimuError("leaders_leader_needs_name")
    _check_numbers(yearly_capacity, max_concurrent)
    if conn.execute("SELECT 1 FROM leaders WHERE name = ?", (name,)).fetchone():
        raise KimuError("leaders_leader_name_already_exists", name=name)
    values = {
        "name": name,
        "site_id": sites.get(conn, site)["id"],
        "yearly_capacity": yearly_capacity or DEFAULT_YEARLY_CAPACITY,
        "max_concurrent": max_concurrent or DEFAULT_MAX_CONCURRENT,
        "started": dates.iso(started, "started"),
    }
    conn.execute(
        """
        INSERT INTO leaders (name, site_id, yearly_capacity, max_concurrent, started)
        VALUES (:name, :site_id, :yearly_capacity, :max_concurrent, :started)
        """,
        values,
    )
    audit.record(conn, "add", "leader", name, audit.diff({}, {**values, "site": site}))
    return values


def list_leaders(conn, site=None, include_ended=False, on=None):
    on = dates.iso(on or dates.today(), "on")
    site_id = sites.get(conn, site)["id"] if site else None
    sql = f"""
        SELECT l.name AS leader, s.name AS site, l.yearly_capacity, l.max_concurrent,
               l.started, l.ended,
               ({capacity.ACTIVE_ON.format(leader="l.id")}) AS active_participants
        FROM leaders l JOIN sites s ON s.id = l.site_id
        WHERE (:site_id IS NULL OR l.site_id = :site_id)
          AND (:all OR l.ended IS NULL OR l.ended >= :on)
        ORDER BY s.name, l.name
    """
    params = {"on": on, "site_id": site_id, "all": include_ended, "excluded": EXCLUDED_END_REASON}
    return [dict(r) for r in conn.execute(sql, params)]


def edit(conn, name, new_name=None, site=None, yearly_capacity=None, max_concurrent=None):
    old = dict(get(conn, name))
    _check_numbers(yearly_capacity, max_concurrent)
    changes = {}
    if new_name is not None:
        new_name = fields.clean(new_name, "leaders.name") or ""
        other = conn.execute("SELECT 1 FROM leaders WHERE name = ? AND id <> ?", (new_name, old["id"])).fetchone()
        if not new_name or other:
            raise KimuError("leaders_new_name_empty_already", new_name=new_name)
        changes["name"] = new_name
    if site is not None:
        changes["site_id"] = sites.get(conn, site)["id"]
    if yearly_capacity is not None:
        changes["yearly_capacity"] = yearly_capacity
    if max_concurrent is not None:
        changes["max_concurrent"] = max_concurrent
    if not changes:
        raise KimuError("leaders_give_at_least_one")
    _update(conn, old, changes)
    return {**old, **changes}


def end(conn, name, date):
    """A leader stops: refused while they still follow participants after that date."""
    old = dict(get(conn, name))
    ended = dates.iso(date, "date")
    if old["started"] and ended < old["started"]:
        raise KimuError("leaders_ended_before_leader_started", ended=ended, started=old['started'])
    still = conn.execute(
        "SELECT count(*) FROM enrollments WHERE leader_id = ? AND coalesce(end_date, '9999-12-31') > ?",
        (old["id"], ended),
    ).fetchone()[0]
    if still:
        raise KimuError(
            "leaders_name_still_follows_still", name=name, still=still, ended=ended
        )
    _update(conn, old, {"ended": ended})
    return {**old, "ended": ended}


def _update(conn, old, changes):
    assignments = ", ".join(f"{column} = :{column}" for column in changes)  # column names are ours
    conn.execute(f"UPDATE leaders SET {assignments} WHERE id = :id", {**changes, "id": old["id"]})
    audit.record(conn, "edit", "leader", old["name"], audit.diff(old, changes))
