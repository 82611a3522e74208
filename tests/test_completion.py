"""Tab completion through Typer's completion machinery (the environment a shell's completion script
sets), against a real register: refs, leader and site names from the database on the line, and the
closed choices."""

import os

import pytest
from typer.testing import CliRunner

from kimu_cli.cli import app


def complete(line, shell="bash", env=None):
    """What `kimu` answers the shell for the line (the last word being completed)."""
    words = line.split(" ")
    environ = {"_KIMU_COMPLETE": f"complete_{shell}", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1),
               "_TYPER_COMPLETE_ARGS": line, **(env or {})}
    result = CliRunner().invoke(app, [], env=environ, prog_name="kimu")
    assert result.exit_code == 0, result.output
    return [w for w in result.stdout.splitlines() if w]


@pytest.fixture
def people(register):
    register.ok("participant", "add", "D-2026-014", "-l", "kari", "--start", "2026-11-02")
    register.ok("participant", "add", "D-2026-020", "-l", "ola", "--start", "2026-11-02")
    register.ok("participant", "add", "X-1", "-l", "ola", "--start", "2026-11-02")
    return register


def test_refs_from_the_database_on_the_line(people):
    db = people.path
    assert complete(f"kimu --db {db} participant show D-") == ["D-2026-014", "D-2026-020"]
    assert complete(f"kimu participant show --db {db} X") == ["X-1"]  # --db anywhere before the word
    assert complete("kimu transition add D-2026-0", env={"KIMU_DB": str(db)}) == ["D-2026-014", "D-2026-020"]
    assert complete(f"kimu --db {db} attendance list --ref X") == ["X-1"]
    assert complete(f"kimu --db {db} attendance record 20.11.2026 D-2026-01") == ["D-2026-014"]


def test_a_comma_list_of_refs_completes_its_last_piece(people):
    assert complete(f"kimu --db {people.path} attendance record 20.11.2026 -a D-2026-014,D") == [
        "D-2026-014,D-2026-014", "D-2026-014,D-2026-020"]


def test_leader_and_site_names(people):
    db = people.path
    # bash inserts a completion as it is: spaces come escaped
    assert complete(f"kimu --db {db} participant add P9 --start 01.11.2026 -l Ka") == ["Kari\\ Nordmann"]
    assert complete(f"kimu --db {db} attendance list --leader ") == [
        "Håkon\\ Ødegård", "Kari\\ Nordmann", "Ola\\ Brøndbo"]
    assert complete(f"kimu --db {db} leader add Nina --site Å") == ["Åsgården\\ sykehjem"]
    assert complete(f"kimu --db {db} leader end O") == ["Ola\\ Brøndbo"]
    zsh = complete(f"kimu --db {db} capacity --site S", shell="zsh")
    assert any('"Solbakken omsorgssenter"' in line for line in zsh)


def test_closed_choices_with_labels_in_the_language(people):
    assert complete("kimu participant end D-1 --reason mo") == ["moved_on", "moved_away"]
    assert complete("kimu attendance record 20.11.2026 -s ex") == ["excused"]
    assert complete("kimu transition add D-1 job_p") == ["job_permanent", "job_part_time"]
    zsh = "\n".join(complete("kimu transition add D-1 f", shell="zsh", env={"KIMU_LANG": "nb"}))
    assert '"fagbrev":"Fagbrev"' in zsh and '"fast stilling":"Fast stilling"' in zsh  # Norwegian words too
    zsh = "\n".join(complete("kimu transition add D-1 f", shell="zsh"))
    assert '"fagbrev":"Trade certificate (fagbrev)"' in zsh and "fast stilling" not in zsh


def test_a_missing_or_broken_database_completes_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "none" / "k.db"
    assert complete(f"kimu --db {missing} participant show ") == []
    assert not missing.parent.exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert complete(f"kimu --db {junk} participant show ") == []
    assert complete("kimu participant show ", env={"KIMU_DB": str(tmp_path / "k2.db")}) == []
    assert sorted(os.listdir(tmp_path)) == ["junk.db", "xdg"] or sorted(os.listdir(tmp_path)) == ["junk.db"]


def test_completion_reads_without_touching_the_file(people):
    before = people.path.read_bytes()
    listing = sorted(os.listdir(people.path.parent))
    complete(f"kimu --db {people.path} participant show D")
    assert people.path.read_bytes() == before and sorted(os.listdir(people.path.parent)) == listing


def test_install_completion_is_offered(monkeypatch):
    import shellingham

    result = CliRunner().invoke(app, ["--help"], prog_name="kimu")
    assert "--install-completion" in result.stdout
    # Typer asks the process tree for the shell: a test run started outside one (cron, a job) has none.
    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("bash", "/bin/bash"))
    result = CliRunner().invoke(app, ["--show-completion"], prog_name="kimu")
    assert "_KIMU_COMPLETE=complete_bash" in result.stdout, (result.exit_code, result.stderr)
