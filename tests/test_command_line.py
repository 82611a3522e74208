"""`kimu` as a person starts it (kimu_cli.cli.main): a line that names a command builds that command
alone, and says and does what the whole command line says and does; help, tab completion and a
mistyped word get every command."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from kimu_cli.cli import COMMANDS, _named


@pytest.mark.parametrize("args, named", [
    (["participant", "list"], ["participant"]),
    (["--db", "x.db", "summary", "weekly"], ["summary"]),
    (["--db=x.db", "--lang", "nb", "capacity"], ["capacity"]),
    (["participant", "list", "--db", "x.db", "--lang=nb"], ["participant"]),  # moved to the front first
    (["import", "attendance", "f.csv"], ["import"]),
    ([], None),
    (["--help"], None),
    (["--version"], None),
    (["--db", "x.db"], None),
    (["--db"], None),  # no file named: Typer says so, with every command
    (["partcipant", "list"], None),  # a typo: Click suggests from every command
    (["--", "participant"], None),
])
def test_a_line_builds_the_command_it_names(args, named):
    assert _named(args) == named


def test_tab_completion_builds_every_command(monkeypatch):
    monkeypatch.setenv("_KIMU_COMPLETE", "complete_bash")
    assert _named(["participant", "list"]) is None


def _kimu(*args, env=None, whole=False):
    """kimu_cli.cli.main in a process of its own, as the `kimu` script runs it (whole: the command with
    every command instead); its stderr ends with the modules of kimu_cli.cli it imported."""
    run = "from kimu_cli.cli import app\napp(args=sys.argv[1:], prog_name='kimu')" if whole else (
        "from kimu_cli.cli import main\nsys.argv = ['kimu', *sys.argv[1:]]\nmain()")
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print(' '.join(sorted(m for m in sys.modules if m.startswith('kimu_cli.cli.'))),"
            f" file=sys.stderr))\n{run}\n")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], check=False, capture_output=True, text=True,
                          env=env)


def test_a_command_line_says_what_the_whole_command_line_says(register):
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    env = {**os.environ, "KIMU_TODAY": "2026-11-25", "NO_COLOR": "1", "COLUMNS": "100"}
    lines = (["participant", "list", "--format", "csv"], ["participant", "--help"],
             ["summary", "weekly", "--format", "json"], ["capacity", "--lang", "nb"])
    with ThreadPoolExecutor() as pool:  # the processes side by side
        runs = list(pool.map(lambda run: _kimu("--db", register.path, *run[0], env=env, whole=run[1]),
                             [(args, whole) for args in lines for whole in (False, True)]))
    for args, alone, whole in zip(lines, runs[0::2], runs[1::2]):
        assert (alone.returncode, alone.stdout) == (whole.returncode, whole.stdout), args
        assert alone.stdout and alone.stderr.splitlines()[:-1] == whole.stderr.splitlines()[:-1], args
    modules = runs[0].stderr.split()  # participant list, alone
    assert "kimu_cli.cli.participant" in modules and "kimu_cli.cli.summary" not in modules


def test_a_mistyped_command_is_told_from_every_command(register):
    result = _kimu("--db", register.path, "partcipant", "list")
    assert result.returncode == 2
    assert "No such command 'partcipant'" in result.stderr and "participant" in result.stderr.split("partcipant")[-1]
    modules = result.stderr.splitlines()[-1].split()
    assert {f"kimu_cli.cli.{module}" for _, module, _ in COMMANDS} <= set(modules)


def test_a_closed_or_full_standard_output_is_no_traceback(register):
    """`kimu ... >&-` writes to nowhere, as to /dev/null; `kimu ... > /dev/full` says so in one line."""
    script = [sys.executable, "-m", "kimu_cli", "--db", str(register.path), "participant", "list"]
    closed = subprocess.run(script, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                            pass_fds=(), preexec_fn=lambda: os.close(1))
    assert (closed.returncode, closed.stderr) == (0, "")
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run(script + ["--format", "json"], stdout=full, stderr=subprocess.PIPE, text=True,
                                check=False)
    assert (result.returncode, result.stderr) == (1, "kimu: the output could not be written (No space left on device)\n")
