"""kimu import of workbooks (.xlsx, .ods, .xls) as they are, and kimu's own xlsx export checked by
other programs (issue 17). The fixtures were written by LibreOffice and openpyxl
(tests/fixtures/make_spreadsheets.py); workbooks made here are made with openpyxl."""

import csv
import io
import json
import shutil
import subprocess
import sys
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import identity_number, templated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kimu_cli import importer, spreadsheets
from kimu_cli.errors import KimuError

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the test extras) writes the workbooks of these tests")

FIXTURES = Path(__file__).parent / "fixtures"
LIBREOFFICE = [FIXTURES / f"oppmote-libreoffice.{ext}" for ext in ("xlsx", "ods", "xls")]
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install -y --no-install-recommends "
                            "libreoffice-calc-nogui; .ci/run installs it where it can")


def workbook(path, *sheets, formats=None):
    """A workbook written by openpyxl: sheets are (title, rows); a row is a list of values, or a dict
    {cell reference: value} for cells anywhere."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            if isinstance(row, dict):
                for ref, value in row.items():
                    ws[ref] = value
            else:
                ws.append(row)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "dd.mm.yyyy"
    wb.save(path)
    return path


@templated
def enrolled(register):
    """Participants '123', '00123' and 'D-1' with Kari from 01.09.2026."""
    for ref in ("123", "00123", "D-1"):
        register.ok("participant", "add", ref, "--leader", "Kari Nordmann", "--start", "2026-09-01")
    return register


def attendance(kimu):
    return kimu.query("SELECT p.ref, a.date, a.status, a.hours, a.note FROM attendance a "
                      "JOIN participants p ON p.id = a.participant_id ORDER BY a.date, p.ref")


# --- workbooks other programs wrote --------------------------------------------------------------


@pytest.mark.parametrize("path", LIBREOFFICE, ids=lambda p: p.suffix)
def test_a_libreoffice_workbook_imports_as_its_user_means_it_and_again_changes_nothing(enrolled, path):
    summary = json.loads(enrolled.ok("import", "attendance", path, "--format", "json"))
    assert {k: summary[k] for k in ("rows", "inserted", "skipped", "sheet", "header_row", "extra_columns")} == {
        "rows": 5, "inserted": 4, "skipped": 1, "sheet": "oppmote-libreoffice", "header_row": 3,
        "extra_columns": ["Kontroll"]}  # whose =1/0 shows #DIV/0!: a column the import does not read
    assert summary["format"] == path.suffix[1:]
    assert attendance(enrolled) == [
        {"ref": "123", "date": "2026-11-02", "status": "present", "hours": 7.5, "note": None},  # a number, a date cell
        {"ref": "00123", "date": "2026-11-03", "status": "absent", "hours": None, "note": "ringte, ikke svar"},
        {"ref": "D-1", "date": "2026-11-04", "status": "excused", "hours": None, "note": None},
        {"ref": "D-1", "date": "2026-11-05", "status": "present", "hours": 7.0, "note": "Årstad"},  # =3+4
    ]
    before = enrolled.snapshot()
    out = enrolled.ok("import", "attendance", path)
    assert "5 rows: 0 inserted, 0 updated, 4 unchanged, 1 skipped" in out
    assert "nothing changed" in out and "sheet 'oppmote-libreoffice', header in row 3" in out
    assert enrolled.snapshot() == before


def test_a_sheet_and_the_same_rows_as_csv_write_the_same_rows_and_audit(enrolled, tmp_path):
    enrolled.ok("import", "attendance", LIBREOFFICE[0])
    from_sheet = attendance(enrolled), enrolled.query("SELECT action, entity, changes FROM audit_log "
                                                      "WHERE command = 'import'")
    enrolled.connect().execute("DELETE FROM attendance").connection.commit()
    rows = ["Deltaker;Dato;Oppmøte;Timer;Notat", "123;02.11.2026;møtt;7,5;", "00123;03.11.2026;fravær;;ringte, ikke svar",
            "D-1;2026-11-04;gyldig fravær;;", ";;;;", "D-1;05.11.2026;møtt;7;Årstad"]  # the fixture's rows
    (tmp_path / "oppmote.csv").write_text("\r\n".join(rows) + "\r\n", encoding="cp1252")
    enrolled.ok("import", "attendance", tmp_path / "oppmote.csv")
    audit = enrolled.query("SELECT action, entity, changes FROM audit_log WHERE command = 'import'")
    assert (attendance(enrolled), audit[1:]) == (from_sheet[0], from_sheet[1])


def test_an_openpyxl_workbook_title_row_column_b_dates_and_a_second_sheet(register):
    path = FIXTURES / "deltakere-openpyxl.xlsx"
    out = register.ok("import", "participants", path)
    assert "6 rows: 3 inserted" in out and "3 skipped" in out and "leaders created: Siv Lie" in out  # rows 6, 8, 9
    assert register.query("SELECT p.ref, p.birth_year, e.start_date, e.end_date, e.end_reason FROM participants p "
                          "JOIN enrollments e ON e.participant_id = p.id ORDER BY p.ref") == [
        {"ref": "00102", "birth_year": None, "start_date": "2026-09-14", "end_date": "2026-10-30",  # a date-time cell
         "end_reason": "moved_away"},
        {"ref": "101", "birth_year": 1999, "start_date": "2026-09-01", "end_date": None, "end_reason": None},
        {"ref": "D-103", "birth_year": 2001, "start_date": "2026-10-15", "end_date": None, "end_reason": None},
    ]
    assert "nothing changed" in register.ok("import", "participants", path)
    out = register.ok("import", "transitions", path, "--sheet", "overganger")  # the name ignoring case
    assert "sheet 'Overganger'" in out and "2 inserted" in out
    assert register.query("SELECT p.ref, t.date, t.kind, t.detail FROM transitions t "
                          "JOIN participants p ON p.id = t.participant_id ORDER BY t.date") == [
        {"ref": "00102", "date": "2026-10-29", "kind": "job_summer", "detail": None},
        {"ref": "101", "date": "2026-11-20", "kind": "mfy", "detail": "Bergen kommune"},
    ]


def test_error_cells_and_formulas_nobody_computed_are_named_by_their_cell(enrolled):
    with_errors = FIXTURES / "feil-openpyxl.xlsx"
    before = enrolled.snapshot()
    err = enrolled.fails("import", "attendance", with_errors)
    assert err.splitlines() == [
        "kimu: feil-openpyxl.xlsx: 3 error(s), nothing was imported",
        "  Oppmøte!D2 (timer): the cell shows the error #N/A, not a value",
        ("  Oppmøte!D3 (timer): a formula no spreadsheet program has computed (=2*3): open the workbook in Excel "
         "or LibreOffice, save it, and import it again"),
        "  Oppmøte!B4 (dato): '31.02.2026' is not a date in the calendar",
    ]  # column E's formulas are not read: not named
    assert enrolled.snapshot() == before


def test_errors_name_the_sheet_the_row_and_the_column_where_the_table_starts(enrolled, tmp_path):
    path = workbook(tmp_path / "deltakere.xlsx", ("Mine data", [
        {"A1": "Oppmøte uke 45"},
        {"C3": "Deltaker", "D3": "Dato", "E3": "Status"},
        {"C4": "D-1", "D4": date(2026, 11, 2), "E4": "møtt"},
        {"C14": "D-1", "D14": "31.02.2026", "E14": "møtt"},
        {"C15": "D-9", "D15": "02.11.2026", "E15": "kanskje"},
    ]))
    err = enrolled.fails("import", "attendance", path)
    assert "'Mine data'!D14 (Dato): '31.02.2026' is not a date in the calendar" in err
    assert "'Mine data'!C15 (Deltaker): unknown participant 'D-9'" in err


def test_dry_run_checks_a_sheet_and_writes_nothing(enrolled):
    before = enrolled.snapshot()
    out = enrolled.ok("import", "attendance", LIBREOFFICE[0], "--dry-run")
    assert "4 inserted" in out and "dry run: nothing was written" in out
    assert enrolled.snapshot() == before


def test_the_content_decides_not_the_name(enrolled, tmp_path):
    named_csv = tmp_path / "oppmote.csv"
    named_csv.write_bytes(LIBREOFFICE[1].read_bytes())  # an .ods saved under a CSV name
    assert "4 inserted" in enrolled.ok("import", "attendance", named_csv)
    named_xlsx = tmp_path / "oppmote.xlsx"
    named_xlsx.write_text("ref;dato;status\nD-1;09.11.2026;møtt\n", encoding="utf-8")
    summary = json.loads(enrolled.ok("import", "attendance", named_xlsx, "--format", "json"))
    assert (summary["inserted"], summary["delimiter"], "sheet" in summary) == (1, ";", False)


def test_options_for_the_other_kind_of_file_are_refused(enrolled, tmp_path):
    assert "--encoding: oppmote-libreoffice.xlsx is a workbook (xlsx); --encoding is for CSV files" in enrolled.fails(
        "import", "attendance", LIBREOFFICE[0], "--encoding", "cp1252")
    assert "--delimiter" in enrolled.fails("import", "attendance", LIBREOFFICE[0], "--delimiter", ";")
    text = tmp_path / "oppmote.csv"
    text.write_text("ref;dato;status\n", encoding="utf-8")
    assert "--sheet: oppmote.csv is not a workbook" in enrolled.fails("import", "attendance", text, "--sheet", "Ark1")
    assert "--header-row" in enrolled.fails("import", "attendance", text, "--header-row", "2")
    assert "not a row number" in enrolled.fails("import", "attendance", LIBREOFFICE[0], "--header-row", "0")


def test_an_unknown_sheet_is_named_with_the_sheets_there_are(register):
    err = register.fails("import", "participants", FIXTURES / "deltakere-openpyxl.xlsx", "--sheet", "Ark3")
    assert "--sheet: deltakere-openpyxl.xlsx has no sheet 'Ark3'; its sheets: 'Deltakere', 'Overganger'" in err


def test_the_first_visible_sheet_is_read(enrolled, tmp_path):
    path = tmp_path / "skjult.xlsx"
    workbook(path, ("Hjelp", [["ref", "dato", "status"], ["D-1", "02.11.2026", "møtt"]]),
             ("Oppmøte", [["ref", "dato", "status"], ["D-1", "03.11.2026", "møtt"], ["D-1", "04.11.2026", "møtt"]]))
    wb = openpyxl.load_workbook(path)
    wb["Hjelp"].sheet_state = "hidden"
    wb.save(path)
    assert "sheet 'Oppmøte'" in enrolled.ok("import", "attendance", path)
    assert [r["date"] for r in attendance(enrolled)] == ["2026-11-03", "2026-11-04"]


def test_a_header_below_a_title_is_found_when_one_row_has_the_columns_else_it_is_asked_for(enrolled, tmp_path):
    rows = [["Oppmøte"], ["ref", "dato", "status"], ["D-1", "02.11.2026", "møtt"], [],
            ["Uke 46"], ["ref", "dato", "status"], ["D-1", "09.11.2026", "møtt"]]
    path = workbook(tmp_path / "to.xlsx", ("Ark1", rows))
    err = enrolled.fails("import", "attendance", path)
    assert "rows 2 and 6 of sheet 'Ark1' both look like the header; give --header-row N" in err
    out = enrolled.ok("import", "attendance", path, "--header-row", "6")
    assert "header in row 6" in out and "1 inserted" in out
    assert [r["date"] for r in attendance(enrolled)] == ["2026-11-09"]


def test_a_sheet_without_the_columns_says_which_row_it_took_as_the_header(enrolled, tmp_path):
    rows = [["Oppmøte"], ["ref", "dag", "status"], ["D-1", "02.11.2026", "møtt"]]
    path = workbook(tmp_path / "uten.xlsx", ("Ark1", rows))
    err = enrolled.fails("import", "attendance", path)
    assert ("missing column 'ref' (or deltaker, deltaker_id, id, referanse); 'date' (or dato); row 1 of sheet "
            "'Ark1', taken as the header, has 'Oppmøte' (xlsx;") in err
    assert "--header-row" in err
    assert "missing column 'date'" in enrolled.fails("import", "attendance", path, "--header-row", "2")
    assert "ends at row 3" in enrolled.fails("import", "attendance", path, "--header-row", "9")


def test_numbers_as_refs_and_hours_with_a_decimal_comma_or_point(enrolled, tmp_path):
    path = workbook(tmp_path / "tall.xlsx", ("Ark1", [
        ["ref", "dato", "status", "timer", "notat"],
        [123, datetime(2026, 11, 2, 13, 45), "møtt", 7.5, 42],
        ["00123", "2026-11-02", "møtt", "6,5", 1.25],
        ["D-1", "02.11.2026", "møtt", "6.25", None],
    ]))
    enrolled.ok("import", "attendance", path)
    assert [(r["ref"], r["hours"], r["note"]) for r in attendance(enrolled)] == [
        ("00123", 6.5, "1.25"), ("123", 7.5, "42"), ("D-1", 6.25, None)]


def test_a_sheets_text_cells_pass_the_same_checks_as_a_csv_files(enrolled, tmp_path):
    number = int(identity_number("150190"))
    path = workbook(tmp_path / "sjekk.xlsx", ("Ark1", [
        ["ref", "dato", "status", "notat"],
        ["D-1", "02.11.2026", "møtt", number],  # an identity number typed as a number
        ["D-1", "03.11.2026", "møtt", "x" * 2001],
        ["D-1", "04.11.2026", "møtt", "a\x7fb"],
    ]))
    err = enrolled.fails("import", "attendance", path)
    assert "Ark1!D2 (notat): '" in err and "looks like a national identity number" in err
    assert str(number) not in err
    assert "Ark1!D3 (notat): 2 001 characters, at most 2 000" in err
    assert "Ark1!D4 (notat): control character U+007F" in err
    assert attendance(enrolled) == []


def test_a_workbook_that_is_not_one_is_a_clear_error(enrolled, tmp_path):
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(LIBREOFFICE[0].read_bytes()[:2000])
    assert "cannot be read as one" in enrolled.fails("import", "attendance", cut)
    other = tmp_path / "brev.docx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "a zip file, but not a workbook" in enrolled.fails("import", "attendance", other)
    ole = tmp_path / "gammel.xls"
    ole.write_bytes(spreadsheets.OLE + b"\0" * 600)
    assert "not a readable xls workbook" in enrolled.fails("import", "attendance", ole)
    empty = workbook(tmp_path / "tom.xlsx", ("Ark1", []))
    assert "sheet 'Ark1' is empty" in enrolled.fails("import", "attendance", empty)


def test_a_zip_that_unpacks_to_more_than_kimu_reads_is_refused(enrolled, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED", 1000)
    assert "unpacks to" in enrolled.fails("import", "attendance", LIBREOFFICE[0])


HEADERS = {
    "participants": ["ref", "navn", "arbeidsleder", "startdato", "sluttdato", "sluttårsak", "fødselsår"],
    "attendance": ["deltaker", "dato", "oppmøte", "timer", "notat"],
    "transitions": ["ref", "dato", "type", "arbeidsgiver", "notat"],
    "contacts": ["deltaker", "dato", "med", "hvordan", "notat"],
}
SHEET_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.text(max_size=12).filter(lambda t: openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.search(t) is None),
    st.sampled_from(["D-1", "123", "00123", "02.11.2026", "møtt", "fravær", "mfy", "Kari Nordmann", "7,5",
                     "#N/A", "#DIV/0!", "=1+1", "'-x", " "]))  # '#N/A': an error cell, '=1+1' a formula


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(importer.KINDS), st.lists(st.lists(SHEET_CELL, max_size=7), max_size=5))
def test_any_cells_under_a_good_header_give_a_summary_or_a_clear_error(enrolled, tmp_path, kind, rows):
    path = workbook(tmp_path / "any.xlsx", ("Ark1", [HEADERS[kind], *rows]))
    conn = enrolled.connect()
    try:
        summary = importer.run(conn, kind, path, dry_run=True)
    except KimuError as e:
        assert str(e) and "Traceback" not in str(e)
    else:
        assert summary["rows"] >= 0
    finally:
        conn.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([spreadsheets.ZIP, spreadsheets.OLE]), st.binary(max_size=600))
def test_any_bytes_after_a_workbooks_magic_give_a_clear_error(enrolled, tmp_path, magic, rest):
    path = tmp_path / "any.xlsx"
    path.write_bytes(magic + rest)
    conn = enrolled.connect()
    try:
        with pytest.raises(KimuError):
            importer.run(conn, "attendance", path, dry_run=True)
    finally:
        conn.close()


def test_a_sheet_read_in_several_batches_reports_progress_in_rows(enrolled, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    path = workbook(tmp_path / "mange.xlsx", ("Ark1", [["ref", "dato", "status"]] +
                                               [["D-1", f"{day:02d}.11.2026", "møtt"] for day in range(2, 9)]))
    seen = []
    conn = enrolled.connect()
    try:
        summary = importer.run(conn, "attendance", path, progress=lambda done, total: seen.append((done, total)))
    finally:
        conn.close()
    assert summary["inserted"] == 7
    assert seen[-1] == (8, 8) and len(seen) == 4


def test_a_workbook_is_read_without_loading_a_reader_until_one_is_imported():
    code = ("import sys, kimu_cli.cli, kimu_cli.importer; "
            "print(sorted(m for m in ('python_calamine', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- kimu's own workbook, read by other programs and imported back -------------------------------


@templated
def history(register):
    """As tests/test_export.py's: periods, attendance with hours, a transition, formula-like text."""
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-01-05",
                "--name", "Åse Ørn", "--birth-year", "1999", "--notes", "=HYPERLINK(\"http://x\")")
    register.ok("participant", "end", "D-1", "--date", "2026-03-31", "--reason", "helse")
    register.ok("participant", "reenroll", "D-1", "--leader", "Ola Brøndbo", "--start", "2026-09-01")
    register.ok("participant", "add", "00042", "--leader", "Kari Nordmann", "--start", "2026-09-01",
                "--goal", "-kanskje helsefag", "--veileder", "@Trine")
    register.ok("attendance", "record", "2026-11-02", "D-1", "--hours", "7.5", "--absent", "00042")
    register.ok("attendance", "record", "2026-11-03", "D-1", "--status", "excused", "--note", "+ lege")
    register.ok("transition", "add", "D-1", "lærling", "--date", "2026-11-20", "--detail", "Årstad")
    return register


KINDS = [("participants", "participants"), ("enrollments", "participants"), ("attendance", "attendance"),
         ("transitions", "transitions")]


def csv_export(kimu, kind):
    return list(csv.reader(io.StringIO(kimu.ok("export", kind))))


@pytest.mark.parametrize("kind", [k for k, _ in KINDS])
def test_the_export_opens_in_openpyxl_without_a_warning_and_with_real_dates_and_numbers(history, tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    history.ok("export", kind, "--format", "xlsx", "--output", path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.title == kind and ws.freeze_panes == "A2"
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert [[_as_csv(value) for value in row] for row in rows] == csv_export(history, kind)
    values = [value for row in rows[1:] for value in row]
    assert any(isinstance(v, datetime) for v in values)
    if kind == "participants":
        assert 1999 in values
    if kind == "attendance":
        assert 7.5 in values
    dated = [cell for row in ws.iter_rows(min_row=2) for cell in row if isinstance(cell.value, datetime)]
    assert {cell.number_format for cell in dated} == {"dd.mm.yyyy"}


def _as_csv(value):
    """An openpyxl value as kimu's CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


@pytest.mark.parametrize(("kind", "import_as"), KINDS)
def test_an_exported_workbook_imports_back_as_nothing_changed(history, tmp_path, kind, import_as):
    path = tmp_path / f"{kind}.xlsx"
    history.ok("export", kind, "--format", "xlsx", "--output", path)
    before = history.snapshot()
    out = history.ok("import", import_as, path)
    assert "nothing changed" in out and " 0 inserted, 0 updated" in out
    assert history.snapshot() == before


def soffice(*args, cwd):
    """LibreOffice headless with a profile of its own; its stderr, less the note it prints on a
    machine without Java."""
    profile = Path(cwd) / "lo-profile"
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stderr.splitlines() if "javaldx" not in line]


@needs_libreoffice
@pytest.mark.parametrize("kind", ["participants", "attendance"])
def test_libreoffice_reads_the_export_with_the_same_values(history, tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    history.ok("export", kind, "--format", "xlsx", "--output", path)
    # UTF-8, ',' and '"', cells as shown (dates as the workbook formats them).
    assert soffice("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir",
                   tmp_path, path, cwd=tmp_path) == []
    shown = list(csv.reader(io.StringIO((tmp_path / f"{kind}.csv").read_text(encoding="utf-8"))))
    expected = [[_norwegian(cell) for cell in row] for row in csv_export(history, kind)]
    assert shown == expected


def _norwegian(cell):
    """2026-11-02 -> 02.11.2026: a date cell as the export's format shows it."""
    if len(cell) == 10 and cell[4] == cell[7] == "-":
        return f"{cell[8:]}.{cell[5:7]}.{cell[:4]}"
    return cell


@needs_libreoffice
@pytest.mark.parametrize(("kind", "import_as"), KINDS)
def test_an_export_saved_again_by_libreoffice_imports_back_as_nothing_changed(history, tmp_path, kind, import_as):
    exported = tmp_path / "kimu" / f"{kind}.xlsx"
    exported.parent.mkdir()
    history.ok("export", kind, "--format", "xlsx", "--output", exported)
    assert soffice("--convert-to", "xlsx", "--outdir", tmp_path, exported, cwd=tmp_path) == []
    saved = tmp_path / f"{kind}.xlsx"
    assert b"LibreOffice" in zipfile.ZipFile(saved).read("docProps/app.xml")  # saved by LibreOffice, not kimu
    before = history.snapshot()
    assert "nothing changed" in history.ok("import", import_as, saved)
    assert history.snapshot() == before


def test_the_cells_calamine_reads_as_empty_are_found_in_the_sheets_xml():
    piece = (b'<row r="1"><c r="A1" t="str"><f>IF(1,"","")</f><v></v></c>'  # Excel: a formula giving ''
             b'<c r="B1"><f t="shared" si="0"/><v>3</v></c>'  # computed
             b'<c r="C1" s="2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
             b'<x:row r="2"><x:c r="D2"><x:f>A1&amp;"x"</x:f></x:c>'  # no value at all
             b'<x:c r="E2" t="inlineStr"><x:is><x:t>t="e"</x:t></x:is></x:c></x:row>')  # text, not a type
    marks = {}
    spreadsheets._mark_cells(piece, False, marks)
    assert marks == {(1, 2): "the cell shows the error #DIV/0!, not a value",
                     (2, 3): spreadsheets._UNCOMPUTED.format(formula=' (=A1&"x")')}
    stale = {}
    spreadsheets._mark_cells(piece, True, stale)  # the workbook asks to be computed again on load
    assert sorted(stale) == [(1, 0), (1, 1), (1, 2), (2, 3)]
    assert stale[1, 1] == spreadsheets._UNCOMPUTED.format(formula="")


@pytest.mark.parametrize(("value", "text"), [
    (123.0, "123"), (7.5, "7.5"), (0.1 + 0.2, "0.3"), (1e20, "1e+20"), (-4.0, "-4"), (12, "12"),
    (True, "TRUE"), (date(2026, 11, 2), "2026-11-02"), (datetime(2026, 11, 2, 23, 59), "2026-11-02"),
    ("00123", "00123")])
def test_a_cells_value_as_text(value, text):
    assert spreadsheets.cell_text(value) == text


def test_column_letters_and_sheet_references():
    assert [spreadsheets.column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert [spreadsheets.column_index(c) for c in ("A", "Z", "AA", "ZZ", "AAA")] == [0, 25, 26, 701, 702]
    assert spreadsheets.sheet_reference("Oppmøte", "C14") == "Oppmøte!C14"
    assert spreadsheets.sheet_reference("Kari's ark", "A1") == "'Kari''s ark'!A1"


def test_an_export_edited_in_a_spreadsheet_program_imports_the_edit_only(history, tmp_path):
    path = tmp_path / "oppmote.xlsx"
    history.ok("export", "attendance", "--format", "xlsx", "--output", path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        if (cells["ref"].value, cells["date"].value) == ("00042", datetime(2026, 11, 2)):
            cells["status"].value, cells["note"].value = "gyldig fravær", "sykemelding"
    ws.append(["00042", datetime(2026, 11, 3), "møtt", 6, None])  # a row added at the end
    ws.cell(ws.max_row, 2).number_format = "dd.mm.yyyy"
    wb.save(path)
    out = history.ok("import", "attendance", path)
    assert "1 inserted, 1 updated, 2 unchanged" in out
    assert history.query("SELECT date, status, hours, note FROM attendance a JOIN participants p "
                         "ON p.id = a.participant_id WHERE p.ref = '00042' ORDER BY date") == [
        {"date": "2026-11-02", "status": "excused", "hours": 7.5, "note": "sykemelding"},
        {"date": "2026-11-03", "status": "present", "hours": 6.0, "note": None}]
    corrected = history.query("SELECT record, changes FROM audit_log WHERE action = 'correct'")
    assert [r["record"] for r in corrected] == ["00042 2026-11-02"]
