"""Edge tests for every rule: each comparison on its boundary (the first and last day of a year, of a
period, of a week, of the 14-day window), each threshold just below, on and just above it, each
identity-number date rule and each `db check` rule on touching and same-day cases.

Most go through the core functions (fast); a few key ones through the CLI. tools/mutate.py is how
these were found wanting: a test here kills a mutant nothing else did. Today is 2026-11-25.
"""

import json
import sqlite3
from datetime import date

import pytest
from conftest import core, identity_number

from kimu_cli import attendance, capacity, checks, dates, fields, idnumber, limits, outcomes, participants, transitions
from kimu_cli.errors import KimuError

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
REFUSED = "looks like a national identity number (fødselsnummer/D-number); kimu does not store identity numbers"



def enroll(conn, ref, leader, start, end=None, reason="other"):
    """A participant with one period, built past the capacity rule (force)."""
    participants.add(conn, ref, leader, start, force=True)
    if end:
        participants.end(conn, ref, end, reason)


# ---- identity numbers ----

def _check(digits, weights):
    rest = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return 0 if rest == 11 else rest


def valid_number(birth, where=lambda k1, k2: True):
    """11 digits with valid mod-11 check digits for the 6-digit birth part (the date is not looked at)."""
    for individual in range(1000):
        base = f"{birth}{individual:03d}"
        k1 = _check(base, W1)
        k2 = _check(base + str(k1), W2)
        if k1 < 10 and k2 < 10 and where(k1, k2):
            return f"{base}{k1}{k2}"
    raise AssertionError(f"no valid number for {birth}")


@pytest.mark.parametrize("birth", [
    "010185", "311285", "290285", "290200",   # the first and last day of a year; 29 February, any year
    "410185", "710185", "690285",             # D-numbers: day + 40 (01, 31, 29.02)
    "014185", "015285",                       # H-numbers: month + 40 (January, December)
    "012185", "013285",                       # NAV's synthetic numbers: month + 20
    "018185", "019285",                       # Skatteetaten's synthetic numbers: month + 80
    "414185", "718185",                       # D-number and H-/synthetic month at once
])
def test_every_possible_date_of_birth_makes_an_identity_number(birth):
    number = valid_number(birth)
    assert idnumber.is_identity_number(number) is True
    with pytest.raises(KimuError):
        idnumber.refuse(f"ref {number}", "ref")


@pytest.mark.parametrize("birth", [
    "310285", "300285", "310485", "320185",   # 31 and 30 February, 31 April, a 32nd
    "000185", "010085", "011385",             # day 0, month 0, month 13
    "400185", "720185",                       # D-number day 0 and 32
    "012085", "013385",                       # NAV synthetic month 0 and 13
    "014085", "015385",                       # H-number month 0 and 13
    "018085", "019385",                       # Skatteetaten's month 0 and 13
])
def test_valid_check_digits_with_an_impossible_date_are_no_identity_number(birth):
    number = valid_number(birth)
    assert idnumber.is_identity_number(number) is False
    assert idnumber.is_identity_number_in(f"ref {number}") is False
    idnumber.refuse(number, "ref")  # an ordinary number: accepted
    assert idnumber.mask(f"ref {number}") == f"ref {number}"


def test_a_sha256_digest_is_not_read_for_numbers_but_one_hex_character_less_or_more_is():
    """The audit chain head is printed for people to note down: a digest whose decimal run happens
    to be an identity number stays whole; a shorter or longer hex string is text like any other."""
    number = identity_number("150585")
    digest = "ab" + number + "c" * 51
    assert len(digest) == 64
    assert idnumber.mask(f"head {digest}") == f"head {digest}"
    for other in (digest[:-1], digest + "d", digest.upper(), "x" + digest):
        assert idnumber.is_identity_number_in(other), other


def test_check_digits_of_zero_count_and_a_wrong_one_does_not():
    first_zero = valid_number("150585", lambda k1, k2: k1 == 0)
    second_zero = valid_number("150585", lambda k1, k2: k2 == 0)
    assert idnumber.is_identity_number(first_zero) and idnumber.is_identity_number(second_zero)
    for number in (first_zero, second_zero):
        for at in (9, 10):
            wrong = number[:at] + str((int(number[at]) + 1) % 10) + number[at + 1:]
            assert idnumber.is_identity_number(wrong) is False
    assert idnumber.is_identity_number(first_zero[:10]) is False
    assert idnumber.is_identity_number(first_zero + "0") is False


def test_a_check_digit_of_9_counts():
    for where in (lambda k1, k2: k1 == 9, lambda k1, k2: k2 == 9):
        number = valid_number("150585", where)
        assert idnumber.is_identity_number(number) and idnumber.is_identity_number_in(f"ID {number}"), number


def _number_written_as_a_date(year):
    """A valid number whose first eight digits read as dd/mm/yyyy of `year` (digits 5-6 the birth
    year, 7-8 the start of the individual number)."""
    for month in range(1, 13):
        for day in range(1, 29):
            for last in range(10):
                base = f"{day:02d}{month:02d}{year[:2]}{year[2:]}{last}"
                k1, k2 = _check(base, W1), _check(base + str(_check(base, W1)), W2)
                if k1 < 10 and k2 < 10:
                    number = f"{base}{k1}{k2}"
                    return f"{number[:2]}/{number[2:4]}/{number[4:8]} {number[8:]}"
    raise AssertionError(year)


@pytest.mark.parametrize("year, a_date", [("1899", False), ("1900", True), ("2099", True), ("2100", False)])
def test_digits_written_as_a_date_are_a_date_from_1900_to_2099(year, a_date):
    """'15/01/1900 123' is a date and three digits; '15/01/1899 123' (a year no one is born in and
    still followed) is the eleven digits of a number."""
    text = _number_written_as_a_date(year)
    assert idnumber.is_identity_number_in(text) is not a_date, text


@pytest.mark.parametrize("between", ["\u2010", "\u2212", "\uff0d", "\u2215", "\u00b7", "\u200b", "\u200d", "\u0301",
                                     "\u00a0", "\u2009"])
def test_masking_keeps_every_character_in_its_place_whatever_stands_between_the_digits(between):
    """A look-alike dash, slash or dot, an invisible character or a space of another width between
    the digits: masked digit for digit, nothing taken out or added, also in a printed line (the
    text as NFKC writes it, as mask gives every text it masks)."""
    import unicodedata

    number = identity_number("150190")
    text = f"x {number[:6]}{between}{number[6:]} y"
    expected = "x " + "•" * 6 + unicodedata.normalize("NFKC", between) + "•" * 5 + " y"
    assert idnumber.mask(text) == expected
    assert idnumber.mask(text, printed=True) == expected


def test_a_line_break_ends_a_number_in_a_printed_line_and_a_space_of_any_width_does_not():
    number = identity_number("150190")
    for between in ("\n", "\r", "\x0b", "\u2028"):
        assert idnumber.mask(f"{number[:6]}{between}{number[6:]}", printed=True) == f"{number[:6]}{between}{number[6:]}"
    for between in (" ", "\u00a0", "\u2009", "\u3000"):  # NFKC writes each as a space
        assert idnumber.mask(f"{number[:6]}{between}{number[6:]}", printed=True) == "•" * 6 + " " + "•" * 5


def test_the_refusal_shows_the_text_around_the_number_with_every_digit_masked():
    number = identity_number()
    with pytest.raises(KimuError) as short:
        idnumber.refuse(f"ref {number}", "ref")
    assert str(short.value) == f"ref: 'ref •••••••••••' {REFUSED}"
    # A long text: 10 characters before the number, at most 40 in all, '…' where it is cut.
    with pytest.raises(KimuError) as middle:
        idnumber.refuse("a" * 30 + number + "b" * 30, "notes")
    assert str(middle.value) == f"notes: '…{'a' * 10}{'•' * 11}{'b' * 19}…' {REFUSED}"
    with pytest.raises(KimuError) as end:
        idnumber.refuse("x" * 50 + number, "notes")
    assert str(end.value) == f"notes: '…{'x' * 29}{'•' * 11}' {REFUSED}"
    with pytest.raises(KimuError) as start:
        idnumber.refuse(number + " 2" + "y" * 40, "notes")
    assert str(start.value) == f"notes: '{'•' * 11} •{'y' * 27}…' {REFUSED}"


def test_the_cli_refusal_is_masked_and_nothing_is_stored(register):
    number = identity_number()
    error = register.fails("participant", "add", number, "--leader", "Kari Nordmann", "--start", "2026-11-02")
    assert error == f"kimu: ref: '•••••••••••' {REFUSED}"
    assert register.query("SELECT count(*) AS n FROM participants")[0]["n"] == 0


def test_mask_replaces_only_the_digits_of_the_number():
    number = identity_number()
    assert idnumber.mask(f"tlf 12345678 fnr {number}.") == "tlf 12345678 fnr •••••••••••."
    assert idnumber.mask("nothing here 2026-11-25") == "nothing here 2026-11-25"
    assert not idnumber.is_identity_number_in(None) and not idnumber.is_identity_number_in("")
    idnumber.refuse(None, "notes")


@pytest.mark.parametrize("old, new, allowed", [
    (None, None, True), (None, "", False), ("", None, False), ("", "", True),
    ("fnr 15058512345", "fnr •••••••••••", True), ("fnr 1", "fnr 1", True), ("fnr 1", "fnr •", True),
    ("fnr 1", "fnr 2", False), ("fnr 1", "fnr ••", False), ("fnr 12", "fnr •", False), ("fnr a", "fnr •", False),
    ("abc", "abd", False), ("fnr １", "fnr •", True),  # a full-width digit is a digit (NFKC)
])
def test_a_redaction_masks_digits_and_changes_nothing_else(old, new, allowed):
    assert idnumber.masks(old, new) is allowed


# ---- dates ----

@pytest.mark.parametrize("text, expected", [
    ("2026-01-01", date(2026, 1, 1)), ("2026-12-31", date(2026, 12, 31)),
    ("1.1.2026", date(2026, 1, 1)), ("31.12.2026", date(2026, 12, 31)), ("29.02.2028", date(2028, 2, 29)),
    (" 2026-11-25 ", date(2026, 11, 25)), (date(2026, 11, 25), date(2026, 11, 25)),
])
def test_dates_on_the_edges_of_a_year_and_of_february(text, expected):
    assert dates.parse(text) == expected


@pytest.mark.parametrize("text, why", [
    ("2026-02-29", "is not a date in the calendar"), ("29.02.2026", "is not a date in the calendar"),
    ("2026-13-01", "is not a date in the calendar"), ("00.01.2026", "is not a date in the calendar"),
    ("2026-1-01", "is not a date (use 2026-11-20 or 20.11.2026)"), ("1.1.26", "is not a date (use"),
])
def test_impossible_dates_are_refused_naming_the_field(text, why):
    with pytest.raises(KimuError) as error:
        dates.parse(text, "start")
    assert str(error.value).startswith(f"start: '{text}' {why}")


def test_optional_dates_iso_and_today():
    assert dates.parse_optional(None) is None and dates.parse_optional("") is None
    assert dates.parse_optional("   ") is None and dates.parse_optional("1.2.2026") == date(2026, 2, 1)
    assert dates.iso(None) is None and dates.iso("") is None and dates.iso("25.11.2026") == "2026-11-25"
    assert dates.today() == date(2026, 11, 25)


def test_today_is_the_real_day_without_kimu_today(monkeypatch):
    monkeypatch.delenv("KIMU_TODAY")
    assert dates.today() == date.today()
    monkeypatch.setenv("KIMU_TODAY", "")
    assert dates.today() == date.today()
    monkeypatch.setenv("KIMU_TODAY", "31.12.2026")
    assert dates.today() == date(2026, 12, 31)


@pytest.mark.parametrize("value, expected", [
    ("2026-01-01", "01.01.2026"), ("2026-12-31", "31.12.2026"), (date(2026, 2, 1), "01.02.2026"),
    ("", ""), (None, None), ("<5", "<5"), ("ukjent", "ukjent"), ("2026-11-25T06:30", "2026-11-25T06:30"), (7, 7),
])
def test_norwegian_dates_and_anything_else_as_it_is(value, expected):
    assert dates.norwegian(value) == expected


# ---- db check: each domain rule on touching and same-day cases ----

_TABLES = """
    CREATE TABLE participants (id INTEGER PRIMARY KEY, ref TEXT);
    CREATE TABLE leaders (id INTEGER PRIMARY KEY, name TEXT, ended TEXT);
    CREATE TABLE enrollments (id INTEGER PRIMARY KEY, participant_id INTEGER, leader_id INTEGER,
                              start_date TEXT, end_date TEXT, end_reason TEXT);
    CREATE TABLE attendance (participant_id INTEGER, date TEXT, status TEXT);
    CREATE TABLE transitions (id INTEGER PRIMARY KEY, participant_id INTEGER, date TEXT, kind TEXT);
    INSERT INTO participants (id, ref) VALUES (1, 'P1'), (2, 'P2');
    INSERT INTO leaders (id, name) VALUES (1, 'Kari'), (2, 'Ola');
"""
RULES = {rule: sql for rule, sql, _ in checks.DOMAIN_RULES}


def found(rule, periods=(), rows=()):
    """The records a domain rule of `db check` finds: periods are (participant, start, end[, leader])."""
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    try:
        conn.executescript(_TABLES)
        for participant, start, end, *leader in periods:
            conn.execute("INSERT INTO enrollments (participant_id, leader_id, start_date, end_date) VALUES (?, ?, ?, ?)",
                         (participant, leader[0] if leader else 1, start, end))
        for sql in rows:
            conn.execute(sql)
        return [r["record"] for r in conn.execute(RULES[rule])]
    finally:
        conn.close()


@pytest.mark.parametrize("periods, expected", [
    ([(1, "2026-01-05", "2026-03-02"), (1, "2026-03-02", None)], ["P1"]),   # touching: the end day is followed
    ([(1, "2026-03-02", None), (1, "2026-01-05", "2026-03-02")], ["P1"]),   # the same, the later one stored first
    ([(1, "2026-01-05", "2026-03-01"), (1, "2026-03-02", None)], []),       # the next day: no overlap
    ([(1, "2026-03-02", "2026-03-02"), (1, "2026-03-02", "2026-03-02")], ["P1"]),  # one day twice: one problem
    ([(1, "2026-03-02", "2026-03-02"), (1, "2026-03-03", "2026-03-03")], []),
    ([(1, "2026-01-05", None), (2, "2026-01-05", None)], []),              # two participants
    ([(1, "2026-01-05", "2026-12-31")], []),                               # a period alone
])
def test_overlapping_enrollments_on_touching_and_same_day_periods(periods, expected):
    assert found("overlapping enrollments", periods) == expected


@pytest.mark.parametrize("periods, expected", [
    ([(1, "2026-01-05", None), (1, "2026-03-02", None)], ["P1"]),
    ([(1, "2026-01-05", None), (1, "2026-03-02", None), (1, "2026-05-04", None)], ["P1"]),
    ([(1, "2026-01-05", "2026-03-01"), (1, "2026-03-02", None), (2, "2026-03-02", None)], []),
])
def test_more_than_one_open_enrollment(periods, expected):
    assert found("more than one open enrollment", periods) == expected


def test_attendance_on_the_first_and_last_day_of_a_period_is_inside_it():
    days = ("2026-03-01", "2026-03-02", "2026-03-31", "2026-04-01", "2030-01-01")
    rows = [f"INSERT INTO attendance VALUES (1, '{d}', 'present')" for d in days]
    assert found("attendance outside every enrollment", [(1, "2026-03-02", "2026-03-31")], rows) == [
        "P1 2026-03-01", "P1 2026-04-01", "P1 2030-01-01"]
    assert found("attendance outside every enrollment", [(1, "2026-03-02", "2026-03-31"), (1, "2026-04-01", None)],
                 rows) == ["P1 2026-03-01"]


def test_a_transition_on_the_first_day_is_not_before_the_first_enrollment():
    periods = [(1, "2026-03-02", "2026-03-31"), (1, "2026-06-01", None)]
    rows = [f"INSERT INTO transitions (participant_id, date, kind) VALUES (1, '{d}', 'mfy')"
            for d in ("2026-03-01", "2026-03-02", "2026-05-01")]
    assert found("transition before the first enrollment", periods, rows) == ["P1 2026-03-01 mfy"]


def test_a_participant_without_any_enrollment():
    assert found("participant without any enrollment", [(1, "2026-03-02", None)]) == ["P2"]


def test_correcting_the_period_of_a_participant_without_one_is_one_line_and_changes_nothing(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-03-02")
    register.execute("DELETE FROM enrollments")
    before = register.snapshot()
    assert "'P1'" in register.fails("participant", "edit", "P1", "--start", "2026-03-03", "--notes", "x")
    assert register.snapshot() == before


def test_a_leader_ended_on_the_last_day_of_a_period_is_not_a_problem():
    periods = [(1, "2026-01-05", "2026-03-02"), (2, "2026-01-05", "2026-03-03")]
    ended = ["UPDATE leaders SET ended = '2026-03-02' WHERE id = 1"]
    assert found("leader ended while still following participants", periods, ended) == ["Kari P2"]
    assert found("leader ended while still following participants", [(1, "2026-01-05", None)], ended) == ["Kari P1"]
    assert found("leader ended while still following participants", [(1, "2026-01-05", None, 2)], ended) == []
    assert found("leader ended while still following participants", [(1, "2026-01-05", None)]) == []


def test_a_text_of_exactly_its_limit_is_not_too_long():
    conn = sqlite3.connect(":memory:")
    try:
        for table, keys in (("participants", "id INTEGER PRIMARY KEY"), ("attendance", "participant_id, date")):
            columns = [f.partition(".")[2] for f in fields.LIMITS if f.startswith(f"{table}.")]
            conn.execute(f"CREATE TABLE {table} ({keys}, {', '.join(columns)})")
        conn.execute("INSERT INTO participants (ref) VALUES (?), (?)", ("a" * fields.REF, "b" * (fields.REF + 1)))
        conn.execute("INSERT INTO attendance (participant_id, date, note) VALUES (1, '2026-11-24', ?), "
                     "(2, '2026-11-25', ?)", ("n" * fields.NOTE, "n" * (fields.NOTE + 1)))
        rules = {table: checks._too_long(table, key, fix) for table, key, fix in checks.LONG_TEXT}
        rule, sql, fix = rules["participants"]
        assert [r[0] for r in conn.execute(sql)] == [
            f"participants {'b' * 40}… ref: {fields.REF + 1} characters, at most {fields.REF}"]
        assert rule == "text longer than its limit" and "participant edit" in fix
        _, sql, _ = rules["attendance"]
        assert [r[0] for r in conn.execute(sql)] == [
            f"attendance {'b' * 40}… note: 2 001 characters, at most 2 000"]
        assert {r[0] for r in checks.DOMAIN_RULES} >= {"text longer than its limit", "overlapping enrollments"}
    finally:
        conn.close()


def test_recount_names_at_most_20_refs_in_its_audit_row(register):
    with core(register) as conn:
        for i in range(21):
            enroll(conn, f"R-{i:02d}", "Kari Nordmann", "2026-01-05")
        conn.execute("DELETE FROM enrollment_facts")
        wrong = checks.recount(conn)
        assert wrong == [f"R-{i:02d}" for i in range(21)]
        (changes,) = conn.execute("SELECT changes FROM audit_log WHERE action = 'recount'").fetchone()
        assert json.loads(changes) == {"participants": [None, 21], "first": [None, wrong[:20]]}
        assert checks.recount(conn) == []


# ---- capacity ----

def test_the_yearly_count_on_the_first_and_last_day_of_a_year(register):
    with core(register) as conn:
        enroll(conn, "DEC31-OPEN", "Ola Brøndbo", "2025-12-31")
        enroll(conn, "ENDS-JAN1", "Ola Brøndbo", "2025-11-03", "2026-01-01")
        enroll(conn, "ENDS-DEC31", "Ola Brøndbo", "2025-10-01", "2025-12-31")
        enroll(conn, "JAN1", "Ola Brøndbo", "2026-01-01", "2026-01-01")
        enroll(conn, "DEC31", "Ola Brøndbo", "2026-12-31")
        enroll(conn, "NEXT-JAN1", "Ola Brøndbo", "2027-01-01")
        enroll(conn, "ERROR", "Ola Brøndbo", "2026-06-01", "2026-06-02", "registered_in_error")
        ola = participants.leaders.get(conn, "Ola Brøndbo")["id"]
        assert limits.usage(conn, ola, "2026-06-15")[0] == 4
        assert limits.usage(conn, ola, "2025-06-15")[0] == 3
        assert limits.usage(conn, ola, "2027-06-15")[0] == 3
        assert limits.usage(conn, ola, "2026-06-15", year=2025)[0] == 3
    rows = {r["leader"]: r for r in capacity.report(register.connect(), year=2026)}
    assert (rows["Ola Brøndbo"]["followed"], rows["Ola Brøndbo"]["yearly_left"]) == (4, 16)


@pytest.mark.parametrize("on, active", [
    ("2026-03-01", 0),   # the day before the start
    ("2026-03-02", 1),   # the first day
    ("2026-03-31", 1),   # the last day (the end date is followed)
    ("2026-04-01", 0),   # the day after
])
def test_active_on_the_first_and_last_day_of_a_period(register, on, active):
    with core(register) as conn:
        enroll(conn, "P", "Ola Brøndbo", "2026-03-02", "2026-03-31")
        enroll(conn, "ERR", "Ola Brøndbo", "2026-03-02", "2026-03-31", "registered_in_error")
        ola = participants.leaders.get(conn, "Ola Brøndbo")["id"]
        assert limits.usage(conn, ola, on) == (1, active)
    assert capacity.report(register.connect(), on=on, leader="Ola Brøndbo")[0]["active"] == active


def test_max_at_once_counts_a_period_ending_on_the_start_day(register):
    # Håkon Ødegård: at most 2 at once, 3 a year, alone at his site.
    with core(register) as conn:
        enroll(conn, "H-1", "Håkon Ødegård", "2026-01-05", "2026-03-02")
        enroll(conn, "H-2", "Håkon Ødegård", "2026-01-05")
    error = register.fails("participant", "add", "H-3", "--leader", "Håkon Ødegård", "--start", "2026-03-02")
    assert error.startswith("kimu: capacity: leader 'Håkon Ødegård' would have 3 active on 2026-03-02 "
                            "(max concurrent 2); no other leader at the same site has room")
    register.ok("participant", "add", "H-3", "--leader", "Håkon Ødegård", "--start", "2026-03-03")
    hakon = capacity.report(register.connect(), on="2026-03-03", leader="Håkon Ødegård")[0]
    assert (hakon["active"], hakon["concurrent_left"], hakon["status"]) == (2, 0, "full")


def test_the_room_at_the_same_site_names_only_leaders_with_room_and_the_right_number_left(register):
    for name, caps in (("Anne Aas", ("3", "5")), ("Berit Bø", ("2", "5")), ("Cato Ek", ("5", "1")),
                       ("Dag Dal", ("4", "4")), ("Eva Eng", ("4", "4"))):
        register.ok("leader", "add", name, "--site", "Solbakken omsorgssenter", "--yearly-capacity", caps[0],
                    "--max-concurrent", caps[1])
    with core(register) as conn:
        enroll(conn, "K-1", "Kari Nordmann", "2026-01-05")
        conn.execute("UPDATE leaders SET max_concurrent = 1 WHERE name = 'Kari Nordmann'")
        enroll(conn, "A-1", "Anne Aas", "2026-01-05", "2026-02-27")     # Anne: 1 of 3 this year, 2 left
        enroll(conn, "B-1", "Berit Bø", "2026-01-05", "2026-01-30")     # Berit: 2 of 2 this year: full
        enroll(conn, "B-2", "Berit Bø", "2026-02-02", "2026-02-27")
        enroll(conn, "C-1", "Cato Ek", "2026-01-05")                    # Cato: 1 at once of 1: full
        enroll(conn, "E-1", "Eva Eng", "2025-06-02", "2025-12-31")      # Eva: last year's do not count
    register.ok("leader", "end", "Dag Dal", "--date", "2026-03-01")      # Dag ended the day before
    register.ok("leader", "end", "Ola Brøndbo", "--date", "2026-03-02")  # Ola ends on the start day: still there
    error = register.fails("participant", "add", "K-2", "--leader", "Kari Nordmann", "--start", "2026-03-02")
    assert ("room at the same site: Anne Aas (2 left this year), Eva Eng (4 left this year), "
            "Ola Brøndbo (20 left this year); --force overrides") in error


def test_check_room_is_empty_with_room_and_names_what_force_overrides(register):
    with core(register) as conn:
        hakon = participants.leaders.get(conn, "Håkon Ødegård")
        assert limits.check_room(conn, hakon, "2026-03-02") == ""
        enroll(conn, "H-1", "Håkon Ødegård", "2026-01-05")
        enroll(conn, "H-2", "Håkon Ødegård", "2026-01-05", "2026-03-02")
        assert limits.check_room(conn, hakon, "2026-03-02", force=True) == (
            "leader 'Håkon Ødegård' would have 3 active on 2026-03-02 (max concurrent 2)")
        assert limits.check_room(conn, hakon, "2026-03-03") == ""
        enroll(conn, "H-3", "Håkon Ødegård", "2026-03-03", "2026-03-31")
        assert limits.check_room(conn, hakon, "2026-04-01", force=True) == (
            "leader 'Håkon Ødegård' would follow 4 participants in 2026 (yearly capacity 3)")
        # Someone the leader already follows this year does not count twice.
        h2 = participants.get(conn, "H-2")["id"]
        assert limits.check_room(conn, hakon, "2026-04-01", participant_id=h2) == ""


def test_the_yearly_limit_holds_in_every_later_year_an_open_period_reaches(register):
    with core(register) as conn:
        enroll(conn, "N-1", "Håkon Ødegård", "2027-01-04", "2027-01-29")
        enroll(conn, "N-2", "Håkon Ødegård", "2027-01-04", "2027-01-29")
        enroll(conn, "OLD", "Håkon Ødegård", "2025-01-06", "2025-12-31")
    register.ok("participant", "add", "H-1", "--leader", "Håkon Ødegård", "--start", "2026-03-02")  # 3 in 2027
    error = register.fails("participant", "add", "H-2", "--leader", "Håkon Ødegård", "--start", "2026-12-31")
    assert error == ("kimu: capacity: leader 'Håkon Ødegård' would follow 4 participants in 2027 (yearly capacity 3); "
                     "no other leader at the same site has room; --force overrides")
    register.ok("participant", "add", "H-3", "--leader", "Ola Brøndbo", "--start", "2028-01-03", "--yes")


def test_the_yearly_limit_is_checked_from_the_start_year_to_the_last_start_and_no_further(register):
    with core(register) as conn:
        for ref in ("F-1", "F-2", "F-3"):  # 2025 was full: that does not matter for a period from 2026
            enroll(conn, ref, "Håkon Ødegård", "2025-03-03", "2025-12-31")
        for ref in ("O-1", "O-2", "O-3"):
            enroll(conn, ref, "Håkon Ødegård", "2026-01-05")
        enroll(conn, "LATER", "Ola Brøndbo", "2028-01-03")  # another leader's later start: not Håkon's years
        enroll(conn, "ERR", "Håkon Ødegård", "2029-01-01", "2029-01-02", "registered_in_error")
        hakon = participants.leaders.get(conn, "Håkon Ødegård")
        assert limits.check_room(conn, hakon, "2026-06-01", force=True) == (
            "leader 'Håkon Ødegård' would follow 4 participants in 2026 (yearly capacity 3) "
            "and would have 4 active on 2026-06-01 (max concurrent 2)")
        # Ola's last start is in 2025 and his periods are open: 2026, the new period's year, is checked.
        conn.execute("UPDATE leaders SET yearly_capacity = 2 WHERE name = 'Ola Brøndbo'")
        conn.execute("DELETE FROM enrollments WHERE participant_id = (SELECT id FROM participants WHERE ref = 'LATER')")
        for ref in ("S-1", "S-2"):
            enroll(conn, ref, "Ola Brøndbo", "2025-06-02")
        ola = participants.leaders.get(conn, "Ola Brøndbo")
        assert limits.check_room(conn, ola, "2026-03-02", force=True) == (
            "leader 'Ola Brøndbo' would follow 3 participants in 2026 (yearly capacity 2)")


def test_a_leader_is_in_a_years_report_from_the_day_started_to_the_day_ended(register):
    with core(register) as conn:
        site = "Åsgården sykehjem"
        for name, started in (("Dec Start", "2026-12-31"), ("Jan Start", "2027-01-01"),
                              ("Jan End", None), ("Dec End", None)):
            participants.leaders.add(conn, name, site, started=started)
        participants.leaders.end(conn, "Jan End", "2026-01-01")
        participants.leaders.end(conn, "Dec End", "2025-12-31")
    names = {r["leader"] for r in capacity.report(register.connect(), year=2026, site="Åsgården sykehjem")}
    assert names == {"Håkon Ødegård", "Dec Start", "Jan End"}
    names = {r["leader"] for r in capacity.report(register.connect(), year=2025, site="Åsgården sykehjem")}
    assert names == {"Håkon Ødegård", "Jan End", "Dec End"}


def test_capacity_counted_up_to_a_day_is_capacity_as_the_register_stood_that_day(register):
    """The weekly summary's capacity of a past week (as_it_stood) against the same report under
    history.as_of: a leader who starts later in the year is in both (leaders are not dated out), a
    period starting later is in neither, one ending later still counts."""
    from kimu_cli import history

    register.ok("leader", "add", "Nils Ny", "--site", "Åsgården sykehjem")
    register.execute("UPDATE leaders SET started = '2026-10-01' WHERE name = 'Nils Ny'")
    with core(register) as conn:
        participants.add(conn, "A", "Kari Nordmann", "2026-03-02", force=True)
        participants.add(conn, "B", "Kari Nordmann", "2026-10-05", force=True)
        participants.add(conn, "C", "Nils Ny", "2026-10-05", force=True)
        participants.end(conn, "A", "2026-10-20", "other_path")
    conn = register.connect()
    try:
        then = capacity.report(conn, 2026, "2026-09-20", as_it_stood=True)
        with history.as_of(conn, "2026-09-20", "2026-01-01"):
            assert capacity.report(conn, 2026, "2026-09-20") == then
        assert {r["leader"]: (r["followed"], r["active"]) for r in then if r["leader"] in ("Kari Nordmann", "Nils Ny")} \
            == {"Kari Nordmann": (1, 1), "Nils Ny": (0, 0)}
        assert {r["leader"]: r["followed"] for r in capacity.report(conn, 2026, "2026-09-20")}["Kari Nordmann"] == 2
    finally:
        conn.close()


def test_the_report_of_a_year_says_the_year_and_day_once_for_all_leaders(register):
    rows = capacity.report(register.connect(), year=2025)
    doc = capacity.document(rows)
    assert doc["sections"][0]["facts"] == [("year", 2025), ("on", "2025-12-31")]
    assert capacity.suppress(rows, 1) is rows and capacity.suppress(rows, None) is rows


@pytest.mark.parametrize("year, accepted", [(1899, False), (1900, True), (2100, True), (2101, False)])
def test_the_plausible_years_of_a_capacity_report(register, year, accepted):
    if accepted:
        register.ok("capacity", "--year", str(year))
    else:
        assert register.fails("capacity", "--year", str(year)) == f"kimu: year: {year} is not a plausible year"


def test_a_year_alone_reports_its_nearest_day(register):
    conn = register.connect()
    assert {r["on"] for r in capacity.report(conn, year=2027)} == {"2027-01-01"}
    assert {r["on"] for r in capacity.report(conn, year=2025)} == {"2025-12-31"}
    assert {r["on"] for r in capacity.report(conn, year=2026)} == {"2026-11-25"}
    assert {(r["year"], r["on"]) for r in capacity.report(conn, on="2024-02-29")} == {(2024, "2024-02-29")}


# ---- attendance: the 14-day window, 3 absences in a row, a rate of 0.8 ----

def record(conn, *days):
    """days: (date, {ref: status})."""
    for day, statuses in days:
        attendance.record(conn, day, list(statuses.items()))


def alerts(kimu, **options):
    return [(a["ref"], a["alert"], a["detail"]) for a in attendance.alerts(kimu.connect(), **options)]


def test_the_window_is_the_last_14_days_including_today_and_its_first_day(register):
    with core(register) as conn:
        enroll(conn, "W", "Kari Nordmann", "2026-11-02")
        record(conn, ("2026-11-11", {"W": "absent"}), ("2026-11-12", {"W": "present"}),
               ("2026-11-13", {"W": "present"}), ("2026-11-16", {"W": "present"}), ("2026-11-17", {"W": "absent"}),
               ("2026-11-25", {"W": "present"}))
    # 12-25 November: 4 present, 1 absent: 0.8, not under it; 11 November is outside.
    assert alerts(register) == []
    assert alerts(register, on="2026-11-24") == [("W", "low_rate", "attendance 60% (3 of 5 days) since 2026-11-11")]
    assert alerts(register, window_days=15) == [("W", "low_rate", "attendance 67% (4 of 6 days) since 2026-11-11")]
    assert alerts(register, min_rate=0.81) == [("W", "low_rate", "attendance 80% (4 of 5 days) since 2026-11-12")]


def test_three_absences_from_the_first_day_of_a_period_and_not_before_it(register):
    with core(register) as conn:
        enroll(conn, "NEW", "Kari Nordmann", "2026-11-23")
        enroll(conn, "BACK", "Kari Nordmann", "2026-11-02", "2026-11-22")
        record(conn, *[(d, {"BACK": "absent"}) for d in ("2026-11-20", "2026-11-21", "2026-11-22")])
        participants.reenroll(conn, "BACK", "Kari Nordmann", "2026-11-23", force=True)
        record(conn, ("2026-11-23", {"NEW": "absent", "BACK": "absent"}),
               ("2026-11-24", {"NEW": "absent", "BACK": "absent"}), ("2026-11-25", {"NEW": "absent"}))
    assert ("NEW", "consecutive_absences", "3 absences in a row since 2026-11-23") in alerts(register)
    # BACK: 3 absences at the end of the last period do not carry over into this one.
    assert not [a for a in alerts(register, on="2026-11-24") if a[1] == "consecutive_absences"]
    assert [a for a in alerts(register, on="2026-11-24", absences_in_row=2) if a[1] == "consecutive_absences"] == [
        ("BACK", "consecutive_absences", "2 absences in a row since 2026-11-23"),
        ("NEW", "consecutive_absences", "2 absences in a row since 2026-11-23")]


def test_a_run_of_absences_longer_than_the_window_and_a_day_present_today(register):
    with core(register) as conn:
        enroll(conn, "LONG", "Kari Nordmann", "2026-11-02")
        enroll(conn, "TODAY", "Kari Nordmann", "2026-11-02")
        record(conn, ("2026-11-03", {"LONG": "present"}), ("2026-11-05", {"LONG": "absent"}),
               ("2026-11-06", {"LONG": "absent"}), ("2026-11-13", {"LONG": "absent"}),
               ("2026-11-19", {"TODAY": "present"}), ("2026-11-20", {"TODAY": "absent"}),
               ("2026-11-23", {"TODAY": "absent"}), ("2026-11-24", {"TODAY": "absent"}),
               ("2026-11-25", {"TODAY": "present"}))
    found = alerts(register, missing_days=99)
    assert [a for a in found if a[1] == "consecutive_absences"] == [
        ("LONG", "consecutive_absences", "3 absences in a row since 2026-11-05")]
    assert ("TODAY", "low_rate", "attendance 40% (2 of 5 days) since 2026-11-12") in found  # more absent than present


def test_no_registration_at_all_is_no_alert_and_a_missing_day_only_that(register):
    with core(register) as conn:
        enroll(conn, "A", "Kari Nordmann", "2026-11-02")
        enroll(conn, "B", "Kari Nordmann", "2026-11-02")
        enroll(conn, "H", "Håkon Ødegård", "2026-11-02")
        record(conn, ("2026-11-24", {"B": "present"}))
    assert alerts(register) == [
        ("A", "missing_registration", "no registration on 1 day(s) the leader registered others (last 2026-11-24)")]
    with core(register) as conn:
        enroll(conn, "C", "Kari Nordmann", "2026-11-20")
        record(conn, ("2026-11-20", {"B": "present"}))
    # C's window starts on its first day, 20 November: the leader registered B then, not C.
    two_days = "no registration on 2 day(s) the leader registered others (last 2026-11-24)"
    assert ("C", "missing_registration", two_days) in alerts(register)
    one_day = "no registration on 1 day(s) the leader registered others (last 2026-11-20)"
    assert ("C", "missing_registration", one_day) in alerts(register, on="2026-11-23")


def test_the_leaders_registered_days_count_periods_starting_today_and_ending_on_the_windows_first_day(register):
    with core(register) as conn:
        enroll(conn, "A", "Kari Nordmann", "2026-11-02")
        enroll(conn, "LAST", "Kari Nordmann", "2026-11-02", "2026-11-12")   # its last day is the window's first
        enroll(conn, "NEW", "Kari Nordmann", "2026-11-25")                  # its first day is today
        record(conn, ("2026-11-12", {"LAST": "present"}), ("2026-11-25", {"NEW": "present"}))
    assert alerts(register) == [
        ("A", "missing_registration", "no registration on 2 day(s) the leader registered others (last 2026-11-25)")]
    assert alerts(register, on="2026-11-24") == [
        ("A", "missing_registration", "no registration on 1 day(s) the leader registered others (last 2026-11-12)")]


def test_site_filters_of_rates_and_alerts_keep_to_the_site(register):
    with core(register) as conn:
        enroll(conn, "K", "Kari Nordmann", "2026-11-02")
        enroll(conn, "H", "Håkon Ødegård", "2026-11-02")
        record(conn, ("2026-11-24", {"K": "absent", "H": "absent"}), ("2026-11-25", {"K": "absent", "H": "absent"}))
        for site, ref in (("Åsgården sykehjem", "H"), ("Solbakken omsorgssenter", "K")):
            assert [r["ref"] for r in attendance.rates(conn, site=site)] == [ref]
            assert {r["site"] for r in attendance.rates(conn, by="site", site=site)} == {site}
            assert {(a["ref"], a["site"]) for a in attendance.alerts(conn, site=site)} == {(ref, site)}
            assert [r["ref"] for r in attendance.list_attendance(conn, site=site)] == [ref, ref]


def test_alert_options_on_their_limits(register):
    with pytest.raises(KimuError):
        attendance.alerts(register.connect(), min_rate=1.01)
    with pytest.raises(KimuError):
        attendance.alerts(register.connect(), min_rate=-0.01)
    for option in ("absences_in_row", "window_days", "missing_days"):
        with pytest.raises(KimuError):
            attendance.alerts(register.connect(), **{option: 0})
        assert attendance.alerts(register.connect(), **{option: 1}) == []
    assert attendance.alerts(register.connect(), min_rate=0) == attendance.alerts(register.connect(), min_rate=1) == []


@pytest.mark.parametrize("hours, ok", [("0", True), ("24", True), ("24,5", False), ("-1", False), ("0,5", True)])
def test_hours_from_0_to_24(hours, ok):
    if ok:
        assert attendance.parse_hours(hours) == float(hours.replace(",", "."))
    else:
        with pytest.raises(KimuError):
            attendance.parse_hours(hours)


def test_rates_count_the_first_and_last_day_of_a_period_and_of_the_span(register):
    with core(register) as conn:
        enroll(conn, "R", "Kari Nordmann", "2026-11-02", "2026-11-20")
        record(conn, ("2026-11-02", {"R": "absent"}), ("2026-11-03", {"R": "present"}),
               ("2026-11-19", {"R": "present"}), ("2026-11-20", {"R": "excused"}))
        rows = attendance.rates(conn, "2026-11-02", "2026-11-20")
        assert [(r["ref"], r["days"], r["present"], r["absent"], r["excused"]) for r in rows] == [("R", 4, 2, 1, 1)]
        rows = attendance.rates(conn, "2026-11-03", "2026-11-19")
        assert [(r["days"], r["present"], r["absent"], r["excused"]) for r in rows] == [(2, 2, 0, 0)]
        assert attendance.rates(conn, "2026-11-21", "2026-11-25") == []
        assert attendance.list_attendance(conn, "2026-11-20", "2026-11-20")[0]["status"] == "excused"
        assert [r["date"] for r in attendance.list_attendance(conn, "2026-11-02", "2026-11-03")] == [
            "2026-11-02", "2026-11-03"]
    with pytest.raises(KimuError):
        attendance.rates(register.connect(), "2026-11-21", "2026-11-20")
    assert attendance.rates(register.connect(), "2026-11-20", "2026-11-20")[0]["days"] == 1


def test_the_default_period_is_the_last_28_days_including_today(register):
    with core(register) as conn:
        enroll(conn, "P", "Kari Nordmann", "2026-10-01")
        record(conn, ("2026-10-28", {"P": "absent"}), ("2026-10-29", {"P": "present"}),
               ("2026-11-25", {"P": "present"}))
        assert [r["date"] for r in attendance.list_attendance(conn)] == ["2026-10-29", "2026-11-25"]
        assert [(r["days"], r["absent"]) for r in attendance.rates(conn)] == [(2, 0)]
        assert [r["date"] for r in attendance.list_attendance(conn, end="2026-11-24")] == ["2026-10-28", "2026-10-29"]
        assert attendance.summary(conn, participants.get(conn, "P")["id"], "2026-10-29") == {
            "days": 2, "present": 2, "absent": 0, "excused": 0, "rate": 1.0}
        assert attendance.summary(conn, participants.get(conn, "P")["id"], "2026-10-30", "2026-11-24") == {
            "days": 0, "present": 0, "absent": 0, "excused": 0, "rate": None}


def test_the_day_checked_is_inside_the_enrollment_from_its_first_to_its_last_day(register):
    with core(register) as conn:
        enroll(conn, "P", "Kari Nordmann", "2026-03-02", "2026-03-31")
        participants.reenroll(conn, "P", "Kari Nordmann", "2026-11-25")
        p = participants.get(conn, "P")
        for day, start in (("2026-03-02", "2026-03-02"), ("2026-03-31", "2026-03-02"), ("2026-11-25", "2026-11-25")):
            assert attendance.check_day(conn, p, day)["start_date"] == start
        for day in ("2026-03-01", "2026-04-01", "2026-11-24"):
            with pytest.raises(KimuError, match="is not enrolled on"):
                attendance.check_day(conn, p, day)
        with pytest.raises(KimuError, match="is in the future"):
            attendance.check_day(conn, p, "2026-11-26")


def test_a_rate_just_under_0_8_is_an_alert(register):
    days = [date.fromordinal(date(2026, 10, 28).toordinal() + i).isoformat() for i in range(29)]
    absent = {days[i] for i in (2, 7, 12, 17, 22, 27)}  # 6 of 29, never 3 in a row: 23/29 = 0.793
    with core(register) as conn:
        enroll(conn, "P", "Kari Nordmann", "2026-10-01")
        record(conn, *[(d, {"P": "absent" if d in absent else "present"}) for d in days])
    assert alerts(register, window_days=29) == [("P", "low_rate", "attendance 79% (23 of 29 days) since 2026-10-28")]


# ---- outcomes: the window's first and last day, a move on the start day ----

def test_the_cohort_window_includes_its_first_and_last_day(register):
    with core(register) as conn:
        enroll(conn, "BEFORE", "Kari Nordmann", "2026-02-28", "2026-03-20")
        enroll(conn, "FIRST", "Kari Nordmann", "2026-03-01", "2026-03-20")
        enroll(conn, "LAST", "Kari Nordmann", "2026-03-31")
        enroll(conn, "AFTER", "Kari Nordmann", "2026-04-01")
        transitions.add(conn, "FIRST", "mfy", "2026-03-01")       # on the start day: moved on
        transitions.add(conn, "BEFORE", "job_other", "2026-03-20")
        figures = outcomes.summary(conn, "2026-03-01", "2026-03-31")
    assert (figures["participants"], figures["moved_on"], figures["still_active"]) == (2, 1, 1)
    assert figures["median_days_to_move"] == 0
    by_year = outcomes.summary(register.connect(), "2025-12-31", "2026-12-31", by="year")
    assert [(g["year"], g["participants"]) for g in by_year["groups"]] == [(2026, 4)]


def test_a_move_before_the_start_of_the_counted_period_does_not_count(register):
    with core(register) as conn:
        enroll(conn, "P", "Kari Nordmann", "2026-01-05", "2026-02-27")
        transitions.add(conn, "P", "job_summer", "2026-03-02")
        participants.reenroll(conn, "P", "Kari Nordmann", "2026-03-03")
        later = outcomes.summary(conn, "2026-03-03", "2026-03-31")
        whole = outcomes.summary(conn, "2026-01-05", "2026-03-31")
    assert (later["participants"], later["moved_on"]) == (1, 0)
    assert (whole["participants"], whole["moved_on"]) == (1, 1)


def test_a_period_ending_today_is_still_active_and_one_ending_yesterday_is_not(register):
    with core(register) as conn:
        enroll(conn, "TODAY", "Kari Nordmann", "2026-11-02", "2026-11-25", "health")
        enroll(conn, "YESTERDAY", "Kari Nordmann", "2026-11-02", "2026-11-24", "health")
        figures = outcomes.summary(conn, "2026-11-01", "2026-11-25")
    assert (figures["participants"], figures["still_active"], figures["ended_by_reason"]["health"]) == (2, 1, 1)


def test_cost_counts_the_first_and_last_day_followed(register):
    with core(register) as conn:
        enroll(conn, "C", "Kari Nordmann", "2026-10-27")            # 30 days up to today
        enroll(conn, "D", "Kari Nordmann", "2026-10-01", "2026-10-30")
        cost = outcomes.cost(conn, "2026-10-27", "2026-11-25")     # D: 27-30 October, 4 days
    assert cost["participants"] == 2
    assert cost["model_cost"] == round(round(34 / outcomes.DAYS_PER_MONTH, 2) * 3500)


def test_every_decimal_digit_of_every_script_is_read_as_its_value_and_nothing_else_as_a_digit():
    import sys
    import unicodedata

    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    decimal = "".join(c for c in every if c.isdecimal())
    assert decimal.translate(idnumber._READING) == "".join(str(unicodedata.digit(c)) for c in decimal)
    other = "".join(c for c in every if not c.isdecimal())
    assert not any(c.isdecimal() for c in other.translate(idnumber._READING))  # nothing else reads as one


def test_a_number_after_an_account_number_is_masked_in_its_place():
    """An account number (1234.56.78903) beside a number is read as letters, the same length, so
    the number's digits, and only those, are masked."""
    number = identity_number("150190")
    for printed in (False, True):
        assert idnumber.mask(f"konto 1234.56.78903 {number} ok", printed=printed) == (
            "konto 1234.56.78903 ••••••••••• ok")
