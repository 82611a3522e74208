"""Does the model work? The cohort of a window, who moved on, and what the months cost.

Cohort: participants whose (first) enrollment in the window started in it. Moved on
(docs/design.md, "Outcomes"): a transition in group education or work dated on or after the start of
that enrollment. Enrollments registered in error are left out of everything.
"""

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from kimu_cli import dates, db, rules, vocab
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON, MOVED_ON_GROUPS

if TYPE_CHECKING:
    from kimu_cli.render import Document, Section
    from kimu_cli.suppression import Cell, Shown, Sum

GROUPINGS = ("site", "leader", "year")
DAYS_PER_MONTH = 365.25 / 12
COUNTED_REASONS = [r for r in vocab.END_REASONS if r != EXCLUDED_END_REASON]

# Transitions that count as moving on: education or work (milestones do not).
MOVES = """
    SELECT t.participant_id, t.date FROM transitions t JOIN transition_kinds k ON k.kind = t.kind
    WHERE k.kind_group IN (:group1, :group2)
"""
# The cohort of [:start, :end], one row per member, from enrollment_facts (schema.py): each participant's
# first counted period starting in the window (its previous one started before), with the end reason
# of their latest counted period (open or ending today or later = still active, as periods never
# overlap), their first move on or after that start, the kinds of transition since, and the days
# present and absent of that period. {key}: what the member is grouped by.
MEMBERS = """
    members AS NOT MATERIALIZED (
        SELECT f.participant_id, f.start_date, {key} AS key, f.kinds, f.last_reason, f.first_move,
               f.days_to_move AS days, f.last_until >= :today AS still_active,
               f.first_move IS NULL AND f.last_until < :today AS ended, f.present, f.absent
        FROM enrollment_facts f
        WHERE f.start_date BETWEEN :start AND :end AND f.counted AND coalesce(f.previous_start, '') < :start
    )
"""
# by -> what a member is grouped by in SQL (ids named in Python). The whole cohort is counted by site
# (the table's order: no sorting), then summed.
_GROUP_KEY_SQL = {None: "f.site_id", "site": "f.site_id", "leader": "f.leader_id",
        "year": "CAST(substr(f.start_date, 1, 4) AS INTEGER)"}
# The figures of each key, as rows (key, kinds, reason, n, moved_on, still_active, ended, present, absent,
# waits): members by key, transition kinds and latest end reason (ended: those who ended without moving
# on; waits: the movers' days to the move, as '182,40,...', for the medians).
FIGURES = """
    SELECT key, kinds, last_reason, count(*) AS n, count(first_move) AS moved_on, sum(still_active) AS still_active,
           sum(ended) AS ended, sum(present) AS present, sum(absent) AS absent, group_concat(days) AS waits
    FROM members GROUP BY key, kinds, last_reason
"""
# The days of members' later counted periods (each starts after a period that started in the window),
# as more rows of FIGURES.
LATER = """
    UNION ALL
    SELECT m.key, 0, '', 0, 0, 0, 0, sum(p.present), sum(p.absent), NULL
    FROM enrollment_facts p CROSS JOIN members m ON m.participant_id = p.participant_id AND m.start_date < p.start_date
    WHERE p.previous_start >= :start AND p.counted GROUP BY m.key
"""
# Days after today in members' periods counted above, taken off again (sought by date: none unless
# written behind kimu's back, which records no day after today).
FUTURE = """
    UNION ALL
    SELECT m.key, 0, '', 0, 0, 0, 0, -sum(a.status = 'present'), -sum(a.status = 'absent'), NULL
    FROM attendance a INDEXED BY attendance_date
    CROSS JOIN enrollment_facts p ON p.participant_id = a.participant_id AND a.date BETWEEN p.start_date AND p.until
    CROSS JOIN members m ON m.participant_id = a.participant_id AND m.start_date <= p.start_date
    WHERE a.date > :today AND p.counted GROUP BY m.key
"""
# Members whose previous period runs into the window (sought by its start: enrollment_facts_later).
STRADDLING = """
    SELECT f.participant_id FROM enrollment_facts f
    WHERE f.previous_start < :start AND f.previous_until >= :start AND f.start_date BETWEEN :start AND :end
      AND f.counted
"""
# When a period begins before the window: the attendance, from the window's start, of members'
# periods that run into it (attendance.SPAN_PIECES of the few), as more rows of FIGURES.
BEFORE = """
    UNION ALL
    SELECT m.key, 0, '', 0, 0, 0, 0, sum(x.present), sum(x.absent), NULL FROM (
        SELECT participant_id, sum(present) AS present, sum(absent) AS absent FROM pieces GROUP BY participant_id
    ) x JOIN members m ON m.participant_id = x.participant_id GROUP BY m.key
"""


def _params(start: str, end: str, **more: object) -> dict[str, object]:
    return {"start": start, "end": end, **rules.COUNTED_PARAMS, "today": dates.today().isoformat(),
            "group1": MOVED_ON_GROUPS[0], "group2": MOVED_ON_GROUPS[1], **more}


def window(conn: sqlite3.Connection, start: object = None, end: object = None) -> tuple[str, str]:
    """(from, to) as ISO: to defaults to today, from to the first enrollment's start."""
    last = dates.iso(end, "to") or dates.today().isoformat()
    first = dates.iso(start, "from")
    if not first:  # only then: min(start_date) reads every period
        earliest = conn.execute("SELECT min(start_date) FROM enrollments").fetchone()[0]
        first = min(earliest or last, last)
    if first > last:
        raise KimuError("from_after_to", start=first, end=last)
    return first, last


def _counted(conn: sqlite3.Connection, start: str, end: str, by: str | None,
             today: str | None = None) -> tuple[dict[Any, "Figures"], "Figures"]:
    """The cohort's figures per group ({group: figures}) and of the whole cohort, from FIGURES and
    the parts after it; the attendance counted is the members' from the window's start to today."""
    from kimu_cli import attendance

    params = _params(start, end, leader_id=None, site_id=None, **({'today': today} if today else {}))
    params.update(span_start=start, span_end=params["today"])
    ctes, parts = [MEMBERS.format(key=_GROUP_KEY_SQL[by])], [FIGURES, LATER, FUTURE]
    if conn.execute("SELECT 1 FROM enrollments WHERE start_date < ? LIMIT 1", (start,)).fetchone():
        ctes.append(attendance.SPAN_PIECES.format(only=f"AND e.start_date < :start AND e.participant_id IN ({STRADDLING})"))
        parts.append(BEFORE)
    sql = f"WITH {', '.join(ctes)} {' '.join(parts)}"
    name, kinds_of = _names(conn, by), _kinds_of(conn)
    groups: dict[Any, dict[str, Any]] = {}  # group (a name, a year; None: the whole cohort) -> its running counts
    days: dict[Any, list[int]] = {}  # group -> the movers' days to their move
    for key, kinds, reason, n, moved_on, still_active, ended, present, absent, waits in conn.execute(sql, params):
        group = name(key)
        figures = groups.get(group) or groups.setdefault(group, _blank())
        figures["participants"] += n
        figures["moved_on"] += moved_on
        figures["still_active"] += still_active
        figures["present"] += present
        figures["absent"] += absent
        for kind in kinds_of(kinds):
            figures["by_kind"][kind] += n
        if ended:
            figures["ended_by_reason"][reason] += ended
        if waits:
            days.setdefault(group, []).extend(map(int, waits.split(",")))
    for group, figures in groups.items():
        figures["median_days_to_move"] = _median(days.get(group))
    if by is None:
        return {}, _finish(groups.get(None) or _blank())
    whole = _whole_cohort(groups.values(), days.values())
    return {key: _finish(figures) for key, figures in groups.items()}, _finish(whole)


def _whole_cohort(groups: Iterable[dict[str, Any]], days: Iterable[list[int]]) -> dict[str, Any]:
    """The whole cohort's figures: the sum of its groups', the median of all their days."""
    whole = _blank()
    for figures in groups:
        for k in ("participants", "moved_on", "still_active", "present", "absent"):
            whole[k] += figures[k]
        for k in ("by_kind", "ended_by_reason"):
            for item, n in figures[k].items():
                whole[k][item] += n
    whole["median_days_to_move"] = _median([d for values in days for d in values])
    return whole


def _names(conn: sqlite3.Connection, by: str | None) -> Callable[[Any], Any]:
    """key -> group: a site's or leader's id to its name, a year as it is; the whole cohort: None."""
    if by is None:
        return lambda key: None
    if by == "year":
        return lambda key: key
    return dict(conn.execute(f"SELECT id, name FROM {'sites' if by == 'site' else 'leaders'}")).__getitem__


def _kinds_of(conn: sqlite3.Connection) -> Callable[[int], list[str]]:
    """kinds (enrollment_facts: bit i = the i-th kind by name) -> the kinds it holds."""
    from functools import cache

    bits = [kind for (kind,) in conn.execute("SELECT kind FROM transition_kinds ORDER BY kind")]

    @cache
    def kinds_of(kinds: int) -> list[str]:
        return [kind for i, kind in enumerate(bits) if kinds >> i & 1]

    return kinds_of


def _median(values: list[int] | None) -> float | None:
    """The median, the mean of the middle two of an even count; None when empty."""
    if not values:
        return None
    ordered, middle = sorted(values), len(values) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _blank() -> dict[str, Any]:
    return {"participants": 0, "moved_on": 0, "still_active": 0, "present": 0, "absent": 0,
            "by_kind": dict.fromkeys(vocab.TRANSITION_KINDS, 0), "ended_by_reason": dict.fromkeys(COUNTED_REASONS, 0),
            "median_days_to_move": None}


class Figures(TypedDict):
    """The outcome figures of a cohort or a group. With --suppress-below a count may be '<N' or 'x'
    (suppression.Shown) and what rests on it None."""

    participants: "Shown"
    moved_on: "Shown"
    moved_on_rate: float | None
    by_kind: dict[str, "Shown"]  # every transition kind
    still_active: "Shown"
    ended_by_reason: dict[str, "Shown"]  # every end reason but registered_in_error
    median_days_to_move: float | None  # whole days, or a half for an even count
    attendance_rate: float | None


def _finish(figures: dict[str, Any]) -> Figures:
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


def _whole(number: float) -> float:
    """182.0 -> 182: a median of an even count is a float, whole or half."""
    return int(number) if number == int(number) else number


_Window = TypedDict("_Window", {"from": str, "to": str})  # "from" is a keyword: the functional syntax


class Summary(_Window, Figures):
    """The outcome summary: the window, the whole cohort's Figures, and its groups."""

    groups: list[dict[str, Any]]  # with --by: {by: the site, leader or year, **Figures}, else []
    suppress_below: NotRequired[int]  # with --suppress-below


def summary(conn: sqlite3.Connection, start: object = None, end: object = None, by: str | None = None,
            suppress_below: int | None = None, today: str | None = None) -> Summary:
    """The outcome summary of the cohort starting in [start, end]; JSON keys are an interface:
    from, to, participants, moved_on, moved_on_rate, by_kind, still_active, ended_by_reason,
    median_days_to_move, attendance_rate, groups (one per site/leader/year with --by).
    today (ISO): the day the figures are counted on (still followed, attendance up to it) [the real
    today]; a past day needs the register as it stood then (kimu_cli.history.as_of)."""
    if by is not None and by not in GROUPINGS:
        raise KimuError("outcomes_unknown_value_by_one", by=by, GROUPINGS=', '.join(GROUPINGS))
    first, last = window(conn, start, end)
    with db.snapshot(conn):
        groups, whole = _counted(conn, first, last, by, today)
    out: Summary = {"from": first, "to": last, **whole, "groups": []}
    if by:
        out["groups"] = [{by: key, **groups[key]} for key in sorted(groups)]
    return suppress(out, suppress_below)


Cost = TypedDict("Cost", {
    "from": str,
    "to": str,
    "participants": "Shown",  # followed in the window
    "participant_months": float | None,
    "monthly_cost": int,  # NOK per participant-month here
    "model_cost": int | None,
    "compare_monthly_cost": int,  # in the purchased alternative (AFT)
    "compare_cost": int | None,
    "saving": int | None,
    "moved_on": "Shown",
    "cost_per_moved_on": int | None,
    "compare_cost_per_moved_on": int | None,
    "suppress_below": NotRequired[int],
})


def cost(conn: sqlite3.Connection, start: object = None, end: object = None, monthly_cost: int = 3500,
         compare: int = 18000, suppress_below: int | None = None) -> Cost:
    """Participant-months followed in the window (open enrollments up to today), their cost in
    this model and in the purchased alternative (AFT), and the cost per participant who moved on
    (followed in the window, with a move dated in it on or after an enrollment's start)."""
    for field, value in (("monthly-cost", monthly_cost), ("compare", compare)):
        if value < 0:
            raise KimuError("outcomes_must_be_negative_got", field=field, value=value)
    first, last = window(conn, start, end)
    params = _params(first, last)
    followed = conn.execute(
        f"""
        SELECT count(DISTINCT participant_id) AS participants,
               coalesce(sum(max(0, julianday(min(coalesce(end_date, :today), :end))
                                   - julianday(max(start_date, :start)) + 1)), 0) AS days
        FROM enrollments
        WHERE {rules.overlaps(':start', ':end', '')}
          AND {rules.counted('')}
        """,
        params,
    ).fetchone()
    moved_on = conn.execute(
        f"""
        SELECT count(DISTINCT e.participant_id) FROM enrollments e
        JOIN ({MOVES}) m ON m.participant_id = e.participant_id AND m.date >= e.start_date
        WHERE m.date BETWEEN :start AND :end AND {rules.overlaps(':start', ':end')}
          AND {rules.counted()}
        """,
        params,
    ).fetchone()[0]
    # The months as shown (two decimals) are the months paid for: every cost is that figure times a
    # price, so a reader can check 0.95 x 3 500 = 3 325 on the page.
    months = round(followed["days"] / DAYS_PER_MONTH, 2)
    out: Cost = {
        "from": first,
        "to": last,
        "participants": followed["participants"],
        "participant_months": months,
        "monthly_cost": monthly_cost,
        "model_cost": round(months * monthly_cost),
        "compare_monthly_cost": compare,
        "compare_cost": round(months * compare),
        "saving": round(months * (compare - monthly_cost)),
        "moved_on": moved_on,
        "cost_per_moved_on": round(months * monthly_cost / moved_on) if moved_on else None,
        "compare_cost_per_moved_on": round(months * compare / moved_on) if moved_on else None,
    }
    return suppress_cost(out, suppress_below)


# Figures resting on counts (suppression.rests_on): left out when one of those is hidden.
_RESTS_ON = {
    "moved_on_rate": ("participants", "moved_on"),
    "median_days_to_move": ("moved_on",),
    "attendance_rate": ("participants",),
}
_COST_RESTS_ON = {
    "participant_months": ("participants",),
    "model_cost": ("participants",),
    "compare_cost": ("participants",),
    "saving": ("participants",),
    "cost_per_moved_on": ("participants", "moved_on"),
    "compare_cost_per_moved_on": ("participants", "moved_on"),
}
_COUNTS = ("participants", "moved_on", "still_active")
_SPREAD = ("by_kind", "ended_by_reason")
# What a summary does not show but its figures imply (suppression's unshown cells): the members who
# moved on and are still followed, who moved on and are no longer followed, still followed without a move.
_UNSHOWN = ("moved_on_still_active", "moved_on_ended", "active_not_moved")


def _cells(figures: Mapping[str, Any], at: tuple[Any, ...] = ()) -> dict[Any, int]:
    """The counts of the cohort (at ()) or of a group (at ("groups", i)) as suppression cells, with
    the unshown ones: participants = moved on + still followed without a move + ended by reason."""
    n, moved, active = (figures[k] for k in _COUNTS)
    both = moved + active + sum(figures["ended_by_reason"].values()) - n
    cells = {(*at, k): figures[k] for k in _COUNTS}
    for key in _SPREAD:
        cells.update({(*at, key, item): v for item, v in figures[key].items()})
    cells.update({(*at, "moved_on_still_active"): both, (*at, "moved_on_ended"): moved - both,
                  (*at, "active_not_moved"): active - both})
    return cells


def _block_sums(figures: Mapping[str, Any], at: tuple[Any, ...] = ()) -> list["Sum"]:
    """The sums inside the figures of the cohort or a group (see _cells)."""
    from kimu_cli.suppression import Sum

    ended = tuple((*at, "ended_by_reason", r) for r in figures["ended_by_reason"])
    both, moved_ended, active_not_moved = ((*at, k) for k in _UNSHOWN)
    return [Sum((*at, "participants"), (both, moved_ended, active_not_moved, *ended)),
            Sum((*at, "moved_on"), (both, moved_ended)),
            Sum((*at, "still_active"), (both, active_not_moved))]


def suppress(figures: Summary, below: int | None) -> Summary:
    """The outcome summary with --suppress-below (kimu_cli.suppression): counts 1..below-1 as
    '<below', the cells that would give them back as 'x' (the cohort = its three sums above, and
    with groups each count = the sum of the groups'), and the rates and medians on them None."""
    from kimu_cli import suppression

    if not below or below < 2:
        return figures
    blocks: list[tuple[tuple[Any, ...], Mapping[str, Any]]]
    blocks = [((), figures)] + [(("groups", i), g) for i, g in enumerate(figures.get("groups") or [])]
    counts: dict[Cell, int] = {}
    sums: list[Sum] = []
    for at, block in blocks:
        counts.update(_cells(block, at))
        sums.extend(_block_sums(block, at))
    if len(blocks) > 1:
        sums.extend(suppression.Sum(cell, tuple(("groups", i, *cell) for i in range(len(blocks) - 1)))
                    for cell in _cells(figures))
    unshown = [(*at, k) for at, _ in blocks for k in _UNSHOWN]
    shown = suppression.protect(counts, sums, below, unshown)

    def masked(at: tuple[Any, ...], block: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(block)
        for key in _COUNTS:
            out[key] = shown[(*at, key)]
        for key in _SPREAD:
            out[key] = {item: shown[(*at, key, item)] for item in block[key]}
        for key, bases in _RESTS_ON.items():
            if suppression.rests_on(shown, *((*at, b) for b in bases)):
                out[key] = None
        return out

    out = masked((), figures)
    if figures.get("groups"):
        out["groups"] = [masked(at, g) for at, g in blocks[1:]]
    out["suppress_below"] = below
    return cast(Summary, out)


def suppress_cost(figures: Cost, below: int | None) -> Cost:
    """The cost summary with --suppress-below: participants = moved_on + those not moved on (not
    shown), and the months and costs resting on them left out."""
    from kimu_cli import suppression

    if not below or below < 2:
        return figures
    n, moved = cast(int, figures["participants"]), cast(int, figures["moved_on"])  # not suppressed yet
    shown = suppression.protect({"participants": n, "moved_on": moved, "not_moved_on": n - moved},
                                [suppression.Sum("participants", ("moved_on", "not_moved_on"))], below,
                                unshown=["not_moved_on"])
    out: dict[Any, Any] = {**figures, **shown}
    for key, bases in _COST_RESTS_ON.items():
        if suppression.rests_on(shown, *bases):
            out[key] = None
    out["suppress_below"] = below
    return cast(Cost, out)


_FIGURES = ("participants", "moved_on", "moved_on_rate", "still_active", "median_days_to_move", "attendance_rate")


def rows(summary_: Summary, by: str | None = None) -> list[dict[str, Any]]:
    """Flat rows for CSV: one per group (or one for the whole cohort), by_kind and
    ended_by_reason spread into columns 'by_kind.mfy', 'ended_by_reason.health', ..."""
    def flat(figures: Mapping[str, Any]) -> dict[str, Any]:
        row = {k: figures[k] for k in ("from", "to") if k in figures}
        row.update({k: figures[k] for k in _FIGURES})
        for key in ("by_kind", "ended_by_reason"):
            row.update({f"{key}.{k}": v for k, v in figures[key].items()})
        return row

    if by:
        return [{by: g[by], "from": summary_["from"], "to": summary_["to"], **flat(g)} for g in summary_["groups"]]
    return [flat(summary_)]


def document(summary_: Summary, by: str | None = None) -> "Document":
    """The outcome summary as a report document (see render.document)."""
    doc: Document = {"title": "outcomes", "period": (summary_["from"], summary_["to"]),
                     "sections": sections(summary_, by)}
    if summary_.get("suppress_below"):
        doc["note"] = ("suppressed_counts", {"n": summary_["suppress_below"]})
    return doc


def sections(summary_: Summary, by: str | None = None) -> list["Section"]:
    """Figures, transitions per kind (with a chart), endings by reason, and groups."""
    by_kind = [{"kind": k, "participants": v} for k, v in summary_["by_kind"].items()]
    ended = [{"end_reason": r, "participants": v} for r, v in summary_["ended_by_reason"].items() if v != 0]
    figures: Mapping[str, Any] = summary_
    out: list[Section] = [
        {"facts": [(k, figures[k]) for k in _FIGURES]},
        {"title": "by_kind", "table": {"columns": ["kind", "participants"], "rows": by_kind},
         "chart": {"label": "kind", "value": "participants"}},
        {"title": "ended_by_reason", "table": {"columns": ["end_reason", "participants"], "rows": ended}},
    ]
    if by:
        out.append({"title": f"groups_{by}", "table": {"columns": [by, *_FIGURES], "rows": summary_["groups"]}})
    return out


def cost_document(figures: Cost) -> "Document":
    doc: Document = {"title": "cost", "period": (figures["from"], figures["to"]),
           "sections": [{"facts": [(k, v) for k, v in figures.items() if k not in ("from", "to", "suppress_below")]}]}
    if figures.get("suppress_below"):
        doc["note"] = ("suppressed_counts", {"n": figures["suppress_below"]})
    return doc
