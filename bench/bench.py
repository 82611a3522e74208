"""kimu against its neighbours, side by side in one run: one table of medians and ratios.

Run it as `bench/run` (which picks the interpreter kimu is installed in); `bench/run --help`.
Every measurement is a fresh process (as a user or cron starts it), run once to warm the
file cache and upgrade the database, then --repeat times (imports: --import-repeat times on
fresh files); the table shows the median wall time and the largest peak RSS of the command
(ru_maxrss from wait4). A command this kimu does not have yet is shown as "n/a (missing)",
so the benchmark works at every stage.
"""

import argparse
import os
import pty
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import generate

HERE = Path(__file__).resolve().parent
TODAY = generate.TODAY.isoformat()
REPORTS = [  # (label, kimu arguments); each is timed on the big database and on an empty one
    ("summary weekly", ["summary", "weekly"]),
    ("summary outcomes --by site", ["summary", "outcomes", "--by", "site"]),
    ("capacity", ["capacity"]),
    ("attendance alerts", ["attendance", "alerts"]),
]
# The targets: (largest ratio kimu / baseline, largest peak RSS of kimu in MiB)
TARGETS = {
    "startup": (1.25, None),
    "import": (5, 100),
    "import vs sqlite-utils": (1 / 6, 100),  # at least 6x faster
    "report": (1.5, None),
    "sheet": (2, 150),  # an xlsx sheet: at most twice the same rows from CSV, under 150 MiB
}


class Result:
    def __init__(self, seconds=None, rss=None, problem=None):
        self.seconds, self.rss, self.problem = seconds, rss, problem

    def text(self):
        return self.problem or f"{self.seconds:.3f} s"


def kimu_command():
    """The `kimu` script beside this interpreter (what a user runs), else `python -m kimu_cli`."""
    script = Path(sys.executable).parent / "kimu"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kimu_cli"]


def environment(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIMU_")}
    env.update(KIMU_TODAY=TODAY, NO_COLOR="1", XDG_DATA_HOME=str(home), LC_ALL="C.UTF-8")
    return env


def terminal(env):
    """The environment of a person at a colour terminal (rich help and tables)."""
    env = {k: v for k, v in env.items() if k != "NO_COLOR"}
    return {**env, "TERM": "xterm-256color", "COLUMNS": "100", "TTY": "1"}


# The measured command is forked by this slim process (python -S), which reports its time,
# peak RSS and exit code. Linux counts in a child's ru_maxrss the memory of the process it
# was forked from, so a child of the benchmark itself would show the benchmark's memory;
# the spawner's own 7 MiB is the floor of the RSS column.
SPAWN = """
import os, sys, time
began = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.dup2(2 if os.environ.get("TTY") else os.open(os.devnull, os.O_WRONLY), 1)
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - began, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_once(argv, env):
    """(seconds, peak RSS in MiB, exit code, stderr) of one fresh process; its output is thrown
    away, or written to a pseudo-terminal when env has TTY (see terminal())."""
    with tempfile.TemporaryFile() as err:
        reader = None
        if env.get("TTY"):
            master, err = pty.openpty()
            reader = threading.Thread(target=_drain, args=(master,))
        spawner = subprocess.Popen([sys.executable, "-S", "-c", SPAWN, *argv], stdout=subprocess.PIPE,
                                   stderr=err, stdin=subprocess.DEVNULL, env=env)
        if reader:
            os.close(err)
            reader.start()
        seconds, rss, code = spawner.communicate()[0].split()
        if reader:
            reader.join()
            return float(seconds), int(rss) / 1024, int(code), ""
        err.seek(0)
        return float(seconds), int(rss) / 1024, int(code), err.read().decode(errors="replace").strip()


def _drain(fd):
    """Read a pseudo-terminal until the child closes it, so the child never blocks on output."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:  # EIO: the other side is closed
        pass
    finally:
        os.close(fd)


def measure(argv, env, repeat):
    """Median wall time and peak RSS over `repeat` runs after one warm-up; a failure is a problem text."""
    return _warm_up(argv, env) or _result([run_once(argv, env) for _ in range(repeat)])


def measure_pair(argv, base_argv, env, repeat):
    """measure() of a command and of its baseline, their runs taken in turn (command, baseline,
    command, ...): a slow spell of a shared machine falls on both instead of on one of them."""
    problems = _warm_up(argv, env), _warm_up(base_argv, env)
    if any(problems):
        return tuple(problem or measure(one, env, repeat) for problem, one in zip(problems, (argv, base_argv)))
    runs = [(run_once(argv, env), run_once(base_argv, env)) for _ in range(repeat)]
    return _result([one for one, _ in runs]), _result([base for _, base in runs])


def _warm_up(argv, env):
    """One run to warm the file cache (and upgrade a database); None, or the failure as a Result."""
    _, _, code, stderr = run_once(argv, env)
    if code == 0:
        return None
    missing = code == 2 and ("No such command" in stderr or "no such option" in stderr.lower())
    last = stderr.splitlines()[-1] if stderr else ""
    return Result(problem="n/a (missing)" if missing else f"error (exit {code}: {last[:60]})")


def _result(runs):
    return Result(statistics.median(r[0] for r in runs), max(r[1] for r in runs))


def dataset(out, size, seed):
    """The generated database folder for size/seed, generated when it is not there yet."""
    folder = out / f"{size}-seed{seed}"
    if not (folder / "kimu.db").exists():
        print(f"generating the {size} data set in {folder} (national: about a minute) ...", file=sys.stderr)
        generate.main(["--size", size, "--seed", str(seed), "--out", str(folder), "--today", TODAY])
    return folder


def startup_rows(kimu, env, small_db, repeat):
    minimal = [sys.executable, str(HERE / "minimal_typer.py")]
    pairs = [
        ("cold start: kimu --help", kimu + ["--help"], "minimal Typer app --help", minimal + ["--help"]),
        ("cold start: participant list --format csv (small db)",
         kimu + ["--db", str(small_db), "participant", "list", "--format", "csv"],
         "minimal Typer app, its one command", minimal + ["hello"]),
    ]
    for where, run_env in (("piped", env), ("terminal", terminal(env))):
        for label, argv, base_label, base_argv in pairs:
            kimu, base = measure_pair(argv, base_argv, run_env, repeat)
            yield f"{label}, {where}", kimu, base_label, base, TARGETS["startup"]


def report_rows(kimu, env, big_db, empty_db, size, repeat):
    # Only `db init` creates a database (a mistyped path is an error): the empty one is made first.
    subprocess.run(kimu + ["--db", str(empty_db), "db", "init"], env=env, check=True, capture_output=True)
    for label, args in REPORTS:
        big, empty = measure_pair(kimu + ["--db", str(big_db)] + args, kimu + ["--db", str(empty_db)] + args, env, repeat)
        yield f"{label} ({size})", big, "same command, empty database", empty, TARGETS["report"]


def import_rows(folder, env, rows, repeat):
    """kimu import attendance of the data set's first `rows` attendance rows, against sqlite3's
    .import into a bare table and sqlite-utils insert --csv, each on a fresh file, with the
    helpers of bench/import_bench.py (issue 5; run it alone for Norwegian Excel-style files)."""
    if not (HERE / "import_bench.py").exists():
        yield "import attendance", Result(problem="n/a (missing bench/import_bench.py)"), "", Result(problem=""), None
        return
    import import_bench as ib

    work, base = _register(folder, env)
    csv_file = work / "attendance.csv"
    rows = _head(folder / "attendance.csv", csv_file, rows)
    commands = {
        "kimu": lambda: ib.kimu(ib.copy_db(base, work / "kimu.db"), "import", "attendance", str(csv_file)),
        "sqlite3": lambda: ["sqlite3", str(ib.fresh(work / "bare.db")), f".import --csv {csv_file} bare"],
        "sqlite-utils": lambda: [ib.SQLITE_UTILS, "insert", str(ib.fresh(work / "bare.db")), "bare", str(csv_file),
                                 "--csv"],
    }
    result = {tool: _import_times(command, env, repeat) for tool, command in commands.items()}
    label = f"import attendance, {rows} rows"
    yield label, result["kimu"], "sqlite3 .import, bare table", result["sqlite3"], TARGETS["import"]
    yield label, result["kimu"], "sqlite-utils insert --csv", result["sqlite-utils"], TARGETS["import vs sqlite-utils"]


def _register(folder, env):
    """(work folder, database with the data set's register and no attendance), made once."""
    import import_bench as ib

    work = folder / "import"
    work.mkdir(exist_ok=True)
    base = work / "participants.db"
    if not base.exists():  # the register the attendance belongs to; --force: the data has forced enrollments
        setup = ib.kimu(ib.fresh(work / "setup.db"), "import", "participants", "--force", str(folder / "participants.csv"))
        _checked(run_once(setup, env))
        (work / "setup.db").rename(base)
    _checked(run_once(ib.kimu(base, "db", "check"), env))  # upgraded once, not in every timed copy
    return work, base


def sheet_rows(folder, env, rows, repeat):
    """kimu import attendance of the data set's first `rows` attendance rows from an .xlsx sheet
    (written by kimu_cli.xlsx: date cells, text as inline strings), against the same rows from CSV
    (issue 17)."""
    import import_bench as ib

    work, base = _register(folder, env)
    csv_file, sheet = work / f"attendance-{rows}.csv", work / f"attendance-{rows}.xlsx"
    rows = _head(folder / "attendance.csv", csv_file, rows)
    if not sheet.exists() or sheet.stat().st_mtime < csv_file.stat().st_mtime:
        _workbook(csv_file, sheet)
    commands = {name: (lambda path=path: ib.kimu(ib.copy_db(base, work / "kimu.db"), "import", "attendance", str(path)))
                for name, path in (("csv", csv_file), ("xlsx", sheet))}
    result = {name: _import_times(command, env, repeat) for name, command in commands.items()}
    yield (f"import attendance from .xlsx, {rows} rows", result["xlsx"], "the same rows from CSV", result["csv"],
           TARGETS["sheet"])


def _workbook(csv_file, target):
    """The rows of csv_file as one sheet of an .xlsx file, dates as date cells."""
    import csv

    sys.path.insert(0, str(HERE.parent))
    from kimu_cli import xlsx

    with open(csv_file, encoding="utf-8", newline="") as f, open(target, "wb") as out:
        reader = csv.reader(f)
        columns = next(reader)
        xlsx.write(out, "Oppmøte", columns, reader, {"date"})


def _import_times(command, env, repeat):
    """Median time and peak RSS of `repeat` runs of command() (each on a fresh file)."""
    program = command()[0]
    if not shutil.which(program):
        return Result(problem=f"n/a ({Path(program).name} not installed)")
    runs = [_checked(run_once(command(), env)) for _ in range(repeat)]
    return Result(statistics.median(r[0] for r in runs), max(r[1] for r in runs))


def _checked(run):
    """A run that must succeed: the benchmark stops with the command's error otherwise."""
    if run[2] != 0:
        sys.exit(f"bench/run: an import failed (exit {run[2]}): {run[3]}")
    return run


def _head(source, target, rows):
    """Copy the header and the first `rows` rows of source to target; returns the rows copied."""
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        out.write(next(f))
        copied = 0
        for copied, line in enumerate(f, 1):
            out.write(line)
            if copied == rows:
                break
    return copied


def verdict(result, base, target):
    """(ratio text, target text, ok/MISSED) of one line."""
    if target is None or result.seconds is None or not base.seconds:
        return "", "", ""
    most, mib = target
    ratio = result.seconds / base.seconds
    wanted = f"<= {most:.2f}x" + (f", < {mib} MiB" if mib else "")
    ok = ratio <= most and (mib is None or result.rss < mib)
    return f"{ratio:.2f}x", wanted, "ok" if ok else "MISSED"


def table(lines):
    """One plain table: what, kimu, baseline, ratio, target, verdict and both peak RSS."""
    header = ("measure", "kimu", "kimu RSS", "baseline", "baseline time", "baseline RSS", "ratio", "target", "")
    body = []
    for label, result, base_label, base, target in lines:
        ratio, wanted, ok = verdict(result, base, target)
        body.append((label, result.text(), _mib(result), base_label, base.text(), _mib(base), ratio, wanted, ok))
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *body]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def _mib(result):
    return f"{result.rss:.0f} MiB" if result.rss else ""


def parse(argv):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=generate.SIZES, default="national",
                        help="data set for the reports and the import (default national)")
    parser.add_argument("--seed", type=int, default=1)
    # 11: on a shared 2-core machine one run of a command varies by 15 % and more, and a target of
    # 1.25x or 1.5x is a few such steps away.
    parser.add_argument("--repeat", type=int, default=11, help="timed runs per measurement (default 11)")
    parser.add_argument("--import-rows", type=int, default=1_000_000,
                        help="attendance rows in the import comparison (default 1000000)")
    parser.add_argument("--import-repeat", type=int, default=3,
                        help="timed runs of each import (default 3; sqlite-utils takes a minute per million rows)")
    parser.add_argument("--sheet-rows", type=int, default=100_000,
                        help="attendance rows in the .xlsx import (default 100000)")
    parser.add_argument("--only", choices=("startup", "import", "sheets", "reports"), action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where data sets are kept (default bench/out)")
    parser.add_argument("--quick", action="store_true", help="county size, 3 repeats, 100000 rows imported once")
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.repeat, args.import_rows, args.import_repeat = "county", 3, 100_000, 1
    return args


def main(argv=None):
    args = parse(argv)
    parts = args.only or ["startup", "import", "sheets", "reports"]
    kimu = kimu_command()
    home = Path(tempfile.mkdtemp(prefix="kimu-bench-"))
    env = environment(home)
    load = os.getloadavg()[0]
    began = time.perf_counter()
    lines = []
    try:
        if "startup" in parts:
            lines += startup_rows(kimu, env, dataset(args.out, "small", args.seed) / "kimu.db", args.repeat)
        if "import" in parts:
            lines += import_rows(dataset(args.out, args.size, args.seed), env, args.import_rows, args.import_repeat)
        if "sheets" in parts:
            lines += sheet_rows(dataset(args.out, args.size, args.seed), env, args.sheet_rows, args.import_repeat)
        if "reports" in parts:
            big = dataset(args.out, args.size, args.seed) / "kimu.db"
            lines += report_rows(kimu, env, big, home / "empty.db", args.size, args.repeat)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    table(lines)
    print(f"\nPython {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores; median of "
          f"{args.repeat} runs after a warm-up (imports: of {args.import_repeat}); load average {load:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after; {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
