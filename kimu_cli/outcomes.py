"""Does the model work? The cohort of a window, who moved on, and what the months cost.

Cohort: participants whose (first) enrollment in the window started in it. Moved on
(DESIGN.md): a transition in group education or work dated on or after the start of
that enrollment. Enrollments registered in error are left out of everything.
"""

import statistics
from datetime import date

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
# One row per cohort member: the first counted enrollment starting in the window.
COHORT = f"""
    WITH counted AS (
        SELECT * FROM enrollments WHERE coalesce(end_reason, '') <> :excluded
    ), firsts AS (
        SELECT c.*, row_number() OVER (PARTITION BY c.participant_id ORDER BY c.start_date) AS n
        FROM counted c WHERE c.start_date BETWEEN :start AND :end
    )
    SELECT p.ref, f.start_date, l.name AS leader, s.name AS site, CAST(substr(f.start_date, 1, 4) AS INTEGER) AS year,
        (SELECT min(m.date) FROM ({MOVES}) m
         WHERE m.participant_id = f.participant_id AND m.date >= f.start_date) AS first_move,
        (SELECT group_concat(DISTINCT t.kind) FROM transitions t
         WHERE t.participant_id = f.participant_id AND t.date >= f.start_date) AS kinds,
        EXISTS (SELECT 1 FROM counted c WHERE c.participant_id = f.participant_id
                AND coalesce(c.end_date, '9999-12-31') >= :today) AS still_active,
        (SELECT c.end_reason FROM counted c WHERE c.participant_id = f.participant_id
         ORDER BY c.start_date DESC LIMIT 1) AS last_end_reason
    FROM firsts f
    JOIN participants p ON p.id = f.participant_id
    JOIN leaders l ON l.id = f.leader_id JOIN sites s ON s.id = l.site_id
    WHERE f.n = 1
    ORDER BY f.start_date, p.ref
"""


def _params(start, end, **more):
    return {"start": start, "end": end, "excluded": EXCLUDED_END_REASON, "today": dates.today().isoformat(),
            "group1": MOVED_ON_GROUPS[0], "group2": MOVED_ON_GROUPS[1], **more}


def window(conn, start=None, end=None):
    """(from, to) as ISO: to defaults to today, from to the first enrollment's start."""
    end = dates.iso(end, "to") or dates.today().isoformat()
    first = conn.execute("SELECT min(start_date) FROM enrollments").fetchone()[0]
    start = dates.iso(start, "from") or min(first or end, end)
    if start > end:
        raise KimuError(f"from: {start} is after to ({end})")
    return start, end


def cohort(conn, start, end):
    """The cohort members of a window with what happened to them (see COHORT)."""
    return [dict(r) for r in conn.execute(COHORT, _params(start, end))]


def _attendance(conn, start):
    """{ref: (present, absent)} from the start of the window up to today (attendance.rates)."""
    from kimu_cli import attendance

    today = dates.today().isoformat()
    if start > today:
        return {}
    totals = {}
    for r in attendance.rates(conn, start, today, by="participant"):
        present, absent = totals.get(r["ref"], (0, 0))
        totals[r["ref"]] = (present + r["present"], absent + r["absent"])
    return totals


def _figures(members, attended):
    """The outcome figures of a list of cohort members."""
    from kimu_cli import attendance

    moved = [m for m in members if m["first_move"]]
    days = [(date.fromisoformat(m["first_move"]) - date.fromisoformat(m["start_date"])).days for m in moved]
    ended = [m for m in members if not m["first_move"] and not m["still_active"]]
    present = sum(attended.get(m["ref"], (0, 0))[0] for m in members)
    absent = sum(attended.get(m["ref"], (0, 0))[1] for m in members)
    return {
        "participants": len(members),
        "moved_on": len(moved),
        "moved_on_rate": len(moved) / len(members) if members else None,
        "by_kind": {k: sum(k in (m["kinds"] or "").split(",") for m in members) for k in vocab.TRANSITION_KINDS},
        "still_active": sum(bool(m["still_active"]) for m in members),
        "ended_by_reason": {r: sum(m["last_end_reason"] == r for m in ended) for r in COUNTED_REASONS},
        "median_days_to_move": _whole(statistics.median(days)) if days else None,
        "attendance_rate": attendance.rate(present, absent),
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
    members = cohort(conn, start, end)
    attended = _attendance(conn, start)
    out = {"from": start, "to": end, **_figures(members, attended), "groups": []}
    if by:
        keys = sorted({m[by] for m in members})
        out["groups"] = [{by: key, **_figures([m for m in members if m[by] == key], attended)} for key in keys]
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
