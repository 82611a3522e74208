"""kimu export: the columns import takes, Excel's dialect, xlsx, and no formulas."""

import csv
import io
import json
import stat
import zipfile
from xml.etree import ElementTree

import pytest
from conftest import templated

XLSX = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@templated
def history(register):
    """Participants with a finished and a current period, attendance and a transition."""
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-01-05",
                "--name", "Åse Ørn", "--birth-year", "1999", "--notes", "=HYPERLINK(\"http://x\")")
    register.ok("participant", "end", "D-1", "--date", "2026-03-31", "--reason", "helse")
    register.ok("participant", "reenroll", "D-1", "--leader", "Ola Brøndbo", "--start", "2026-09-01")
    register.ok("participant", "add", "D-2", "--leader", "Kari Nordmann", "--start", "2026-09-01",
                "--goal", "-kanskje helsefag", "--veileder", "@Trine")
    register.ok("attendance", "record", "2026-11-02", "D-1", "--absent", "D-2")
    register.ok("attendance", "record", "2026-11-03", "D-1", "--status", "excused", "--note", "+ lege")
    register.ok("transition", "add", "D-1", "lærling", "--date", "2026-11-20", "--detail", "Årstad")
    return register


def exported(kimu, kind, *options):
    return kimu.ok("export", kind, *options)


def parse(text, delimiter=","):
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_csv_columns_are_the_ones_import_takes(history):
    assert exported(history, "participants").splitlines()[0] == (
        "ref,name,birth_year,veileder,goal,notes,leader,site,start_date,end_date,end_reason")
    assert exported(history, "attendance").splitlines()[0] == "ref,date,status,hours,note"
    assert exported(history, "transitions").splitlines()[0] == "ref,date,kind,detail,note"


def test_participants_have_their_latest_period_and_enrollments_every_period(history):
    latest = {r["ref"]: (r["leader"], r["start_date"]) for r in parse(exported(history, "participants"))}
    assert latest == {"D-1": ("Ola Brøndbo", "2026-09-01"), "D-2": ("Kari Nordmann", "2026-09-01")}
    periods = [(r["ref"], r["start_date"], r["end_reason"]) for r in parse(exported(history, "enrollments"))]
    assert periods == [("D-1", "2026-01-05", "health"), ("D-1", "2026-09-01", ""), ("D-2", "2026-09-01", "")]


@pytest.mark.parametrize("excel", [False, True])
@pytest.mark.parametrize("kind, import_as", [("participants", "participants"), ("enrollments", "participants"),
                                             ("attendance", "attendance"), ("transitions", "transitions")])
def test_reimporting_an_export_changes_nothing(history, tmp_path, kind, import_as, excel):
    path = tmp_path / f"{kind}.csv"
    exported(history, kind, "--output", path, *(["--excel"] if excel else []))
    before = exported(history, kind)
    out = history.ok("import", import_as, path)
    assert "0 inserted, 0 updated" in out and "nothing changed" in out
    assert exported(history, kind) == before


@pytest.mark.parametrize("kind", ["participants", "attendance", "transitions"])
def test_a_ref_that_looks_like_a_formula_round_trips(history, tmp_path, kind):
    history.ok("participant", "edit", "D-2", "--ref", "-D2")
    history.ok("transition", "add", "--date", "2026-11-21", "--", "-D2", "jobb")
    path = tmp_path / f"{kind}.csv"
    exported(history, kind, "--excel", "--output", path)
    assert "'-D2" in path.read_text(encoding="utf-8-sig")
    assert "nothing changed" in history.ok("import", kind, path)


def test_export_edit_in_excel_import_round_trip(history, tmp_path):
    path = tmp_path / "oppmote.csv"
    exported(history, "attendance", "--excel", "--output", path)
    text = path.read_bytes().decode("utf-8-sig").replace("02.11.2026;absent", "02.11.2026;syk")
    path.write_bytes(text.encode("cp1252"))  # as Excel saves it by default
    assert "0 inserted, 1 updated, 2 unchanged" in history.ok("import", "attendance", path)
    rows = parse(exported(history, "attendance"))
    assert [r["status"] for r in rows if r["ref"] == "D-2"] == ["excused"]


def test_excel_dialect_has_bom_semicolons_norwegian_dates_and_decimal_commas(history):
    history.ok("attendance", "record", "2026-11-04", "D-2", "--hours", "7.5")
    raw = history(*["export", "attendance", "--excel"]).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfref;date;status;hours;note\r\n")
    rows = parse(raw.decode("utf-8-sig"), ";")
    assert {"ref": "D-2", "date": "04.11.2026", "status": "present", "hours": "7,5", "note": ""} in rows


def test_text_that_a_spreadsheet_would_run_is_neutralised(history):
    people = {r["ref"]: r for r in parse(exported(history, "participants"))}
    assert people["D-1"]["notes"] == "'=HYPERLINK(\"http://x\")"
    assert (people["D-2"]["goal"], people["D-2"]["veileder"]) == ("'-kanskje helsefag", "'@Trine")
    notes = [r["note"] for r in parse(exported(history, "attendance", "--excel"), ";")]
    assert "'+ lege" in notes


def test_json_keeps_the_values_and_uses_the_csv_column_names(history):
    rows = json.loads(exported(history, "participants", "--format", "json"))
    assert list(rows[0]) == list(parse(exported(history, "participants"))[0])
    assert rows[0]["notes"] == "=HYPERLINK(\"http://x\")"
    assert json.loads(exported(history, "transitions", "--from", "2027-01-01", "--format", "json")) == []


def test_from_and_to_bound_the_dates(history):
    days = [r["date"] for r in parse(exported(history, "attendance", "--from", "03.11.2026", "--to", "2026-11-03"))]
    assert days == ["2026-11-03"]
    periods = parse(exported(history, "enrollments", "--to", "2026-06-30"))
    assert [(r["ref"], r["start_date"]) for r in periods] == [("D-1", "2026-01-05")]


def test_from_on_leaders_is_an_error(history):
    assert "leaders have no dates" in history.fails("export", "leaders", "--from", "2026-01-01")


def test_leaders_and_sites(history):
    leaders = parse(exported(history, "leaders"))
    assert leaders[0] == {"leader": "Kari Nordmann", "site": "Solbakken omsorgssenter", "yearly_capacity": "20",
                          "max_concurrent": "10", "started": "", "ended": ""}
    sites = [r["site"] for r in parse(exported(history, "sites"))]
    assert sites == ["Solbakken omsorgssenter", "Åsgården sykehjem"]


def test_output_file_is_private_also_when_it_replaces_a_readable_one(history, tmp_path):
    path = tmp_path / "deltakere.csv"
    path.write_text("last week's export")
    path.chmod(0o644)
    out = exported(history, "participants", "--output", path)
    assert "Exported 2 participants row(s)" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_xlsx_is_a_workbook_with_dates_numbers_and_neutralised_text(history, tmp_path):
    path = tmp_path / "deltakere.xlsx"
    exported(history, "participants", "--format", "xlsx", "--output", path)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = sheet.findall(".//x:row", XLSX)
    header = [c.findtext(".//x:t", namespaces=XLSX) for c in rows[0]]
    assert header[:3] == ["ref", "name", "birth_year"]
    first = dict(zip(header, rows[1]))
    assert first["name"].findtext(".//x:t", namespaces=XLSX) == "Åse Ørn"
    assert first["notes"].findtext(".//x:t", namespaces=XLSX).startswith("'=")
    assert first["birth_year"].findtext("x:v", namespaces=XLSX) == "1999"
    start = first["start_date"]
    assert (start.get("s"), start.findtext("x:v", namespaces=XLSX)) == ("1", "46266")  # 2026-09-01


def test_xlsx_over_the_sheet_limit_is_refused_and_leaves_no_file(history, tmp_path, monkeypatch):
    monkeypatch.setattr("kimu_cli.xlsx.MAX_ROWS", 2)
    path = tmp_path / "oppmote.xlsx"
    assert "a sheet holds at most 2 rows" in history.fails("export", "attendance", "-f", "xlsx", "-o", path)
    assert not path.exists()
