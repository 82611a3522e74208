"""kimu capacity, and the capacity rule where participants are added (numbers known by hand)."""

import json

import pytest

from kimu_cli import db, participants


def enroll(kimu, leader, rows):
    """Build many enrollments quickly through the core: rows of (ref, start, end, reason)."""
    conn = kimu.connect()
    try:
        with db.transaction(conn):
            for ref, start, end, reason in rows:
                participants.add(conn, ref, leader, start)
                if end:
                    participants.end(conn, ref, end, reason)
    finally:
        conn.close()


def capacity(kimu, *args):
    return {r["leader"]: r for r in json.loads(kimu.ok("capacity", "--format", "json", *args))}


def test_yearly_capacity_at_19_20_and_21(register):
    register.ok("leader", "edit", "Kari Nordmann", "--max-concurrent", "40")
    # 17 this year, 1 still followed from last year, 1 who ended this year: 19 followed in 2026.
    # One registered in error and one ended last year do not count.
    rows = [(f"K-{i:02d}", "2026-02-02", None, None) for i in range(17)]
    rows += [("K-OLD", "2025-06-02", None, None), ("K-ENDED", "2025-11-03", "2026-01-09", "dropped_out")]
    rows += [("K-ERR", "2026-03-02", "2026-03-03", "feilregistrert"), ("K-2025", "2025-01-06", "2025-12-19", "other")]
    enroll(register, "Kari Nordmann", rows)

    kari = capacity(register, "--year", "2026")["Kari Nordmann"]
    assert (kari["followed"], kari["yearly_left"], kari["status"]) == (19, 1, "ok")

    register.ok("participant", "add", "K-20", "--leader", "Kari Nordmann", "--start", "2026-05-04")
    kari = capacity(register, "--year", "2026")["Kari Nordmann"]
    assert (kari["followed"], kari["yearly_left"], kari["status"]) == (20, 0, "full")

    error = register.fails("participant", "add", "K-21", "--leader", "Kari Nordmann", "--start", "2026-05-04")
    assert "would follow 21 participants in 2026 (yearly capacity 20)" in error
    assert "room at the same site: Ola Brøndbo (20 left this year)" in error
    assert "--force" in error
    assert register.query("SELECT count(*) AS n FROM participants WHERE ref = 'K-21'")[0]["n"] == 0


def test_force_overrides_and_is_recorded_then_strict_exits_3(register):
    register.ok("leader", "add", "Liv Lie", "--site", "Åsgården sykehjem", "--yearly-capacity", "1")
    register.ok("participant", "add", "L-1", "--leader", "Liv Lie", "--start", "2026-01-05")
    register.ok("participant", "add", "L-2", "--leader", "Liv Lie", "--start", "2026-01-05", "--force")

    forced = register.query("SELECT p.ref, e.forced FROM enrollments e JOIN participants p ON p.id = e.participant_id")
    assert {r["ref"]: r["forced"] for r in forced} == {"L-1": 0, "L-2": 1}
    audit = register.query("SELECT record, changes FROM audit_log WHERE action = 'force'")
    assert len(audit) == 1 and audit[0]["record"] == "L-2" and "yearly capacity 1" in audit[0]["changes"]

    liv = capacity(register)["Liv Lie"]
    assert (liv["followed"], liv["yearly_left"], liv["status"]) == (2, -1, "over")
    table = register.ok("capacity", "--site", "Åsgården sykehjem")
    lines = {name: line for line in table.splitlines() for name in ("Liv Lie", "Håkon Ødegård") if name in line}
    assert lines["Liv Lie"].startswith("!") and "over capacity" in lines["Liv Lie"]
    assert not lines["Håkon Ødegård"].startswith("!")

    assert register.fails("capacity", "--strict", code=3) == "kimu: capacity: 1 leader(s) over capacity: Liv Lie"
    register.ok("capacity", "--strict", "--leader", "Kari Nordmann")


def test_concurrency_refused_on_the_start_date_and_free_after_an_end(register):
    # Håkon Ødegård: yearly capacity 3, max 2 at once, alone at his site.
    for ref in ("H-1", "H-2"):
        register.ok("participant", "add", ref, "--leader", "Håkon Ødegård", "--start", "2026-01-05")
    error = register.fails("participant", "add", "H-3", "--leader", "Håkon Ødegård", "--start", "2026-02-02")
    assert "would have 3 active on 2026-02-02 (max concurrent 2)" in error
    assert "no other leader at the same site has room" in error

    register.ok("participant", "end", "H-1", "--date", "2026-01-30", "--reason", "other_path")
    register.ok("participant", "add", "H-3", "--leader", "Håkon Ødegård", "--start", "2026-02-02")
    hakon = capacity(register, "--on", "2026-02-15")["Håkon Ødegård"]
    assert (hakon["followed"], hakon["active"], hakon["concurrent_left"], hakon["status"]) == (3, 2, 0, "full")

    register.ok("participant", "end", "H-2", "--date", "2026-02-27", "--reason", "health")
    error = register.fails("participant", "add", "H-4", "--leader", "Håkon Ødegård", "--start", "2026-03-02")
    assert "would follow 4 participants in 2026 (yearly capacity 3)" in error
    # Someone the leader already followed this year does not count twice.
    register.ok("participant", "reenroll", "H-1", "--leader", "Håkon Ødegård", "--start", "2026-03-02")
    assert capacity(register, "--on", "2026-03-02")["Håkon Ødegård"]["followed"] == 3


def test_year_and_day_options(register):
    enroll(register, "Ola Brøndbo", [("O-1", "2025-03-03", "2025-06-30", "other"), ("O-2", "2026-01-05", None, None)])
    ola = capacity(register, "--year", "2025")["Ola Brøndbo"]
    assert (ola["year"], ola["on"], ola["followed"], ola["active"]) == (2025, "2025-12-31", 1, 0)
    ola = capacity(register, "--on", "15.04.2025")["Ola Brøndbo"]
    assert (ola["year"], ola["on"], ola["active"]) == (2025, "2025-04-15", 1)
    today = capacity(register)["Ola Brøndbo"]
    assert (today["year"], today["on"], today["followed"], today["active"]) == (2026, "2026-11-25", 1, 1)
    assert set(capacity(register, "--site", "Åsgården sykehjem")) == {"Håkon Ødegård"}
    assert "year: 20266 is not a plausible year" in register.fails("capacity", "--year", "20266")
    assert "unknown leader 'Nobody'" in register.fails("capacity", "--leader", "Nobody")


def test_csv_columns_are_the_json_keys_and_labels_follow_the_language(register, monkeypatch):
    csv_header = register.ok("capacity", "--format", "csv").splitlines()[0].split(",")
    assert csv_header == list(json.loads(register.ok("capacity", "--format", "json"))[0])
    assert "| Leader" in register.ok("capacity", "--format", "markdown")
    norsk = register.ok("capacity", "--lang", "nb")
    assert "Arbeidsleder" in norsk and "Per år" in norsk and "ledig" in norsk and "Leader" not in norsk
    monkeypatch.setenv("KIMU_LANG", "nb")
    assert "Arbeidsleder" in register.ok("capacity")
    assert register.fails("capacity", "--lang", "de") == "kimu: lang: ukjent språk 'de' (bruk en eller nb)"
    monkeypatch.delenv("KIMU_LANG")
    assert register.fails("capacity", "--lang", "de") == "kimu: lang: unknown language 'de' (use en or nb)"


def test_an_enrollment_registered_in_error_neither_counts_nor_makes_someone_already_followed(register):
    enroll(register, "Håkon Ødegård", [("H-ERR", "2026-01-05", "2026-01-06", "registered_in_error"),
                                       ("H-A", "2026-02-02", "2026-02-27", "other"),
                                       ("H-B", "2026-03-02", None, None), ("H-C", "2026-03-02", "2026-03-31", "health")])
    assert capacity(register, "--on", "2026-04-06")["Håkon Ødegård"]["followed"] == 3
    error = register.fails("participant", "reenroll", "H-ERR", "--leader", "Håkon Ødegård", "--start", "2026-04-06")
    assert "would follow 4 participants in 2026 (yearly capacity 3)" in error


@pytest.mark.parametrize("command", [["capacity"], ["summary", "outcomes"], ["summary", "cost"]])
def test_reports_take_format_text_as_plain_text(register, command):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    text = register.ok(*command, "--format", "text")
    assert text == register.ok(*command, "--format", "table")  # off a terminal, the table view is plain text
    assert "\x1b[" not in text and text.splitlines()[1].startswith("=")


@pytest.mark.parametrize("in_2027, refused", [(2, False), (3, True)])
def test_the_yearly_limit_holds_in_every_year_a_new_period_overlaps(register, in_2027, refused):
    """A period starting 1 December 2026 is followed into 2027 too: with the leader full in 2027, it
    is refused, naming 2027; one fewer in 2027 and it fits."""
    register.ok("leader", "add", "Nina Lie", "--site", "Åsgården sykehjem", "--yearly-capacity", "3")
    enroll(register, "Nina Lie", [(f"J{i}", "2027-01-04", None, None) for i in range(in_2027)])
    args = ("participant", "add", "N-21", "--leader", "Nina Lie", "--start", "2026-12-01")
    if not refused:
        register.ok(*args)
        assert capacity(register, "--year", "2027")["Nina Lie"]["followed"] == 3
        return
    message = register.fails(*args)
    assert "would follow 4 participants in 2027 (yearly capacity 3)" in message and "2026 " not in message
    register.ok(*args, "--force")
    assert register.query("SELECT count(*) AS n FROM audit_log WHERE action = 'force'")[0]["n"] == 1
    assert register("capacity", "--year", "2027", "--strict").exit_code == 3

