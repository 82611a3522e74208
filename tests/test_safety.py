"""Failure safety with real OS processes: writers at once lose nothing and never see
'database is locked'; an import killed with SIGKILL leaves the database as it was."""

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

KIMU = [sys.executable, "-m", "kimu_cli"]
MID_IMPORT = 0.3  # the import streams: a third of the file read is a third of its rows written


def _read_so_far(pid, path):
    """How far process pid has read the file at path (Linux /proc), 0 before it opens it."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:  # the process has ended: stop waiting
        return float("inf")
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    return int(info.readline().split()[1])
        except OSError:  # a descriptor closed while we looked
            continue
    return 0


def _env(kimu):
    return {**os.environ, "KIMU_DB": str(kimu.path)}


def _days(first, count):
    start = datetime.date.fromisoformat(first)
    return [(start + datetime.timedelta(days=d)).isoformat() for d in range(count)]


def _attendance_csv(path, refs, days):
    with open(path, "w", encoding="utf-8") as f:
        f.write("ref;date;status\n")
        f.writelines("".join(f"{ref};{day};present\n" for ref in refs) for day in days)
    return path


@pytest.fixture
def crowd(kimu, tmp_path):
    """One leader with room for many; P0..P{n-1} imported, all enrolled since 2020-01-06."""
    kimu.ok("site", "add", "Solbakken")
    kimu.ok("leader", "add", "Kari", "--site", "Solbakken", "--yearly-capacity", "1000", "--max-concurrent", "1000")

    def enrol(n):
        path = tmp_path / "participants.csv"
        path.write_text("ref;leader;start_date\n" + "".join(f"P{i};Kari;06.01.2020\n" for i in range(n)))
        kimu.ok("import", "participants", path)
        return [f"P{i}" for i in range(n)]

    kimu.enrol = enrol
    return kimu


def _dump(path):
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_writers_and_readers_at_once_all_succeed_and_nothing_is_lost(crowd, tmp_path):
    refs = crowd.enrol(30)
    crowd.ok("participant", "add", "Q1", "--leader", "Kari", "--start", "2026-11-02")
    imported = _attendance_csv(tmp_path / "attendance.csv", refs, _days("2025-12-01", 300))
    days = _days("2026-11-16", 4)
    scripts = {
        "import": [["import", "attendance", imported]],
        "attendance": [["attendance", "record", day, "Q1", "--status", "absent"] for day in days],
        "register": [["participant", "add", f"N{i}", "--leader", "Kari", "--start", "2026-11-20"] for i in range(3)],
        "summary": [["summary", "outcomes", "--format", "json"], ["attendance", "rates", "--by", "leader"]],
        "backup": [["db", "backup", tmp_path / f"backup-{i}.db"] for i in range(2)],
    }
    runners = {
        name: subprocess.Popen(
            [sys.executable, "-c", "import subprocess, sys; [subprocess.run(a, check=True) for a in eval(sys.argv[1])]",
             repr([[*KIMU, *map(str, args)] for args in commands])],
            env=_env(crowd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name, commands in scripts.items()
    }
    for name, proc in runners.items():
        out, err = proc.communicate()
        assert proc.returncode == 0 and not err, f"{name}: {err}"
        assert "locked" not in out + err

    assert crowd.query("SELECT count(*) AS n FROM attendance") == [{"n": 30 * 300 + len(days)}]
    assert {r["ref"] for r in crowd.query("SELECT ref FROM participants")} >= {"N0", "N1", "N2"}
    audited = {r["action"]: r["n"] for r in crowd.query("SELECT action, count(*) AS n FROM audit_log GROUP BY action")}
    assert audited["import"] == 2 and audited["record"] == len(days)
    assert audited["add"] == 2 + 30 + 1 + 3  # site, leader, P0-P29, Q1, N0-N2
    assert crowd.ok("db", "check").startswith("ok")
    for i in range(2):  # each backup is one consistent moment: the import is in it entirely or not at all
        backup = sqlite3.connect(tmp_path / f"backup-{i}.db")
        assert backup.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert backup.execute("SELECT count(*) FROM attendance a JOIN participants p ON p.id = a.participant_id "
                              "WHERE p.ref LIKE 'P%'").fetchone()[0] in (0, 30 * 300)
        backup.close()


def test_an_import_killed_with_sigkill_leaves_the_database_exactly_as_before(crowd, tmp_path):
    refs = crowd.enrol(300)
    crowd.ok("import", "attendance", _attendance_csv(tmp_path / "first.csv", refs[:5], _days("2020-01-06", 3)))
    big = _attendance_csv(tmp_path / "big.csv", refs, _days("2020-01-09", 2000))  # 600 000 rows
    before = _dump(crowd.path)

    proc = subprocess.Popen([*KIMU, "import", "attendance", big], env=_env(crowd),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while proc.poll() is None and _read_so_far(proc.pid, big) < big.stat().st_size * MID_IMPORT:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed; make the file larger"
    assert _dump(crowd.path) == before
    assert crowd.ok("db", "check").startswith("ok")
    assert json.loads(crowd.ok("import", "attendance", tmp_path / "first.csv", "--format", "json"))["unchanged"] == 15
