"""A reproducible synthetic kimu register for benchmarks, written straight into SQLite.

    python bench/generate.py --size national --seed 1 --out bench/out/national

writes DIR/kimu.db and the same data as CSV files in the import format of docs/import.md
(DIR/sites.csv, leaders.csv, participants.csv, attendance.csv, transitions.csv).
The same size, seed and --today give the same files, byte for byte.

The database is opened with kimu_cli.db.connect, so the tables, CHECKs and triggers are
the real ones and every row passes them; rows go in with executemany in one transaction.
What makes it realistic (and the reports' work real):
- each leader follows 4-7 participants at once, one after the other in "slots", so about
  20 a year; an enrollment that breaks the yearly capacity is stored as forced (--force);
- end reasons and lengths as in the programme: many move on, many find out early that
  care work is not for them, some never start; since autumn 2024 an MFY participant is
  followed on until fagbrev ("Helt i mål");
- participants come back later, to a leader at the same site ("we never give up");
- attendance on weekdays only, none in July or at Christmas; absence comes in streaks,
  illness as excused spells, leaders forget days and whole weeks, and some participants
  stop showing up before they drop out (or right now, which the alerts must find).
"""

import argparse
import csv
import heapq
import random
import sys
import time
from bisect import bisect_left
from datetime import date, timedelta
from pathlib import Path

from kimu_cli import audit, db
from kimu_cli.leaders import DEFAULT_MAX_CONCURRENT, DEFAULT_YEARLY_CAPACITY

SIZES = {"small": (5, 2), "county": (50, 5), "national": (500, 10)}  # leaders, years of history
TODAY = date(2026, 11, 25)
HELT_I_MAAL = date(2024, 8, 1)  # from then on the leader follows an MFY participant to fagbrev
CHUNK = 200_000  # attendance rows per executemany

# end reason, weight, shortest and longest enrollment (days)
OUTCOMES = [
    ("moved_on", 40, 90, 330),
    ("other_path", 14, 14, 60),
    ("dropped_out", 14, 30, 200),
    ("health", 8, 30, 250),
    ("moved_away", 5, 30, 200),
    ("never_started", 5, 3, 15),
    ("needs_other_support", 6, 30, 150),
    ("other", 7, 30, 200),
    ("registered_in_error", 1, 1, 10),
]
MOVED_ON_KINDS = {"mfy": 30, "apprenticeship": 5, "education": 15, "job_permanent": 10,
                  "job_part_time": 20, "job_summer": 5, "job_weekend": 5, "job_other": 10}
COMES_BACK = ("dropped_out", "health", "other_path", "other")  # who may be re-enrolled later
FADES_OUT = ("dropped_out", "never_started", "needs_other_support")  # absent before the end
MUNICIPALITIES = ["Bergen", "Oslo", "Trondheim", "Stavanger", "Bærum", "Kristiansand", "Drammen", "Tromsø",
                  "Fredrikstad", "Sandnes", "Ålesund", "Bodø", "Skien", "Lillehammer", "Molde", "Hamar",
                  "Arendal", "Haugesund", "Gjøvik", "Førde", "Alta", "Steinkjer", "Kongsberg", "Halden"]
GOALS = ["helsefagarbeider", "fast jobb i helse", "norskkurs og jobb", "lærling", "fagbrev"]


def _weighted(rng, table):
    return rng.choices(list(table), weights=list(table.values()))[0]


def _weekday(d):
    """d, or the Monday after when d falls on a weekend: enrollments start on a working day."""
    return d + timedelta(days=7 - d.weekday() if d.weekday() >= 5 else 0)


def workdays(first, last):
    """The days attendance is recorded on: weekdays, except July and Christmas week."""
    out, d = [], first
    while d <= last:
        if d.weekday() < 5 and d.month != 7 and not (d.month == 12 and d.day >= 24):
            out.append(d.toordinal())
        d += timedelta(days=1)
    return out


class Register:
    """The simulated register, built leader by leader in time order."""

    def __init__(self, rng, leaders, years, today):
        self.rng, self.today = rng, today
        self.first = today.replace(year=today.year - years) + timedelta(days=1)
        self.sites, self.leaders, self.participants = [], [], []
        self.enrollments, self.transitions, self.moves = [], [], set()
        self.pool = {}  # site id -> participants who ended and may come back: (pid, last end)
        n_sites = max(1, round(leaders / 2.5))
        for i in range(1, n_sites + 1):
            town = MUNICIPALITIES[i % len(MUNICIPALITIES)]
            self.sites.append((i, f"Omsorgssenter {i:03d}", town, f"NAV {town}"))
        for i in range(1, leaders + 1):
            self._leader(i, i if i <= n_sites else rng.randint(1, n_sites))

    def _leader(self, leader_id, site_id):
        rng = self.rng
        span = (self.today - self.first).days
        started = self.first if rng.random() < 0.8 else self.first + timedelta(days=rng.randint(0, span * 7 // 10))
        ended = None
        if rng.random() < 0.04 and (self.today - started).days > 730:
            ended = started + timedelta(days=rng.randint(365, (self.today - started).days - 180))
        capacity = DEFAULT_YEARLY_CAPACITY
        self.leaders.append((leader_id, f"Leder {leader_id:04d}", site_id, capacity, DEFAULT_MAX_CONCURRENT,
                             started.isoformat(), ended and ended.isoformat()))
        slots = [(_weekday(started + timedelta(days=rng.randint(0, 60))), s) for s in range(rng.randint(4, 7))]
        heapq.heapify(slots)
        per_year = {}
        while slots:
            start, slot = heapq.heappop(slots)
            if start > self.today + timedelta(days=30) or (ended and start >= ended):
                continue
            end = self._enrollment(leader_id, site_id, start, ended, capacity, per_year)
            if end is not None:
                heapq.heappush(slots, (_weekday(end + timedelta(days=rng.randint(1, 40))), slot))

    def _participant(self, site_id, start):
        """A returning participant from this site now and then, else a new one."""
        rng, pool = self.rng, self.pool.setdefault(site_id, [])
        if pool and rng.random() < 0.06:
            i = rng.randrange(len(pool))
            if pool[i][1] < start - timedelta(days=60):
                return pool.pop(i)[0]
        pid = len(self.participants) + 1
        self.participants.append((pid, f"B-{pid:07d}", rng.randint(1965, 2006), rng.choice(GOALS)))
        return pid

    def _enrollment(self, leader_id, site_id, start, leader_ended, capacity, per_year):
        """One period in a slot; returns its end (None: the slot has no further period)."""
        rng = self.rng
        pid = self._participant(site_id, start)
        reason, _, shortest, longest = rng.choices(OUTCOMES, weights=[o[1] for o in OUTCOMES])[0]
        end = start + timedelta(days=rng.randint(shortest, longest))
        moves = []
        if reason == "moved_on":
            end, moves = self._moving_on(start, end)
        elif reason == "other_path" and rng.random() < 0.2:  # found their own way later
            moves = [(end + timedelta(days=rng.randint(10, 90)), rng.choice(["job_other", "education"]))]
        if rng.random() < 0.08:  # a summer or weekend job while followed
            moves.append((start + timedelta(days=rng.randint(0, (end - start).days)),
                          rng.choice(["job_summer", "job_weekend"])))
        if leader_ended and end >= leader_ended:
            end, reason = leader_ended, "other"
        is_open = end >= self.today  # still followed today, or waiting to start
        forced = self._count(per_year, pid, start, self.today if is_open else end, capacity)
        eid = len(self.enrollments) + 1
        self.enrollments.append((eid, pid, leader_id, start.isoformat(), None if is_open else end.isoformat(),
                                 None if is_open else reason, forced))
        self._transitions(pid, site_id, moves)
        if is_open:
            return None
        if reason in COMES_BACK:
            self.pool[site_id].append((pid, end))
        return end

    def _moving_on(self, start, end):
        rng = self.rng
        kind = _weighted(rng, MOVED_ON_KINDS)
        if kind != "mfy" or end < HELT_I_MAAL:
            return end, [(end + timedelta(days=rng.randint(0, 14)), kind)]
        # Helt i mål: followed on after the MFY contract, to kompetansebevis/fagbrev and a job.
        last = end + timedelta(days=rng.randint(500, 750))
        moves = [(end, "mfy"), (last, "fagbrev")]
        if rng.random() < 0.2:
            moves.append((end + timedelta(days=rng.randint(200, 400)), "kompetansebevis"))
        if rng.random() < 0.7:
            moves.append((last + timedelta(days=rng.randint(0, 30)), "job_permanent"))
        return last, moves

    def _count(self, per_year, pid, start, last, capacity):
        """1 when this enrollment takes the leader past the yearly capacity (a forced one)."""
        year = per_year.setdefault(start.year, set())
        forced = int(pid not in year and len(year) >= capacity)
        for y in range(start.year, last.year + 1):
            per_year.setdefault(y, set()).add(pid)
        return forced

    def _transitions(self, pid, site_id, moves):
        for when, kind in moves:
            if when > self.today or (pid, when, kind) in self.moves:  # UNIQUE (participant_id, date, kind)
                continue
            self.moves.add((pid, when, kind))
            detail = f"Omsorgssenter {site_id:03d}" if kind.startswith("job") else None
            self.transitions.append((pid, when.isoformat(), kind, detail))


def attendance(rng, register):
    """Attendance rows (pid, date, status, hours, note) in primary-key order."""
    days = workdays(register.first, register.today)
    iso = {o: date.fromordinal(o).isoformat() for o in days}
    today = register.today.toordinal()
    by_participant = sorted(register.enrollments, key=lambda e: (e[1], e[3]))
    sloppiness = {leader[0]: rng.choice([0.002, 0.005, 0.01, 0.03]) for leader in register.leaders}
    for _, pid, leader_id, start, end, reason, _ in by_participant:
        if reason == "registered_in_error" or rng.random() < 0.03:  # never registered at all
            continue
        first = bisect_left(days, date.fromisoformat(start).toordinal())
        last = bisect_left(days, min(date.fromisoformat(end).toordinal() + 1 if end else today + 1, today + 1))
        span = days[first:last]
        fading = reason in FADES_OUT or (end is None and rng.random() < 0.08)
        yield from _days(rng, pid, [iso[o] for o in span], sloppiness[leader_id], fading,
                         never=reason == "never_started")


def _days(rng, pid, span, missing, fading, never):
    """One enrollment's days: absence in streaks, excused spells, forgotten days and weeks."""
    absent_rate = 0.9 if never else rng.choice([0.02, 0.04, 0.08, 0.15])
    tail = len(span) - rng.randint(4, 20) if fading else len(span)
    random_ = rng.random
    absent_before, excused_left, skip_left = False, 0, 0
    for i, day in enumerate(span):
        if skip_left:
            skip_left -= 1
            continue
        r = random_()
        if r < 0.002:  # a whole week not registered
            skip_left = 4
            continue
        if r < missing:
            continue
        if excused_left or random_() < 0.01:
            excused_left = excused_left - 1 if excused_left else int(random_() * 5)
            yield pid, day, "excused", None, None
            continue
        p = 0.85 if i >= tail else (0.5 if absent_before else absent_rate)
        absent_before = random_() < p
        if absent_before:
            yield pid, day, "absent", None, None
        else:
            yield pid, day, "present", 7.5 if random_() < 0.7 else 4.0, None


def _csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def write(register, rng, out, label):
    """The database (one transaction) and the CSV files; returns the attendance row count."""
    path = out / "kimu.db"
    for stale in (path, out / "kimu.db-wal", out / "kimu.db-shm"):
        stale.unlink(missing_ok=True)
    conn = db.connect(path, command="bench generate", create=True)
    conn.execute("PRAGMA synchronous = OFF")  # a generated file: speed over durability
    conn.execute("PRAGMA cache_size = -262144")
    refs = {p[0]: p[1] for p in register.participants}
    with db.transaction(conn):
        _write_register(conn, register)
        count = _write_attendance(conn, attendance(rng, register), refs, out / "attendance.csv")
        audit.record(conn, "generate", "bench", label, {"attendance": [None, count]})
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _write_csvs(register, out)
    return count


def _write_register(conn, r):
    many = conn.executemany
    many("INSERT INTO sites (id, name, municipality, nav_office) VALUES (?, ?, ?, ?)", r.sites)
    many("""INSERT INTO leaders (id, name, site_id, yearly_capacity, max_concurrent, started, ended)
            VALUES (?, ?, ?, ?, ?, ?, ?)""", r.leaders)
    many("INSERT INTO participants (id, ref, birth_year, goal) VALUES (?, ?, ?, ?)", r.participants)
    many("""INSERT INTO enrollments (id, participant_id, leader_id, start_date, end_date, end_reason, forced)
            VALUES (?, ?, ?, ?, ?, ?, ?)""", r.enrollments)
    many("INSERT INTO transitions (participant_id, date, kind, detail) VALUES (?, ?, ?, ?)", r.transitions)


def _write_attendance(conn, rows, refs, csv_path):
    count, chunk = 0, []
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["ref", "date", "status"])
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                count += _flush(conn, chunk, refs, out)
        count += _flush(conn, chunk, refs, out)
    return count


def _flush(conn, chunk, refs, out):
    conn.executemany("INSERT INTO attendance (participant_id, date, status, hours, note) VALUES (?, ?, ?, ?, ?)",
                     chunk)
    out.writerows((refs[pid], day, status) for pid, day, status, _, _ in chunk)
    n = len(chunk)
    chunk.clear()
    return n


def _write_csvs(r, out):
    site_names = {s[0]: s[1] for s in r.sites}
    leader_names = {leader[0]: (leader[1], site_names[leader[2]]) for leader in r.leaders}
    people = {p[0]: p for p in r.participants}
    _csv(out / "sites.csv", ["site", "municipality", "nav_office"], [s[1:] for s in r.sites])
    _csv(out / "leaders.csv", ["leader", "site", "started", "yearly_capacity", "max_concurrent"],
         [(name, site_names[site], started, cap, conc) for _, name, site, cap, conc, started, _ in r.leaders])
    _csv(out / "participants.csv",
         ["ref", "birth_year", "goal", "leader", "site", "start_date", "end_date", "end_reason"],
         [(people[pid][1], people[pid][2], people[pid][3], *leader_names[leader], start, end or "", reason or "")
          for _, pid, leader, start, end, reason, _ in sorted(r.enrollments, key=lambda e: (e[3], e[1]))])
    _csv(out / "transitions.csv", ["ref", "date", "kind", "detail"],
         [(people[pid][1], day, kind, detail or "") for pid, day, kind, detail in r.transitions])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=SIZES, default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder for kimu.db and the CSV files")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY,
                        help=f"last day of the history (default {TODAY}; run reports with KIMU_TODAY=it)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    rng = random.Random(args.seed)
    leaders, years = SIZES[args.size]
    register = Register(rng, leaders, years, args.today)
    count = write(register, rng, args.out, f"{args.size} seed {args.seed}")
    print(f"{args.out / 'kimu.db'}: {len(register.leaders)} leaders, {len(register.participants)} participants, "
          f"{len(register.enrollments)} enrollments, {len(register.transitions)} transitions, "
          f"{count} attendance rows ({time.perf_counter() - began:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
