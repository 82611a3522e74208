"""Small counts hidden before a report leaves the office: `--suppress-below N` (docs/data-protection.md).

One rule for every report (`summary outcomes|cost|weekly`, `capacity`), written here once:

1. **Primary suppression.** A count of people or days from 1 to N-1 is shown as `<N` (a string
   in JSON and CSV); 0 stays 0 (`mask`).
2. **Complementary suppression.** Where a report shows cells that add up to another cell it shows
   (a `Sum`: a total and its parts), a hidden cell must not be computable back from the others.
   `protect` hides, for every hidden cell that can be, the smallest other non-zero part of the set
   that gives it away (its total only when no part is left), shown as `x`, and repeats until no
   hidden cell can be worked out. Never a zero: a reader knows `x` is N or more (below N it would
   read `<N`), so a hidden zero protects nothing.
3. **What rests on a hidden count is left out** (None; `rests_on`): a rate, median or cost
   computed from it would give it back (moved_on = moved_on_rate x participants).
4. **Rows about single participants** (refs, names, alerts, new and ended enrollments,
   transitions of the week) are left out entirely, with a line saying so (the reports do this).

"Can be worked out" is decided as a reader would: every cell gets the range its mark allows --
a shown count is exact, `<N` is 1..N-1, `x` is N or more, a figure the report does not show at all
(an *unshown* cell of a `Sum`, such as the participants who moved on *and* are still followed) is
0 or more -- and each `Sum` narrows the ranges of its cells from the ranges of the others until
nothing changes (interval propagation). A hidden cell is given away when one set alone pins it to
one value (the case a subtraction finds: the only unknown cell of a set with a known total), or
when the ranges together pin it while its mark alone did not (`<5` beside `x` in a set with a total
of 6: the `x` is at least 5, so the `<5` is 1).

Figures derivable by subtraction, and how each is protected:

- `summary outcomes`, for the cohort and each group: participants = moved_on + (still followed
  without a move) + the sum of ended_by_reason, and still_active = (moved on and still followed)
  + (still followed without a move). So participants - moved_on - ended_by_reason gives those
  still followed without a move, still_active less that gives the movers still followed, and a
  single hidden moved_on, still_active or ended_by_reason cell would follow from the rest: these
  three sums are declared (with their unshown cells) and protected.
- `summary outcomes --by`: each count of the cohort (participants, moved_on, still_active, each
  by_kind and each ended_by_reason) is the sum of the groups' cells: a single hidden group cell
  would be the cohort's less the other groups'. Declared per count, groups as parts.
  (by_kind itself is no partition: a participant can have several kinds.)
- Rates and medians: moved_on_rate rests on participants and moved_on, median_days_to_move on
  moved_on, attendance_rate on participants (its days are not shown in this report).
- `summary cost`: participants = moved_on + those not moved on (unshown); participant-months and
  the costs rest on participants, the costs per participant who moved on on moved_on as well.
- `summary weekly`, attendance per leader: days = present + absent + excused (declared); the rate
  rests on present and absent (with days and excused shown, the rate would give them back).
- `capacity` (and the weekly's capacity section): yearly_left = yearly_capacity - followed,
  concurrent_left = max_concurrent - active, and the status compares the same numbers, so they
  rest on followed and active. The rows have no total, so nothing else is hidden; nor has the
  weekly's count of participants followed in the week.

What this does not cover: the difference between two outputs (two weeks, two windows, a
`--site` and the whole; each output is protected on its own); zeros, which stay 0 (a 0 in a small
group says something of all of its members); `<N` marks that bound each other when their total is
itself hidden (with N-1 parts under a total below N, each is 1: no cell is left to hide); N=2,
where `<2` can only mean 1; figures a report does not show (such as the movers still followed)
even when they can be worked out and are small; and inferences beyond ranges set by set (a linear
combination of several sets: tests/test_suppression.py looks for one by linear algebra in random
registers and finds none, but the rule does not prove it).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import inf
from typing import Any

Cell = Hashable
"""A name for one count of a report, e.g. ("groups", 2, "moved_on")."""
Shown = int | str
"""A count as a report shows it: the number, '<N' or COMPLEMENT."""

COMPLEMENT = "x"
"""The mark of a count hidden only so that no other hidden count can be worked out (it is N or more)."""

_SHOWN, _SMALL, _COMPLEMENT, _UNSHOWN = range(4)


def small(n: object, below: int | None) -> bool:
    """A count 1..below-1 (none when below is None)."""
    return below is not None and isinstance(n, int) and not isinstance(n, bool) and 0 < n < below


def mask(n: int, below: int | None) -> Shown:
    """A count as shown: '<below' for 1..below-1, else the count (0 stays 0)."""
    return f"<{below}" if small(n, below) else n


def hidden(value: object) -> bool:
    """A shown count that is hidden ('<N' or COMPLEMENT)."""
    return isinstance(value, str)


def rests_on(shown: Mapping[Any, object], *cells: Cell) -> bool:
    """Does a figure computed from these cells (a rate, median, cost) have to be left out?"""
    return any(hidden(shown.get(cell)) for cell in cells)


@dataclass(frozen=True)
class Sum:
    """total = sum(parts), as a report shows or implies it (cells named as in `protect`'s counts)."""

    total: Cell
    parts: tuple[Cell, ...]


def protect(counts: Mapping[Cell, int], sums: Iterable[Sum], below: int | None,
            unshown: Iterable[Cell] = ()) -> dict[Cell, Shown]:
    """The counts as shown (see the module): 1..below-1 as '<below', and COMPLEMENT for the cells
    hidden so that none of those can be worked out from the sums.

    counts: every cell of the sums with its true value, including the `unshown` ones (figures the
    report does not show, e.g. the movers still followed: a reader knows only they are 0 or more);
    those are not in the result. A sum that does not hold on the counts is a bug: ValueError.
    """
    unshown = set(unshown)
    if not below or below < 2:
        return {cell: n for cell, n in counts.items() if cell not in unshown}
    cells = list(counts)
    index = {cell: i for i, cell in enumerate(cells)}
    values = [counts[cell] for cell in cells]
    sums = list(sums)
    for s in sums:
        if counts[s.total] != sum(counts[p] for p in s.parts):
            raise ValueError(f"suppression: {s.total} is not the sum of {s.parts}")
    if any(n < 0 for n in values):
        raise ValueError("suppression: a negative count")
    equations = [(index[s.total], tuple(index[p] for p in s.parts)) for s in sums]
    totals = {total for total, _ in equations}
    sums_of: list[list[int]] = [[] for _ in cells]
    for e, (total, parts) in enumerate(equations):
        for i in (total, *parts):
            sums_of[i].append(e)
    state = [_UNSHOWN if cell in unshown else _SMALL if small(n, below) else _SHOWN
             for cell, n in zip(cells, values)]
    stuck: set[int] = set()
    while True:
        marked = _ranges(state, values, below)
        lo, hi = list(marked[0]), list(marked[1])
        _narrow(equations, sums_of, lo, hi)
        implied: dict[int, dict] = {}  # equation -> its cells' ranges from the others, when asked
        touched: set[int] = set()
        for d, kind in enumerate(state):
            if kind not in (_SMALL, _COMPLEMENT) or d in stuck:
                continue
            for e in sums_of[d]:
                if e not in implied:
                    implied[e] = _implied_ranges(equations[e], lo, hi)
            pinning = [e for e in sums_of[d] if _is_point(implied[e][d])]
            a_range = kind == _COMPLEMENT or below > 2  # the mark alone does not say the value ('<2' does)
            if not pinning and not (a_range and lo[d] == hi[d]):
                continue
            around = pinning or sums_of[d]
            if touched.intersection(around):
                continue  # a cell hidden this round may have settled it: looked at again next round
            # Sets that pin d by the marks of their own cells alone (N-1 cells '<N' under a total '<N')
            # cannot be helped by hiding cells elsewhere: only their own shown cells count then.
            widen = not _pinned_alone([equations[e] for e in around], d, marked)
            c = _complement(d, around, equations, sums_of, state, values, totals, widen)
            if c is None:
                stuck.add(d)  # nothing shown is left to hide around it (see the module: marks bounding marks)
                continue
            state[c] = _COMPLEMENT
            touched.update(around, sums_of[c])
        if not touched:
            break
    marks = {_SMALL: f"<{below}", _COMPLEMENT: COMPLEMENT}
    return {cell: marks.get(kind, n) for cell, n, kind in zip(cells, values, state) if kind != _UNSHOWN}


# An equation between cells by index: (total, parts), the total the sum of the parts.
Equation = tuple[int, tuple[int, ...]]
# A cell's value range as a reader can bound it: lowest and highest (inf: unbounded).
Bound = int | float


def _ranges(state: Sequence[int], values: Sequence[int], below: int) -> tuple[list[Bound], list[Bound]]:
    """What a reader knows of each cell from its mark alone: (lowest, highest) values."""
    lo: list[Bound] = []
    hi: list[Bound] = []
    for kind, n in zip(state, values):
        low, high = {_SHOWN: (n, n), _SMALL: (1, below - 1), _COMPLEMENT: (below, inf), _UNSHOWN: (0, inf)}[kind]
        lo.append(low)
        hi.append(high)
    return lo, hi


def _implied_ranges(equation: Equation, lo: Sequence[Bound] | Mapping[int, Bound],
                    hi: Sequence[Bound] | Mapping[int, Bound]) -> dict[int, tuple[Bound, Bound]]:
    """For each cell of an equation (total, parts), the range it gives the cell from the others'
    ranges. Lowest values are always finite (counts are 0 or more); highest ones may be inf."""
    total, parts = equation
    low_sum = sum(lo[p] for p in parts)
    highs = [hi[p] for p in parts]
    open_highs = highs.count(inf)
    high_sum = sum(h for h in highs if h != inf)
    out = {total: (low_sum, inf if open_highs else high_sum)}
    low_total, high_total = lo[total], hi[total]
    for p, high in zip(parts, highs):
        others_high = inf if open_highs - (high == inf) else high_sum - (0 if high == inf else high)
        out[p] = (low_total - others_high, high_total - (low_sum - lo[p]))
    return out


def _narrow(equations: Sequence[Equation], sums_of: Sequence[Sequence[int]], lo: list[Bound], hi: list[Bound]) -> None:
    """Narrow every cell's range by every equation until nothing changes (in place). Short
    equations go first, so a long one (a column of groups) is read again only once they settle."""
    short: list[int] = []
    long_: list[int] = []
    queued = [True] * len(equations)
    for e, (_, parts) in enumerate(equations):
        (short if len(parts) <= 16 else long_).append(e)
    while short or long_:
        e = short.pop() if short else long_.pop()
        queued[e] = False
        for i, (low, high) in _implied_ranges(equations[e], lo, hi).items():
            if low > lo[i] or high < hi[i]:
                lo[i], hi[i] = max(lo[i], low), min(hi[i], high)
                if lo[i] > hi[i]:
                    raise ValueError("suppression: the counts contradict their sums")
                for other in sums_of[i]:
                    if not queued[other]:
                        queued[other] = True
                        (short if len(equations[other][1]) <= 16 else long_).append(other)


def _pinned_alone(equations: Iterable[Equation], d: int, marked: tuple[list[Bound], list[Bound]]) -> bool:
    """Do these equations pin cell d from the marks of their own cells, without any other set?"""
    cells = {i for total, parts in equations for i in (total, *parts)}
    lo = {i: marked[0][i] for i in cells}
    hi = {i: marked[1][i] for i in cells}
    changed = True
    while changed:
        changed = False
        for equation in equations:
            for i, (low, high) in _implied_ranges(equation, lo, hi).items():
                if low > lo[i] or high < hi[i]:
                    lo[i], hi[i], changed = max(lo[i], low), min(hi[i], high), True
    return lo[d] == hi[d]


def _is_point(bounds: tuple[Bound, Bound]) -> bool:
    return bounds[0] == bounds[1]


def _complement(d: int, around: Iterable[int], equations: Sequence[Equation], sums_of: Sequence[Sequence[int]],
                state: Sequence[int], values: Sequence[int], totals: set[int], widen: bool = True) -> int | None:
    """The cell to hide so that d cannot be worked out: the smallest non-zero shown cell of the sets
    around d (parts before totals), else (widen) of the sets reached through their other unknown cells."""
    seen_sums: set[int] = set()
    seen_cells, frontier = {d}, list(around)
    while frontier:
        seen_sums.update(frontier)
        members = {i for e in frontier for i in (equations[e][0], *equations[e][1])} - seen_cells
        candidates = [i for i in members if state[i] == _SHOWN and values[i] > 0]
        if candidates:
            return min(candidates, key=lambda i: (i in totals, values[i], i))
        if not widen:
            return None
        seen_cells |= members
        frontier = sorted({e for i in members if state[i] != _SHOWN for e in sums_of[i]} - seen_sums)
    return None
