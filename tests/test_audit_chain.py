"""The audit log as a hash chain (issue 14): what kimu writes links up, redactions are vouched for,
and tampering from another client is refused or, behind the triggers' back, found by db check."""

import json
import sqlite3

import pytest
from conftest import templated

from kimu_cli import audit


@templated
def logged(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02",
                "--name", "Amira", "--notes", "ringer mandag")
    register.ok("participant", "edit", "P1", "--notes", "ringer tirsdag")
    register.ok("attendance", "record", "2026-11-03", "P1", "--status", "absent", "--note", "syk")
    register.ok("participant", "end", "P1", "--date", "2026-11-20", "--reason", "annet løp")
    return register


def _chain_problems(kimu):
    result = kimu("db", "check", "--format", "json")
    found = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, [p for p in found if p["check"] == "audit log chain"]


def test_every_row_kimu_writes_links_to_the_one_before(logged):
    rows = logged.query("SELECT * FROM audit_log ORDER BY id")
    previous = audit.GENESIS
    for row in rows:
        assert row["digest"] == audit.digest(row)
        assert row["chain"] == audit.link(previous, row["digest"])
        previous = row["chain"]
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    assert logged.ok("db", "check").startswith("ok")


@pytest.mark.parametrize("sql", [
    ("INSERT OR REPLACE INTO audit_log (id, at, login, command, action, entity) "
     "VALUES (2, '2026-01-01T00:00:00.000Z', 'x', 'x', 'add', 'site')"),
    "INSERT INTO audit_log (id, at, login, command, action, entity) VALUES (1, 'x', 'x', 'x', 'add', 'site')",
    "INSERT INTO audit_log (at, login, command, action, entity) VALUES ('x', 'x', 'x', 'add', 'site')",
    "INSERT OR REPLACE INTO audit_log (id, at, login, command, action, entity) VALUES (-1, 'x', 'x', 'x', 'add', 'site')",
    """UPDATE audit_log SET redacted = 1, changes = '{"status": ["x", "forged"]}' WHERE id = 2""",
    "DELETE FROM audit_log WHERE id = 2",
])
def test_another_client_cannot_rewrite_the_log(logged, sql):
    before = logged.query("SELECT * FROM audit_log")
    conn = sqlite3.connect(logged.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only|no such function: audit_log_append_only_allows"):
        conn.execute(sql)
    conn.close()
    assert logged.query("SELECT * FROM audit_log") == before


def _behind_the_triggers(path, *statements):
    """Another client that drops the triggers first, as anyone who can write the file can."""
    conn = sqlite3.connect(path)
    triggers = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                               "AND tbl_name = 'audit_log'")]
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"):
        conn.execute(f"DROP TRIGGER {name}")
    for sql in statements:
        conn.execute(sql)
    for sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("statements, row, why", [
    ([("INSERT OR REPLACE INTO audit_log (id, at, login, command, action, entity) "
       "VALUES (2, '2026-01-01T00:00:00.000Z', 'x', 'x', 'add', 'site')")], 2, "chain breaks"),
    (["""UPDATE audit_log SET redacted = 1, changes = '{"status": ["x", "forged"]}' WHERE id = 3"""], 3, "content"),
    (["UPDATE audit_log SET login = 'someone else' WHERE id = 4"], 4, "content"),
    (["DELETE FROM audit_log WHERE id = 2"], 3, "chain breaks"),
    (["INSERT INTO audit_log (at, login, command, action, entity) VALUES ('x', 'x', 'x', 'add', 'site')"], None,
     "chain breaks"),
], ids=["replaced", "forged redaction", "edited", "deleted", "appended"])
def test_db_check_names_the_first_row_where_the_chain_breaks(logged, statements, row, why):
    _behind_the_triggers(logged.path, *statements)
    code, found = _chain_problems(logged)
    assert code == 3 and len(found) == 1
    last = logged.query("SELECT max(id) AS id FROM audit_log")[0]["id"]
    assert found[0]["record"].startswith(f"audit_log row {row or last}:") and why in found[0]["record"]


def test_a_purge_vouches_for_what_it_redacted(logged):
    logged.ok("purge", "--ended-before", "2026-11-25", "--yes")
    assert logged.query("SELECT count(*) AS n FROM audit_log WHERE redacted = 1")[0]["n"] >= 3
    assert logged.ok("db", "check").startswith("ok")
    (purged,) = logged.query("SELECT changes FROM audit_log WHERE action = 'purge'")
    assert len(json.loads(purged["changes"])[audit.VOUCHES][1]) >= 3


def test_a_redaction_not_vouched_for_is_found(logged):
    """A purge-like redaction through kimu's own function, without the purge's row: db check sees it."""
    from kimu_cli import purge

    conn = logged.connect()
    (row,) = conn.execute("SELECT id, changes FROM audit_log WHERE changes LIKE '%ringer tirsdag%'").fetchall()
    conn.execute("UPDATE audit_log SET redacted = 1, changes = ? WHERE id = ?",
                 (purge.redact_changes(row["changes"]), row["id"]))
    conn.close()
    code, found = _chain_problems(logged)
    assert code == 3 and found[0]["record"].startswith(f"audit_log row {row['id']}:")


def test_an_old_file_gets_a_chain_over_its_rows(kimu, tmp_path):
    import shutil

    from conftest import SCHEMA_1

    shutil.copy(SCHEMA_1, kimu.path)
    assert kimu.ok("db", "check").startswith("ok")
    rows = kimu.query("SELECT digest, chain FROM audit_log")
    assert rows and all(r["digest"] and r["chain"] for r in rows)


def test_the_weekly_summary_carries_the_chain_head_and_a_rebuilt_chain_no_longer_matches_it(logged):
    """The head a mailed summary carries is the copy outside the file: someone who rewrites a row
    and rebuilds the whole chain (db check then says ok) still cannot make it match."""
    noted = json.loads(logged.ok("summary", "weekly", "--format", "json"))["audit_head"]
    last = logged.query("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert noted == {"row": last["id"], "chain": last["chain"]}
    printed = f"{last['id']}: {last['chain']}"
    assert printed in logged.ok("summary", "weekly")  # the whole digest, unmasked
    assert logged.ok("db", "check", "--head", printed).startswith("ok")

    rows = logged.query("SELECT * FROM audit_log ORDER BY id")
    rows[1]["login"] = "someone else"
    previous, rebuilt = audit.GENESIS, []
    for row in rows:
        row["digest"] = audit.digest(row)
        row["chain"] = previous = audit.link(previous, row["digest"])
        rebuilt.append((row["login"], row["digest"], row["chain"], row["id"]))
    _behind_the_triggers(logged.path, *[
        f"UPDATE audit_log SET login = '{login}', digest = '{d}', chain = '{c}' WHERE id = {i}"
        for login, d, c, i in rebuilt])
    assert logged.ok("db", "check").startswith("ok")
    row = logged.query(f"SELECT chain FROM audit_log WHERE id = {noted['row']}")[0]
    assert row["chain"] != noted["chain"]
    result = logged("db", "check", "--head", printed, "--format", "json")
    found = json.loads(result.stdout)
    assert result.exit_code == 3
    assert [(p["check"], p["record"]) for p in found] == [
        ("audit log head", f"audit_log row {noted['row']}: its chain differs from the noted one")]


def test_a_noted_head_past_the_end_of_the_log_or_written_wrong(logged):
    last = logged.query("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    result = logged("db", "check", "--head", f"{last['id'] + 1}:{last['chain']}", "--format", "json")
    found = json.loads(result.stdout)
    assert result.exit_code == 3
    assert found[0]["record"] == f"audit_log row {last['id'] + 1}: the row is gone"
    for wrong in (f"{last['id']}", f"{last['id']}: {last['chain'][:-1]}", f"x: {last['chain']}"):
        message = logged.fails("db", "check", "--head", wrong)
        assert message.strip().count("\n") == 0 and "ROW: CHAIN" in message
