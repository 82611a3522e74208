"""The migrations are frozen: a new file gets the schema every existing file got, whatever vocab or
rules say today, and the values they wrote out still agree with vocab and rules (else a change of
vocab needs a migration of its own, and this says so)."""

import ast
import hashlib
import json
import re
import sqlite3
from pathlib import Path

from kimu_cli import rules, schema, vocab

FIXTURE = Path(__file__).parent / "fixtures" / "shipped-schema.json"
# The migrations that have shipped, and what a new file held after them, from the code as it was
# when they shipped (tests/fixtures/shipped-schema.json: sqlite_master in order, transition_kinds,
# application_id; after each migration, a hash of each object's whitespace-normalised SQL). A
# migration appended later does not change this.
SHIPPED = json.loads(FIXTURE.read_text(encoding="utf-8"))
# Statements written out again for a reader (schema.ENROLLMENT_FACTS_KEPT: the triggers had been
# generated from string templates): the same SQL with other line breaks and indentation, which is
# how kimu itself compares a file's schema with its own (backup._schema).
RELAID = {
    "enrollment_facts_insert", "enrollment_facts_update", "enrollment_facts_move", "enrollment_facts_delete",
    "enrollment_facts_kinds_insert", "enrollment_facts_kinds_delete", "enrollment_facts_kinds_update",
    "transition_facts_insert", "transition_facts_update", "transition_facts_delete",
    "attendance_insert", "attendance_update", "attendance_delete",
}


def _fresh(version=None):
    """A new in-memory database with the first `version` migrations (default: those shipped)."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    conn = sqlite3.connect(":memory:")
    migrations = Migrations("kimu")
    for fn in schema.MIGRATIONS[:len(SHIPPED["migrations"]) if version is None else version]:
        migrations()(fn)
    migrations.apply(Database(conn, recursive_triggers=False))
    return conn


def _normal(sql):
    return " ".join((sql or "").split())


def test_a_new_file_gets_the_schema_that_shipped():
    conn = _fresh()
    assert [fn.__name__ for fn in schema.MIGRATIONS[:len(SHIPPED["migrations"])]] == SHIPPED["migrations"]
    master = [list(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")]
    assert [r[:3] for r in master] == [r[:3] for r in SHIPPED["sqlite_master"]]
    for now, then in zip(master, SHIPPED["sqlite_master"]):
        if now[1] in RELAID:
            assert _normal(now[3]) == _normal(then[3]), now[1]
        else:
            assert now[3] == then[3], now[1]
    assert [list(r) for r in conn.execute("SELECT * FROM transition_kinds ORDER BY kind")] == SHIPPED["transition_kinds"]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == SHIPPED["application_id"]


def test_a_file_upgraded_part_of_the_way_has_the_schema_it_had_then():
    """A backup made by an older kimu is restored only if its schema is the one that kimu's
    migrations give at its version (backup._schema, whitespace-normalised), so those stay too."""
    for version, then in enumerate(SHIPPED["normalised_after_each"], start=1):
        now = [[kind, name, hashlib.sha256(_normal(sql).encode()).hexdigest()[:16]] for kind, name, sql in
               _fresh(version).execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid")]
        assert now == then, f"after migration {version}"


def test_the_migrations_do_not_depend_on_vocab_or_rules():
    tree = ast.parse(Path(schema.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "kimu_cli"
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"vocab", "rules", "kimu_cli.vocab", "kimu_cli.rules"}


def test_what_the_migrations_wrote_out_still_agrees_with_vocab():
    """When one fails, vocab changed: write a migration that brings existing files along (and leave
    the old ones as they are)."""
    (enrollments,) = [s for s in schema.INITIAL if "CREATE TABLE enrollments" in s]
    reasons = re.search(r"end_reason IN \(([^)]*)\)", enrollments)[1]
    assert [r.strip(" '") for r in reasons.split(",")] == list(vocab.END_REASONS)
    assert schema.INITIAL_TRANSITION_KINDS == [(kind, group) for kind, (group, _) in vocab.TRANSITION_KINDS.items()]
    counted = f"coalesce(e.end_reason, '') <> '{vocab.EXCLUDED_END_REASON}' AS counted"
    moves = f"k.kind_group IN ({', '.join(repr(g) for g in vocab.MOVED_ON_GROUPS)})"
    for sql in (schema.FACTS, schema.TRANSITION_FACTS_INSERT):
        assert moves in sql
    assert counted in schema.FACTS


def test_what_the_migrations_wrote_out_still_agrees_with_rules():
    facts = _normal(schema.FACTS)
    assert f"coalesce(e.end_date, '{rules.OPEN_END}') AS until" in facts
    # The three day counts of a period, packed in one integer: each weight is its divisor.
    base = 2**21
    assert f"sum(CASE a.status WHEN 'present' THEN 1 WHEN 'absent' THEN {base} ELSE {base**2} END)" in facts
    assert f"tally % {base} AS present, tally / {base} % {base} AS absent, tally / {base**2} AS excused" in facts


def test_every_trigger_counts_the_facts_as_the_recount_does():
    """The triggers hold schema.FACTS written out: each copy is FACTS with {which} filled in."""
    pattern = re.escape(_normal(schema.FACTS_OF)).replace(re.escape("{which}"), "(.+?)")
    found = 0
    for sql in schema.ENROLLMENT_FACTS_KEPT:
        if "INSERT INTO enrollment_facts" in sql and sql.lstrip().startswith("CREATE TRIGGER"):
            text = _normal(sql)
            copies = text.count("INSERT INTO enrollment_facts")
            assert len(re.findall(pattern, text)) == copies, sql.split()[2]
            found += copies
    assert found == 10
