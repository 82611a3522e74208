"""Property-based tests: whatever a person types or a file brings gives a value or a KimuError
(one clear line), never another exception. Hypothesis generates the input; no timing limits."""

import string
from datetime import date

import pytest
from conftest import file_with
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kimu_cli import csvfiles, dates, db, idnumber, importer, participants, timeline, vocab
from kimu_cli.errors import KimuError

settings.register_profile("kimu", deadline=None, max_examples=150,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("kimu")

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check(digits, weights):
    rest = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return 0 if rest == 11 else rest


@st.composite
def identity_numbers(draw):
    """Valid fødselsnummer, D-numbers and synthetic test numbers, computed by the mod-11 rule."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2039, 12, 31)))
    day = born.day + draw(st.sampled_from([0, 40]))  # D-number: 4 added to the first digit
    month = born.month + draw(st.sampled_from([0, 20, 40]))  # the test registers idnumber.py knows
    base = f"{day:02d}{month:02d}{born.year % 100:02d}{draw(st.integers(0, 999)):03d}"
    k1 = _check(base, W1)
    k2 = _check(base + str(k1), W2)
    if k1 == 10 or k2 == 10:  # no valid number has this individual part
        from hypothesis import reject

        reject()
    return f"{base}{k1}{k2}"


def _refuses(text):
    try:
        idnumber.refuse(text, "notes")
    except KimuError as e:
        assert not any(c.isdigit() for c in str(e)), "the number is echoed in the message"
        return True
    return False


# ---- dates ----

@given(st.text())
def test_any_text_is_a_date_or_a_clear_error(text):
    try:
        assert isinstance(dates.parse(text), date)
    except KimuError as e:
        assert str(e).startswith("date: ")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_date_reads_back_from_iso_and_norwegian(d):
    assert dates.parse(d.isoformat()) == d
    assert dates.parse(f"{d.day}.{d.month}.{d.year}") == d
    assert dates.parse(dates.norwegian(d.isoformat())) == d


@given(st.integers(1000, 9999), st.integers(1, 12), st.integers(29, 39))
def test_a_day_past_the_end_of_the_month_is_refused(year, month, day):
    try:
        expected = date(year, month, day)
    except ValueError:
        with pytest.raises(KimuError, match="not a date in the calendar"):
            dates.parse(f"{day}.{month}.{year}")
    else:
        assert dates.parse(f"{day}.{month}.{year}") == expected


# ---- identity numbers ----

@given(identity_numbers())
def test_valid_identity_numbers_are_recognised_however_they_are_written(number):
    assert idnumber.is_identity_number(number)
    for written in (number, f"{number[:6]} {number[6:]}", f"{number[:6]}-{number[6:]}", f"fnr:{number}."):
        assert _refuses(written), written


@given(identity_numbers(), st.integers(0, 10), st.integers(1, 9))
def test_a_number_with_one_digit_changed_is_not_an_identity_number(number, position, delta):
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not idnumber.is_identity_number(changed)


@given(identity_numbers(), st.text(alphabet=string.ascii_letters + "æøå:;,()", max_size=20),
       st.text(alphabet=string.ascii_letters + "æøå:;,()", max_size=20))
def test_a_valid_number_inside_other_text_is_refused(number, before, after):
    assert _refuses(before + number + after)


@given(st.text())
def test_any_text_is_accepted_or_refused_with_a_clear_error(text):
    assert _refuses(text) == idnumber.is_identity_number_in(text)


@given(st.text())
def test_text_with_fewer_than_eleven_digits_is_never_refused(text):
    if sum(c.isdigit() for c in text) < 11:
        assert not _refuses(text)


@given(st.from_regex(r"\d{11}", fullmatch=True))
def test_eleven_digits_with_wrong_check_digits_are_never_an_identity_number(digits):
    digits = "".join(str(int(d)) for d in digits)  # any script's digits count by their value
    k1 = _check(digits[:9], W1)
    if digits[9:] != f"{k1}{_check(digits[:9] + str(k1), W2)}":
        assert not idnumber.is_identity_number(digits) and not _refuses(digits)


# ---- headers ----

KNOWN = [(kind, column, alias) for kind, columns in importer.COLUMNS.items()
         for column, aliases in columns.items() for alias in [column, *aliases]]


@st.composite
def written_by_hand(draw, alias):
    """The alias as people type it: any case, spaces/-/_ anywhere, æøå spelt out, a BOM, padding."""
    out = []
    for ch in alias.replace("_", ""):
        ch = {"æ": draw(st.sampled_from(["æ", "Æ", "ae"])), "ø": draw(st.sampled_from(["ø", "Ø", "o"])),
              "å": draw(st.sampled_from(["å", "Å", "a"]))}.get(ch, ch)
        out.append(ch.upper() if draw(st.booleans()) else ch)
        out.append(draw(st.sampled_from(["", "", "", " ", "_", "-"])))
    return draw(st.sampled_from(["", "\ufeff"])) + " " + "".join(out) + draw(st.sampled_from(["", " ", "\t"]))


@given(st.sampled_from(KNOWN).flatmap(lambda known: st.tuples(st.just(known), written_by_hand(known[2]))))
def test_every_header_alias_matches_however_it_is_written(case):
    (kind, column, _alias), header = case
    lookup = {csvfiles.header_key(a): c for c, aliases in importer.COLUMNS[kind].items() for a in [c, *aliases]}
    assert lookup[csvfiles.header_key(header)] == column


@given(st.text())
def test_any_header_text_gives_a_key(text):
    assert isinstance(csvfiles.header_key(text), str)


@given(st.text())
def test_any_vocabulary_word_is_known_or_a_clear_error(text):
    for resolve, field in ((vocab.transition_kind, "kind"), (vocab.end_reason, "reason"),
                           (vocab.attendance_status, "status")):
        try:
            assert isinstance(resolve(text), str)
        except KimuError as e:
            assert str(e).startswith(f"{field}: ")


# ---- CSV decoding, all the way through an import (dry run) ----

@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    conn = file_with(tmp_path_factory.mktemp("properties") / "kimu.db",
                     "INSERT INTO sites (name) VALUES ('Solbakken')", "INSERT INTO leaders (name, site_id) VALUES ('Kari', 1)",
                     "INSERT INTO participants (ref) VALUES ('P1')",
                     "INSERT INTO enrollments (participant_id, leader_id, start_date) VALUES (1, 1, '2026-01-05')")
    yield conn
    conn.close()


HEADERS = {
    "participants": "ref;name;leader;start_date;end_date;end_reason;birth_year",
    "attendance": "deltaker;dato;oppmøte;timer;notat",
    "transitions": "ref,date,kind,detail,note",
    "contacts": "deltaker;dato;med;hvordan;notat",
}


def _import(conn, tmp_path, kind, content):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    try:
        summary = importer.run(conn, kind, path, dry_run=True)
    except KimuError as e:
        assert str(e)
    else:
        assert summary["rows"] >= 0
    assert not conn.in_transaction
    assert tuple(conn.execute(COUNTS).fetchone()) == (1, 1, 1, 0, 0, 0)  # a dry run never writes


COUNTS = """SELECT (SELECT count(*) FROM sites), (SELECT count(*) FROM leaders), (SELECT count(*) FROM participants),
                   (SELECT count(*) FROM attendance), (SELECT count(*) FROM transitions),
                   (SELECT count(*) FROM audit_log)"""


@given(st.sampled_from(importer.KINDS), st.binary(max_size=300))
def test_any_bytes_give_an_import_summary_or_a_clear_error(conn, tmp_path, kind, content):
    _import(conn, tmp_path, kind, content)


CELL = st.one_of(st.text(max_size=12), st.sampled_from(["P1", "2026-02-03", "03.02.2026", "møtt", "fravær", "mfy",
                                                         "Kari", "1990", "7,5", "=1+1", "'-x", ""]))


@given(st.sampled_from(importer.KINDS), st.lists(st.lists(CELL, max_size=8), max_size=6),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]), st.sampled_from([";", ",", "\t"]))
def test_any_rows_under_a_good_header_give_a_summary_or_a_clear_error(conn, tmp_path, kind, rows, encoding, sep):
    header = HEADERS[kind].replace(";", sep).replace(",", sep)
    text = "\n".join([header, *(sep.join(cells) for cells in rows)]) + "\n"
    _import(conn, tmp_path, kind, text.encode(encoding, errors="replace"))


# ---- typed text is data, never SQL ----

class _Undo(Exception):
    """Rolls an example's transaction back."""


TYPED = st.one_of(st.text(max_size=40), st.sampled_from(["P1", " ", "'; DROP TABLE participants; --", "x' OR '1'='1",
                                                          "Robert'); --", "010190 12345", "ANON-1"]),
                  identity_numbers())


@given(TYPED, TYPED)
def test_any_typed_text_is_stored_exactly_or_refused_with_a_clear_error(conn, ref, notes):
    try:
        with db.transaction(conn):
            try:
                shown = timeline.show(conn, participants.add(conn, ref, "Kari", "2026-02-02", notes=notes))
            except KimuError as e:
                assert str(e).split(":")[0] in ("ref", "notes")
                event("refused")
                raise _Undo from None
            event("stored")
            stored = conn.execute("SELECT ref, notes FROM participants WHERE ref = ?", (ref.strip(),)).fetchone()
            assert tuple(stored) == (shown["ref"], shown["notes"]) == (ref.strip(), notes.strip() or None)
            raise _Undo
    except _Undo:
        pass
    assert tuple(conn.execute(COUNTS).fetchone()) == (1, 1, 1, 0, 0, 0)
