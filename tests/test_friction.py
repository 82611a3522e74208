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
