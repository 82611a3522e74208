"""--suppress-below N in every report and format: no count 1..N-1 shown, nothing hidden that the
other cells give back, no rows about single participants (kimu_cli/suppression.py, docs/data-protection.md)."""

import csv
import html
import io
import json
import re
import tempfile
from datetime import date, timedelta
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import core, templated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kimu_cli import attendance, db, labels, leaders, participants, render, sites, suppression, transitions, vocab
from kimu_cli.cli import app, hoist_db
from kimu_cli.errors import KimuError
from kimu_cli.suppression import COMPLEMENT, Sum

# ---- the rule itself ----


def test_a_small_count_is_masked_and_zero_stays():
    assert [suppression.mask(n, 5) for n in (0, 1, 4, 5, 17)] == [0, "<5", "<5", 5, 17]
    assert suppression.mask(3, None) == 3


def test_a_set_with_one_hidden_cell_gets_its_smallest_other_part_hidden():
    shown = suppression.protect({"T": 30, "a": 2, "b": 9, "c": 19}, [Sum("T", ("a", "b", "c"))], 5)
    assert shown == {"T": 30, "a": "<5", "b": COMPLEMENT, "c": 19}


def test_a_complement_that_its_mark_would_give_back_is_not_enough():
    # T 6 = a + b: with b shown as 'x' (5 or more) a could only be 1; more must go
    shown = suppression.protect({"T": 6, "a": 1, "b": 5}, [Sum("T", ("a", "b"))], 5)
    assert shown["a"] == "<5" and shown["b"] == COMPLEMENT and shown["T"] == COMPLEMENT
    assert suppression.protect({"T": 8, "a": 1, "b": 7}, [Sum("T", ("a", "b"))], 5) == {
        "T": 8, "a": "<5", "b": COMPLEMENT}


def test_two_hidden_cells_in_a_set_need_nothing_more_and_zero_is_never_a_complement():
    sums = [Sum("T", ("a", "b", "c", "z"))]
    assert suppression.protect({"T": 12, "a": 1, "b": 2, "c": 9, "z": 0}, sums, 5) == {
        "T": 12, "a": "<5", "b": "<5", "c": 9, "z": 0}
    assert suppression.protect({"T": 12, "a": 3, "b": 9, "c": 0, "z": 0}, sums, 5)["b"] == COMPLEMENT


def test_an_unshown_cell_takes_part_but_is_never_shown():
    # participants = moved + rest (rest not shown): a hidden moved needs nothing more
    shown = suppression.protect({"p": 9, "m": 2, "r": 7}, [Sum("p", ("m", "r"))], 5, unshown=["r"])
    assert shown == {"p": 9, "m": "<5"}


def test_counts_that_do_not_add_up_are_a_bug():
    with pytest.raises(ValueError):
        suppression.protect({"T": 3, "a": 1}, [Sum("T", ("a",))], 5)


# ---- through the CLI: every report x every format ----

N = 5
WEEK = ("--week", "2026-W47")  # 16.11.2026-22.11.2026; today is 25.11.2026
REFS = [f"PX-{i:02d}" for i in range(1, 10)]
NAME = "Amira Hansen"



@templated
def week47(register):
    """Nine participants; in week 47 one starts, two end (one moving on), one is absent three days."""
    with core(register) as conn:
        participants.add(conn, "PX-01", "Kari Nordmann", "2026-02-02", name=NAME)
        transitions.add(conn, "PX-01", "mfy", "2026-06-01")
        participants.add(conn, "PX-02", "Kari Nordmann", "2026-03-02")
        participants.add(conn, "PX-03", "Kari Nordmann", "2026-04-06")
        participants.add(conn, "PX-04", "Kari Nordmann", "2026-11-16")
        participants.add(conn, "PX-05", "Kari Nordmann", "2026-05-04")
        participants.add(conn, "PX-06", "Kari Nordmann", "2026-05-04")
        transitions.add(conn, "PX-06", "fast stilling", "2026-09-01", end=True)
        participants.add(conn, "PX-07", "Ola Brøndbo", "2026-06-01")
        participants.add(conn, "PX-08", "Ola Brøndbo", "2026-01-12")
        participants.end(conn, "PX-08", "2026-03-01", "health")
        participants.add(conn, "PX-09", "Håkon Ødegård", "2026-08-03", name="Kristian Lie")
        for day in range(16, 21):
            absent = [("PX-05", "absent")] if day >= 18 else []
            attendance.record(conn, f"2026-11-{day}", absent, leader="kari")  # the others present
            attendance.record(conn, f"2026-11-{day}", [("PX-09", "excused" if day == 17 else "present")])
            attendance.record(conn, f"2026-11-{day}", [("PX-07", "present")])
            if day == 17:
                participants.end(conn, "PX-03", "2026-11-17", "other_path")
            if day == 18:
                transitions.add(conn, "PX-02", "deltid", "2026-11-18", end=True)
    return register


REPORTS = {
    "weekly": (["summary", "weekly", *WEEK, "--names"], ["text", "table", "markdown", "json", "html"]),
    "outcomes": (["summary", "outcomes", "--by", "leader"], ["table", "text", "csv", "json", "markdown"]),
    "outcomes_by_site": (["summary", "outcomes", "--by", "site", "--from", "2026-01-01"],
                         ["table", "text", "csv", "json", "markdown"]),
    "cost": (["summary", "cost", "--from", "2026-11-01"], ["table", "text", "csv", "json", "markdown"]),
    "capacity": (["capacity"], ["table", "text", "csv", "json", "markdown"]),
}
CASES = [(report, fmt) for report, (_, formats) in REPORTS.items() for fmt in formats]
# The labels under which a count is shown, in both languages.
COUNT_KEYS = ("participants", "moved_on", "still_active", "followed_this_week", "followed", "active",
              "days", "present", "absent", "excused")


def label_set(keys, lang):
    return {labels.LABELS[lang][k] for k in keys}


def small_number(value, below):
    text = str(value).strip().strip("*")
    return bool(re.fullmatch(r"\d+", text)) and 0 < int(text) < below


@pytest.mark.parametrize("report,fmt", CASES, ids=[f"{r}-{f}" for r, f in CASES])
def test_no_small_count_and_no_participant_in_any_report_or_format(week47, report, fmt):
    args, _ = REPORTS[report]
    plain = week47.ok(*args, "--format", "json")
    assert "<" not in plain and re.search(r'"(active|followed|absent|moved_on)": [1-4],', plain)  # something to hide
    out = week47.ok(*args, "--format", fmt, "--suppress-below", N)
    for ref in (*REFS, NAME, "Kristian Lie"):
        assert ref not in out
    if fmt == "json":
        checks(report.removesuffix("_by_site"), json.loads(out), N)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows
        for row in rows:
            for column, value in row.items():
                if column in COUNT_KEYS or column.startswith(("by_kind.", "ended_by_reason.")):
                    assert value in ("0", f"<{N}", COMPLEMENT) or int(value) >= N, (column, value)
                bases = {"moved_on_rate": ("participants", "moved_on"), "median_days_to_move": ("moved_on",),
                         "attendance_rate": ("participants",), "yearly_left": ("followed",),
                         "concurrent_left": ("active",), "status": ("followed", "active"),
                         "cost_per_moved_on": ("moved_on",), "compare_cost_per_moved_on": ("moved_on",)}
                if value and any(row[b] in (f"<{N}", COMPLEMENT) for b in bases.get(column, ())):
                    raise AssertionError(f"{column} shown beside a hidden count: {row}")
    else:
        seen = figures(out, fmt)
        counts = label_set(COUNT_KEYS, "en")
        shown = [(label, value) for label, value in seen if label in counts]
        assert shown, out
        assert not [(label, value) for label, value in shown if small_number(value, N)], out
        assert any(value == f"<{N}" for _, value in shown)
        assert not shown_beside_hidden(out, fmt, N)
        assert f"Counts below {N} are shown as <{N}" in html.unescape(out)
        if report == "weekly":
            assert "Rows about single participants" in out


def test_weekly_in_bokmal_says_what_is_left_out(week47):
    for fmt in ("text", "markdown", "html"):
        out = week47.ok("summary", "weekly", *WEEK, "--format", fmt, "--lang", "nb", "--suppress-below", 3)
        assert "Rader om enkeltdeltakere" in out and "Tall under 3 vises som <3" in html.unescape(out)
        shown = [(label, value) for label, value in figures(out, fmt) if label in label_set(COUNT_KEYS, "nb")]
        assert shown and not [v for _, v in shown if small_number(v, 3)]
        assert not shown_beside_hidden(out, fmt, 3, "nb")
        assert not any(ref in out for ref in REFS)


def test_weekly_json_leaves_the_rows_about_participants_out(week47):
    week = json.loads(week47.ok("summary", "weekly", *WEEK, "--names", "--format", "json", "--suppress-below", 3))
    assert week["suppress_below"] == 3
    assert all(week[key] is None for key in ("new_enrollments", "ended_enrollments", "transitions", "alerts"))
    kari = next(r for r in week["attendance_by_leader"] if r["leader"] == "Kari Nordmann")
    assert (kari["days"], kari["present"], kari["absent"], kari["excused"]) == (20, 17, 3, 0)  # nothing below 3
    # Håkon follows one participant: his days are that person's week, so they are left out.
    hakon = next(r for r in week["attendance_by_leader"] if r["leader"] == "Håkon Ødegård")
    assert (hakon["participants"], hakon["days"], hakon["present"], hakon["excused"], hakon["rate"]) == (
        "<3", None, None, None, None)
    five = json.loads(week47.ok("summary", "weekly", *WEEK, "--format", "json", "--suppress-below", 5))
    kari = next(r for r in five["attendance_by_leader"] if r["leader"] == "Kari Nordmann")
    assert (kari["days"], kari["present"], kari["absent"], kari["excused"], kari["rate"]) == (
        20, COMPLEMENT, "<5", 0, None)


def test_capacity_strict_still_sees_the_real_numbers(register):
    for ref in ("C1", "C2", "C3"):
        register.ok("participant", "add", ref, "--leader", "Håkon Ødegård", "--start", "2026-11-02", "--force")
    result = register("capacity", "--strict", "--suppress-below", 5, "--format", "json")
    assert result.exit_code == 3 and "Håkon Ødegård" in result.stderr
    hakon = next(r for r in json.loads(result.stdout) if r["leader"] == "Håkon Ødegård")
    assert (hakon["followed"], hakon["active"], hakon["yearly_left"], hakon["status"]) == ("<5", "<5", None, None)


# ---- reading the text formats back ----


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.tables[-1][-1].append((tag, self.cell.strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def records(text, fmt):
    """The facts of each section (one dict of label: value) and each table row (one dict) of a report."""
    out = []
    if fmt == "html":
        parser = _Tables()
        parser.feed(text)
        for table in parser.tables:
            if all(len(row) == 2 and row[0][0] == "th" and row[1][0] == "td" for row in table):
                out.append({row[0][1]: row[1][1] for row in table})
            else:
                header = [cell for _, cell in table[0]]
                out += [{h: cell for h, (_, cell) in zip(header, row)} for row in table[1:]]
        return out
    lines, facts, table = [*text.splitlines(), ""], {}, []
    if fmt == "markdown":
        for line in lines:
            fact = re.fullmatch(r"- \*\*(.+?):\*\* ?(.*)", line)
            if fact:
                facts[fact[1]] = fact[2]
            elif facts:
                out.append(facts)
                facts = {}
            if line.startswith("|"):
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            elif table:
                out += [{h: c.strip("*") for h, c in zip(table[0], row)} for row in table[2:]]
                table = []
        return out
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1] and re.fullmatch(r"[-! ]*-[- ]*", lines[i + 1]):
            starts = [m.start() for m in re.finditer(r"-+", lines[i + 1])]
            header = _cut(line, starts)
            for row in lines[i + 2:]:
                if not row.strip():
                    break
                out.append(dict(zip(header, _cut(row, starts))))
        elif line.startswith("  ") and not line.startswith("   "):
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            facts[parts[0]] = parts[1] if len(parts) > 1 else ""
            continue
        if facts:
            out.append(facts)
            facts = {}
    return out


def _cut(line, starts):
    """The cells of a plain table's line, columns starting where the rule's dashes do."""
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None])]


def figures(text, fmt):
    """(label, value) of every fact and every table cell (under its column's label) of a report."""
    return [pair for record in records(text, fmt) for pair in record.items()]


# What people read that rests on counts (keys of labels): empty (a rate: render.NO_RATE) beside a hidden one.
RESTS_ON = {
    "moved_on_rate": ("participants", "moved_on"), "median_days_to_move": ("moved_on",),
    "attendance_rate": ("participants", "present", "absent"), "yearly_left": ("followed",),
    "concurrent_left": ("active",), "status": ("followed", "active"),
    "participant_months": ("participants",), "model_cost": ("participants",), "compare_cost": ("participants",),
    "saving": ("participants",), "cost_per_moved_on": ("participants", "moved_on"),
    "compare_cost_per_moved_on": ("participants", "moved_on"),
}


def shown_beside_hidden(text, fmt, below, lang="en"):
    """Figures shown in a section or row where a count they rest on is hidden."""
    label = labels.LABELS[lang]
    found = []
    for record in records(text, fmt):
        for figure, bases in RESTS_ON.items():
            if record.get(label[figure]) not in (None, "", render.NO_RATE) and any(record.get(label[b]) in (f"<{below}", COMPLEMENT) for b in bases):
                found.append((label[figure], record))
    return found


# ---- the JSON of each report: counts, what rests on them, and the sets they form ----


def get(data, path):
    for step in path:
        data = data[step]
    return data


def blocks(report, data):
    """Paths of the outcome figures (the cohort and each group) in a report's JSON."""
    if report == "outcomes":
        return [(), *[("groups", i) for i in range(len(data["groups"]))]]
    if report == "weekly":
        return [("outcomes_year_to_date",)]
    return []


def capacity_rows(report, data):
    """Paths of the capacity rows in a report's JSON."""
    if report == "capacity":
        return [(i,) for i in range(len(data))]
    if report == "weekly":
        return [("capacity", i) for i in range(len(data["capacity"]))]
    return []


def attendance_rows(report, data):
    return [("attendance_by_leader", i) for i in range(len(data["attendance_by_leader"]))] if report == "weekly" else []


def count_paths(report, data):
    paths = [("active",)] if report == "weekly" else [("participants",), ("moved_on",)] if report == "cost" else []
    for at in blocks(report, data):
        block = get(data, at)
        paths += [(*at, k) for k in ("participants", "moved_on", "still_active")]
        paths += [(*at, key, item) for key in ("by_kind", "ended_by_reason") for item in block[key]]
    paths += [(*row, k) for row in capacity_rows(report, data) for k in ("followed", "active")]
    paths += [(*row, k) for row in attendance_rows(report, data) for k in ("days", "present", "absent", "excused")]
    return paths


def rests(report, data):
    """(path of a figure, paths of the counts it rests on)."""
    out = []
    for at in blocks(report, data):
        out += [((*at, "moved_on_rate"), [(*at, "participants"), (*at, "moved_on")]),
                ((*at, "median_days_to_move"), [(*at, "moved_on")]),
                ((*at, "attendance_rate"), [(*at, "participants")])]
    if report == "cost":
        out += [((k,), [("participants",)]) for k in ("participant_months", "model_cost", "compare_cost", "saving")]
        out += [((k,), [("participants",), ("moved_on",)]) for k in ("cost_per_moved_on", "compare_cost_per_moved_on")]
    for row in capacity_rows(report, data):
        out += [((*row, "yearly_left"), [(*row, "followed")]), ((*row, "concurrent_left"), [(*row, "active")]),
                ((*row, "status"), [(*row, "followed"), (*row, "active")])]
    out += [((*row, "rate"), [(*row, "present"), (*row, "absent")]) for row in attendance_rows(report, data)]
    return out


def relations(report, data):
    """The exact sums a report's figures form, as (total, parts); ("unshown", ...) cells are
    figures not shown (the movers still followed, ...), unknown to a reader."""
    out = []
    outcome_blocks = blocks(report, data)
    for at in outcome_blocks:
        block = get(data, at)
        both, moved_ended, active_only = (("unshown", *at, k) for k in ("both", "moved_ended", "active_only"))
        out += [((*at, "participants"), [both, moved_ended, active_only,
                                         *[(*at, "ended_by_reason", r) for r in block["ended_by_reason"]]]),
                ((*at, "moved_on"), [both, moved_ended]), ((*at, "still_active"), [both, active_only])]
    if report == "outcomes" and data["groups"]:
        groups = outcome_blocks[1:]
        keys = [("participants",), ("moved_on",), ("still_active",),
                *[(key, item) for key in ("by_kind", "ended_by_reason") for item in data[key]]]
        out += [(key, [(*g, *key) for g in groups]) for key in keys]
        out += [(("unshown", k), [("unshown", *g, k) for g in groups]) for k in ("both", "moved_ended", "active_only")]
    if report == "cost":
        out.append((("participants",), [("moved_on",), ("unshown", "not_moved_on")]))
    out += [((*row, "days"), [(*row, k) for k in ("present", "absent", "excused")])
            for row in attendance_rows(report, data)]
    return out


def value(data, path):
    """An int (known to a reader) or None (hidden or not shown)."""
    if path[0] == "unshown":
        return None
    shown = get(data, path)
    return shown if isinstance(shown, int) else None


def checks(report, data, below):
    """(a) no count 1..below-1, only '<below' and 'x' as marks; what rests on a hidden count left out;
    (b) no hidden cell computable: no set with a known total has exactly one hidden cell, and no
    hidden cell follows from all the sets together (linear algebra over the unknown cells)."""
    for path in count_paths(report, data):
        shown = get(data, path)
        assert shown is None or shown in (f"<{below}", COMPLEMENT) or (  # None: left out
            isinstance(shown, int) and not 0 < shown < below), (path, shown)
    for figure, bases in rests(report, data):
        if any(isinstance(get(data, b), str) for b in bases):
            assert get(data, figure) is None, (figure, bases, data)
    if report == "weekly":
        assert all(data[k] is None for k in ("new_enrollments", "ended_enrollments", "transitions", "alerts"))
    sums = relations(report, data)
    for total, parts in sums:
        if value(data, total) is not None and all(p[0] != "unshown" for p in parts):
            assert sum(value(data, p) is None for p in parts) != 1, (total, parts, data)
            assert not pinned_by_marks(data, total, parts, below), (total, parts, data)
    hidden_cells = [p for p in count_paths(report, data) if isinstance(get(data, p), str)]
    assert not computable(sums, data, hidden_cells), data


def pinned_by_marks(data, total, parts, below):
    """The hidden parts of a set with a known total that the others' marks leave one value
    ('<N' is 1..N-1, 'x' N or more): 6 = '<5' + 'x' makes the '<5' a 1."""
    ranges = {p: (get(data, p), get(data, p)) if isinstance(get(data, p), int)
              else (1, below - 1) if get(data, p) == f"<{below}" else (below, float("inf")) for p in parts}
    pinned = []
    for p in parts:
        if ranges[p][0] == ranges[p][1]:
            continue  # shown, or '<2'
        others = [ranges[q] for q in parts if q != p]
        low = max(ranges[p][0], get(data, total) - sum(high for _, high in others))
        high = min(ranges[p][1], get(data, total) - sum(lo for lo, _ in others))
        if low == high:
            pinned.append(p)
    return pinned


def computable(sums, data, hidden_cells):
    """The hidden cells that the sums determine (a row of the reduced system with one unknown)."""
    unknown = sorted({c for total, parts in sums for c in (total, *parts) if value(data, c) is None}, key=repr)
    column = {c: j for j, c in enumerate(unknown)}
    matrix = []
    for total, parts in sums:
        row = [Fraction(0)] * len(unknown)
        for cell, coefficient in ((total, 1), *((p, -1) for p in parts)):
            if cell in column:
                row[column[cell]] += coefficient
        if any(row):
            matrix.append(row)
    pivot_row = 0
    for j in range(len(unknown)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][j]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][j]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][j]:
                factor = matrix[r][j]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[pivot_row])]
        pivot_row += 1
    found = set()
    for row in matrix:
        nonzero = [j for j, x in enumerate(row) if x]
        if len(nonzero) == 1:
            found.add(unknown[nonzero[0]])
    return found & set(hidden_cells)


def test_the_json_of_the_week47_register_passes_the_checks(week47):
    reports = (("weekly", ["summary", "weekly", *WEEK]), ("outcomes", ["summary", "outcomes", "--by", "site"]),
               ("outcomes", ["summary", "outcomes"]), ("cost", ["summary", "cost"]), ("capacity", ["capacity"]))
    for report, args in reports:
        for below in (2, 3, 4, 5, 6):
            checks(report, json.loads(week47.ok(*args, "--format", "json", "--suppress-below", below)), below)


# ---- property: small random registers ----

LEADERS = ("Kari Nordmann", "Ola Brøndbo", "Håkon Ødegård")
FIRST, TODAY, MONDAY = date(2026, 1, 5), date(2026, 11, 25), date(2026, 11, 16)
REASONS = [r for r in vocab.END_REASONS if r != "moved_on"]
KINDS = list(vocab.TRANSITION_KINDS)


@st.composite
def people(draw):
    start = FIRST + timedelta(days=draw(st.integers(0, (TODAY - FIRST).days - 3)))
    ends = draw(st.one_of(st.none(), st.tuples(st.integers(0, 200), st.sampled_from(REASONS))))
    moves = draw(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 300), st.booleans()), max_size=2))
    days = draw(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["present", "absent", "excused"])),
                         max_size=8, unique_by=lambda d: d[0]))
    return draw(st.sampled_from(LEADERS)), start, ends, moves, days


def build(conn, cast):
    """The register of cast (see people) through the core functions, as the commands write it."""
    sites.add(conn, "Solbakken omsorgssenter")
    sites.add(conn, "Åsgården sykehjem")
    leaders.add(conn, "Kari Nordmann", "Solbakken omsorgssenter")
    leaders.add(conn, "Ola Brøndbo", "Solbakken omsorgssenter")
    leaders.add(conn, "Håkon Ødegård", "Åsgården sykehjem", 3, 2)
    for n, (leader, start, ends, moves, days) in enumerate(cast):
        ref = f"PX-{n:02d}"
        participants.add(conn, ref, leader, start.isoformat(), force=True)
        end = min(start + timedelta(days=ends[0]), TODAY) if ends else None
        for offset, status in days:  # the days before today in week 47 and the next
            day = MONDAY + timedelta(days=offset)
            if start <= day < TODAY and (end is None or day <= end):
                attendance.record(conn, day.isoformat(), [(ref, status)])
        ended = False
        for kind, after, stop in sorted(moves, key=lambda m: m[1]):
            day = min(start + timedelta(days=after), TODAY)
            if end is not None and day > end:
                stop = False
            if stop and (ended or vocab.TRANSITION_KINDS[kind][0] == "milestone"):
                stop = False
            try:
                transitions.add(conn, ref, kind, day.isoformat(), end=stop and not _attended_after(conn, ref, day))
            except KimuError as e:  # the same kind twice on a day
                assert "already has" in str(e)
                continue
            ended = ended or (stop and not _attended_after(conn, ref, day))
        if end is not None and not ended:
            last = conn.execute("SELECT max(a.date) FROM attendance a JOIN participants p ON p.id = a.participant_id "
                                "WHERE p.ref = ?", (ref,)).fetchone()[0]
            participants.end(conn, ref, max(end.isoformat(), last or ""), ends[1])


def _attended_after(conn, ref, day):
    return conn.execute("SELECT 1 FROM attendance a JOIN participants p ON p.id = a.participant_id "
                        "WHERE p.ref = ? AND a.date > ?", (ref, day.isoformat())).fetchone() is not None


PROPERTY_REPORTS = [
    ("weekly", ["summary", "weekly", *WEEK]),
    ("outcomes", ["summary", "outcomes"]),
    ("outcomes", ["summary", "outcomes", "--by", "leader"]),
    ("outcomes", ["summary", "outcomes", "--by", "site"]),
    ("cost", ["summary", "cost", "--from", "2026-06-01"]),
    ("capacity", ["capacity"]),
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(people(), min_size=1, max_size=9), st.integers(2, 6))
def test_no_small_count_and_no_hidden_cell_computable_in_any_register(cast, below):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kimu.db"
        conn = db.connect(path, create=True)
        try:
            with db.transaction(conn):
                build(conn, cast)
        finally:
            conn.close()
        runner = CliRunner()
        for report, args in PROPERTY_REPORTS:
            result = runner.invoke(app, hoist_db(["--db", str(path), *args, "--format", "json",
                                                  "--suppress-below", str(below)]))
            assert result.exit_code == 0, result.output
            assert "PX-" not in result.stdout
            checks(report, json.loads(result.stdout), below)
