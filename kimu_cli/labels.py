"""Everything a person reads, in English and Norwegian bokmål, complete in both.

Report labels live here (_TEXT); messages (errors, confirmations, prompts) in kimu_cli.messages.
The language is chosen once per run (the CLI calls set_language: --lang > KIMU_LANG > the locale >
English) and read by t(); text(key, lang) takes it explicitly. JSON and CSV keep the English interface
keys; only what people read is translated.
"""

import os
from collections.abc import Mapping
from typing import Self

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
    "week_title": ("{year}-W{number:02d}", "uke {number} {year}"),
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
    "date_ahead": ("{field}: {what} {date} is more than a year ahead; is the year right? Use --yes if it is",
                   "{field}: {what} {date} er mer enn ett år fram i tid; stemmer året? Bruk --yes hvis det gjør det"),
    "date_early": ("{field}: {what} {date} is before 2015; is the year right? Use --yes if it is",
                   "{field}: {what} {date} er før 2015; stemmer året? Bruk --yes hvis det gjør det"),
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
    # participant status (participants.STATUSES) and attendance status
    "status_present": ("present", "møtt"),
    "status_absent": ("absent", "fravær"),
    "status_excused": ("excused", "gyldig fravær"),
    # transition groups
    "group_education": ("education", "utdanning"),
    "group_work": ("work", "arbeid"),
    "group_milestone": ("milestone", "milepæl"),
    # audit log: actions and what they changed
    "action_add": ("add", "lagt til"),
    "action_edit": ("edit", "endret"),
    "action_end": ("end", "avsluttet"),
    "action_enroll": ("enroll", "ny deltakelse"),
    "action_force": ("force", "overstyrt kapasitet"),
    "action_record": ("record", "registrert"),
    "action_correct": ("correct", "rettet"),
    "action_remove": ("remove", "fjernet"),
    "action_import": ("import", "importert"),
    "action_purge": ("purge", "anonymisert"),
    "action_recount": ("recount", "talt på nytt"),
    "action_redact": ("redact", "maskert"),
    "action_restore": ("restore", "gjenopprettet"),
    "entity_site": ("site", "omsorgssenter"),
    "entity_leader": ("leader", "arbeidsleder"),
    "entity_participant": ("participant", "deltaker"),
    "entity_participants": ("participants", "deltakere"),
    "entity_enrollment": ("enrollment", "deltakelse"),
    "entity_enrollment_facts": ("enrollment facts", "deltakelsestall"),
    "entity_attendance": ("attendance", "oppmøte"),
    "entity_transition": ("transition", "overgang"),
    "entity_transitions": ("transitions", "overganger"),
    "entity_database": ("database", "database"),
    "entity_enrollments": ("enrollments", "deltakelser"),
    "entity_leaders": ("leaders", "arbeidsledere"),
    "entity_sites": ("sites", "omsorgssentre"),
    # column headers of lists and `participant show` as people read them
    "col_site": ("Site", "Omsorgssenter"),
    "col_municipality": ("Municipality", "Kommune"),
    "col_nav_office": ("NAV office", "NAV-kontor"),
    "col_leaders": ("Leaders", "Arbeidsledere"),
    "col_active_participants": ("Active participants", "Aktive deltakere"),
    "col_yearly_capacity": ("Per year", "Per år"),
    "col_max_concurrent": ("Max at once", "Maks samtidig"),
    "col_started": ("Started", "Begynte"),
    "col_ended": ("Ended", "Sluttet"),
    "col_hours": ("Hours", "Timer"),
    "col_note": ("Note", "Notat"),
    "col_notes": ("Notes", "Notater"),
    "col_id": ("Id", "Nr."),
    "col_group": ("Group", "Gruppe"),
    "col_at": ("When", "Tidspunkt (UTC)"),
    "col_login": ("Who", "Hvem"),
    "col_command": ("Command", "Kommando"),
    "col_action": ("Action", "Handling"),
    "col_entity": ("What", "Hva"),
    "col_record": ("Record", "Post"),
    "col_changes": ("Changes", "Endringer"),
    "col_redacted": ("Redacted", "Maskert"),
    "col_last_end_date": ("Last end", "Siste slutt"),
    "col_check": ("Check", "Kontroll"),
    "col_fix": ("Fix", "Tiltak"),
    "col_birth_year": ("Birth year", "Fødselsår"),
    "col_veileder": ("NAV veileder", "NAV-veileder"),
    "col_goal": ("Goal", "Mål"),
    "col_enrollments": ("Enrollments", "Deltakelser"),
    "col_transitions": ("Transitions", "Overganger"),
    "col_milestones": ("Milestones", "Milepæler"),
    "col_forced": ("Over capacity", "Over kapasitet"),
    "col_status": ("Status", "Status"),
    "col_rate": ("Attendance rate", "Oppmøteandel"),
    "col_days": ("Days", "Dager"),
}


def _catalog() -> dict[str, tuple[str, str]]:
    from kimu_cli.messages import MESSAGES

    clash = set(_TEXT) & set(MESSAGES)
    assert not clash, f"keys in both labels and messages: {clash}"
    return {**_TEXT, **MESSAGES}


CATALOG = _catalog()
LABELS = {lang: {key: pair[i] for key, pair in CATALOG.items()} for i, lang in enumerate(LANGUAGES)}

# Values shown in a column of this key are looked up as prefix_value.
VALUE_PREFIX = {"kind": "kind_", "end_reason": "reason_", "status": "status_", "alert": "alert_", "with": "with_",
                "how": "how_", "group": "group_", "action": "action_", "entity": "entity_"}


_current = "en"  # the language of this run: set once by the CLI (like gettext's install)


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def current() -> str:
    return _current


def from_locale(environ: Mapping[str, str] | None = None) -> str:
    """The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set decides;
    nb*, nn* and no* give bokmål, anything else (C, POSIX, en_US ...) English."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip().lower()
        if value:
            return "nb" if value[:2] in ("nb", "nn", "no") else "en"
    return "en"


def parse(value: object) -> str | None:
    """en or nb for a --lang/KIMU_LANG value; None when it names no language kimu speaks."""
    return _ALIASES.get(str(value).strip().lower())


def choose(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """--lang > KIMU_LANG > the locale > English. An unknown --lang or KIMU_LANG falls through to
    the next source here; language() (the CLI's check) reports it."""
    environ = os.environ if environ is None else environ
    for given in (option, environ.get("KIMU_LANG")):
        if given and (chosen := parse(given)):
            return chosen
    return from_locale(environ)


def text(key: str, lang: str, **fields: object) -> str:
    return LABELS[lang][key].format(**fields) if fields else LABELS[lang][key]


def t(key: str, **fields: object) -> str:
    """The text of key in the current language, its {fields} filled in; in bokmål an ISO date in a
    field reads dd.mm.yyyy."""
    if _current == "nb":
        from kimu_cli import datetext

        fields = {name: datetext.norwegian(v) if isinstance(v, str) else v for name, v in fields.items()}
    return text(key, _current, **fields)


class later(str):
    """A catalog key with its fields, read in the language of the run when it is formatted into a
    message (for texts built before the message that holds them: KimuError("x", why=later("y")))."""

    fields: dict[str, object]

    def __new__(cls, key: str, **fields: object) -> Self:
        made = super().__new__(cls, key)
        made.fields = fields
        return made

    def __str__(self) -> str:
        return t(str.__str__(self), **self.fields)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def date(value: str | None) -> str | None:
    """An ISO date as people read it in the current language (dd.mm.yyyy in bokmål)."""
    from kimu_cli import datetext

    return datetext.norwegian(value) if _current == "nb" else value


def coded(column: str, raw: object) -> object:
    """A coded value (status, kind, end reason, alert) in the current language; English keeps the code."""
    return value(column, raw, _current) if _current == "nb" else raw


def value(column: str, raw: object, lang: str) -> object:
    """The label of a coded value (a transition kind, end reason, status) in a column, else raw."""
    prefix = VALUE_PREFIX.get(column)
    return LABELS[lang].get(f"{prefix}{raw}", raw) if prefix and isinstance(raw, str) else raw


def column(key: str, lang: str | None = None) -> str:
    """The header people read over a column of a list (col_KEY, else the report label KEY, else KEY)."""
    table = LABELS[lang or _current]
    return table.get(f"col_{key}") or table.get(key) or key
