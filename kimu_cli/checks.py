"""`kimu db check`: SQLite's own checks and the domain rules, each problem with what to do."""

import sqlite3
from typing import TypedDict

from kimu_cli import audit, fields, redaction
from kimu_cli.rules import OPEN_END, covers, until
from kimu_cli.schema import FACTS, FACTS_OF

# The participants whose enrollment_facts (schema.py) are not what the other tables give.
FACTS_DIFFER = f"""
    WITH recount AS ({FACTS.format(which="1")}), differing AS (
        SELECT * FROM (SELECT * FROM recount EXCEPT SELECT * FROM enrollment_facts)
        UNION SELECT * FROM (SELECT * FROM enrollment_facts EXCEPT SELECT * FROM recount)
    )
    SELECT DISTINCT coalesce(p.ref, d.participant_id) AS record
    FROM differing d LEFT JOIN participants p ON p.id = d.participant_id ORDER BY 1
"""
# (rule, query returning one row per problem with a 'record' column, what to do)
DOMAIN_RULES = [
    (
        "overlapping enrollments",
        f"""SELECT p.ref AS record FROM enrollments a JOIN enrollments b
           ON a.participant_id = b.participant_id AND a.id < b.id
           AND a.start_date <= {until('b')} AND b.start_date <= {until('a')}
           JOIN participants p ON p.id = a.participant_id""",
        "correct the dates with 'kimu participant edit --start' or end the earlier period",
    ),
    (
        "more than one open enrollment",
        """SELECT p.ref AS record FROM enrollments e JOIN participants p ON p.id = e.participant_id
           WHERE e.end_date IS NULL GROUP BY e.participant_id HAVING count(*) > 1""",
        "end all but the latest period with 'kimu participant end'",
    ),
    (
        "attendance outside every enrollment",
        f"""SELECT p.ref || ' ' || a.date AS record FROM attendance a JOIN participants p ON p.id = a.participant_id
           WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.participant_id = a.participant_id
                             AND {covers('a.date')})""",
        ("correct the enrollment with 'kimu participant edit --start' or 'kimu participant end' (kimu has no "
         "command that deletes attendance: remove a stray row with sqlite3, or 'kimu db restore' a backup)"),
    ),
    (
        "transition before the first enrollment",
        """SELECT p.ref || ' ' || t.date || ' ' || t.kind AS record FROM transitions t
           JOIN participants p ON p.id = t.participant_id
           WHERE t.date < (SELECT min(start_date) FROM enrollments e WHERE e.participant_id = t.participant_id)""",
        "correct the transition's date, or remove it with 'kimu transition remove'",
    ),
    (
        "contact before the first enrollment",
        f"""SELECT p.ref || ' ' || c.date || ' contact ' || c.id AS record FROM contacts c
           JOIN participants p ON p.id = c.participant_id
           WHERE c.date < coalesce((SELECT min(start_date) FROM enrollments e WHERE e.participant_id = c.participant_id),
                                   '{OPEN_END}')""",
        "remove it with 'kimu contact remove ID' and add it again with the right date",
    ),
    (
        "participant without any enrollment",
        """SELECT p.ref AS record FROM participants p
           WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.participant_id = p.id)""",
        "enroll them with 'kimu participant reenroll'",
    ),
    (
        "leader ended while still following participants",
        f"""SELECT l.name || ' ' || p.ref AS record FROM leaders l JOIN enrollments e ON e.leader_id = l.id
           JOIN participants p ON p.id = e.participant_id
           WHERE l.ended IS NOT NULL AND {until()} > l.ended""",
        "end the periods with 'kimu participant end' (and 'kimu participant reenroll' with another leader)",
    ),
    (
        "enrollment facts differ from a recount",
        FACTS_DIFFER,
        ("outcomes, long-period rates and the inside-an-enrollment rule would be wrong (a write bypassed "
         "SQLite's triggers, e.g. an INSERT OR REPLACE with sqlite3): 'kimu db recount' counts them again"),
    ),
]

# What to do about an identity number found in the file (redaction.find).
IDENTITY_NUMBER = ("kimu must not hold national identity numbers: 'kimu db redact' masks every one found "
                   "(the audit log's too)")
IDENTITY_NUMBER_KEPT = ("kimu must not hold national identity numbers, and the audit log keeps this column as "
                        "written (the row was written behind kimu's back): 'kimu db restore' a backup from before it")
# Texts longer than fields.LIMITS allows (stored before kimu had limits, or with sqlite3 and
# PRAGMA ignore_check_constraints): (table, what names the row, how to shorten the text).
LONG_TEXT = [
    ("sites", "name", "shorten it with sqlite3 (kimu has no command that edits a site)"),
    ("leaders", "name", "shorten it with 'kimu leader edit NAME --name ...'"),
    ("participants", "ref", "shorten it with 'kimu participant edit REF --<field> ...'"),
    ("attendance", "(SELECT ref FROM participants WHERE id = participant_id) || ' ' || date",
     "record the day again with a shorter note: 'kimu attendance record DATE REF --status ... --note ...'"),
    ("transitions", "id", "'kimu transition remove ID', then add it again with a shorter text"),
    ("contacts", "id", "'kimu contact remove ID', then add it again with a shorter note"),
]


def _too_long(table: str, key: str, fix: str) -> tuple[str, str, str]:
    """The domain rule (rule, query, fix) that finds the texts of table longer than their limit. A
    long key naming the row is cut short: the report never repeats a whole text."""
    shown = f"CASE WHEN length({key}) > 40 THEN substr({key}, 1, 40) || '…' ELSE {key} END"
    queries = []
    for field, most in fields.LIMITS.items():
        owner, _, column = field.partition(".")
        if owner == table:
            queries.append(
                f"""SELECT '{table} ' || {shown} || ' {column}: ' || replace(printf('%,d', length({column})), ',', ' ')
                           || ' characters, at most {fields.thousands(most)}' AS record
                    FROM {table} WHERE length({column}) > {most}""")
    return "text longer than its limit", " UNION ALL ".join(queries), fix


DOMAIN_RULES += [_too_long(*table) for table in LONG_TEXT]

DAMAGED = "the file is damaged: copy it aside, then 'kimu db restore' the latest backup"
# integrity_check's "CHECK constraint failed in <table>": a row the table's rules refuse, not damage.
BROKEN_CHECK = ("a row breaks a rule of its table (e.g. a text longer than its limit, stored before kimu had "
                "limits): correct it as the other problems listed say")
TAMPERED = ("the audit log was changed behind kimu's back (its hash chain breaks at this row): compare with a "
            "backup ('kimu db restore' one into another file with --db and run 'kimu audit' there)")
REWRITTEN = ("the audit log up to the noted row is not what it was when its head was noted (a weekly summary "
             "carries it): the log was rewritten since; compare with a backup of that time")
DANGLING = "the row points at a record that is gone; 'kimu db restore' a backup, or remove the row with sqlite3"


class Problem(TypedDict):
    """One problem `kimu db check` reports."""

    check: str  # which check or domain rule found it
    record: str  # the row it is about, as people know it
    fix: str  # what to do


def run(conn: sqlite3.Connection) -> list[Problem]:
    """Every problem found, as dicts: check, record, fix. Empty when all is well."""
    return integrity(conn) + rules(conn)


def integrity(conn: sqlite3.Connection) -> list[Problem]:
    """What SQLite's integrity check finds wrong in the file itself."""
    return [_problem("integrity", result, BROKEN_CHECK if result.startswith("CHECK constraint failed") else DAMAGED)
            for (result,) in conn.execute("PRAGMA integrity_check") if result != "ok"]


def rules(conn: sqlite3.Connection) -> list[Problem]:
    """Foreign keys, the domain rules and identity numbers in text, in a file that is sound."""
    problems: list[Problem] = []
    for row in conn.execute("PRAGMA foreign_key_check"):
        problems.append(_problem("foreign key", f"{row[0]} row {row[1]} -> {row[2]}", DANGLING))
    for rule, sql, fix in DOMAIN_RULES:
        problems += [_problem(rule, r["record"], fix) for r in conn.execute(sql)]
    broken = audit.verify(conn)
    if broken:
        problems.append(_problem("audit log chain", f"audit_log row {broken[0]}: {broken[1]}", TAMPERED))
    for found in redaction.find(conn):
        fix = IDENTITY_NUMBER + (f", or correct it with {found['fix']}" if found["fix"] else "")
        if not redaction.maskable(found):
            fix = IDENTITY_NUMBER_KEPT
        problems.append(_problem("identity number stored", f"{found['table']} {found['row']} {found['column']}", fix))
    return problems


def noted_head(conn: sqlite3.Connection, row: int, chain: str) -> list[Problem]:
    """Problems (a list of at most one) when the audit log's row `row` no longer has the chain noted
    for it (e.g. from a mailed weekly summary's audit_head): a rewrite behind kimu's back that
    rebuilt the chain, which verify alone cannot see."""
    found = conn.execute("SELECT chain FROM audit_log WHERE id = ?", (row,)).fetchone()
    if found is not None and found["chain"] == chain:
        return []
    why = "the row is gone" if found is None else "its chain differs from the noted one"
    return [_problem("audit log head", f"audit_log row {row}: {why}", REWRITTEN)]


def _problem(check: str, record: str, fix: str) -> Problem:
    return {"check": check, "record": record, "fix": fix}


def recount(conn: sqlite3.Connection) -> list[str]:
    """Count enrollment_facts again from the other tables, after writes that bypassed SQLite's
    triggers; the refs (or ids) whose facts were wrong, audited. Call inside a transaction."""
    wrong = [r["record"] for r in conn.execute(FACTS_DIFFER)]
    if wrong:
        conn.execute("DELETE FROM enrollment_facts")
        conn.execute(FACTS_OF.format(which="1"))
        audit.record(conn, "recount", "enrollment_facts", None,
                     {"participants": [None, len(wrong)], "first": [None, wrong[:SHOWN]]})
    return wrong


SHOWN = 20  # refs named in a message or an audit row; the rest are counted
