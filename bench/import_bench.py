"""How fast `kimu import attendance` is, side by side with sqlite3's .import and sqlite-utils.

    python bench/import_bench.py                  # a million rows, 3 runs each
    python bench/import_bench.py --rows 100000 --repeat 1

Writes a synthetic register (participants, their leaders and sites) and an attendance
CSV of --rows rows in Norwegian Excel style (dd.mm.yyyy, Norwegian status words, a
day's rows after the previous day's) to a temporary folder, imports the participants
once, then times, each on a fresh database:

  sqlite3      sqlite3 bare.db '.import --csv attendance.csv bare'   (no checks at all)
  sqlite-utils sqlite-utils insert bare.db bare attendance.csv --csv
  kimu         kimu import attendance attendance.csv                 (every rule checked)

and, once, kimu importing the same file again (all unchanged).
Prints medians, ratios and each tool's peak memory (max RSS of the child process).
"""

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
KIMU = [str(VENV_BIN / "kimu")]
SQLITE_UTILS = str(VENV_BIN / "sqlite-utils")
TODAY = "2026-11-25"
FIRST_DAY = date(2024, 1, 1)
PER_LEADER = 10
LEADERS_PER_SITE = 20
STATUSES = (["møtt"] * 85) + (["fravær"] * 10) + (["syk"] * 5)


def weekdays(first, count):
    day = first
    while count:
        if day.weekday() < 5:
            yield day
            count -= 1
        day += timedelta(days=1)


def generate(folder, rows, seed=1):
    """participants.csv and attendance.csv; returns their paths."""
    rng = random.Random(seed)
    people = max(1, rows // 400)
    days_each = -(-rows // people)
    participants, attendance = folder / "participants.csv", folder / "attendance.csv"
    with open(participants, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Deltaker", "Arbeidsleder", "Omsorgssenter", "Startdato"])
        for i in range(people):
            leader = i // PER_LEADER
            w.writerow([f"B-{i:06d}", f"Leder {leader:04d}", f"Senter {leader // LEADERS_PER_SITE:03d}",
                        FIRST_DAY.strftime("%d.%m.%Y")])
    written = 0
    with open(attendance, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ref", "dato", "oppmøte", "timer", "notat"])
        for day in weekdays(FIRST_DAY, days_each):
            text = day.strftime("%d.%m.%Y")
            for i in range(people):
                if written == rows:
                    break
                status = rng.choice(STATUSES)
                hours = "7,5" if status == "møtt" and rng.random() < 0.3 else ""
                note = "legetime" if status == "syk" and rng.random() < 0.2 else ""
                w.writerow([f"B-{i:06d}", text, status, hours, note])
                written += 1
    return participants, attendance


def run(argv, env=None):
    """(seconds, peak RSS in MiB) of one child process; fails loudly if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    out, err = child.stdout.read().decode(), child.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{out}{err}")
    return seconds, usage.ru_maxrss / 1024


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def copy_db(base, path):
    fresh(path)
    shutil.copyfile(base, path)
    return path


def kimu(db, *args):
    return [*KIMU, "--db", str(db), *args]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temp folder)")
    args = parser.parse_args(argv)
    env = {**os.environ, "KIMU_TODAY": TODAY}
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kimu-import-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        report(folder, args.rows, args.repeat, env)
    finally:
        if not args.keep:
            shutil.rmtree(folder)


def report(folder, rows, repeat, env):
    t = time.perf_counter()
    participants, attendance = generate(folder, rows)
    size = attendance.stat().st_size / 2**20
    print(f"generated {rows:,} attendance rows ({size:.0f} MiB) in {time.perf_counter() - t:.1f} s")
    base = folder / "base.db"
    seconds, _ = run(kimu(fresh(base), "import", "participants", str(participants)), env)
    print(f"kimu import participants: {seconds:.1f} s (once, to set up)")
    runs = {"sqlite3": [], "sqlite-utils": [], "kimu": []}
    for _ in range(repeat):
        bare = fresh(folder / "bare.db")
        runs["sqlite3"].append(run(["sqlite3", str(bare), f".import --csv {attendance} bare"]))
        bare = fresh(folder / "bare.db")
        runs["sqlite-utils"].append(run([SQLITE_UTILS, "insert", str(bare), "bare", str(attendance), "--csv"]))
        db = copy_db(base, folder / "kimu.db")
        runs["kimu"].append(run(kimu(db, "import", "attendance", str(attendance)), env))
    again = run(kimu(db, "import", "attendance", str(attendance)), env)

    median = {tool: statistics.median(s for s, _ in times) for tool, times in runs.items()}
    print(f"\n{rows:,} rows, median of {repeat} run(s):")
    print(f"{'tool':<32}{'seconds':>9}{'rows/s':>12}{'peak MiB':>10}")
    lines = [(tool, median[tool], max(m for _, m in runs[tool])) for tool in runs]
    lines.append(("kimu, re-import (all unchanged)", *again))
    for tool, seconds, mib in lines:
        print(f"{tool:<32}{seconds:>9.2f}{rows / seconds:>12,.0f}{mib:>10.0f}")
    print(f"\nkimu / sqlite3 .import:        {median['kimu'] / median['sqlite3']:.1f}x the time (goal: at most ~5x)")
    print(f"sqlite-utils / kimu:           kimu is {median['sqlite-utils'] / median['kimu']:.1f}x faster (goal: ~6x)")


if __name__ == "__main__":
    main()
