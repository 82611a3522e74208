"""Both languages complete by construction: every catalog key in English and bokmål with the same
fields, every --help text translated, and every command run in bokmål printing no English word of
the catalog and no ISO date; the choice of language (--lang > KIMU_LANG > locale > English)."""

import json
import re
import string

import pytest
import typer

from kimu_cli import exporter, labels, vocab
from kimu_cli.cli import app, language
from kimu_cli.cli.help_nb import HELP
from tests.conftest import Kimu


def fields(text):
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name})


def test_every_key_has_both_languages_with_the_same_fields():
    for key, pair in labels.CATALOG.items():
        assert len(pair) == 2 and all(isinstance(t, str) and t.strip() for t in pair), key
        assert fields(pair[0]) == fields(pair[1]), key
    assert labels.LABELS["en"].keys() == labels.LABELS["nb"].keys()


def test_every_coded_value_has_a_label():
    codes = {"kind_": vocab.TRANSITION_KINDS, "reason_": vocab.END_REASONS, "status_": vocab.ATTENDANCE_STATUSES}
    for prefix, table in codes.items():
        assert {f"{prefix}{code}" for code in table} <= labels.CATALOG.keys()
    assert {f"status_{s}" for s in ("active", "waiting", "ended")} <= labels.CATALOG.keys()


def test_every_check_of_db_check_has_its_bokmal():
    from kimu_cli import checks
    from kimu_cli.messages import CHECKS_NB

    texts = [text for rule in checks.DOMAIN_RULES for text in (rule[0], rule[2])]
    texts += [checks.DAMAGED, checks.BROKEN_CHECK, checks.TAMPERED, checks.DANGLING, checks.IDENTITY_NUMBER]
    assert [text for text in texts if text not in CHECKS_NB] == []


def commands():
    return dict(language.commands(typer.main.get_command(app)))


def test_every_help_text_has_its_bokmal():
    missing = []
    for path, command in commands().items():
        for owner, attribute in language.texts(command):
            text = getattr(owner, attribute, None)
            if text and text.strip() not in HELP:
                missing.append((" ".join(path), attribute, text))
    assert missing == []


# English words of the catalog that are not Norwegian words too (found in some bokmål text), as
# they would show in an untranslated line.
def english_words():
    nb = " ".join(pair[1] for pair in labels.CATALOG.values()) + " " + " ".join(HELP.values())
    norwegian = set(re.findall(r"[A-Za-zæøåÆØÅ]+", nb))
    words = set()
    for en, _ in labels.CATALOG.values():
        words |= set(re.findall(r"(?<![{\w-])[A-Za-z]{4,}(?![\w}])", re.sub(r"\{[^}]*\}", " ", en)))
    for en in HELP:
        words |= set(re.findall(r"(?<![\w-])[A-Za-z]{4,}(?![\w])", en))
    return words - norwegian


# Not words a person reads as English: names of commands, options and codes kimu prints as they are typed.
ALLOWED = {"kimu", "table", "text", "markdown", "html", "json", "participant", "participants", "attendance",
           "transition", "transitions", "summary", "weekly", "outcomes", "cost", "capacity", "audit", "purge",
           "import", "export", "demo", "leader", "site", "list", "show", "edit", "reenroll", "record", "remove",
           "alerts", "rates", "backup", "restore", "check", "init", "path", "recount", "redact", "help", "lang",
           "format", "status", "present", "absent", "excused", "week", "names", "output", "dest",
           "refs", "date", "name", "kind", "ended", "before", "start", "reason", "force", "replace", "overwrite",
           "strict", "file", "from", "encoding", "delimiter", "sheet", "header", "dry", "run", "yes", "note",
           "hours", "detail", "compare", "monthly", "suppress", "below", "days", "absences", "rate", "missing",
           "goal", "notes", "birth", "year", "veileder", "municipality", "office", "yearly", "concurrent",
           "started", "include", "limit", "other", "health", "utf", "none", "open", "UTC",
           "tab", "sqlite", "SQLite", "calamine", "python", "pip", "install", "excel", "enrollment", "facts"}
WORDS = english_words() - ALLOWED
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def english_in(text):
    text = re.sub(r"--[\w-]+|'kimu [^']*'|`kimu [^`]*`|kimu [a-z]+ [a-z]+", " ", text)  # options and commands
    return sorted(w for w in WORDS if re.search(rf"(?<![\w-]){w}(?![\w-])", text))


@pytest.fixture
def demo(tmp_path, monkeypatch):
    kimu = Kimu(tmp_path / "demo.db")
    kimu.ok("demo")
    return kimu


def run_everything(kimu, tmp_path):
    """Every command of kimu, with arguments that make it succeed on the demo register:
    {command path: output}."""
    out = {}

    leaves = leaf_commands()

    def run(*args):
        out[" ".join(args[:2]) if " ".join(args[:2]) in leaves else args[0]] = kimu.ok(*args)

    backup = tmp_path / "backup.db"
    exported = tmp_path / "participants.csv"
    for args in [
        ("site", "add", "Testsenter"), ("site", "list"),
        ("leader", "add", "Test Leder", "--site", "Testsenter"), ("leader", "edit", "Test Leder", "--max-concurrent", "5"),
        ("leader", "end", "Test Leder", "--date", "2026-11-25"), ("leader", "list"),
        ("participant", "add", "D-2026-900", "--leader", "Kari Nordmann", "--start", "2026-11-20"),
        ("participant", "edit", "D-2026-900", "--goal", "helsefagarbeider"),
        ("participant", "end", "D-2026-900", "--date", "2026-11-23", "--reason", "avbrutt"),
        ("participant", "reenroll", "D-2026-900", "--leader", "Kari Nordmann", "--start", "2026-11-24"),
        ("participant", "list"), ("participant", "show", "D-2024-002"),
        ("attendance", "record", "2026-11-24", "D-2026-900", "--status", "fravær"),
        ("attendance", "list"), ("attendance", "rates"), ("attendance", "alerts"),
        ("transition", "add", "D-2024-002", "fagbrev", "--date", "2026-11-20"), ("transition", "list"),
        ("contact", "add", "D-2024-002", "--with", "veileder", "--how", "telefon", "--date", "2026-11-20",
         "--note", "ringte"),
        ("contact", "list"),
        ("capacity",), ("summary", "outcomes"), ("summary", "cost"), ("summary", "weekly"),
        ("audit", "--limit", "40"), ("purge", "--ended-before", "2015-01-01", "--yes"),
        ("export", "participants", "--excel", "--output", exported),
        ("import", "participants", exported),
        ("db", "path"), ("db", "init"), ("db", "check"), ("db", "recount"), ("db", "redact", "--yes"),
        ("db", "backup", backup), ("db", "restore", backup),
    ]:
        run(*map(str, args))
    newest = max(t["id"] for t in json.loads(kimu.ok("transition", "list", "--format", "json")))
    run("transition", "remove", str(newest))
    contact = max(c["id"] for c in json.loads(kimu.ok("contact", "list", "--format", "json")))
    run("contact", "remove", str(contact))
    run("demo", "--replace")
    return out


def leaf_commands():
    return {" ".join(path[1:]) for path, command in commands().items() if not hasattr(command, "commands")}


def test_every_command_in_bokmal_prints_no_english_and_no_iso_date(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("KIMU_LANG", "nb")
    outputs = run_everything(demo, tmp_path)
    assert set(outputs) == leaf_commands()  # a new command must be added to run_everything
    for command, text in outputs.items():
        if command in ("db path", "db init"):  # a path, nothing else
            continue
        assert english_in(text) == [], command
        assert not ISO_DATE.search(re.sub(r"kimu-\S+\.db|\S+/\S+", " ", text)), (command, ISO_DATE.findall(text))


def test_every_command_in_english_still_speaks_english(demo, tmp_path):
    outputs = run_everything(demo, tmp_path)
    assert outputs["participant add"].startswith("Added D-2026-900 with Kari Nordmann from 2026-11-20")
    assert outputs["participant list"].startswith("ref ")
    assert "consecutive_absences" in outputs["attendance alerts"]


@pytest.mark.parametrize("path", sorted(leaf_commands() | {"", "participant", "db", "summary"}))
def test_every_help_in_bokmal(kimu, path):
    text = kimu.ok("--lang", "nb", *path.split(), "--help")
    assert "Bruk: kimu" in text and "Vis denne hjelpeteksten" in text
    # usage line, metavars and the option values one types (codes) are not prose
    body = re.sub(r"^Bruk:.*$|^ *kimu .*$|<[^>]*>|\{[^}]*\}|\[[a-z]+\]|\[standard: [^]]*\]|\(eller kodene [^)]*\)",
                  " ", text, flags=re.MULTILINE)  # example lines (kimu ...) are commands, the same in both
    assert english_in(body) == [], path


def test_usage_errors_in_bokmal(kimu):
    kimu.ok("db", "init")
    result = kimu("--lang", "nb", "participant", "list", "--nope")
    assert result.exit_code == 2 and "Feil: Ukjent valg: --nope" in result.stderr
    assert "Prøv 'kimu participant list --help' for hjelp." in result.stderr
    result = kimu("--lang", "nb", "participant", "show")
    assert result.exit_code == 2 and "Argument mangler" in result.stderr
    result = kimu("--lang", "nb", "participant", "lis")
    assert "Ukjent kommando 'lis'. Mente du 'list'?" in result.stderr
    result = kimu("--lang", "nb", "attendance", "alerts", "--absences", "x")
    assert "Ugyldig verdi for '--absences': skal være et heltall" in result.stderr
    result = kimu("--lang", "nb", "summary", "weekly", "--suppress-below", "1")  # a bound of the option
    assert result.stderr.splitlines()[-1] == "Feil: Ugyldig verdi for '--suppress-below': skal være minst 2"
    result = kimu("participant", "list", "--nope")  # English as before
    assert "Error: No such option: --nope" in result.stderr


def test_errors_of_the_core_in_bokmal(register):
    line = register.fails("--lang", "nb", "participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "neste uke")
    assert line == "kimu: start: 'neste uke' er ikke en dato (bruk 20.11.2026 eller 2026-11-20)"
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    line = register.fails("participant", "end", "D-1", "--date", "2026-11-01", "--lang", "nb")
    assert line == "kimu: date: slutt 01.11.2026 er før starten på deltakelsen (02.11.2026)"
    assert register.fails("participant", "end", "D-1", "--date", "2026-11-01") == (
        "kimu: date: end 2026-11-01 is before the start of the enrollment (2026-11-02)")


def test_confirmation_in_bokmal(register):
    line = register.ok("participant", "add", "D-2026-014", "--leader", "Kari Nordmann", "--start", "20.11.2026",
                       "--lang", "nb")
    assert line == "La til D-2026-014 hos Kari Nordmann fra 20.11.2026 (aktiv)\n"


@pytest.mark.parametrize(("env", "args", "expected"), [
    ({}, (), "en"),
    ({"LANG": "nb_NO.UTF-8"}, (), "nb"),
    ({"LANG": "nn_NO.UTF-8"}, (), "nb"),
    ({"LANG": "no_NO"}, (), "nb"),
    ({"LANG": "C"}, (), "en"),
    ({"LC_ALL": "C", "LANG": "nb_NO.UTF-8"}, (), "en"),
    ({"LC_MESSAGES": "nb_NO.UTF-8", "LANG": "en_US.UTF-8"}, (), "nb"),
    ({"LC_ALL": "POSIX", "LC_MESSAGES": "nb_NO.UTF-8"}, (), "en"),
    ({"LANG": "nb_NO.UTF-8", "KIMU_LANG": "en"}, (), "en"),
    ({"KIMU_LANG": "nb"}, ("--lang", "en"), "en"),
    ({"LANG": "en_US.UTF-8"}, ("--lang", "nb"), "nb"),
])
def test_language_precedence(register, monkeypatch, env, args, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "KIMU_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert labels.choose(args[1] if args else None) == expected
    header = register.ok("leader", "list", *args).splitlines()[0]
    assert header.startswith("Arbeidsleder" if expected == "nb" else "leader")


def test_lang_anywhere_and_per_report(register):
    assert register.ok("participant", "list", "--lang", "nb", "--status", "all").startswith("(ingen)")
    assert register.ok("--lang=nb", "site", "list").startswith("Omsorgssenter")
    assert register.ok("summary", "weekly", "--lang", "nb").startswith("Ukesoppsummering")
    assert register.ok("summary", "weekly").startswith("Weekly summary")


def test_machine_formats_keep_english_keys_and_codes(register):
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    rows = json.loads(register.ok("--lang", "nb", "participant", "list", "--format", "json"))
    assert rows[0]["status"] == "active" and rows[0]["start_date"] == "2026-11-02"
    assert register.ok("--lang", "nb", "participant", "list", "--format", "csv").startswith("ref,name,")


def test_excel_export_in_bokmal_imports_back_unchanged(demo, tmp_path):
    for kind in ("participants", "attendance", "transitions"):
        path = tmp_path / f"{kind}.csv"
        demo.ok("--lang", "nb", "export", kind, "--excel", "--output", path)
        text = path.read_text(encoding="utf-8-sig")
        header = text.splitlines()[0].split(";")
        assert header[:2] == ["deltaker", "dato"] or header[:2] == ["deltaker", "navn"]
        before = demo.snapshot()
        summary = json.loads(demo.ok("import", kind, path, "--format", "json"))
        assert summary["inserted"] == summary["updated"] == 0 and summary["unchanged"] == summary["rows"]
        after = demo.snapshot()
        assert {t: v for t, v in after.items() if t != "audit_log"} == {t: v for t, v in before.items()
                                                                       if t != "audit_log"}
    attendance = (tmp_path / "attendance.csv").read_text(encoding="utf-8-sig")
    assert ";møtt;" in attendance and ";fravær;" in attendance and "present" not in attendance
    transitions = (tmp_path / "transitions.csv").read_text(encoding="utf-8-sig")
    assert "opplæringskontrakt" in transitions and "overgang" in transitions.splitlines()[0]


def test_every_norwegian_export_word_imports_as_its_code():
    resolve = {"kind": vocab.transition_kind, "end_reason": vocab.end_reason, "status": vocab.attendance_status}
    for column, words in vocab.NORWEGIAN.items():
        for code, word in words.items():
            assert resolve[column](word) == code
    assert set(exporter.HEADERS_NB) >= {c for sql, _ in exporter.QUERIES.values()
                                        for c in re.findall(r"\b(ref|date|status|kind|end_reason)\b", sql)}
