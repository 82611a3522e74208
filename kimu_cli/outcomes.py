"""Does the model work? The cohort of a window, who moved on, and what the months cost.

Cohort: participants whose (first) enrollment in the window started in it. Moved on
(DESIGN.md): a transition in group education or work dated on or after the start of
that enrollment. Enrollments registered in error are left out of everything.
"""


from kimu_cli import dates, vocab
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON, MOVED_ON_GROUPS

GROUPINGS = ("site", "leader", "year")
DAYS_PER_MONTH = 365.25 / 12
COUNTED_REASONS = [r for r in vocab.END_REASONS if r != EXCLUDED_END_REASON]

# Transitions that count as moving on: education or work (milestones do not).
MOVES = """
    SELECT t.participant_id, t.date FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
    WHERE k.kind_group IN (:group1, :group2)
"""
# The cohort of [:start, :end]: each participant's first counted enrollment starting in the window.
# Then one row per member: that start, the latest counted enrollment (its end reason; open or ending
# today or later = still active, as periods never overlap), the first move on or after that start,
# {group}.
FIRSTS = """
    firsts AS (
        SELECT participant_id, leader_id, min(start_date) AS start_date FROM enrollments
        WHERE start_date BETWEEN :start AND :end AND coalesce(end_reason, '') <> :excluded
        GROUP BY participant_id
    )
"""
MEMBERS = f"""
    lasts AS (
        SELECT participant_id, max(start_date), end_reason, coalesce(end_date, '9999-12-31') >= :today AS still_active
        FROM enrollments
        WHERE participant_id IN (SELECT participant_id FROM firsts) AND coalesce(end_reason, '') <> :excluded
        GROUP BY participant_id
    ), first_moves AS (
        SELECT f.participant_id, min(m.date) AS first_move FROM firsts f
        JOIN ({MOVES}) m ON m.participant_id = f.participant_id AND m.date >= f.start_date
        GROUP BY f.participant_id
    ), members AS MATERIALIZED (
        SELECT f.participant_id, f.start_date, {{group}} AS grp, la.still_active, la.end_reason, m.first_move,
               julianday(m.first_move) - julianday(f.start_date) AS days
        FROM firsts f JOIN lasts la ON la.participant_id = f.participant_id
        JOIN leaders l ON l.id = f.leader_id JOIN sites s ON s.id = l.site_id
        LEFT JOIN first_moves m ON m.participant_id = f.participant_id
    )
"""
# by -> the group of a member (ours, never user text); None: the whole cohort is one group.
_GROUP = {None: "NULL", "site": "s.name", "leader": "l.name", "year": "CAST(substr(f.start_date, 1, 4) AS INTEGER)"}
# The members' attendance from the start of the window up to today (attendance.SPAN_PIECES) per group:
# the whole cohort's is one sum of its pieces (no grouping by member: a quarter of the year to
# date's time), a group's the sum of its members'.
_ATTENDED = {
    False: "SELECT NULL AS grp, coalesce(sum(present), 0) AS present, coalesce(sum(absent), 0) AS absent FROM pieces",
    True: """
        SELECT m.grp, sum(n.present) AS present, sum(n.absent) AS absent FROM (
            SELECT participant_id, sum(present) AS present, sum(absent) AS absent FROM pieces GROUP BY participant_id
        ) n JOIN members m ON m.participant_id = n.participant_id GROUP BY m.grp
    """,
}
# The figures of each group, counted in SQL: (what, group, key, n, moved_on, still_active, present, absent).
# The median of an even count is the mean of the middle two, as statistics.median; 'median' with
# group NULL is the whole cohort's.
FIGURES = """
    SELECT 'figures' AS what, grp, NULL AS key, count(*) AS n, count(first_move) AS moved_on,
           sum(still_active) AS still_active, NULL AS present, NULL AS absent
    FROM members GROUP BY grp
    UNION ALL
    SELECT 'attended', grp, NULL, NULL, NULL, NULL, present, absent FROM ({attended})
    UNION ALL
    SELECT 'by_kind', m.grp, t.kind, count(DISTINCT m.participant_id), NULL, NULL, NULL, NULL
    FROM members m JOIN transitions t ON t.participant_id = m.participant_id AND t.date >= m.start_date
    GROUP BY m.grp, t.kind
    UNION ALL
    SELECT 'ended_by_reason', grp, end_reason, count(*), NULL, NULL, NULL, NULL
    FROM members WHERE first_move IS NULL AND NOT still_active GROUP BY grp, end_reason
    UNION ALL
    SELECT 'median', grp, NULL, avg(days), NULL, NULL, NULL, NULL FROM (
        SELECT grp, days, row_number() OVER (PARTITION BY grp ORDER BY days) AS i,
               count(*) OVER (PARTITION BY grp) AS c
        FROM members WHERE first_move IS NOT NULL
    ) WHERE i IN ((c + 1) / 2, (c + 2) / 2) GROUP BY grp
    UNION ALL
    SELECT 'median', NULL, 'all', avg(days), NULL, NULL, NULL, NULL FROM (
        SELECT days, row_number() OVER (ORDER BY days) AS i, count(*) OVER () AS c
        FROM members WHERE first_move IS NOT NULL
    ) WHERE i IN ((c + 1) / 2, (c + 2) / 2)
"""


def _params(start, end, **more):
    return {"start": start, "end": end, "excluded": EXCLUDED_END_REASON, "today": dates.today().isoformat(),
            "group1": MOVED_ON_GROUPS[0], "group2": MOVED_ON_GROUPS[1], **more}


def window(conn, start=None, end=None):
    """(from, to) as ISO: to defaults to today, from to the first enrollment's start."""
    end = dates.iso(end, "to") or dates.today().isoformat()
    start = dates.iso(start, "from")
    if not start:  # only then: min(start_date) reads every period
        first = conn.execute("SELECT min(start_date) FROM enrollments").fetchone()[0]
        start = min(first or end, end)
    if start > end:
        raise KimuError(f"from: {start} is after to ({end})")
    return start, end


def _counted(conn, start, end, by):
    """The cohort's figures per group ({group: figures}) and of the whole cohort, from FIGURES."""
    from kimu_cli import attendance

    params = _params(start, end, span_start=start, span_end=dates.today().isoformat(), leader_id=None, site_id=None)
    pieces = attendance.SPAN_PIECES.format(only="AND e.participant_id IN (SELECT participant_id FROM firsts)")
    sql = f"WITH {FIRSTS}, {pieces}, {MEMBERS.format(group=_GROUP[by])} {FIGURES.format(attended=_ATTENDED[bool(by)])}"
    groups, whole = {}, _blank()
    for r in conn.execute(sql, params):
        if r["what"] == "median":
            (whole if r["key"] == "all" else groups[r["grp"]])["median_days_to_move"] = r["n"]
            continue
        for figures in (groups.setdefault(r["grp"], _blank()), whole):  # the whole cohort: the sum of its groups
            if r["what"] == "figures":
                for key in ("participants", "moved_on", "still_active"):
                    figures[key] += r["n" if key == "participants" else key]
            elif r["what"] == "attended":
                figures["present"] += r["present"]
                figures["absent"] += r["absent"]
            else:
                figures[r["what"]][r["key"]] += r["n"]
    return {key: _finish(figures) for key, figures in groups.items()}, _finish(whole)


def _blank():
    return {"participants": 0, "moved_on": 0, "still_active": 0, "present": 0, "absent": 0,
            "by_kind": dict.fromkeys(vocab.TRANSITION_KINDS, 0), "ended_by_reason": dict.fromkeys(COUNTED_REASONS, 0),
            "median_days_to_move": None}


def _finish(figures):
    """The counts of a group as the summary shows them (keys in the interface's order)."""
    from kimu_cli import attendance

    n, moved, median = figures["participants"], figures["moved_on"], figures["median_days_to_move"]
    return {
        "participants": n,
        "moved_on": moved,
        "moved_on_rate": moved / n if n else None,
        "by_kind": figures["by_kind"],
        "still_active": figures["still_active"],
        "ended_by_reason": figures["ended_by_reason"],
        "median_days_to_move": _whole(median) if median is not None else None,
        "attendance_rate": attendance.rate(figures["present"], figures["absent"]),
    }


def _whole(number):
    """182.0 -> 182: a median of an even count is a float, whole or half."""
    return int(number) if number == int(number) else number


def summary(conn, start=None, end=None, by=None, suppress_below=None):
    """The outcome summary of the cohort starting in [start, end]; JSON keys are an interface:
    from, to, participants, moved_on, moved_on_rate, by_kind, still_active, ended_by_reason,
    median_days_to_move, attendance_rate, groups (one per site/leader/year with --by)."""
    if by is not None and by not in GROUPINGS:
        raise KimuError(f"by: unknown value '{by}' (use one of: {', '.join(GROUPINGS)})")
    start, end = window(conn, start, end)
    groups, whole = _counted(conn, start, end, by)
    out = {"from": start, "to": end, **whole, "groups": []}
    if by:
        out["groups"] = [{by: key, **groups[key]} for key in sorted(groups)]
    return suppress(out, suppress_below)


def cost(conn, start=None, end=None, monthly_cost=3500, compare=18000, suppress_below=None):
    """Participant-months followed in the window (open enrollments up to today), their cost in
    this model and in the purchased alternative (AFT), and the cost per participant who moved on
    (followed in the window, with a move dated in it on or after an enrollment's start)."""
    for field, value in (("monthly-cost", monthly_cost), ("compare", compare)):
        if value < 0:
            raise KimuError(f"{field}: must not be negative, got {value}")
    start, end = window(conn, start, end)
    params = _params(start, end)
    followed = conn.execute(
        """
        SELECT count(DISTINCT participant_id) AS participants,
               coalesce(sum(max(0, julianday(min(coalesce(end_date, :today), :end))
                                   - julianday(max(start_date, :start)) + 1)), 0) AS days
        FROM enrollments
        WHERE start_date <= :end AND coalesce(end_date, '9999-12-31') >= :start
          AND coalesce(end_reason, '') <> :excluded
        """,
        params,
    ).fetchone()
    moved_on = conn.execute(
        f"""
        SELECT count(DISTINCT e.participant_id) FROM enrollments e
        JOIN ({MOVES}) m ON m.participant_id = e.participant_id AND m.date >= e.start_date
        WHERE m.date BETWEEN :start AND :end AND e.start_date <= :end
          AND coalesce(e.end_date, '9999-12-31') >= :start AND coalesce(e.end_reason, '') <> :excluded
        """,
        params,
    ).fetchone()[0]
    months = followed["days"] / DAYS_PER_MONTH
    out = {
        "from": start,
        "to": end,
        "participants": followed["participants"],
        "participant_months": round(months, 1),
        "monthly_cost": monthly_cost,
        "model_cost": round(months * monthly_cost),
        "compare_monthly_cost": compare,
        "compare_cost": round(months * compare),
        "saving": round(months * (compare - monthly_cost)),
        "moved_on": moved_on,
        "cost_per_moved_on": round(months * monthly_cost / moved_on) if moved_on else None,
        "compare_cost_per_moved_on": round(months * compare / moved_on) if moved_on else None,
    }
    return suppress(out, suppress_below)


# Figures resting on a count of people: hidden when that count is.
_RESTS_ON = {
    "moved_on_rate": ("participants", "moved_on"),
    "median_days_to_move": ("moved_on",),
    "attendance_rate": ("participants",),
    "cost_per_moved_on": ("moved_on",),
    "compare_cost_per_moved_on": ("moved_on",),
}
_COUNTS = ("participants", "moved_on", "still_active")


def suppress(figures, below):
    """Counts from 1 to below-1 become '<below' and what rests on them None, so a table can
    leave the office without identifying anyone. Applies to groups as well."""
    if not below or below < 2:
        return figures

    def hide(n):
        return f"<{below}" if isinstance(n, int) and 0 < n < below else n

    out = dict(figures)
    for key in _COUNTS:
        if key in out:
            out[key] = hide(out[key])
    for key in ("by_kind", "ended_by_reason"):
        if key in out:
            out[key] = {k: hide(v) for k, v in out[key].items()}
    for key, bases in _RESTS_ON.items():
        if key in out and any(isinstance(out[b], str) for b in bases):
            out[key] = None
    if out.get("groups"):
        out["groups"] = [suppress(g, below) for g in out["groups"]]
    out["suppress_below"] = below
    return out


_FIGURES = ("participants", "moved_on", "moved_on_rate", "still_active", "median_days_to_move", "attendance_rate")


def rows(summary_, by=None):
    """Flat rows for CSV: one per group (or one for the whole cohort), by_kind and
    ended_by_reason spread into columns 'by_kind.mfy', 'ended_by_reason.health', ..."""
    def flat(figures):
        row = {k: figures[k] for k in ("from", "to") if k in figures}
        row.update({k: figures[k] for k in _FIGURES})
        for key in ("by_kind", "ended_by_reason"):
            row.update({f"{key}.{k}": v for k, v in figures[key].items()})
        return row

    if by:
        return [{by: g[by], "from": summary_["from"], "to": summary_["to"], **flat(g)} for g in summary_["groups"]]
    return [flat(summary_)]


def document(summary_, by=None):
    """The outcome summary as a report document (see render.document)."""
    doc = {"title": "outcomes", "period": (summary_["from"], summary_["to"]), "sections": sections(summary_, by)}
    if summary_.get("suppress_below"):
        doc["note"] = ("suppressed", {"n": summary_["suppress_below"]})
    return doc


def sections(summary_, by=None):
    """Figures, transitions per kind (with a chart), endings by reason, and groups."""
    by_kind = [{"kind": k, "participants": v} for k, v in summary_["by_kind"].items()]
    ended = [{"end_reason": r, "participants": v} for r, v in summary_["ended_by_reason"].items() if v != 0]
    out = [
        {"facts": [(k, summary_[k]) for k in _FIGURES]},
        {"title": "by_kind", "table": {"columns": ["kind", "participants"], "rows": by_kind},
         "chart": {"label": "kind", "value": "participants"}},
        {"title": "ended_by_reason", "table": {"columns": ["end_reason", "participants"], "rows": ended}},
    ]
    if by:
        out.append({"title": f"groups_{by}", "table": {"columns": [by, *_FIGURES], "rows": summary_["groups"]}})
    return out


def cost_document(figures):
    doc = {"title": "cost", "period": (figures["from"], figures["to"]),
           "sections": [{"facts": [(k, v) for k, v in figures.items() if k not in ("from", "to", "suppress_below")]}]}
    if figures.get("suppress_below"):
        doc["note"] = ("suppressed", {"n": figures["suppress_below"]})
    return doc
