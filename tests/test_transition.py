"""kimu transition add|list|remove and the participant timeline, through the real CLI (today = 2026-11-25)."""

import csv
import io
import json

from conftest import templated


@templated
def followed(register):
    """P1 with Kari from September, P2 with Håkon at Åsgården from October."""
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-09-01")
    register.ok("participant", "add", "P2", "--leader", "Håkon Ødegård", "--start", "2026-10-01")
    return register


def _transitions(kimu, *options):
    return json.loads(kimu.ok("transition", "list", *options, "--format", "json"))


def _enrollment(kimu, ref):
    return kimu.query("SELECT e.end_date, e.end_reason FROM enrollments e JOIN participants p "
                      "ON p.id = e.participant_id WHERE p.ref = ? ORDER BY e.start_date DESC", (ref,))[0]


def test_norwegian_kind_aliases_are_accepted(followed):
    for day, kind in [("2026-10-01", "Opplæringskontrakt"), ("2026-10-02", "fast_stilling"),
                      ("2026-10-03", "lærling"), ("2026-10-04", "SOMMERJOBB"), ("2026-10-05", "fagprøve bestått")]:
        followed.ok("transition", "add", "P1", kind, "--date", day)
    assert [t["kind"] for t in _transitions(followed)] == [
        "mfy", "job_permanent", "apprenticeship", "job_summer", "fagbrev"]


def test_unknown_kind_is_refused_naming_the_value(followed):
    err = followed.fails("transition", "add", "P1", "pensjon", "--date", "2026-11-01")
    assert err.startswith("kimu: kind: unknown value 'pensjon' (use one of: mfy, apprenticeship")
    assert followed.query("SELECT * FROM transitions") == []


def test_unknown_ref_is_refused(followed):
    assert "unknown participant 'P9'" in followed.fails("transition", "add", "P9", "mfy", "--date", "2026-11-01")


def test_end_closes_the_enrollment_as_moved_on(followed):
    out = followed.ok("transition", "add", "P1", "fast jobb", "--date", "20.11.2026", "--detail", "Bergen kommune",
                      "--end")
    assert "enrollment ended (moved_on)" in out
    assert _enrollment(followed, "P1") == {"end_date": "2026-11-20", "end_reason": "moved_on"}
    actions = followed.query("SELECT entity, action FROM audit_log WHERE command LIKE '%transition add' "
                             "ORDER BY id")
    assert actions == [{"entity": "transition", "action": "add"}, {"entity": "enrollment", "action": "end"}]


def test_without_end_the_leader_keeps_following_through_mfy_to_fagbrev_and_a_job(followed):
    out = followed.ok("transition", "add", "P1", "mfy", "--date", "2026-10-15", "--detail", "Solbakken")
    assert "follow-up continues" in out
    assert _enrollment(followed, "P1") == {"end_date": None, "end_reason": None}
    followed.ok("transition", "add", "P1", "fagbrev", "--date", "2026-11-20")
    followed.ok("transition", "add", "P1", "fast stilling", "--date", "2026-11-24", "--end")
    assert _enrollment(followed, "P1") == {"end_date": "2026-11-24", "end_reason": "moved_on"}


def test_a_milestone_alone_does_not_end_the_follow_up(followed):
    err = followed.fails("transition", "add", "P2", "kompetansebevis", "--date", "2026-11-20", "--end")
    assert err.startswith("kimu: end: kompetansebevis is a milestone and 'P2' has no move to education or work")
    assert followed.query("SELECT * FROM transitions") == []


def test_transition_before_the_first_enrollment_is_refused(followed):
    err = followed.fails("transition", "add", "P1", "mfy", "--date", "2026-08-31")
    assert err == "kimu: date: 2026-08-31 is before 'P1' was first enrolled (2026-09-01)"


def test_transition_after_an_ended_enrollment_is_accepted_and_belongs_to_that_leader(followed):
    followed.ok("participant", "end", "P2", "--date", "2026-10-31", "--reason", "other_path")
    followed.ok("transition", "add", "P2", "deltid", "--date", "2026-11-20", "--detail", "Rema 1000")
    [t] = _transitions(followed)
    assert (t["ref"], t["kind"], t["group"], t["leader"], t["site"]) == (
        "P2", "job_part_time", "work", "Håkon Ødegård", "Åsgården sykehjem")


def test_end_without_an_open_enrollment_writes_nothing(followed):
    followed.ok("participant", "end", "P2", "--date", "2026-10-31", "--reason", "other_path")
    assert "'P2' has no open enrollment" in followed.fails("transition", "add", "P2", "jobb", "--date",
                                                           "2026-11-20", "--end")
    assert followed.query("SELECT * FROM transitions") == []


def test_future_and_duplicate_transitions_are_refused(followed):
    assert "2026-11-26 is in the future" in followed.fails("transition", "add", "P1", "mfy", "--date", "2026-11-26")
    followed.ok("transition", "add", "P1", "mfy", "--date", "2026-11-02")
    err = followed.fails("transition", "add", "P1", "MFY", "--date", "02.11.2026")
    assert err == "kimu: kind: 'P1' already has mfy on 2026-11-02 (transition 1)"


def test_list_filters_and_json_keys_equal_csv_columns(followed):
    followed.ok("transition", "add", "P1", "mfy", "--date", "2026-10-15")
    followed.ok("transition", "add", "P2", "sommerjobb", "--date", "2026-11-10", "--note", "via NAV")
    assert [t["ref"] for t in _transitions(followed, "--kind", "opplæringskontrakt")] == ["P1"]
    assert [t["ref"] for t in _transitions(followed, "--from", "01.11.2026")] == ["P2"]
    assert [t["ref"] for t in _transitions(followed, "--to", "2026-10-31")] == ["P1"]
    assert [t["ref"] for t in _transitions(followed, "--site", "Åsgården sykehjem")] == ["P2"]
    assert [t["ref"] for t in _transitions(followed, "--leader", "kari")] == ["P1"]
    rows = list(csv.DictReader(io.StringIO(followed.ok("transition", "list", "--format", "csv"))))
    assert list(rows[1]) == list(_transitions(followed)[1]) == [
        "id", "ref", "date", "kind", "group", "detail", "note", "leader", "site"]
    assert rows[1]["note"] == "via NAV"


def test_remove_deletes_the_transition_and_audits_its_values(followed):
    followed.ok("transition", "add", "P1", "mfy", "--date", "2026-10-15", "--end")
    assert followed.ok("transition", "remove", "1").strip() == "Removed transition 1: P1 mfy on 2026-10-15"
    assert _transitions(followed) == []
    assert _enrollment(followed, "P1")["end_reason"] == "moved_on"  # the end stays; correct it separately
    [audit] = followed.query("SELECT changes FROM audit_log WHERE action = 'remove' AND entity = 'transition'")
    assert json.loads(audit["changes"]) == {"ref": ["P1", None], "date": ["2026-10-15", None], "kind": ["mfy", None]}
    assert followed.fails("transition", "remove", "1") == "kimu: id: no transition 1 (see 'kimu transition list')"


def test_participant_show_is_one_timeline(followed):
    followed.ok("attendance", "record", "2026-09-01", "P1", "-s", "absent")
    followed.ok("attendance", "record", "2026-09-02", "P1")
    followed.ok("participant", "end", "P1", "--date", "2026-09-30", "--reason", "health")
    followed.ok("participant", "reenroll", "P1", "--leader", "Ola Brøndbo", "--start", "2026-11-02")
    followed.ok("attendance", "record", "2026-11-24", "-l", "ola", "-e", "P1")
    followed.ok("transition", "add", "P1", "mfy", "--date", "2026-11-20", "--detail", "Solbakken")
    followed.ok("transition", "add", "P1", "fagbrev", "--date", "2026-11-25")
    shown = json.loads(followed.ok("participant", "show", "P1", "--format", "json"))
    assert [(e["leader"], e["days"], e["present"], e["absent"], e["excused"], e["rate"])
            for e in shown["enrollments"]] == [("Kari Nordmann", 2, 1, 1, 0, 0.5), ("Ola Brøndbo", 1, 0, 0, 1, None)]
    assert [(t["date"], t["kind"], t["detail"]) for t in shown["transitions"]] == [("2026-11-20", "mfy", "Solbakken")]
    assert [m["kind"] for m in shown["milestones"]] == ["fagbrev"]
    table = followed.ok("participant", "show", "P1")
    assert "Moved on: MFY training contract (Solbakken)" in table and "Milestone: Trade certificate" in table


def test_a_removed_transitions_id_is_never_given_to_the_next(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    register.ok("transition", "add", "P1", "mfy", "--date", "2026-03-01")
    register.ok("transition", "add", "P1", "jobb", "--date", "2026-04-01")
    register.ok("transition", "remove", "2")
    register.ok("transition", "add", "P1", "sommerjobb", "--date", "2026-06-01")
    ids = [row["id"] for row in json.loads(register.ok("transition", "list", "--format", "json", "--from", "2026-01-01"))]
    assert ids == [1, 3]
