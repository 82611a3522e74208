"""Issue 16, the friction a coordinator meets: names and refs, weeks, dates that are probably typos,
small truths (cost, empty rates, --version, where files went)."""

import pytest

from tests.conftest import identity_number

# --- names and refs -------------------------------------------------------------------------------

def test_participant_add_takes_the_start_of_a_leader_name_and_dash_l(register):
    out = register.ok("participant", "add", "P1", "--leader", "kari", "--start", "2026-11-02")
    assert "with Kari Nordmann" in out
    out = register.ok("participant", "add", "P2", "-l", "brønd", "--start", "2026-11-02")
    assert "with Ola Brøndbo" in out
    register.ok("participant", "end", "P1", "--date", "2026-11-10")
    out = register.ok("participant", "reenroll", "P1", "-l", "ola", "--start", "2026-11-20")
    assert "with Ola Brøndbo" in out
    register.ok("participant", "edit", "P1", "-l", "kari nord")
    assert register.query("SELECT l.name FROM enrollments e JOIN leaders l ON l.id = e.leader_id "
                          "WHERE e.start_date = '2026-11-20'") == [{"name": "Kari Nordmann"}]


def test_site_option_takes_the_start_of_a_word_everywhere(register):
    out = register.ok("leader", "add", "Nina Ny", "--site", "åsg")
    assert "at Åsgården sykehjem" in out
    assert "Nina Ny" in register.ok("leader", "list", "--site", "åsgården", "--format", "csv")
    assert "Kari Nordmann" not in register.ok("leader", "list", "--site", "sykehjem", "--format", "csv")
    register.ok("leader", "edit", "Nina", "--site", "solb")
    assert "Nina Ny" in register.ok("leader", "list", "--site", "Solbakken omsorgssenter", "--format", "csv")
    register.ok("capacity", "--site", "solb", "--format", "csv")


def test_a_full_name_in_another_case_is_the_name(register):
    register.ok("participant", "add", "P1", "-l", "kari nordmann", "--start", "2026-11-02")


def test_unknown_leader_suggests_the_closest(register):
    err = register.fails("participant", "add", "P1", "--leader", "Kari Nordmnn", "--start", "2026-11-02")
    assert err == ("kimu: leader: unknown leader 'Kari Nordmnn'; did you mean Kari Nordmann? "
                   "(see 'kimu leader list')")
    err = register.fails("attendance", "list", "-l", "Hakon", env={"KIMU_LANG": "nb"})
    assert "ukjent arbeidsleder 'Hakon'; mente du Håkon Ødegård?" in err


def test_nothing_close_suggests_nothing(register):
    err = register.fails("capacity", "--leader", "Nobody")
    assert err == "kimu: leader: unknown leader 'Nobody' (see 'kimu leader list')"


def test_unknown_site_suggests_the_closest(register):
    err = register.fails("leader", "add", "Nina Ny", "--site", "Solbaken omsorgssenter")
    assert "unknown site 'Solbaken omsorgssenter'; did you mean Solbakken omsorgssenter?" in err


def test_ambiguous_start_lists_the_candidates(register):
    register.ok("leader", "add", "Kari Berg", "--site", "Solbakken omsorgssenter")
    err = register.fails("participant", "add", "P1", "-l", "kari", "--start", "2026-11-02")
    assert err == "kimu: leader: 'kari' matches Kari Berg, Kari Nordmann; give more of the name"
    err = register.fails("participant", "add", "P1", "-l", "kari", "--start", "2026-11-02", env={"KIMU_LANG": "nb"})
    assert "'kari' passer til Kari Berg, Kari Nordmann; skriv mer av navnet" in err


def test_unknown_ref_suggests_close_refs(register):
    register.ok("participant", "add", "D-2026-014", "-l", "kari", "--start", "2026-11-02")
    register.ok("participant", "add", "D-2026-041", "-l", "kari", "--start", "2026-11-02")
    err = register.fails("participant", "show", "D-2026-04")
    assert "unknown participant 'D-2026-04'; did you mean D-2026-041 or D-2026-014?" in err \
        or "unknown participant 'D-2026-04'; did you mean D-2026-014 or D-2026-041?" in err
    err = register.fails("transition", "add", "D-2026-0144", "mfy", "--date", "2026-11-20", env={"KIMU_LANG": "nb"})
    assert "ukjent deltaker 'D-2026-0144'; mente du D-2026-014" in err


@pytest.mark.parametrize("typed, shown", [("D-1\nD-2", "D-1\\nD-2"), ("D-1\r\nx", "D-1\\r\\nx"),
                                          ("Nobody\n", "Nobody\\n"), ("P\v1", "P\\x0b1"), ("P\x0c1", "P\\x0c1"),
                                          ("P\u20281", "P\\u20281"), ("P\x851", "P\\x851")])
def test_a_value_with_a_line_break_is_quoted_on_the_messages_one_line(register, typed, shown):
    """An error quotes what was typed; a line break in it (any that splits a line) is written out,
    never a second line."""
    for args in (("participant", "show", typed), ("participant", "list", "--leader", typed)):
        result = register(*args)
        assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1, result.stderr
        assert f"'{shown}'" in result.stderr


def test_an_import_lists_its_errors_one_a_line_whatever_a_cell_holds(register, tmp_path):
    path = tmp_path / "deltakere.csv"
    path.write_text('ref;leader;start\nP1;"Nobody\nelse";02.11.2026\nP2;Kari Nordmann;x\n', encoding="utf-8")
    lines = register.fails("import", "participants", path).splitlines()
    assert len(lines) == 3 and "2 error(s)" in lines[0], lines
    assert any("'Nobody\\nelse'" in line for line in lines[1:]), lines


def test_an_identity_number_typed_as_a_ref_gets_no_suggestion_and_is_masked(register):
    fnr = identity_number()
    register.ok("participant", "add", "P-" + fnr[:5], "-l", "kari", "--start", "2026-11-02")
    err = register.fails("participant", "show", fnr)
    assert fnr not in err and "did you mean" not in err


def test_an_import_does_not_suggest(register, tmp_path):
    register.ok("participant", "add", "D-1", "-l", "kari", "--start", "2026-11-02")
    path = tmp_path / "a.csv"
    path.write_text("ref;date;status\nD-2;03.11.2026;møtt\n", encoding="utf-8")
    err = register.fails("import", "attendance", path)
    assert "unknown participant 'D-2'" in err and "did you mean" not in err


# --- weeks ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("week", ["47", "W47", "2026-47", "2026-W47", "2026w47", " 2026-W47 "])
def test_week_forms(register, week):
    import json

    out = json.loads(register.ok("summary", "weekly", "--week", week, "--format", "json"))
    assert (out["week"], out["from"], out["to"]) == ("2026-W47", "2026-11-16", "2026-11-22")


def test_a_week_number_alone_is_in_this_iso_year(register):
    import json

    # 2027-01-02 is a Saturday of ISO week 2026-W53: "1" is 2026-W01
    out = json.loads(register.ok("summary", "weekly", "--week", "1", "--format", "json",
                                 env={"KIMU_TODAY": "2027-01-02"}))
    assert out["week"] == "2026-W01"


@pytest.mark.parametrize(("week", "message"), [
    ("2025-W53", "week: 2025 has no week 53 (it has 52 weeks)"),
    ("0", "week: 2026 has no week 0 (it has 53 weeks)"),
    ("uke 48", "week: 'uke 48' is not a week (use 48, 2026-48 or 2026-W48)"),
    ("2026-W", "week: '2026-W' is not a week (use 48, 2026-48 or 2026-W48)"),
])
def test_a_bad_week_is_one_line(register, week, message):
    assert register.fails("summary", "weekly", "--week", week) == f"kimu: {message}"


def test_a_bad_week_in_bokmal(register):
    err = register.fails("summary", "weekly", "--week", "2025-53", "--lang", "nb")
    assert err == "kimu: week: 2025 har ingen uke 53 (året har 52 uker)"


def _weekly_json(kimu, week, today):
    import json

    return json.loads(kimu.ok("summary", "weekly", "--week", week, "--format", "json", env={"KIMU_TODAY": today}))


def test_a_past_week_describes_the_register_as_it_stood_on_its_sunday(register):
    """W47 (16-22.11.2026) read on its Sunday, then again after a lot happened in the days after it:
    every section that counts the year (capacity, outcomes so far this year) and the week's figures
    agree."""
    on_sunday = {"KIMU_TODAY": "2026-11-22"}
    add = ("participant", "add")
    register.ok(*add, "P1", "-l", "kari", "--start", "2026-03-02", env=on_sunday)
    register.ok(*add, "P2", "-l", "ola", "--start", "2026-05-04", env=on_sunday)
    register.ok("participant", "end", "P2", "--date", "2026-10-01", "--reason", "health", env=on_sunday)
    register.ok(*add, "P3", "-l", "kari", "--start", "2026-11-17", env=on_sunday)
    register.ok(*add, "P4", "-l", "kari", "--start", "2026-09-01", env=on_sunday)
    register.ok("transition", "add", "P4", "deltid", "--date", "2026-10-15", env=on_sunday)
    register.ok("attendance", "record", "2026-11-20", "-l", "kari", "-a", "P4", env=on_sunday)
    register.ok("attendance", "record", "2026-11-16", "-l", "kari", env=on_sunday)
    before = _weekly_json(register, "2026-W47", "2026-11-22")
    assert before["outcomes_year_to_date"]["moved_on"] == 1

    # after the week: a move that ends P1, P3 ends, P2 comes back, a new participant, more attendance
    register.ok("attendance", "record", "2026-11-23", "-l", "kari", "-a", "P1,P4")
    register.ok("transition", "add", "P1", "mfy", "--date", "2026-11-24", "--end")
    register.ok("participant", "end", "P3", "--date", "2026-11-23", "--reason", "other_path")
    register.ok("participant", "reenroll", "P2", "-l", "ola", "--start", "2026-11-24")
    register.ok(*add, "P5", "-l", "håkon", "--start", "2026-11-23")
    register.ok(*add, "P6", "-l", "kari", "--start", "2026-12-01")  # waiting
    register.ok("transition", "add", "P4", "fast", "--date", "2026-11-25")
    after = _weekly_json(register, "2026-W47", "2026-11-25")

    assert after["counted_on"] == before["counted_on"] == "2026-11-22"
    for key in ("active", "new_enrollments", "ended_enrollments", "transitions", "attendance_by_leader",
                "capacity", "outcomes_year_to_date"):
        assert after[key] == before[key], key
    ytd = after["outcomes_year_to_date"]
    assert (ytd["participants"], ytd["moved_on"], ytd["still_active"]) == (4, 1, 3)
    assert ytd["by_kind"]["mfy"] == 0 and ytd["by_kind"]["job_permanent"] == 0
    assert ytd["ended_by_reason"]["other_path"] == 0 and ytd["ended_by_reason"]["health"] == 1

    # the register today is not changed by having been read as it stood
    now = _weekly_json(register, "2026-W48", "2026-12-07")
    assert now["outcomes_year_to_date"]["moved_on"] == 2
    assert register.query("SELECT count(*) AS n FROM enrollments") == [{"n": 7}]


def test_the_weekly_labels_say_what_they_count(register):
    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2026-03-02")
    text = register.ok("summary", "weekly", "--week", "47")
    assert "Capacity: participants followed in 2026 up to Sunday 2026-11-22, and active on Sunday 2026-11-22" in text
    assert ("Outcomes so far this year: participants who started 2026-01-01 to 2026-11-22, as the register "
            "stood on Sunday 2026-11-22") in text
    assert "Needs follow-up on Sunday 2026-11-22" in text
    text = register.ok("summary", "weekly", "--week", "47", "--lang", "nb", "--format", "markdown")
    assert "## Kapasitet: deltakere fulgt i 2026 til og med søndag 22.11.2026, og aktive søndag 22.11.2026" in text
    assert "## Resultater hittil i år: deltakere som startet 01.01.2026–22.11.2026, slik registeret var " \
           "søndag 22.11.2026" in text


# --- dates that are probably typos (today 2026-11-25) ---------------------------------------------

def test_a_start_exactly_a_year_ahead_is_taken_one_day_more_is_refused(register):
    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2027-11-25")
    err = register.fails("participant", "add", "P2", "-l", "kari", "--start", "26.11.2027")
    assert err == ("kimu: start: start date 2027-11-26 is more than a year ahead; is the year right? "
                   "Use --yes if it is")
    err = register.fails("participant", "add", "P2", "-l", "kari", "--start", "26.11.2027", env={"KIMU_LANG": "nb"})
    assert err == ("kimu: start: startdato 26.11.2027 er mer enn ett år fram i tid; stemmer året? "
                   "Bruk --yes hvis det gjør det")
    register.ok("participant", "add", "P2", "-l", "kari", "--start", "26.11.2027", "--yes")
    assert [r["ref"] for r in register.query("SELECT ref FROM participants ORDER BY ref")] == ["P1", "P2"]


def test_a_start_on_the_first_day_of_2015_is_taken_the_day_before_is_refused(register):
    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2015-01-01", "--force")
    err = register.fails("participant", "add", "P2", "-l", "kari", "--start", "31.12.2014")
    assert err == "kimu: start: start date 2014-12-31 is before 2015; is the year right? Use --yes if it is"
    register.ok("participant", "add", "P2", "-l", "kari", "--start", "31.12.2014", "--yes", "--force")


def test_reenroll_end_and_edit_check_their_dates_too(register):
    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2026-01-05")
    assert "end date 2027-11-26 is more than a year ahead" in register.fails(
        "participant", "end", "P1", "--date", "2027-11-26")
    assert "start date 2014-12-31 is before 2015" in register.fails("participant", "edit", "P1", "--start", "2014-12-31")
    register.ok("participant", "end", "P1", "--date", "2026-06-30")
    assert "start date 2028-01-03 is more than a year ahead" in register.fails(
        "participant", "reenroll", "P1", "-l", "ola", "--start", "2028-01-03")
    register.ok("participant", "reenroll", "P1", "-l", "ola", "--start", "2027-11-25")
    register.ok("participant", "end", "P1", "--date", "2027-11-26", "--yes")


def test_a_transition_before_2015_is_refused_unless_yes(register):
    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2014-08-01", "--yes")
    err = register.fails("transition", "add", "P1", "mfy", "--date", "2014-12-31")
    assert err == "kimu: date: transition date 2014-12-31 is before 2015; is the year right? Use --yes if it is"
    register.ok("transition", "add", "P1", "mfy", "--date", "2014-12-31", "--yes")
    register.ok("transition", "add", "P1", "fagbrev", "--date", "2015-01-01")
    # a transition ahead is in the future, refused with or without --yes
    assert "is in the future" in register.fails("transition", "add", "P1", "jobb", "--date", "2028-01-01", "--yes")


def test_an_import_refuses_such_rows_unless_yes(register, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("deltaker;arbeidsleder;startdato;sluttdato\n"
                    "D-1;Kari Nordmann;01.01.2015;\n"
                    "D-2;Kari Nordmann;31.12.2014;\n"
                    "D-3;Kari Nordmann;25.11.2027;26.11.2027\n", encoding="utf-8")
    err = register.fails("import", "participants", path)
    assert "line 3: startdato: start date 2014-12-31 is before 2015" in err
    assert "line 4: sluttdato: end date 2027-11-26 is more than a year ahead" in err
    assert "line 2" not in err and "2 error(s)" in err
    register.ok("import", "participants", path, "--yes")
    assert len(register.query("SELECT * FROM participants")) == 3
    trans = tmp_path / "t.csv"
    trans.write_text("ref;dato;type\nD-2;31.12.2014;mfy\n", encoding="utf-8")
    assert "line 2: dato: transition date 2014-12-31 is before 2015" in register.fails("import", "transitions", trans)
    register.ok("import", "transitions", trans, "--yes")


# --- small truths -------------------------------------------------------------------------------

def test_cost_months_and_money_come_from_the_same_figure(register):
    import json
    import re

    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2026-10-28")  # 29 days = 0.9528 months
    cost = json.loads(register.ok("summary", "cost", "--from", "2026-10-28", "--format", "json"))
    assert (cost["participant_months"], cost["model_cost"], cost["compare_cost"]) == (0.95, 3325, 17100)
    text = register.ok("summary", "cost", "--from", "2026-10-28")
    assert re.search(r"Participant-months followed\s+0\.95\n", text) and re.search(r"Cost in this model\s+NOK 3,325", text)
    norsk = register.ok("summary", "cost", "--from", "2026-10-28", "--lang", "nb")
    assert re.search(r"Deltakermåneder fulgt\s+0,95\n", norsk) and "3 325 kr" in norsk


@pytest.mark.parametrize("fmt", ["table", "text", "markdown"])
def test_an_empty_cohort_prints_a_dash_for_its_rates(register, fmt):
    import re

    out = register.ok("summary", "outcomes", "--from", "2026-01-01", "--format", fmt, "--lang", "nb")
    if fmt == "markdown":
        assert "- **Andel med overgang:** –\n" in out and "- **Oppmøteandel:** –\n" in out
    else:
        assert re.search(r"Andel med overgang\s+–\n", out) and re.search(r"Oppmøteandel\s+–\n", out)


def test_an_empty_rate_in_html_is_a_dash(register, tmp_path):
    register.ok("participant", "add", "P1", "-l", "kari", "--start", "2026-11-02")  # followed, no days recorded
    html = register.ok("summary", "weekly", "--week", "47", "--format", "html")
    assert "<th>Attendance rate</th><td>–</td>" in html  # outcomes so far this year: no days
    assert "<td>–</td></tr>" in html  # attendance per leader: no days recorded this week


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_from_the_package_metadata(kimu, flag):
    from importlib import metadata

    assert kimu.ok(flag) == f"kimu {metadata.version('kimu')}\n"


def test_weekly_output_says_where_at_a_terminal_and_keeps_cron_silent(register, tmp_path, monkeypatch):
    from kimu_cli import render

    out = tmp_path / "uke.txt"
    result = register("summary", "weekly", "--output", out)
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == "" and out.exists()
    monkeypatch.setattr(render, "person_at_terminal", lambda: True)
    result = register("summary", "weekly", "--week", "47", "--output", out, "--lang", "nb")
    assert result.stderr == f"kimu: skrev ukesoppsummeringen 2026-W47 til {out}\n"
    result = register("summary", "weekly", "--week", "47", "--output", out)
    assert result.stderr == f"kimu: wrote the weekly summary 2026-W47 to {out}\n"
