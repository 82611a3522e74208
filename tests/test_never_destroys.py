"""Nothing a command does destroys the register or writes where it must not (issue 12).

Each case compares the bytes of the database and of every other file involved before and after,
through the real CLI; the destructive ones (a full disk, a kill) run kimu in a subprocess against
stand-ins this test makes itself: a FIFO, links, RLIMIT_FSIZE. Never a real device.
"""

import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time

import pytest
from conftest import Kimu, templated

from kimu_cli.cli import database_error

KIMU = [sys.executable, "-m", "kimu_cli"]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder):
    """{name: digest or kind} of everything in folder: what a command left behind, and how."""
    found = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            found[entry.name] = f"-> {os.readlink(entry)}"
        elif entry.is_file():
            found[entry.name] = digest(entry)
        else:
            found[entry.name] = stat.filemode(entry.lstat().st_mode)
    return found


@templated
def demo(kimu):
    """The demo register: enough attendance for exports of a few hundred kB."""
    kimu.ok("demo")
    return kimu


def _unchanged(kimu, args, says):
    """Run args, insist on exit 1 with `says` in the one line, and that no file in the folder changed."""
    before = files_in(kimu.path.parent)
    message = kimu.fails(*args)
    assert says in message, message
    assert len(message.splitlines()) == 1
    assert files_in(kimu.path.parent) == before
    return message


# ---- files a command writes ----

WRITERS = [
    ("export", "attendance", "--output"),
    ("summary", "weekly", "--output"),
    ("export", "sites", "--format", "xlsx", "--output"),
]


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
@pytest.mark.parametrize("name", ["kimu.db", "./kimu.db", "kimu.db-wal", "kimu.db-shm", "kimu.db-journal"])
def test_output_is_never_the_database_or_its_files(demo, monkeypatch, writer, name):
    monkeypatch.chdir(demo.path.parent)
    _unchanged(demo, [*writer, name], "is the database in use")


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
def test_output_is_never_the_database_through_a_hard_link(demo, writer):
    alias = demo.path.parent / "alias.db"
    os.link(demo.path, alias)
    _unchanged(demo, [*writer, alias], "is the database in use")
    # the -wal of the other name: the live WAL of whoever opens the file by that name
    _unchanged(demo, [*writer, f"{alias}-wal"], "is the database in use")
    _unchanged(Kimu(alias), [*writer, demo.path.parent / "kimu.db-wal"], "is the database in use")


def test_backup_is_never_the_database_or_a_link_to_it(demo):
    alias = demo.path.parent / "alias.db"
    os.link(demo.path, alias)
    _unchanged(demo, ["db", "backup", alias, "--overwrite"], "is the database in use")
    _unchanged(demo, ["db", "backup", f"{demo.path}-wal", "--overwrite"], "is the database in use")


@pytest.mark.parametrize("writer", [*WRITERS, ("db", "backup")], ids=lambda w: " ".join(w[:2]))
def test_output_never_writes_through_a_symbolic_link(demo, writer):
    victim = demo.path.parent / "victim.txt"
    victim.write_text("someone else's file\n")
    victim.chmod(0o644)
    (demo.path.parent / "link.csv").symlink_to(victim)
    (demo.path.parent / "db-link.db").symlink_to(demo.path)
    _unchanged(demo, [*writer, demo.path.parent / "link.csv"], "is a symbolic link")
    _unchanged(demo, [*writer, demo.path.parent / "db-link.db"], "symbolic link")
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644


@pytest.mark.parametrize("writer", [*WRITERS, ("db", "backup")], ids=lambda w: " ".join(w[:2]))
def test_a_linked_folder_on_the_way_is_followed_and_the_database_still_known_through_it(demo, writer):
    """docs/reference.md, Files kimu writes: 'a linked folder on the way is followed'."""
    folder = demo.path.parent
    (folder / "reports").mkdir()
    (folder / "linked").symlink_to(folder / "reports", target_is_directory=True)
    demo.ok(*writer, folder / "linked" / "out.csv")
    assert (folder / "reports" / "out.csv").is_file() and (folder / "linked").is_symlink()
    (folder / "here").symlink_to(folder, target_is_directory=True)
    extra = ["--overwrite"] if writer[0] == "db" else []
    for name in ("kimu.db", "kimu.db-wal"):
        _unchanged(demo, [*writer, folder / "here" / name, *extra], "is the database in use")


@pytest.mark.parametrize("writer", [*WRITERS, ("db", "backup")], ids=lambda w: " ".join(w[:2]))
def test_output_is_never_a_fifo_or_a_folder(demo, writer):
    fifo = demo.path.parent / "pipe"
    os.mkfifo(fifo)
    _unchanged(demo, [*writer, fifo], "not a regular file")  # would block forever if opened
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    if writer[0] != "db":  # a backup into a folder is a time-stamped file in it
        _unchanged(demo, [*writer, demo.path.parent], "is a folder")


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
def test_output_into_a_missing_folder_is_refused(demo, writer):
    _unchanged(demo, [*writer, demo.path.parent / "typo" / "out.csv"], "does not exist")
    assert not (demo.path.parent / "typo").exists()


@pytest.mark.parametrize("writer", [*WRITERS, ("db", "backup")], ids=lambda w: " ".join(w[:2]))
def test_a_name_ending_in_a_slash_is_a_folder_never_the_file_of_that_name(demo, writer):
    """`--output notes.txt/` once wrote over notes.txt (Path drops the '/'), `db backup notes.txt/
    --overwrite` too; and `--output new/` wrote a file called new."""
    notes = demo.path.parent / "notes.txt"
    notes.write_text("my notes\n")
    extra = ["--overwrite"] if writer[0] == "db" else []
    says = "is not a folder" if writer[0] == "db" else "names a folder"
    _unchanged(demo, [*writer, f"{notes}/", *extra], says)
    if writer[0] != "db":  # a backup creates a folder given with a '/'
        _unchanged(demo, [*writer, f"{demo.path.parent / 'new'}/"], "names a folder")


def test_output_dash_is_standard_output(demo, monkeypatch):
    monkeypatch.chdir(demo.path.parent)
    assert demo.ok("export", "sites", "--output", "-").startswith("site,municipality,nav_office\n")
    assert demo.ok("summary", "weekly", "--output", "-").startswith(demo.ok("summary", "weekly")[:40])
    assert not (demo.path.parent / "-").exists()
    _unchanged(demo, ["db", "backup", "-"], "never to standard output")  # not a file called '-'


def test_output_replaces_a_file_whole_and_private(demo):
    out = demo.path.parent / "sites.csv"
    out.write_text("old\n")
    out.chmod(0o644)
    demo.ok("export", "sites", "--output", out)
    assert out.read_text().startswith("site,")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


def _kimu_process(kimu, args, limit_bytes=None, die=False, kill_at=None):
    """kimu in a subprocess; limit_bytes: RLIMIT_FSIZE (a write past it fails with EFBIG as on a full
    disk); die: SIGXFSZ kills the process there instead (Python ignores it by default); kill_at: the
    os function at whose call the process SIGKILLs itself."""
    code = "import sys, signal\n"
    if limit_bytes is not None:  # set in the child itself: a preexec_fn is unsafe beside threads
        code += f"import resource\nresource.setrlimit(resource.RLIMIT_FSIZE, ({limit_bytes}, {limit_bytes}))\n"
    if die:
        code += "signal.signal(signal.SIGXFSZ, signal.SIG_DFL)\n"
    if kill_at:
        code += f"import os\nos.{kill_at} = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
    code += "from kimu_cli.cli import main\nsys.argv = ['kimu', *sys.argv[1:]]\nmain()\n"
    process = subprocess.Popen([sys.executable, "-c", code, "--db", str(kimu.path), *map(str, args)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate(timeout=120)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    result.pid = process.pid
    return result


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a tmpfs of 8 MiB, to fill up for real (needs root, as CI has; skipped elsewhere)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill up ({mounted.stderr.strip()})")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder, leave):
    """Fill folder's filesystem until `leave` bytes are free."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(folder / "filler", "wb") as f:
        f.write(b"\0" * max(free - leave, 0))


REPORTS = [("export", "attendance", "--output"), ("summary", "weekly", "--format", "html", "--output")]


@pytest.mark.parametrize("writer", REPORTS, ids=["export", "weekly"])
def test_a_full_disk_while_writing_leaves_the_old_file_and_nothing_else(demo, small_disk, writer):
    out = small_disk / "report.txt"
    out.write_text("the previous report\n")
    _fill(small_disk, leave=2048)
    before = files_in(small_disk)
    message = demo.fails(*writer, out)
    assert "the disk is full" in message and "the old file (if any) is unchanged" in message
    assert files_in(small_disk) == before  # no temporary file either


def _without_sidecars(found):
    """A killed kimu leaves SQLite's -wal and -shm of its open database, as any killed reader does."""
    return {name: value for name, value in found.items() if not name.startswith("kimu.db-")}


@pytest.mark.parametrize("die", [False, True], ids=["file too large", "killed mid-write"])
def test_an_export_that_cannot_finish_leaves_the_old_file_and_nothing_else(demo, die):
    out = demo.path.parent / "out.csv"
    out.write_text("the previous export\n")
    before = files_in(demo.path.parent)
    # Past the 32 kB -shm SQLite needs to read, long before the end of 7 000 days.
    result = _kimu_process(demo, ["export", "attendance", "--output", out], limit_bytes=40_000, die=die)
    if die:
        assert result.returncode == -signal.SIGXFSZ
        assert _without_sidecars(files_in(demo.path.parent)) == _without_sidecars(before)
    else:
        assert result.returncode == 1
        assert result.stderr.startswith("kimu: output: cannot write") and "the disk is full (or the file too large)" in (
            result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
        assert files_in(demo.path.parent) == before


@pytest.mark.parametrize("moment", ["fsync", "link", "replace"])
@pytest.mark.parametrize("writer", REPORTS, ids=["export", "weekly"])
def test_a_kill_at_any_moment_of_putting_a_file_in_place_leaves_the_old_file(demo, writer, moment):
    """SIGKILL when the content is complete but not yet in place (os.<moment> is where it dies)."""
    out = demo.path.parent / "out.txt"
    out.write_text("the previous report\n")
    before = files_in(demo.path.parent)
    result = _kimu_process(demo, [*writer, out], kill_at=moment)
    assert result.returncode == -signal.SIGKILL
    left = _without_sidecars(files_in(demo.path.parent))
    if moment == "replace":  # the complete file has its temporary name: the next write clears it
        assert [n for n in left if n not in before] == [f".out.txt.kimu-{result.pid}"]
        demo.ok(*writer, out)
        assert sorted(files_in(demo.path.parent)) == sorted(before)
    else:
        assert left == _without_sidecars(before)


def test_a_backup_killed_while_writing_leaves_no_partial_backup(demo, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = _kimu_process(demo, ["db", "backup", folder / "copy.db"], limit_bytes=64 * 1024, die=True)
    assert result.returncode == -signal.SIGXFSZ
    assert not (folder / "copy.db").exists()
    demo.ok("db", "backup", folder / "copy.db")  # the next backup clears what the killed one left
    assert [p.name for p in folder.iterdir()] == ["copy.db"]


# ---- a missing database is never created by a command that only reads ----

READERS = [
    ("participant", "list"), ("site", "list"), ("leader", "list"), ("attendance", "alerts"),
    ("attendance", "list"), ("transition", "list"), ("capacity",), ("summary", "outcomes"), ("summary", "cost"),
    ("summary", "weekly"), ("export", "sites"), ("audit",), ("db", "check"), ("db", "backup", "x.db"),
    ("participant", "end", "P1", "--date", "2026-11-01"), ("import", "sites-file.csv", "--dry-run"),
]


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_command_that_only_reads_never_creates_a_missing_database(kimu, command):
    if command[0] == "import":
        command = ("import", "attendance", kimu.path.parent / "a.csv", "--dry-run")
        (kimu.path.parent / "a.csv").write_text("ref;date;status\n")
    before = files_in(kimu.path.parent)
    message = kimu.fails(*command)
    assert f"'{kimu.path}' does not exist" in message and "kimu db init" in message
    assert files_in(kimu.path.parent) == before


def test_db_init_creates_a_private_database_and_says_so(kimu, tmp_path):
    path = tmp_path / "new" / "kimu.db"
    result = kimu("--db", path, "db", "init")
    assert result.exit_code == 0
    assert result.stdout == f"{path}\n"
    assert "created a new database" in result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = kimu("--db", path, "db", "init")
    assert again.exit_code == 0 and again.stderr == ""
    assert kimu.ok("--db", path, "db", "check").startswith("ok")


@pytest.mark.parametrize("command", [("site", "add", "Solbakken"), ("demo",)], ids=" ".join)
def test_commands_that_add_data_create_the_database_and_say_so(kimu, command):
    result = kimu(*command)
    assert result.exit_code == 0, result.output
    assert "created a new database" in result.stderr
    assert stat.S_IMODE(kimu.path.stat().st_mode) == 0o600


def test_an_add_creates_its_database_in_private_folders_and_a_refused_one_says_what_it_created(kimu, tmp_path):
    """Every folder kimu makes for a new database is 0700, not only the last. An add refused on a new
    database leaves it (empty) and says it was created: removing it again could lose a write another
    kimu process made to it meanwhile."""
    typo = tmp_path / "kimu" / "data" / "kimu.db"
    result = kimu("--db", typo, "leader", "add", "Kari", "--site", "Nowhere")
    assert result.exit_code == 1 and f"created a new database at '{typo}'" in result.stderr
    assert "unknown site 'Nowhere'" in result.stderr
    assert kimu.ok("--db", typo, "db", "check").startswith("ok")  # a sound, empty register
    assert [stat.S_IMODE(p.stat().st_mode) for p in (typo.parent.parent, typo.parent, typo)] == [0o700, 0o700, 0o600]


def test_the_notice_of_a_new_database_is_one_line_whatever_its_name(kimu, tmp_path):
    path = tmp_path / "a\nb.db"
    result = kimu("--db", path, "site", "add", "Solbakken")
    assert result.exit_code == 0 and result.stderr.splitlines() == [
        f"kimu: created a new database at '{tmp_path}/a\\nb.db'"]


@pytest.mark.parametrize("command", [("site", "add", "Solbakken"), ("site", "list"), ("db", "init")], ids=" ".join)
def test_a_database_name_ending_in_a_slash_names_a_folder_never_a_file(tmp_path, command):
    from typer.testing import CliRunner

    from kimu_cli.cli import app

    result = CliRunner().invoke(app, ["--db", f"{tmp_path}/newdir/", *command], prog_name="kimu")
    assert result.exit_code == 1 and "names a folder" in result.stderr, result.output
    assert list(tmp_path.iterdir()) == []
    result = CliRunner().invoke(app, list(command), env={"KIMU_DB": f"{tmp_path}/newdir/"}, prog_name="kimu")
    assert result.exit_code == 1 and "names a folder" in result.stderr, result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [("site", "add", "Solbakken"), ("summary", "weekly"), ("demo",), ("db", "path")],
                         ids=" ".join)
def test_an_empty_db_is_a_path_lost_on_the_way_not_the_default_file(tmp_path, command):
    """`--db "$UNSET"` in a cron line: refused, and no database made or read in the user's folder."""
    from typer.testing import CliRunner

    from kimu_cli.cli import app

    for args in (["--db", "", *command], [*command, "--db="]):
        result = CliRunner().invoke(app, args, env={"XDG_DATA_HOME": str(tmp_path)}, prog_name="kimu")
        assert result.exit_code == 1, args
        assert result.stderr == "kimu: database: --db is empty; give the file (or leave --db out for KIMU_DB or " \
                                "the default file)\n", args
    assert list(tmp_path.iterdir()) == []


def test_a_cron_job_with_a_mistyped_path_fails_loudly(kimu, tmp_path):
    """The cron line of docs/cron.md: no summary of zeros from an empty new file, exit 1, nothing created."""
    typo = tmp_path / "kimu" / "kimu.db"
    result = subprocess.run([*KIMU, "summary", "weekly", "--lang", "nb", "--output", tmp_path / "uke.txt"],
                            env={**os.environ, "KIMU_DB": str(typo)}, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "finnes ikke" in result.stderr  # --lang nb: the error in bokmål too
    assert not typo.parent.exists() and not (tmp_path / "uke.txt").exists()


# ---- a file that is not a kimu database is refused and left as it is ----

def _other_program(path, wal):
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not kimu''s')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make, says", [
    (lambda p: _other_program(p, wal=False), "another program's SQLite file"),
    (lambda p: _other_program(p, wal=True), "another program's SQLite file"),
    (lambda p: p.write_text("name;date\nAda;2026-01-01\n"), "not an SQLite file"),
    (lambda p: sqlite3.connect(p).execute("PRAGMA application_id = 42").connection.close(), "application id 42"),
], ids=["sqlite", "sqlite in WAL mode", "a CSV file", "another application id"])
@pytest.mark.parametrize("command", [("participant", "list"), ("site", "add", "Solbakken"), ("db", "init"),
                                     ("demo", "--replace")], ids=" ".join)
def test_a_file_that_is_not_a_kimu_database_is_refused_untouched(kimu, make, says, command):
    make(kimu.path)
    kimu.path.chmod(0o644)
    before = files_in(kimu.path.parent)
    message = kimu.fails(*command)
    assert "is not a kimu database" in message and says in message and "not changed" in message
    assert files_in(kimu.path.parent) == before  # no -wal or -shm left behind either
    assert stat.S_IMODE(kimu.path.stat().st_mode) == 0o644


def test_an_empty_file_is_no_database_to_read_but_becomes_a_private_one(kimu):
    kimu.path.touch(mode=0o644)
    kimu.path.chmod(0o644)
    assert "empty file" in kimu.fails("participant", "list")
    assert kimu.path.stat().st_size == 0
    result = kimu("site", "add", "Solbakken")
    assert result.exit_code == 0
    assert "made it private" in result.stderr
    assert stat.S_IMODE(kimu.path.stat().st_mode) == 0o600


def test_a_database_others_can_read_is_made_private_with_a_warning(demo):
    for file in (demo.path, *demo.path.parent.glob("kimu.db-*")):
        file.chmod(0o644)
    result = demo("site", "list")
    assert result.exit_code == 0
    assert result.stderr.count("made it private (0600)") == 1 and "mode 644" in result.stderr
    assert stat.S_IMODE(demo.path.stat().st_mode) == 0o600
    assert demo("site", "list").stderr == ""


@pytest.mark.parametrize("make, says", [(os.mkfifo, "not a regular file"), (os.mkdir, "is a directory")],
                         ids=["fifo", "folder"])
def test_a_database_path_that_is_no_file_is_refused(kimu, make, says):
    make(kimu.path)
    assert says in kimu.fails("site", "add", "Solbakken")  # a FIFO would block if opened
    before = files_in(kimu.path.parent)
    assert says in kimu.fails("demo", "--replace")  # never removed to make room for the demo
    assert files_in(kimu.path.parent) == before


def test_demo_replace_keeps_the_database_it_replaces(demo):
    """`kimu demo` with KIMU_DB set to the real register says to add --replace: doing so must not
    lose the register."""
    demo.ok("site", "add", "Solbakken 2")
    before = demo.snapshot()
    result = demo("demo", "--replace")
    assert result.exit_code == 0, result.output
    (kept,) = demo.path.parent.glob("kimu.db.replaced-*")
    assert f"is kept as '{kept}'" in result.stderr
    assert Kimu(kept).snapshot() == before
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert demo.snapshot() != before and demo.ok("db", "check").startswith("ok")


# ---- restore ----

def _fake_kimu(path, user_version):
    """Only tables with kimu's names and a plausible user_version."""
    conn = sqlite3.connect(path)
    for table in ("sites", "leaders", "participants", "enrollments", "attendance", "transitions", "audit_log"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, x TEXT)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()


def _backup_with(demo, tmp_path, *statements):
    """A backup of the demo changed by statements run with plain sqlite3."""
    path = tmp_path / "changed.db"
    demo.ok("db", "backup", path)
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("user_version", [1, 7, 8])
def test_restore_refuses_a_file_that_only_looks_like_kimu(demo, tmp_path, user_version):
    fake = tmp_path / "fake.db"
    _fake_kimu(fake, user_version)
    message = _unchanged(demo, ["db", "restore", fake], "is not a kimu database")
    assert "nothing was changed" in message


@pytest.mark.parametrize("statements, says", [
    (["DROP TRIGGER audit_log_no_delete"], "no trigger 'audit_log_no_delete'"),
    (["DROP INDEX enrollments_start"], "no index 'enrollments_start'"),
    (["ALTER TABLE participants ADD COLUMN fnr TEXT"], "table 'participants' differs"),
    (["INSERT INTO transitions (participant_id, date, kind) VALUES (999, '2026-01-05', 'mfy')"],
     "fails 'kimu db check'"),
    (["UPDATE participants SET notes = 'ring 15019012317' WHERE id = 1"], "identity number"),
    (["CREATE TRIGGER zz_evil AFTER UPDATE ON participants BEGIN UPDATE participants SET name = 'x'; END"],
     "trigger 'zz_evil' is not kimu's"),
    (["CREATE TABLE kept (x)"], "table 'kept' is not kimu's"),
    (["CREATE VIEW v AS SELECT 1"], "view 'v' is not kimu's"),
    (["PRAGMA writable_schema = ON", ("UPDATE sqlite_master SET sql = replace(sql, '<= 2000', '<= 9000000') "
       "WHERE name = 'attendance'")], "table 'attendance' differs"),
], ids=["a trigger missing", "an index missing", "a column more", "a foreign key broken", "an identity number",
        "a trigger more", "a table more", "a view more", "a CHECK changed"])
def test_restore_refuses_a_backup_that_is_not_exactly_sound(demo, tmp_path, statements, says):
    changed = _backup_with(demo, tmp_path, *statements)
    _unchanged(demo, ["db", "restore", changed], says)


def _other_program_behind_a_link(path):
    _other_program(path.parent / "other.db", wal=False)
    path.symlink_to("other.db")


@pytest.mark.parametrize("make, says", [
    (lambda p: _other_program(p, wal=False), "another program's SQLite file"),
    (lambda p: _other_program(p, wal=True), "another program's SQLite file"),
    (_other_program_behind_a_link, "another program's SQLite file"),
    (os.mkfifo, "not a regular file"),
], ids=["another program's database", "one in WAL mode", "a link to one", "a fifo"])
def test_restore_never_moves_aside_a_file_that_is_not_kimus(demo, tmp_path, make, says):
    """A --db that names something else is refused as it is; it was once moved aside to make room
    (a file that is not even SQLite may be a kimu file a disk failure wrote over: that one is moved
    aside as it is, test_db.py)."""
    backup = tmp_path / "backup.db"
    demo.ok("db", "backup", backup)
    (tmp_path / "other").mkdir()
    target = Kimu(tmp_path / "other" / "x.db")
    make(target.path)
    _unchanged(target, ["db", "restore", backup], says)


def test_a_restore_waits_for_a_lock_no_longer_than_the_busy_timeout(demo, tmp_path, monkeypatch):
    """Python's backup retried a busy step forever: the restore waited for the lock however long."""
    import threading

    from kimu_cli import db

    backup = tmp_path / "backup.db"
    demo.ok("db", "backup", backup)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(demo.path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(5, holder.rollback)  # so that a restore that waits ends, and fails the test
    release.start()
    try:
        old = digest(demo.path)
        message = demo.fails("db", "restore", backup)
    finally:
        release.cancel()
        holder.rollback()
        holder.close()
    assert "busy" in message and "nothing was changed" in message
    assert digest(demo.path) == old
    assert not list(demo.path.parent.glob("*.replaced-*"))  # no copy kept of a database not replaced


def test_two_restores_in_one_second_keep_both_replaced_databases(demo, tmp_path, monkeypatch):
    from kimu_cli import backup

    monkeypatch.setattr(backup, "_stamp", lambda: "20261125T063000Z")
    first = tmp_path / "first.db"
    demo.ok("db", "backup", first)
    demo.ok("site", "add", "Solbakken 2")
    original = demo.snapshot()
    demo.ok("db", "restore", first)
    demo.ok("db", "restore", first)
    kept = sorted(demo.path.parent.glob("kimu.db.replaced-*"))
    assert [p.name for p in kept] == ["kimu.db.replaced-20261125T063000Z", "kimu.db.replaced-20261125T063000Z-2"]
    assert Kimu(kept[0]).snapshot() == original  # the register as it was before the first restore


def test_restore_killed_at_any_point_leaves_the_old_or_the_restored_database(demo, tmp_path):
    backup = tmp_path / "backup.db"
    demo.ok("db", "backup", backup)
    demo.ok("site", "add", "Added after the backup")
    old = digest(demo.path)
    outcomes = set()
    for delay in (0.0, 0.15, 0.3, 0.45, 0.6, 0.8, 1.2):
        process = subprocess.Popen([*KIMU, "--db", str(demo.path), "db", "restore", str(backup)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        sites = {r["name"] for r in demo.query("SELECT name FROM sites")}
        restores = demo.query("SELECT count(*) AS n FROM audit_log WHERE action = 'restore'")[0]["n"]
        if "Added after the backup" in sites:
            assert restores == 0 and digest(demo.path) == old  # the old database, as it was
            outcomes.add("old")
        else:
            assert restores == 1  # the restored database, with its audit row
            outcomes.add("restored")
            assert demo.ok("db", "check").startswith("ok")
            break
    assert outcomes  # at least one kill landed; which depends on the machine's speed


# ---- the real cause, in one line ----

def test_a_locked_database_names_who_usually_holds_it(demo, monkeypatch):
    from kimu_cli import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(demo.path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = demo.snapshot()
        message = demo.fails("site", "add", "Solbakken 2")
    finally:
        holder.rollback()
        holder.close()
    assert "busy" in message and "an import" in message and "nothing was changed" in message
    assert demo.snapshot() == before


@pytest.mark.parametrize("command", [
    ("site", "add", "B\udce6rum"), ("participant", "list", "--leader", "\udce6se"),
    ("participant", "edit", "D-2026-001", "--notes", "ring m\udcf8te"), ("participant", "show", "D-\udce6"),
], ids=["site add", "a filter", "a note", "a ref"])
def test_a_word_from_a_terminal_that_is_not_utf8_is_one_line_not_an_internal_error(demo, command):
    """A terminal set to Latin-1 sends 'Bærum' as bytes that are not UTF-8; Python hands them over as
    lone surrogates, which SQLite cannot take: that was an internal error."""
    before = demo.snapshot()
    message = demo.fails(*command)
    assert "is not UTF-8 text" in message and "(byte 0x" in message and "internal error" not in message
    assert demo.snapshot() == before


def _as_a_user(args):
    """args run as a process that permissions hold back: root passes every check unless it drops that."""
    if os.geteuid() != 0:
        return args
    if not shutil.which("setpriv"):
        pytest.skip("root, and no setpriv to give up passing every permission check")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *args]


def test_a_read_of_a_read_only_file_leaves_nothing_that_keeps_writes_out_once_it_is_writable(demo):
    """SQLite makes the -shm with the file's mode: a read while the file was 0400 left a -shm of 0400,
    and once the file was made writable again every write failed as 'read-only', naming the file
    and its folder, which were not."""
    def run(*args):
        return subprocess.run(_as_a_user([*KIMU, "--db", str(demo.path), *args]), capture_output=True, text=True,
                              check=False)

    demo.path.chmod(0o400)
    assert run("site", "list").returncode == 0
    assert stat.S_IMODE((demo.path.parent / "kimu.db-shm").stat().st_mode) == 0o400
    demo.path.chmod(0o600)
    added = run("site", "add", "Solbakken 2")
    assert added.returncode == 0 and added.stderr == "", added.stderr
    assert {r["name"] for r in demo.query("SELECT name FROM sites")} >= {"Solbakken 2"}


def test_a_full_disk_during_an_import_names_the_cause_and_writes_nothing(demo, small_disk):
    exported = small_disk / "oppmote.csv"
    demo.ok("export", "attendance", "--output", exported)
    lines = exported.read_text().splitlines()
    csv = small_disk / "changed.csv"  # every day's note changed: more than the disk takes
    csv.write_text("\n".join([lines[0], *(line + "ringt" for line in lines[1:])]) + "\n")
    exported.unlink()
    on_disk = Kimu(small_disk / "kimu.db")
    shutil.copy(demo.path, on_disk.path)
    _fill(small_disk, leave=64 * 1024)
    before = on_disk.snapshot()
    message = on_disk.fails("import", "attendance", csv)
    assert message == "kimu: the disk is full; free some space and try again (nothing was changed)"
    (small_disk / "filler").unlink()
    assert on_disk.snapshot() == before


@pytest.mark.parametrize("command", [("participant", "list"), ("site", "add", "Solbakken 2"), ("db", "check")],
                         ids=" ".join)
def test_a_disk_too_full_for_the_shared_memory_file_says_the_disk_is_full(demo, small_disk, command):
    """WAL mode needs a -shm of 32 KiB even to read; SQLite says 'disk I/O error' when it cannot make
    it, which hid the cause."""
    on_disk = Kimu(small_disk / "kimu.db")
    shutil.copy(demo.path, on_disk.path)
    before = on_disk.snapshot()
    for file in small_disk.glob("kimu.db-*"):
        file.unlink()
    _fill(small_disk, leave=8 * 1024)
    for _ in range(2):  # the second finds the -wal the first left, and is read another way (db._identify)
        message = on_disk.fails(*command)
        assert message == "kimu: the disk is full; free some space and try again (nothing was changed)"
    (small_disk / "filler").unlink()
    assert on_disk.snapshot() == before


@pytest.mark.parametrize("sqlite_says, user_reads", [
    ("database or disk is full", "the disk is full"),
    ("attempt to write a readonly database", "read-only for you"),
    ("unable to open database file", "permissions of its folder"),
    ("disk I/O error", "disk could not be read or written"),
    ("no such table: x", "database error: no such table: x"),
])
def test_every_database_error_names_its_cause(sqlite_says, user_reads):
    said = database_error(sqlite3.OperationalError(sqlite_says))
    assert user_reads in said and said.endswith("(nothing was changed)")


def test_a_backup_onto_a_full_disk_leaves_nothing_behind(demo, small_disk):
    _fill(small_disk, leave=64 * 1024)
    before = files_in(small_disk)
    assert "the disk is full" in demo.fails("db", "backup", small_disk / "bk.db")
    assert "the disk is full" in demo.fails("db", "backup", f"{small_disk}/new/")
    assert files_in(small_disk) == before  # no temporary file, no -journal, no new folder


def test_a_sqlite_file_without_tables_but_with_a_schema_version_is_not_taken_over(kimu):
    conn = sqlite3.connect(kimu.path)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    before = files_in(kimu.path.parent)
    assert "another program's SQLite file" in kimu.fails("site", "add", "Solbakken")
    assert files_in(kimu.path.parent) == before


@pytest.mark.parametrize("args", [["audit", "--limit", "99999999999999999999999"],
                                  ["transition", "remove", "99999999999999999999999"],
                                  ["leader", "edit", "Kari Nordmann", "--yearly-capacity", "99999999999999999999"]],
                         ids=lambda a: a[0])
def test_a_number_out_of_range_is_one_line_not_an_internal_error(register, args):
    message = register.fails(*args)
    assert "out of range" in message or "not" in message
    assert "internal error" not in message


@pytest.mark.parametrize("make", ["missing", "folder", "fifo"])
def test_an_import_of_no_file_creates_no_database_and_never_waits(kimu, make):
    source = kimu.path.parent / "oppmote.csv"
    if make == "folder":
        source.mkdir()
    elif make == "fifo":
        os.mkfifo(source)  # opened for reading, it would wait for a writer forever
    before = files_in(kimu.path.parent)
    message = kimu.fails("import", "attendance", source)
    assert "cannot read the file" in message or "not a regular file" in message
    assert files_in(kimu.path.parent) == before and not kimu.path.exists()


def test_another_programs_wal_file_with_uncheckpointed_rows_is_left_exactly_as_it_was(kimu):
    """Its rows are in the -wal still (the program was killed): kimu reads it read-only, so it neither
    checkpoints the rows into the file nor removes the -wal."""
    code = ("import sqlite3, os, sys\nc = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode = WAL')\n"
            "c.execute('CREATE TABLE x (a)'); c.commit(); c.execute('PRAGMA wal_autocheckpoint = 0')\n"
            "[c.execute('INSERT INTO x VALUES (?)', (i,)) for i in range(100)]; c.commit(); os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code, str(kimu.path)], check=True)
    data = {p.name: digest(p) for p in (kimu.path, kimu.path.with_name("kimu.db-wal"))}
    for command in (("participant", "list"), ("site", "add", "Solbakken")):
        assert "another program's SQLite file" in kimu.fails(*command)
    assert {p.name: digest(p) for p in (kimu.path, kimu.path.with_name("kimu.db-wal"))} == data
