"""Privacy: no identity numbers in, `kimu purge` anonymises without changing the statistics,
and the files kimu writes with personal data are readable by their owner only."""

import json
import re
import stat

import pytest
from conftest import identity_number, templated

FNR = identity_number("150585")
D_NUMBER = identity_number("550585")  # D-number: 4 added to the first digit of the day
SYNTHETIC = identity_number("154585")  # Skatteetaten's test register: 40 added to the month
WRITTEN_AS = [FNR, D_NUMBER, SYNTHETIC, f"{FNR[:6]} {FNR[6:]}", f"{FNR[:6]}-{FNR[6:]}", f"fnr: {FNR}, ring etter kl 12"]


def _not_valid(number):
    """The same number with a wrong last check digit."""
    return number[:10] + str((int(number[10]) + 1) % 10)


NEAR_MISSES = [
    _not_valid(FNR),  # 11 digits, mod-11 fails
    FNR[:10],  # 10 digits
    "15058599999",  # plausible date, invalid check digits
    "+47 915 55 555",  # a phone number
    "15.05.1985",  # a birth date (not stored by kimu's rules, but not an identity number)
    "974 760 673",  # an organisation number
    "D-2026-014",
]


@templated
def people(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    return register


def _stored_text_commands(value):
    """Every command option that stores text a person types, with `value` in it."""
    return {
        "site name": ["site", "add", value],
        "site municipality": ["site", "add", "S2", "--municipality", value],
        "site nav-office": ["site", "add", "S2", "--nav-office", value],
        "leader name": ["leader", "add", value, "--site", "Åsgården sykehjem"],
        "leader edit name": ["leader", "edit", "Kari Nordmann", "--name", value],
        "participant ref": ["participant", "add", value, "--leader", "Kari Nordmann", "--start", "2026-11-02"],
        **{
            f"participant {field}": ["participant", "add", "P2", "--leader", "Kari Nordmann", "--start",
                                     "2026-11-02", f"--{field}", value]
            for field in ("name", "veileder", "goal", "notes")
        },
        **{f"participant edit {field}": ["participant", "edit", "P1", f"--{field}", value]
           for field in ("ref", "name", "veileder", "goal", "notes")},
        "attendance note": ["attendance", "record", "2026-11-24", "P1", "--status", "absent", "--note", value],
        "transition detail": ["transition", "add", "P1", "mfy", "--date", "2026-11-20", "--detail", value],
        "transition note": ["transition", "add", "P1", "mfy", "--date", "2026-11-20", "--note", value],
    }


@pytest.mark.parametrize("where", list(_stored_text_commands("x")))
def test_identity_numbers_are_refused_in_every_typed_field(people, where):
    before = people.snapshot()
    for number in WRITTEN_AS:
        message = people.fails(*_stored_text_commands(number)[where])
        assert "identity number" in message and "kimu does not store identity numbers" in message
        assert FNR[6:] not in message and D_NUMBER[6:] not in message  # the number is not echoed back
    assert people.snapshot() == before


def _accepting(text, i):
    """Commands that store `text`; i keeps the records of a loop apart."""
    return [
        ["site", "add", f"S{i}", "--municipality", text],
        ["participant", "add", f"N{i}", "--leader", "Kari Nordmann", "--start", "2026-11-02", "--notes", text],
        ["participant", "edit", "P1", "--goal", text],
        ["attendance", "record", f"2026-11-{10 + i}", "P1", "--status", "absent", "--note", text],
        ["transition", "add", "P1", "job_other", "--date", f"2026-11-{10 + i}", "--detail", text],
    ]


def test_numbers_that_are_not_identity_numbers_are_accepted(people):
    for i, text in enumerate(NEAR_MISSES):
        for command in _accepting(text, i):
            people.ok(*command)
    assert people.query("SELECT goal FROM participants WHERE ref = 'P1'") == [{"goal": NEAR_MISSES[-1]}]
    assert len(people.query("SELECT 1 FROM transitions")) == len(NEAR_MISSES)


@pytest.mark.parametrize("kind, header, row", [
    ("participants", "ref;name;leader;start_date", "{};Amira;Kari Nordmann;02.11.2026"),
    ("participants", "ref;notes;leader;start_date", "P7;{};Kari Nordmann;02.11.2026"),
    ("participants", "ref;veileder;leader;start_date", "P7;{};Kari Nordmann;02.11.2026"),
    ("participants", "ref;goal;leader;start_date", "P7;{};Kari Nordmann;02.11.2026"),
    ("participants", "ref;leader;site;start_date", "P7;{};Ny plass;02.11.2026"),
    ("participants", "ref;leader;site;start_date", "P7;Ny leder;{};02.11.2026"),
    ("attendance", "ref;date;status;note", "P1;24.11.2026;fravær;{}"),
    ("transitions", "ref;date;kind;detail", "P1;20.11.2026;mfy;{}"),
    ("transitions", "ref;date;kind;note", "P1;20.11.2026;mfy;{}"),
])
def test_identity_numbers_are_refused_in_every_imported_column(people, tmp_path, kind, header, row):
    path = tmp_path / "in.csv"
    path.write_text(f"{header}\n{row.format(FNR)}\n", encoding="utf-8")
    before = people.snapshot()
    message = people.fails("import", kind, path)
    assert "identity number" in message and FNR[6:] not in message
    assert people.snapshot() == before


# ---- purge ----

@templated
def history(register):
    """Old: A (2022, moved on to MFY) and B (2022-2023, two periods). Recent: C (ended 2026). Active: D."""
    k = register
    k.ok("participant", "add", "A", "--leader", "Kari Nordmann", "--start", "2022-01-10", "--name", "Amira Hansen",
         "--birth-year", "1987", "--veileder", "Trine Aasen", "--goal", "helsefagarbeider", "--notes", "bor hos tante")
    k.ok("attendance", "record", "2022-01-10", "A", "--status", "present", "--hours", "7")
    k.ok("attendance", "record", "2022-01-11", "A", "--status", "absent", "--note", "syk, ringte tante")
    k.ok("transition", "add", "A", "opplæringskontrakt", "--date", "2022-06-01", "--detail", "Bergen kommune",
         "--note", "lærling hos Solbakken", "--end")
    k.ok("participant", "add", "B", "--leader", "Ola Brøndbo", "--start", "2022-03-01", "--name", "Bjørn Berg",
         "--birth-year", "1990")
    k.ok("participant", "edit", "B", "--ref", "B-2022")
    k.ok("participant", "end", "B-2022", "--date", "2022-08-31", "--reason", "helse")
    k.ok("participant", "reenroll", "B-2022", "--leader", "Kari Nordmann", "--start", "2023-01-09")
    k.ok("attendance", "record", "2023-01-09", "B-2022", "--status", "excused", "--note", "Bjørn hos lege")
    k.ok("participant", "end", "B-2022", "--date", "2023-05-31", "--reason", "sluttet")
    k.ok("participant", "add", "C", "--leader", "Kari Nordmann", "--start", "2025-02-03", "--name", "Cecilie Dahl")
    k.ok("participant", "end", "C", "--date", "2026-01-31", "--reason", "flyttet")
    k.ok("participant", "add", "D", "--leader", "Ola Brøndbo", "--start", "2021-01-04", "--name", "Dina Lie")
    return k


PERSONAL = ["Amira Hansen", "Trine Aasen", "bor hos tante", "syk, ringte tante", "Bergen kommune",
            "lærling hos Solbakken", "Bjørn Berg", "Bjørn hos lege", "helsefagarbeider"]


def _refs(kimu):
    return [r["ref"] for r in kimu.query("SELECT ref FROM participants ORDER BY id")]


def test_purge_dry_run_lists_who_and_changes_nothing(history):
    before = history.snapshot()
    out = json.loads(history.ok("purge", "--ended-before", "01.01.2024", "--dry-run", "--format", "json"))
    assert out == [{"ref": "A", "last_end_date": "2022-06-01"}, {"ref": "B-2022", "last_end_date": "2023-05-31"}]
    assert history.snapshot() == before


def test_purge_anonymises_people_who_ended_before_the_date_and_no_one_else(history):
    ids = {r["ref"]: r["id"] for r in history.query("SELECT id, ref FROM participants")}
    out = history.ok("purge", "--ended-before", "2024-01-01", "--yes")
    assert out.startswith("Anonymised 2 participant(s)")
    assert _refs(history) == [f"ANON-{ids['A']}", f"ANON-{ids['B-2022']}", "C", "D"]
    assert history.query("SELECT name, birth_year, veileder, goal, notes, anonymised FROM participants "
                         "WHERE anonymised = 1") == [
        {"name": None, "birth_year": 1980, "veileder": None, "goal": None, "notes": None, "anonymised": 1},
        {"name": None, "birth_year": 1990, "veileder": None, "goal": None, "notes": None, "anonymised": 1},
    ]
    assert history.query("SELECT note FROM attendance WHERE note IS NOT NULL") == []
    assert history.query("SELECT kind, date, detail, note FROM transitions") == [
        {"kind": "mfy", "date": "2022-06-01", "detail": None, "note": None}
    ]
    assert [r["name"] for r in history.query("SELECT name FROM participants WHERE anonymised = 0")] == [
        "Cecilie Dahl", "Dina Lie"
    ]
    assert "unknown participant 'A'" in history.fails("participant", "show", "A")


def test_purge_redacts_the_audit_log_and_records_itself(history):
    ids = {r["ref"]: r["id"] for r in history.query("SELECT id, ref FROM participants")}
    history.ok("purge", "--ended-before", "2024-01-01", "--yes")
    log = json.dumps(history.query("SELECT * FROM audit_log"), ensure_ascii=False)
    log = re.sub(r"[0-9a-f]{64}", "<sha256>", log)  # a hash may hold "1987" by chance
    for text in [*PERSONAL, '"A"', "B-2022", '"B"', "1987"]:
        assert text not in log, text
    anon_b = f"ANON-{ids['B-2022']}"
    entries = json.loads(history.ok("audit", "--ref", anon_b, "--format", "json"))
    assert [(e["action"], e["record"], e["redacted"]) for e in entries] == [
        ("add", anon_b, 1), ("enroll", anon_b, 1), ("edit", anon_b, 1), ("end", anon_b, 1),
        ("enroll", anon_b, 1), ("record", f"{anon_b} 2023-01-09", 1), ("end", anon_b, 1), ("purge", anon_b, 0),
    ]
    assert entries[0]["changes"] == {"ref": [None, "[redacted]"], "name": [None, "[redacted]"],
                                     "birth_year": [None, 1990]}
    assert entries[3]["changes"] == {"end_date": [None, "2022-08-31"], "end_reason": [None, "health"]}
    assert entries[-1]["command"] == "purge" and entries[-1]["changes"]["anonymised"] == [0, 1]
    vouched = entries[-1]["changes"]["redacted_rows"][1]  # the chain vouches for each redacted row
    assert sorted(map(int, vouched)) == [e["id"] for e in entries[:-1]]
    assert history.ok("db", "check").startswith("ok")
    assert history.query("SELECT count(*) AS n FROM audit_log WHERE redacted = 1 AND participant_id IN (?, ?)",
                         (ids["C"], ids["D"]))[0]["n"] == 0


def test_purged_values_are_gone_from_the_database_file_itself(history):
    history.ok("purge", "--ended-before", "2024-01-01", "--yes")
    data = b"".join(p.read_bytes() for p in history.path.parent.glob("kimu.db*"))
    for text in PERSONAL:
        assert text.encode() not in data, text
    assert b"Dina Lie" in data  # the check can see text that is there


def _statistics(kimu):
    window = ("--from", "2021-01-01", "--to", "2026-11-25")
    return {
        by: json.loads(kimu.ok("summary", "outcomes", *window, "--by", by, "--format", "json"))
        for by in ("year", "leader", "site")
    } | {
        "rates": json.loads(kimu.ok("attendance", "rates", *window, "--by", "leader", "--format", "json")),
        "transitions": [{k: t[k] for k in ("date", "kind")}
                        for t in json.loads(kimu.ok("transition", "list", *window, "--format", "json"))],
        "cost": json.loads(kimu.ok("summary", "cost", *window, "--format", "json")),
    }


def test_summaries_over_old_years_give_the_same_numbers_after_a_purge(history):
    before = _statistics(history)
    assert before["year"]["participants"] == 4 and before["year"]["moved_on"] == 1
    history.ok("purge", "--ended-before", "2026-06-01", "--yes")
    assert len(history.query("SELECT 1 FROM participants WHERE anonymised = 1")) == 3
    assert _statistics(history) == before


def test_purge_off_a_terminal_without_yes_is_refused(history):
    before = history.snapshot()
    message = history.fails("purge", "--ended-before", "2024-01-01")
    assert message == ("kimu: purge: 2 participant(s) would be anonymised; not on a terminal, "
                       "so add --yes to confirm (or --dry-run to see who)")
    assert history.snapshot() == before


def test_purge_on_a_terminal_asks_first(history, monkeypatch):
    from kimu_cli.cli import purge_cmd

    monkeypatch.setattr(purge_cmd, "_interactive", lambda: True)
    before = history.snapshot()
    declined = history("purge", "--ended-before", "2024-01-01", input="n\n")
    assert declined.exit_code == 1 and "Anonymise 2 participant(s)" in declined.output
    assert history.snapshot() == before
    history.ok("purge", "--ended-before", "2024-01-01", input="y\n")
    assert _refs(history)[2:] == ["C", "D"] and "A" not in _refs(history)


def test_a_second_purge_finds_no_one(history):
    history.ok("purge", "--ended-before", "2024-01-01", "--yes")
    before = history.snapshot()
    assert history.ok("purge", "--ended-before", "2024-01-01", "--yes").startswith("Nothing to anonymise")
    assert history.snapshot() == before


def test_purge_needs_a_valid_date(history):
    assert "ended-before: '2024-13-01' is not a date" in history.fails("purge", "--ended-before", "2024-13-01")


def test_purge_stops_cleanly_when_someone_already_uses_the_anonymous_ref(history):
    ids = {r["ref"]: r["id"] for r in history.query("SELECT id, ref FROM participants")}
    history.ok("participant", "edit", "D", "--ref", f"ANON-{ids['A']}")
    before = history.snapshot()
    message = history.fails("purge", "--ended-before", "2024-01-01", "--yes")
    assert message.startswith(f"kimu: purge: another participant already has the ref 'ANON-{ids['A']}'")
    assert history.snapshot() == before


# ---- file permissions ----

def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("args", [
    ["export", "participants"],
    ["export", "participants", "--format", "json"],
    ["export", "participants", "--format", "xlsx"],
    ["export", "attendance", "--excel"],
    ["export", "transitions"],
    ["summary", "weekly", "--names", "--format", "html"],
])
def test_files_written_with_personal_data_are_private(people, tmp_path, args):
    out = tmp_path / "out" / "file"
    out.parent.mkdir()
    out.parent.chmod(0o755)
    people.ok(*args, "--output", out)
    assert _mode(out) == 0o600

