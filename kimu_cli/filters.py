"""The --leader/--site filter of lists and reports: one condition over `leaders l JOIN sites s`
and the parameters it takes. Its own module so that every record and report can use it without
importing one another."""

from kimu_cli import leaders, sites

# Rows of leader :leader_id (NULL: every leader) at site :site_id (NULL: every site).
WHERE = "(:leader_id IS NULL OR l.id = :leader_id) AND (:site_id IS NULL OR s.id = :site_id)"


def params(conn, leader=None, site=None):
    """The parameters of WHERE for --leader/--site (a leader by name or its start; unknown names refused)."""
    return {
        "leader_id": leaders.find(conn, leader)["id"] if leader else None,
        "site_id": sites.get(conn, site)["id"] if site else None,
    }
