"""Report labels in English and Norwegian bokmål (--lang, KIMU_LANG), complete in both.

JSON and CSV keep the English interface keys; only what people read is translated.
"""

import os

from kimu_cli.errors import KimuError

LANGUAGES = ("en", "nb")
_ALIASES = {"en": "en", "nb": "nb", "no": "nb", "nob": "nb"}

# key -> (English, bokmål)
_TEXT = {
    # titles and sections
    "outcomes": ("Outcomes", "Resultater"),
    "cost": ("Cost", "Kostnader"),
    "weekly": ("Weekly summary", "Ukesoppsummering"),
    "capacity": ("Capacity", "Kapasitet"),
    "period": ("Period", "Periode"),
    "to_word": ("to", "til"),
    "groups_site": ("By site", "Per omsorgssenter"),
    "groups_leader": ("By leader", "Per arbeidsleder"),
    "groups_year": ("By year of start", "Per oppstartsår"),
    "by_kind": ("Participants per transition kind", "Deltakere per overgangstype"),
    "ended_by_reason": ("Ended without moving on, by reason", "Avsluttet uten overgang, etter årsak"),
    "new_enrollments": ("New enrollments this week", "Nye deltakelser denne uken"),
    "ended_enrollments": ("Ended enrollments this week", "Avsluttede deltakelser denne uken"),
    "transitions": ("Transitions this week", "Overganger denne uken"),
    "attendance_by_leader": ("Attendance per leader this week", "Oppmøte per arbeidsleder denne uken"),
    "alerts": ("Needs follow-up", "Trenger oppfølging"),
    "outcomes_year_to_date": ("Outcomes so far this year", "Resultater hittil i år"),
    "none": ("(none)", "(ingen)"),
    "audit_head": ("Audit log up to row (chain)", "Endringslogg til og med rad (kjede)"),
    "suppressed_counts": (("Counts below {n} are shown as <{n}, and x marks a count hidden so that none of them "
                          "can be worked out from the others; rates, medians and costs built on hidden counts "
                          "are left out."),
                          ("Tall under {n} vises som <{n}, og x markerer et tall som er skjult så ingen av dem kan "
                          "regnes ut fra de andre; andeler, medianer og kostnader bygd på skjulte tall er utelatt.")),
    "rows_left_out": (("Rows about single participants (new and ended enrollments, transitions, who needs "
                      "follow-up) are left out."),
                      ("Rader om enkeltdeltakere (nye og avsluttede deltakelser, overganger, hvem som trenger "
                      "oppfølging) er utelatt.")),
    # figures and columns
    "participants": ("Participants", "Deltakere"),
    "moved_on": ("Moved on to education or work", "Overgang til utdanning eller arbeid"),
    "moved_on_rate": ("Share moved on", "Andel med overgang"),
    "still_active": ("Still followed", "Fortsatt fulgt"),
    "median_days_to_move": ("Median days from start to first move", "Median dager fra oppstart til første overgang"),
    "attendance_rate": ("Attendance rate", "Oppmøteandel"),
    "active": ("Active", "Aktive"),
    "followed_this_week": ("Participants followed this week", "Deltakere fulgt denne uken"),
    "site": ("Site", "Omsorgssenter"),
    "leader": ("Leader", "Arbeidsleder"),
    "year": ("Year", "År"),
    "ref": ("Participant", "Deltaker"),
    "name": ("Name", "Navn"),
    "date": ("Date", "Dato"),
    "kind": ("Transition", "Overgang"),
    "start_date": ("Start", "Oppstart"),
    "end_date": ("End", "Slutt"),
    "end_reason": ("Reason", "Årsak"),
    "days": ("Days recorded", "Registrerte dager"),
    "present": ("Present", "Møtt"),
    "absent": ("Absent", "Fravær"),
    "excused": ("Excused", "Gyldig fravær"),
    "rate": ("Attendance rate", "Oppmøteandel"),
    "alert": ("Alert", "Varsel"),
    "detail": ("Detail", "Detaljer"),
    "followed": ("Followed", "Fulgt"),
    "yearly_capacity": ("Per year", "Per år"),
    "yearly_left": ("Left", "Igjen"),
    "on": ("Active counted on", "Aktive telt per"),
    "max_concurrent": ("Max at once", "Maks samtidig"),
    "concurrent_left": ("Room now", "Ledig nå"),
    "status": ("Status", "Status"),
    "participant_months": ("Participant-months followed", "Deltakermåneder fulgt"),
    "monthly_cost": ("Cost per participant-month", "Kostnad per deltakermåned"),
    "model_cost": ("Cost in this model", "Kostnad i denne modellen"),
    "compare_monthly_cost": ("AFT cost per participant-month", "AFT-kostnad per deltakermåned"),
    "compare_cost": ("The same months in AFT", "De samme månedene i AFT"),
    "saving": ("Difference", "Differanse"),
    "cost_per_moved_on": ("Cost per participant who moved on", "Kostnad per deltaker med overgang"),
    "compare_cost_per_moved_on": ("AFT cost per participant who moved on", "AFT-kostnad per deltaker med overgang"),
    # capacity status
    "status_ok": ("room", "ledig"),
    "status_full": ("full", "fullt"),
    "status_over": ("over capacity", "over kapasitet"),
    # transition kinds
    "kind_mfy": ("MFY training contract", "MFY med opplæringskontrakt"),
    "kind_apprenticeship": ("Apprenticeship", "Lærekontrakt"),
    "kind_education": ("Other education", "Annen utdanning"),
    "kind_job_permanent": ("Permanent job", "Fast stilling"),
    "kind_job_part_time": ("Part-time job", "Deltidsjobb"),
    "kind_job_summer": ("Summer job", "Sommerjobb"),
    "kind_job_weekend": ("Weekend job", "Helgejobb"),
    "kind_job_other": ("Other job", "Annen jobb"),
    "kind_fagbrev": ("Trade certificate (fagbrev)", "Fagbrev"),
    "kind_kompetansebevis": ("Certificate of competence", "Kompetansebevis"),
    # attendance alerts (attendance.ALERTS)
    "alert_consecutive_absences": ("Absent several days in a row", "Fravær flere dager på rad"),
    "alert_low_rate": ("Low attendance", "Lavt oppmøte"),
    "alert_missing_registration": ("Attendance not registered", "Oppmøte ikke registrert"),
    # follow-up contacts (issue 18)
    "since": ("Since", "Siden"),
    "last_contact": ("Last contact", "Siste kontakt"),
    "followed_up": ("Followed up", "Fulgt opp"),
    "yes": ("yes", "ja"),
    "no": ("no", "nei"),
    "follow_up": ("Follow-up of alerts this week", "Oppfølging av varsler denne uken"),
    "alerts_raised": ("Alerts raised", "Nye varsler"),
    "alerts_followed_up": ("Followed up", "Fulgt opp"),
    "alerts_open": ("Not followed up", "Ikke fulgt opp"),
    "median_working_days_to_contact": ("Median working days from alert to first contact",
                                       "Median arbeidsdager fra varsel til første kontakt"),
    "contacts_by_leader": ("Contacts this week per leader", "Kontakter denne uken per arbeidsleder"),
    "contacts": ("Contacts", "Kontakter"),
    "with": ("With", "Med"),
    "how": ("How", "Hvordan"),
    "enrollment_start": ("Enrollment from", "Deltakelse fra"),
    "with_participant": ("Participant", "Deltaker"),
    "with_veileder": ("NAV veileder", "NAV-veileder"),
    "with_leader": ("Leader", "Arbeidsleder"),
    "with_school": ("School", "Skole"),
    "with_employer": ("Employer", "Arbeidsgiver"),
    "how_phone": ("Phone", "Telefon"),
    "how_meeting": ("Meeting", "Møte"),
    "how_message": ("Message", "Melding"),
    "how_visit": ("Visit", "Besøk"),
    # the weekly HTML page's charts (issue 18)
    "rate_trend": ("Attendance rate per leader, last 12 weeks", "Oppmøteandel per arbeidsleder, siste 12 uker"),
    "moves_by_month": ("Moves on this year per month", "Overganger i år per måned"),
    "follow_up_trend": ("Alerts followed up, last 12 weeks", "Varsler fulgt opp, siste 12 uker"),
    "education": ("Education", "Utdanning"),
    "work": ("Work", "Arbeid"),
    "week_word": ("Week", "Uke"),
    "month": ("Month", "Måned"),
    "follow_up_note": (("followed up / raised in the week (n d: median working days from the alert to the first "
                       "contact)"), ("fulgt opp / nye varsler i uken (n d: median arbeidsdager fra varselet til første "
                       "kontakt)")),
    # end reasons
    "reason_moved_on": ("Moved on", "Gått videre"),
    "reason_other_path": ("Other path", "Annet løp"),
    "reason_dropped_out": ("Dropped out", "Avbrutt"),
    "reason_moved_away": ("Moved away", "Flyttet"),
    "reason_health": ("Health", "Helse"),
    "reason_never_started": ("Never started", "Ikke møtt"),
    "reason_needs_other_support": ("Needs other support", "Trenger annen støtte"),
    "reason_registered_in_error": ("Registered in error", "Feilregistrert"),
    "reason_other": ("Other", "Annet"),
    # names and refs (kimu_cli.names)
    "unknown_leader": ("{field}: unknown leader '{name}'{hint} (see '{listing}')",
                       "{field}: ukjent arbeidsleder '{name}'{hint} (se '{listing}')"),
    "unknown_site": ("{field}: unknown site '{name}'{hint} (see '{listing}')",
                     "{field}: ukjent omsorgssenter '{name}'{hint} (se '{listing}')"),
    "unknown_participant": ("{field}: unknown participant '{name}'{hint} (see '{listing}')",
                            "{field}: ukjent deltaker '{name}'{hint} (se '{listing}')"),
    "did_you_mean": ("; did you mean {names}?", "; mente du {names}?"),
    "or": ("or", "eller"),
    "wrote_weekly": ("wrote the weekly summary {week} to {path}", "skrev ukesoppsummeringen {week} til {path}"),
    # participant show (kimu_cli.timeline, render.participant)
    "periods": ("Periods", "Perioder"),
    "timeline": ("What happened", "Hva som har skjedd"),
    "calendar": ("Attendance", "Oppmøte"),
    "calendar_last": ("Attendance, the last {n} weeks", "Oppmøte, de siste {n} ukene"),
    "weekdays": ("Mon Tue Wed Thu Fri Sat Sun", "man tir ons tor fre lør søn"),
    "week_label": ("{year}-W{week:02d}", "uke {week} {year}"),
    "not_recorded": ("not recorded", "ikke registrert"),
    "birth_year": ("Birth year", "Fødselsår"),
    "veileder": ("NAV veileder", "NAV-veileder"),
    "goal": ("Goal", "Mål"),
    "notes": ("Notes", "Notat"),
    "status_active": ("active", "aktiv"),
    "status_waiting": ("waiting to start", "venter på oppstart"),
    "status_ended": ("ended", "avsluttet"),
    "tl_enrolled": ("Enrolled with {leader} at {site}", "Startet hos {leader} på {site}"),
    "tl_reenrolled": ("Re-enrolled with {leader} at {site}", "Startet på nytt hos {leader} på {site}"),
    "tl_forced": (" (over capacity, rule overridden)", " (over kapasitet, regelen overstyrt)"),
    "tl_ended": ("Ended: {reason}", "Avsluttet: {reason}"),
    "tl_absent_streak": ("Absent {days} days in a row, to {until}", "Fravær {days} dager på rad, til {until}"),
    "tl_excused_spell": ("Excused {days} days, to {until}", "Gyldig fravær {days} dager, til {until}"),
    "tl_excused_day": ("Excused", "Gyldig fravær"),
    "tl_transition": ("Moved on: {kind}{detail}", "Overgang: {kind}{detail}"),
    "tl_milestone": ("Milestone: {kind}{detail}", "Milepæl: {kind}{detail}"),
    "tl_corrected": ("Corrected {what}: {changes}", "Rettet {what}: {changes}"),
    "tl_entity_participant": ("the details", "opplysningene"),
    "tl_entity_enrollment": ("the period", "perioden"),
    "tl_entity_attendance": ("attendance", "oppmøte"),
    "tl_entity_transition": ("a transition", "en overgang"),
    # dates that are probably typos (dates.likely)
    "date_ahead": ("{what} {date} is more than a year ahead; is the year right? Use --yes if it is",
                   "{what} {date} er mer enn ett år fram i tid; stemmer året? Bruk --yes hvis det gjør det"),
    "date_early": ("{what} {date} is before 2015; is the year right? Use --yes if it is",
                   "{what} {date} er før 2015; stemmer året? Bruk --yes hvis det gjør det"),
    "what_start_date": ("start date", "startdato"),
    "what_end_date": ("end date", "sluttdato"),
    "what_transition_date": ("transition date", "overgangsdato"),
    "help_version": ("Print kimu's version and exit.", "Skriv ut kimus versjon og avslutt."),
    "help_ref": ("The participant's ref.", "Deltakerens referanse."),
    "help_only_ref": ("Only this participant.", "Bare denne deltakeren."),
    "help_yes_dates": ("Accept a date more than a year ahead or before 2015 (probably a typo otherwise).",
                       "Godta en dato mer enn ett år fram i tid eller før 2015 (ellers trolig en skrivefeil)."),
    # weeks and the weekly summary of a past week (kimu_cli.weekly)
    "bad_week": ("week: '{text}' is not a week (use 48, 2026-48 or 2026-W48)",
                 "week: '{text}' er ikke en uke (bruk 48, 2026-48 eller 2026-W48)"),
    "no_such_week": ("week: {year} has no week {number} (it has {weeks} weeks)",
                     "week: {year} har ingen uke {number} (året har {weeks} uker)"),
    "sunday": ("Sunday {day}", "søndag {day}"),
    "alerts_on": ("Needs follow-up on {day}", "Trenger oppfølging {day}"),
    "capacity_on": ("Capacity: participants followed in {year} up to {day}, and active on {day}",
                    "Kapasitet: deltakere fulgt i {year} til og med {day}, og aktive {day}"),
    "outcomes_on": (("Outcomes so far this year: participants who started {start} to {end}, as the register "
                    "stood on {day}"),
                    "Resultater hittil i år: deltakere som startet {start}–{end}, slik registeret var {day}"),
    "ambiguous_name": ("{field}: '{name}' matches {names}; give more of the name",
                       "{field}: '{name}' passer til {names}; skriv mer av navnet"),
}
LABELS = {lang: {key: pair[i] for key, pair in _TEXT.items()} for i, lang in enumerate(LANGUAGES)}

# Values shown in a column of this key are looked up as prefix_value.
VALUE_PREFIX = {"kind": "kind_", "end_reason": "reason_", "status": "status_", "alert": "alert_", "with": "with_",
                "how": "how_"}


def language(value: str | None = None) -> str:
    """--lang, else KIMU_LANG, else English."""
    chosen = value or os.environ.get("KIMU_LANG") or "en"
    try:
        return _ALIASES[chosen.strip().lower()]
    except KeyError:
        raise KimuError(f"lang: unknown language '{chosen}' (use en or nb)") from None


def text(key: str, lang: str, **fields: object) -> str:
    return LABELS[lang][key].format(**fields) if fields else LABELS[lang][key]


def value(column: str, raw: object, lang: str) -> object:
    """The label of a coded value (a transition kind, end reason, status) in a column, else raw."""
    prefix = VALUE_PREFIX.get(column)
    return LABELS[lang].get(f"{prefix}{raw}", raw) if prefix and isinstance(raw, str) else raw
