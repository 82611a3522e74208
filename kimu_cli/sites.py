"""Sites (omsorgssenter): the care homes where leaders and participants work."""

from kimu_cli import audit, capacity, dates, fields
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON


def get(conn, name, field="site"):
    row = conn.execute("SELECT * FROM sites WHERE name = ?", (str(name).strip(),)).fetchone()
    if row is None:
        raise KimuError(f"{field}: unknown site '{name}' (see 'kimu site list')")
    return row


def add(conn, name, municipality=None, nav_office=None):
    name = fields.clean(name, "sites.name")
    if not name:
        raise KimuError("sites_site_needs_name")
    municipality = fields.clean(municipality, "sites.municipality")
    nav_office = fields.clean(nav_office, "sites.nav_office")
    if conn.execute("SELECT 1 FROM sites WHERE name = ?", (name,)).fetchone():
        raise KimuError("sites_site_name_already_exists", name=name)
    values = {"name": name, "municipality": municipality, "nav_office": nav_office}
    cur = conn.execute(
        "INSERT INTO sites (name, municipality, nav_office) VALUES (:name, :municipality, :nav_office)", values
    )
    audit.record(conn, "add", "site", name, audit.diff({}, values))
    return {"id": cur.lastrowid, **values}


def list_sites(conn, on=None):
    """Every site with its number of current leaders and active participants on a date."""
    on = dates.iso(on or dates.today(), "on")
    sql = f"""
        SELECT s.name AS site, s.municipality, s.nav_office,
               (SELECT count(*) FROM leaders l
                WHERE l.site_id = s.id AND (l.ended IS NULL OR l.ended >= :on)) AS leaders,
               (SELECT coalesce(sum(({capacity.ACTIVE_ON.format(leader="l.id")})), 0) FROM leaders l
                WHERE l.site_id = s.id) AS active_participants
        FROM sites s ORDER BY s.name
    """
    return [dict(r) for r in conn.execute(sql, {"on": on, "excluded": EXCLUDED_END_REASON})]
