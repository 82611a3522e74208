"""Messages in English and bokmål: errors (KimuError keys), confirmations, prompts, progress.

key -> (English, bokmål); both with the same {fields}. Read through kimu_cli.labels (t, text).
"""

# `kimu db check`: the checks and fixes of kimu_cli.checks (English as written there) -> bokmål,
# shown by render in bokmål tables; tests/test_language.py checks that every one is here.
CHECKS_NB = {
    'contact before the first enrollment':
        'kontakt før første deltakelse',
    "remove it with 'kimu contact remove ID' and add it again with the right date":
        "fjern den med 'kimu contact remove ID' og legg den inn igjen med riktig dato",
    "'kimu contact remove ID', then add it again with a shorter note":
        "'kimu contact remove ID', og legg den inn igjen med et kortere notat",
    'the audit log up to the noted row is not what it was when its head was noted (a weekly summary carries it): the log was rewritten since; compare with a backup of that time':
        'endringsloggen fram til den noterte raden er ikke slik den var da kjeden ble notert (en ukesoppsummering viser den): loggen er skrevet om siden; sammenlign med en sikkerhetskopi fra den tiden',
    "integrity": "integritet",
    "foreign key": "fremmednøkkel",
    "audit log chain": "revisjonsloggens kjede",
    "identity number stored": "fødselsnummer lagret",
    "overlapping enrollments": "overlappende deltakelser",
    "correct the dates with 'kimu participant edit --start' or end the earlier period":
        "rett datoene med 'kimu participant edit --start' eller avslutt den tidligere perioden",
    "more than one open enrollment": "mer enn én åpen deltakelse",
    "end all but the latest period with 'kimu participant end'":
        "avslutt alle perioder unntatt den siste med 'kimu participant end'",
    "attendance outside every enrollment": "oppmøte utenfor alle deltakelser",
    "correct the enrollment with 'kimu participant edit --start' or 'kimu participant end' (kimu has no command "
    "that deletes attendance: remove a stray row with sqlite3, or 'kimu db restore' a backup)":
        "rett deltakelsen med 'kimu participant edit --start' eller 'kimu participant end' (kimu har ingen kommando "
        "som sletter oppmøte: fjern en feilaktig rad med sqlite3, eller bruk 'kimu db restore' med en "
        "sikkerhetskopi)",
    "transition before the first enrollment": "overgang før første deltakelse",
    "correct the transition's date, or remove it with 'kimu transition remove'":
        "rett datoen for overgangen, eller fjern den med 'kimu transition remove'",
    "participant without any enrollment": "deltaker uten deltakelse",
    "enroll them with 'kimu participant reenroll'": "gi deltakeren en deltakelse med 'kimu participant reenroll'",
    "leader ended while still following participants": "arbeidsleder sluttet mens hen fortsatt fulgte deltakere",
    "end the periods with 'kimu participant end' (and 'kimu participant reenroll' with another leader)":
        "avslutt periodene med 'kimu participant end' (og 'kimu participant reenroll' hos en annen arbeidsleder)",
    "enrollment facts differ from a recount": "deltakelsestallene avviker fra en ny telling",
    "outcomes, long-period rates and the inside-an-enrollment rule would be wrong (a write bypassed SQLite's "
    "triggers, e.g. an INSERT OR REPLACE with sqlite3): 'kimu db recount' counts them again":
        "resultater, oppmøteandeler over lange perioder og regelen om oppmøte innenfor en deltakelse ville blitt "
        "feil (en skriving gikk utenom SQLites triggere, f.eks. INSERT OR REPLACE med sqlite3): 'kimu db recount' "
        "teller dem på nytt",
    "text longer than its limit": "tekst lengre enn grensen",
    "shorten it with sqlite3 (kimu has no command that edits a site)":
        "gjør den kortere med sqlite3 (kimu har ingen kommando som endrer et omsorgssenter)",
    "shorten it with 'kimu leader edit NAME --name ...'": "gjør den kortere med 'kimu leader edit NAVN --name ...'",
    "shorten it with 'kimu participant edit REF --<field> ...'":
        "gjør den kortere med 'kimu participant edit REF --<felt> ...'",
    "record the day again with a shorter note: 'kimu attendance record DATE REF --status ... --note ...'":
        "registrer dagen på nytt med et kortere notat: 'kimu attendance record DATO REF --status ... --note ...'",
    "'kimu transition remove ID', then add it again with a shorter text":
        "'kimu transition remove ID', og legg den inn igjen med en kortere tekst",
    "the file is damaged: copy it aside, then 'kimu db restore' the latest backup":
        "filen er skadet: kopier den til side, og bruk 'kimu db restore' med siste sikkerhetskopi",
    "a row breaks a rule of its table (e.g. a text longer than its limit, stored before kimu had limits): correct "
    "it as the other problems listed say":
        "en rad bryter en regel i tabellen (f.eks. en tekst lengre enn grensen, lagret før kimu hadde grenser): rett "
        "den slik de andre problemene i listen sier",
    "the audit log was changed behind kimu's back (its hash chain breaks at this row): compare with a backup "
    "('kimu db restore' one into another file with --db and run 'kimu audit' there)":
        "revisjonsloggen er endret utenom kimu (hash-kjeden brytes ved denne raden): sammenlign med en "
        "sikkerhetskopi ('kimu db restore' til en annen fil med --db og kjør 'kimu audit' der)",
    "the row points at a record that is gone; 'kimu db restore' a backup, or remove the row with sqlite3":
        "raden peker på en post som ikke finnes; bruk 'kimu db restore' med en sikkerhetskopi, eller fjern raden "
        "med sqlite3",
    "kimu must not hold national identity numbers: 'kimu db redact' masks every one found (the audit log's too)":
        "kimu skal ikke lagre fødselsnumre: 'kimu db redact' maskerer alle som finnes (også i revisjonsloggen)",
    ", or correct it with ": ", eller rett det med ",
    "kimu must not hold national identity numbers, and the audit log keeps this column as written (the row was "
    "written behind kimu's back): 'kimu db restore' a backup from before it":
        "kimu skal ikke lagre fødselsnumre, og revisjonsloggen holder denne kolonnen uendret (raden er skrevet "
        "utenom kimu): bruk 'kimu db restore' med en sikkerhetskopi fra før den",
}

MESSAGES = {
    # the command line: one line on stderr when something went wrong
    "internal_error": ("internal error: {kind}: {error} (set KIMU_DEBUG=1 for the traceback)",
                       "intern feil: {kind}: {error} (sett KIMU_DEBUG=1 for å se hele sporet)"),
    "database_refused": ("the database refused the change: {error}", "databasen avviste endringen: {error}"),
    "text_not_utf8": (("{text} is not UTF-8 text; set the terminal (or the file's --encoding) to what it "
                       "writes (nothing was changed)"),
                      ("{text} er ikke UTF-8-tekst; still terminalen (eller filens --encoding) til det den "
                       "skriver (ingenting ble endret)")),
    "output_not_written": ("the output could not be written ({error})", "utdata kunne ikke skrives ({error})"),
    "number_out_of_range": ("a number is out of range ({error})", "et tall er utenfor gyldig område ({error})"),
    "nothing_changed": ("{cause} (nothing was changed)", "{cause} (ingenting ble endret)"),
    "sqlite_full": ("the disk is full; free some space and try again", "disken er full; frigjør plass og prøv igjen"),
    "sqlite_locked": (("the database is busy: another kimu process (usually an import or a restore) held it for "
                      "more than 10 s; try again when it has finished"),
                      ("databasen er opptatt: en annen kimu-prosess (oftest en import eller gjenoppretting) holdt den "
                      "i mer enn 10 s; prøv igjen når den er ferdig")),
    "sqlite_readonly": ("the database file or its folder is read-only for you; check their permissions",
                        "databasefilen eller mappen er skrivebeskyttet for deg; sjekk tilgangene"),
    "sqlite_cannot_open": ("the database file cannot be opened; check the permissions of its folder",
                           "databasefilen kan ikke åpnes; sjekk tilgangene til mappen"),
    "sqlite_io": ("the disk could not be read or written (a disk error, or the folder was removed)",
                  "disken kunne ikke leses eller skrives (en diskfeil, eller mappen ble fjernet)"),
    "sqlite_other": ("database error: {error}", "databasefeil: {error}"),
    "db_created": ("created a new database at '{path}'", "opprettet en ny database i '{path}'"),
    "db_made_private": ("'{path}' could be read by others (mode {mode}); made it private (0600)",
                        "'{path}' kunne leses av andre (modus {mode}); gjorde den privat (0600)"),
    # parts of messages (labels.later)
    "csv_nul": ("a NUL byte (\\0): not a text file, or a damaged one",
                "en NUL-byte (\\0): ikke en tekstfil, eller en skadet en"),
    "csv_nul_utf16": (("a NUL byte (\\0): not a text file, or a damaged one (UTF-16 without a BOM? give --encoding "
                      "utf-16-le or utf-16-be)"),
                      ("en NUL-byte (\\0): ikke en tekstfil, eller en skadet en (UTF-16 uten BOM? oppgi --encoding "
                      "utf-16-le eller utf-16-be)")),
    "csv_give_encoding": ("give the right --encoding (e.g. cp1252 for Excel's default, utf-8)",
                          "oppgi riktig --encoding (f.eks. cp1252 for Excels standard, utf-8)"),
    "csv_byte_is": ("byte {shown} is", "byten {shown} er"),
    "csv_bytes_are": ("bytes {shown} are", "bytene {shown} er"),
    "csv_ends_inside": ("the file ends inside a {codec} character (is it cut short?)",
                        "filen slutter midt i et {codec}-tegn (er den avkortet?)"),
    "csv_mixes_encodings": (("{shown} not utf-8, but other text in the file is: it mixes encodings; correct the line, "
                            "or give --encoding"),
                            ("{shown} ikke utf-8, men annen tekst i filen er det: den blander tegnkodinger; rett "
                            "linjen, eller oppgi --encoding")),
    "csv_not_codec": ("{shown} not {codec}; give the right --encoding (e.g. cp1252 for Excel's default, utf-8)",
                      "{shown} ikke {codec}; oppgi riktig --encoding (f.eks. cp1252 for Excels standard, utf-8)"),
    "csv_neither": (("byte {byte} is neither utf-8 nor cp1252; give the right --encoding (e.g. cp1252 for Excel's "
                    "default, utf-8)"),
                    ("byten {byte} er verken utf-8 eller cp1252; oppgi riktig --encoding (f.eks. cp1252 for Excels "
                    "standard, utf-8)")),
    "csv_line_too_long": ("a line of more than {limit}: no row of a register is that long (is it the file you meant?)",
                          "en linje på mer enn {limit}: ingen rad i et register er så lang (er det riktig fil?)"),
    "csv_header_line": ("the header line", "overskriftslinjen"),
    "csv_header_nothing": ("nothing", "ingenting"),
    "csv_read_as": ("delimiter {delimiter}, encoding {encoding}", "skilletegn {delimiter}, tegnkoding {encoding}"),
    "csv_column_or": ("'{column}' (or {names})", "'{column}' (eller {names})"),
    "sheet_header_row": ("row {row} of sheet '{sheet}', taken as the header,",
                         "rad {row} i arket '{sheet}', tatt som overskriftsrad,"),
    "sheet_read_as": (("{fmt}; a title above the header is skipped when one row has every required column, or "
                       "give --header-row N"),
                      ("{fmt}; en tittel over overskriftsraden hoppes over når én rad har alle påkrevde kolonner, "
                       "ellers oppgi --header-row N")),
    "csv_line_too_long_text": (
        "a line of more than {count} characters: no row of a register is that long (is it the file you meant?)",
        "en linje på mer enn {count} tegn: ingen rad i et register er så lang (er det riktig fil?)"),
    "csv_cannot_read_as": (("the file cannot be read as {codec}; give the right --encoding (e.g. cp1252 for Excel's "
                            "default, utf-8)"),
                           ("filen kan ikke leses som {codec}; oppgi riktig --encoding (f.eks. cp1252 for Excels "
                            "standard, utf-8)")),
    "csv_field_too_long": ("a field is longer than {limit} characters (a quote \" left open?)",
                           "et felt er lengre enn {limit} tegn (et anførselstegn \" som ikke er lukket?)"),
    "restore_damaged": ("is damaged ({record})", "er skadet ({record})"),
    "restore_newer": ("was written by a newer kimu (schema {version}, this kimu knows {known}); upgrade kimu first",
                      "er skrevet av en nyere kimu (skjema {version}, denne kimu kjenner {known}); oppgrader kimu først"),
    "restore_no_version": ("no schema version", "ingen skjemaversjon"),
    "restore_unusable": ("is not a usable SQLite database ({error})", "er ikke en brukbar SQLite-database ({error})"),
    "restore_not_kimu": ("is not a kimu database ({differs})", "er ikke en kimu-database ({differs})"),
    "restore_fails_check": ("fails 'kimu db check' ({count} problem(s), first: {check}: {record})",
                            "består ikke 'kimu db check' ({count} problem(er), det første: {check}: {record})"),
    "db_not_sqlite": ("not an SQLite file", "ikke en SQLite-fil"),
    "db_other_program_id": ("another program's SQLite file, application id {application_id}",
                            "et annet programs SQLite-fil, application id {application_id}"),
    "db_other_program": ("another program's SQLite file", "et annet programs SQLite-fil"),
    "folder_not_a_folder": ("is not a folder", "er ikke en mappe"),
    "folder_missing": ("does not exist", "finnes ikke"),
    # confirmations
    "participant_added": ("Added {ref} with {leader} from {start} ({status})", "La til {ref} hos {leader} fra {start} ({status})"),
    "participant_updated": ("Updated {ref}", "Oppdaterte {ref}"),
    "participant_ended": ("Ended {ref} on {date} ({reason})", "Avsluttet {ref} {date} ({reason})"),
    "participant_reenrolled": ("Re-enrolled {ref} with {leader} from {start}", "Ny deltakelse for {ref} hos {leader} fra {start}"),
    "attendance_recorded": (("{date}{who}: {present} present, {absent} absent, {excused} excused "
                            "({added} added, {corrected} corrected, {unchanged} unchanged)"),
                            ("{date}{who}: {present} møtt, {absent} fravær, {excused} gyldig fravær "
                            "({added} nye, {corrected} rettet, {unchanged} uendret)")),
    "alerts_title": ("Who needs a call", "Hvem som trenger en samtale"),
    "alerts_today_title": ("Who needs a call today (kimu attendance alerts; 'kimu contact add' follows one up)",
                           ("Hvem som trenger en samtale i dag (kimu attendance alerts; 'kimu contact add' "
                           "følger en opp)")),
    "demo_done": ("\nDemo database: {path}\nTry: kimu --db {path} participant list",
                  "\nDemodatabase: {path}\nPrøv: kimu --db {path} participant list"),
    "demo_kept": ("the database that was in '{path}' is kept as '{kept}'",
                  "databasen som lå i '{path}' er tatt vare på som '{kept}'"),
    "problems_found": ("{count} problem(s) found", "{count} problem(er) funnet"),
    "check_ok": ("ok: integrity, foreign keys and domain rules", "ok: integritet, fremmednøkler og verdiregler"),
    "redact_nothing": ("Nothing to redact: no identity number found", "Ingenting å maskere: fant ingen fødselsnumre"),
    "redact_more": (" and {count} more", " og {count} til"),
    "redact_place": ("{table} {row} {column}", "{table} {row} {column}"),
    "redact_confirm": ("Mask {count} identity number(s) ({places})? This cannot be undone",
                       "Maskere {count} fødselsnummer ({places})? Dette kan ikke angres"),
    "redact_kept": (("{count} identity number(s) cannot be masked in place ({places}): written behind kimu's back "
                     "into a column the audit log keeps as written, or into a row that breaks a rule of its table; "
                     "'kimu db restore' a backup from before"),
                    ("{count} fødselsnummer kan ikke maskeres der de står ({places}): skrevet utenom kimu i en "
                     "kolonne revisjonsloggen holder uendret, eller i en rad som bryter en regel i tabellen; bruk "
                     "'kimu db restore' med en sikkerhetskopi fra før")),
    "redact_done": ("Masked {count} identity number(s): {places}; the audit log records where",
                    "Maskerte {count} fødselsnummer: {places}; revisjonsloggen viser hvor"),
    "recount_done": ("Counted again: the facts of {count} participant(s) were wrong ({named})",
                     "Talt på nytt: tallene for {count} deltaker(e) var feil ({named})"),
    "recount_nothing": ("Nothing to count again: the facts equal the tables",
                        "Ingenting å telle på nytt: tallene stemmer med tabellene"),
    "backup_done": ("Backed up to {backup} ({size} bytes)", "Sikkerhetskopi i {backup} ({size} byte)"),
    "restore_kept": ("; the replaced database is kept as {kept}", "; den erstattede databasen er tatt vare på som {kept}"),
    "restore_done": ("Restored {database} from {restored}{kept}", "Gjenopprettet {database} fra {restored}{kept}"),
    "export_done": ("Exported {count} {kind} row(s) to {output}", "Eksporterte {count} rader ({kind}) til {output}"),
    "import_progress": ("importing {name}", "importerer {name}"),
    "leader_added": ("Added leader {name} at {site} (yearly capacity {yearly}, max concurrent {concurrent})",
                     "La til arbeidsleder {name} ved {site} (kapasitet per år {yearly}, maks samtidig {concurrent})"),
    "leader_updated": ("Updated leader {name}", "Oppdaterte arbeidsleder {name}"),
    "leader_ended": ("Leader {name} ended on {date}", "Arbeidsleder {name} sluttet {date}"),
    "purge_dry_run": ("{count} participant(s) would be anonymised (dry run)",
                      "{count} deltaker(e) ville blitt anonymisert (prøvekjøring)"),
    "purge_nothing": ("Nothing to anonymise: no participant's follow-up ended before {date}",
                      "Ingenting å anonymisere: ingen deltakers oppfølging sluttet før {date}"),
    "purge_confirm": ("Anonymise {count} participant(s) whose follow-up ended before {date}? This cannot be undone",
                      "Anonymisere {count} deltaker(e) med oppfølging som sluttet før {date}? Dette kan ikke angres"),
    "purge_done": ("Anonymised {count} participant(s); their enrollments, attendance and transitions are kept",
                   "Anonymiserte {count} deltaker(e); deltakelser, oppmøte og overganger er beholdt"),
    "site_added": ("Added site {name}", "La til omsorgssenter {name}"),
    "transition_added": ("Added transition {id}: {ref} {kind} on {date}; {follow}",
                         "La til overgang {id}: {ref} {kind} {date}; {follow}"),
    "contact_added": ("Added contact {id}: {ref} {date} with {with_whom} by {how}",
                      "La til kontakt {id}: {ref} {date} med {with_whom}, {how}"),
    "contact_removed": ("Removed contact {id}: {ref} {date} with {with_whom} by {how}",
                        "Fjernet kontakt {id}: {ref} {date} med {with_whom}, {how}"),
    "contact_future": ("date: {day} is in the future; record a contact when it has happened",
                       "date: {day} er fram i tid; registrer en kontakt når den har skjedd"),
    "contact_before_first": ("date: {day} is before '{ref}' was first enrolled ({first})",
                             "date: {day} er før '{ref}' først ble registrert med en deltakelse ({first})"),
    "contact_never_enrolled": ("date: '{ref}' has never been enrolled", "date: '{ref}' har aldri hatt en deltakelse"),
    "contact_exists": ("with: '{ref}' already has a contact with {with_whom} by {how} on {date} (contact {id})",
                       "with: '{ref}' har allerede en kontakt med {with_whom}, {how}, {date} (kontakt {id})"),
    "contact_unknown": ("id: no contact {id} (see 'kimu contact list')",
                        "id: ingen kontakt {id} (se 'kimu contact list')"),
    "transition_removed": ("Removed transition {id}: {ref} {kind} on {date}",
                           "Fjernet overgang {id}: {ref} {kind} {date}"),
    "transition_ended_enrollment": ("enrollment ended (moved_on)", "deltakelsen er avsluttet (gått videre)"),
    "transition_follow_up_continues": ("follow-up continues", "oppfølgingen fortsetter"),
    # attendance alerts: the detail beside each alert
    "alert_detail_absences": ("{count} absences in a row since {since}", "{count} fraværsdager på rad fra {since}"),
    "alert_detail_low_rate": ("attendance {percent}% ({present} of {counted} days) since {since}",
                              "oppmøte {percent} % ({present} av {counted} dager) fra {since}"),
    "alert_detail_missing": ("no registration on {count} day(s) the leader registered others (last {last})",
                             "ikke registrert {count} dag(er) arbeidslederen registrerte andre (sist {last})"),
    "open_period": ("open", "åpen"),
    "no_periods": ("none", "ingen"),
    # import
    "import_inserted": ("{count} inserted", "{count} nye"),
    "import_updated": ("{count} updated", "{count} oppdatert"),
    "import_unchanged": ("{count} unchanged", "{count} uendret"),
    "import_skipped": ("{count} skipped", "{count} hoppet over"),
    "import_source_sheet": ("{kind}, {format}, sheet {sheet}, header in row {row}",
                            "{kind}, {format}, ark {sheet}, overskrift i rad {row}"),
    "import_source_csv": ("{kind}, {encoding}, delimiter {delimiter}", "{kind}, {encoding}, skilletegn {delimiter}"),
    "import_read": ("{file} ({source}): {rows} rows: {counts}", "{file} ({source}): {rows} rader: {counts}"),
    "import_sites_created": ("sites created: {names}", "omsorgssentre opprettet: {names}"),
    "import_sites_created_dry": ("sites would be created: {names}", "omsorgssentre som ville blitt opprettet: {names}"),
    "import_leaders_created": ("leaders created: {names}", "arbeidsledere opprettet: {names}"),
    "import_leaders_created_dry": ("leaders would be created: {names}",
                                   "arbeidsledere som ville blitt opprettet: {names}"),
    "import_columns_ignored": ("columns ignored: {names}", "kolonner som ikke ble brukt: {names}"),
    "import_dry_run": ("dry run: nothing was written", "prøvekjøring: ingenting ble skrevet"),
    "import_nothing_changed": ("nothing changed: the database already had every row",
                               "ingenting endret: databasen hadde allerede alle radene"),
    "import_no_rows": ("nothing changed: the file has no rows to import",
                       "ingenting endret: filen har ingen rader å importere"),
    "import_line": ("line {line}: {message}", "linje {line}: {message}"),
    "import_more_errors": ("... and {count} more", "... og {count} til"),
    "import_errors": ("{name}: {count} error(s), nothing was imported\n  {errors}",
                      "{name}: {count} feil, ingenting ble importert\n  {errors}"),
    "import_empty_cell": ("{header}: empty; every row needs a {column}", "{header}: tom; hver rad må ha {column}"),
    "column_ref": ("ref", "deltaker"),
    "column_leader": ("leader", "arbeidsleder"),
    "column_start_date": ("start date", "startdato"),
    "column_date": ("date", "dato"),
    "column_status": ("status", "oppmøte"),
    "column_kind": ("kind", "overgang"),
    "column_with": ("with whom", "med"),
    "column_how": ("how", "hvordan"),
    # errors of the core (KimuError keys)
    'attendance_day_future_attendance_recorded': (
        '{field}: {day} is in the future; attendance is recorded for days that have happened',
        '{field}: {day} er fram i tid; oppmøte registreres for dager som har vært'),
    'attendance_ref_enrolled_day_enrollments': (
        "ref: '{ref}' is not enrolled on {day} (enrollments: {span})",
        "ref: '{ref}' har ingen deltakelse {day} (deltakelser: {span})"),
    'attendance_value_between': (
        'hours: {value} is not between 0 and 24',
        'hours: {value} er ikke mellom 0 og 24'),
    'attendance_name_at_least_one': (
        'ref: name at least one participant, or give --leader to register the whole day',
        'ref: oppgi minst én deltaker, eller --leader for å registrere hele dagen'),
    'from_after_to': (
        'from: {start} is after to ({end})',
        'from: {start} er etter to ({end})'),
    'attendance_unknown_value_by_one': (
        "by: unknown value '{by}' (use one of: {_RATES_BY})",
        "by: ukjent verdi '{by}' (bruk en av: {_RATES_BY})"),
    'attendance_min_rate_between': (
        'min-rate: {min_rate} is not between 0 and 1',
        'min-rate: {min_rate} er ikke mellom 0 og 1'),
    'attendance_value_number': (
        "hours: '{value}' is not a number",
        "hours: '{value}' er ikke et tall"),
    'attendance_ref_given_twice_for': (
        "ref: '{ref}' is given twice for {day}",
        "ref: '{ref}' er oppgitt to ganger for {day}"),
    'attendance_leader_name_follows_nobody': (
        "leader: '{leader_name}' follows nobody on {day}",
        "leader: '{leader_name}' følger ingen {day}"),
    'attendance_days_at_most': (
        'days: at most {most} days, got {days}',
        'days: høyst {most} dager, fikk {days}'),
    'at_least_one': (
        '{field}: must be at least 1, got {value}',
        '{field}: må være minst 1, fikk {value}'),
    'attendance_ref_followed_by_leader': (
        "ref: '{ref}' is not followed by {leader_name} on {day}",
        "ref: '{ref}' følges ikke av {leader_name} {day}"),
    'backup_src_why_nothing_was': (
        "restore: '{src}' {why}; nothing was changed",
        "restore: '{src}' {why}; ingenting ble endret"),
    'backup_not_stdout': (
        "backup: a backup is written to a file, never to standard output ('-'); give a file or a folder",
        "backup: en sikkerhetskopi skrives til en fil, aldri til standard ut ('-'); oppgi en fil eller en mappe"),
    'backup_target_directory_file': (
        "database: '{target}' is a directory, not a file",
        "database: '{target}' er en mappe, ikke en fil"),
    'backup_src_database': (
        "restore: '{src}' is the database in use",
        "restore: '{src}' er databasen som er i bruk"),
    'backup_src_file': (
        "restore: '{src}' is not a file",
        "restore: '{src}' er ikke en fil"),
    'backup_dest_already_exists_choose': (
        "backup: '{dest}' already exists; choose another name or add --overwrite",
        "backup: '{dest}' finnes allerede; velg et annet navn eller legg til --overwrite"),
    'backup_cannot_read_src_e': (
        "restore: cannot read '{src}' ({e}); nothing was changed",
        "restore: kan ikke lese '{src}' ({e}); ingenting ble endret"),
    'backup_file_page_size_differs': (
        "restore: the file's page size differs from the database's; nothing was changed",
        'restore: filens sidestørrelse er ulik databasens; ingenting ble endret'),
    'backup_cannot_create_folder_dest': (
        "backup: cannot create folder '{dest}': {strerror}",
        "backup: kan ikke opprette mappen '{dest}': {strerror}"),
    'backup_src_usable_sqlite_database': (
        "restore: '{src}' is not a usable SQLite database ({e}); nothing was changed",
        "restore: '{src}' er ikke en brukbar SQLite-database ({e}); ingenting ble endret"),
    'backup_src_usable_sqlite_database_2': (
        "restore: '{src}' is not a usable SQLite database (not an SQLite file); nothing was changed",
        "restore: '{src}' er ikke en brukbar SQLite-database (ikke en SQLite-fil); ingenting ble endret"),
    'capacity_description_conn_force_overrides': (
        'capacity: {description}; {conn}; --force overrides',
        'kapasitet: {description}; {conn}; --force overstyrer'),
    'capacity_year_plausible_year': (
        'year: {year} is not a plausible year',
        'year: {year} er ikke et sannsynlig år'),
    'capacity_count_leader_over_capacity': (
        'capacity: {count} leader(s) over capacity: {over}',
        'kapasitet: {count} arbeidsleder(e) over kapasitet: {over}'),
    'db_count_identity_number_found': (
        'redact: {count} identity number(s) found ({places}); not on a terminal, so add --yes to mask them',
        'redact: {count} fødselsnummer funnet ({places}); ikke en terminal, så legg til --yes for å maskere dem'),
    'demo_path_already_holds_data': (
        "database: '{path}' already holds data; --replace puts the demo there and keeps this database beside it",
        "database: '{path}' har allerede data; --replace legger demoen der og tar vare på denne databasen ved siden av"),
    'purge_count_participant_would_be': (
        'purge: {count} participant(s) would be anonymised; not on a terminal, so add --yes to confirm (or --dry-run to see who)',
        'purge: {count} deltaker(e) ville blitt anonymisert; ikke en terminal, så legg til --yes for å bekrefte (eller --dry-run for å se hvem)'),
    'csvfiles_unknown_encoding_name_utf': (
        "--encoding: unknown encoding '{name}' (use utf-8, utf-8-sig, cp1252 or utf-16)",
        "--encoding: ukjent tegnkoding '{name}' (bruk utf-8, utf-8-sig, cp1252 eller utf-16)"),
    'csvfiles_line_line_what': (
        '{name}: line {line}: {what}',
        '{name}: linje {line}: {what}'),
    'csvfiles_line_line_quoted_field': (
        '{name}: line {line}: a quoted field ("...) is not closed before the file ends; is the file cut short?',
        '{name}: linje {line}: et felt i anførselstegn ("...) er ikke lukket før filen slutter; er filen avkortet?'),
    'csvfiles_delimiter_one_tab': (
        "--delimiter: '{delimiter}' is not one of ';', ',', 'tab'",
        "--delimiter: '{delimiter}' er ikke en av ';', ',', 'tab'"),
    'csvfiles_line_skipped_header_has': (
        '{name}: line {skipped}: the header has {count:,} cells, more than a spreadsheet has ({MAX_COLUMNS:,}); is it the right file and delimiter?',
        '{name}: linje {skipped}: overskriften har {count:,} celler, flere enn et regneark har ({MAX_COLUMNS:,}); er det riktig fil og skilletegn?'),
    'cannot_read_file': (
        '{path}: cannot read the file ({strerror})',
        '{path}: kan ikke lese filen ({strerror})'),
    'csvfiles_missing_column_wanted_header': (
        '{name}: missing column {wanted}; {header_place} has {found} ({described})',
        '{name}: kolonnen {wanted} mangler; {header_place} har {found} ({described})'),
    'csvfiles_line_start_e_encoding': (
        '{name}: line {start}: {e} not {encoding}; {_GIVE}',
        '{name}: linje {start}: {e} ikke {encoding}; {_GIVE}'),
    'csvfiles_header_chosen_give': (
        '{name}: the header is not {chosen}; {_GIVE}',
        '{name}: overskriften er ikke {chosen}; {_GIVE}'),
    'csvfiles_columns_first_second_both': (
        "{name}: columns '{first}' and '{second}' both mean '{column}'; keep one",
        "{name}: kolonnene '{first}' og '{second}' betyr begge '{column}'; behold én"),
    'dates_value_date': (
        "{field}: '{value}' is not a date (use 2026-11-20 or 20.11.2026)",
        "{field}: '{value}' er ikke en dato (bruk 20.11.2026 eller 2026-11-20)"),
    'dates_value_date_calendar': (
        "{field}: '{value}' is not a date in the calendar",
        "{field}: '{value}' er ikke en dato i kalenderen"),
    'db_path_kimu_database_why': (
        "database: '{path}' is not a kimu database ({why}); the file was not changed",
        "database: '{path}' er ikke en kimu-database ({why}); filen ble ikke endret"),
    'db_path_empty': ("database: --db is empty; give the file (or leave --db out for KIMU_DB or the default file)",
                      "database: --db er tom; oppgi filen (eller utelat --db for KIMU_DB eller standardfilen)"),
    'db_path_names_folder': (
        "database: '{path}' names a folder (it ends in '/'); give the file in it, e.g. '{path}kimu.db'",
        "database: '{path}' er navnet på en mappe (slutter på '/'); oppgi filen i den, f.eks. '{path}kimu.db'"),
    'db_path_directory_file': (
        "database: '{path}' is a directory, not a file",
        "database: '{path}' er en mappe, ikke en fil"),
    'db_path_regular_file_device': (
        "database: '{path}' is not a regular file (a device, FIFO or socket)",
        "database: '{path}' er ikke en vanlig fil (en enhet, FIFO eller socket)"),
    'db_path_empty_file_kimu': (
        "database: '{path}' is an empty file, not a kimu database; create one with 'kimu db init'",
        "database: '{path}' er en tom fil, ikke en kimu-database; opprett en med 'kimu db init'"),
    'db_path_was_written_by': (
        "database: '{path}' was written by a newer version of kimu (schema {version}, this kimu knows {count}); upgrade kimu, the file was not changed",
        "database: '{path}' er skrevet av en nyere kimu (skjema {version}, denne kimu kjenner {count}); oppgrader kimu, filen ble ikke endret"),
    'db_path_has_no_kimu': (
        "database: '{path}' has no kimu tables yet; create the database with 'kimu db init'",
        "database: '{path}' har ingen kimu-tabeller ennå; opprett databasen med 'kimu db init'"),
    'db_cannot_open_path_strerror': (
        "database: cannot open '{path}': {strerror}",
        "database: kan ikke åpne '{path}': {strerror}"),
    'db_cannot_open_path_e': (
        "database: cannot open '{path}' ({e})",
        "database: kan ikke åpne '{path}' ({e})"),
    'db_cannot_read_path_e': (
        "database: cannot read '{path}' ({e})",
        "database: kan ikke lese '{path}' ({e})"),
    'db_path_does_exist_create': (
        "database: '{path}' does not exist; create one with 'kimu db init' (or check --db / KIMU_DB)",
        "database: '{path}' finnes ikke; opprett en med 'kimu db init' (eller sjekk --db / KIMU_DB)"),
    'db_cannot_make_file_private': (
        "database: cannot make '{file}' private: {strerror}",
        "database: kan ikke gjøre '{file}' privat: {strerror}"),
    'db_cannot_create_path_strerror': (
        "database: cannot create '{path}': {strerror}",
        "database: kan ikke opprette '{path}': {strerror}"),
    'exporter_unknown_value_kind_one': (
        "kind: unknown value '{kind}' (use one of: {KINDS})",
        "kind: ukjent verdi '{kind}' (bruk en av: {KINDS})"),
    'exporter_kind_have_no_dates': (
        '--from/--to: {kind} have no dates to filter on',
        '--from/--to: {kind} har ingen datoer å filtrere på'),
    'exporter_unknown_value_fmt_one': (
        "format: unknown value '{fmt}' (use one of: {FORMATS})",
        "format: ukjent verdi '{fmt}' (bruk en av: {FORMATS})"),
    'exporter_xlsx_binary_file_give': (
        'format: xlsx is a binary file; give --output FILE.xlsx',
        'format: xlsx er en binærfil; oppgi --output FIL.xlsx'),
    'fields_count_characters_at_most': (
        '{label}: {count} characters, at most {most}',
        '{label}: {count} tegn, høyst {most}'),
    'fields_control_character_u_value': (
        '{label}: control character U+{value1:04X} at character {value2}; only tab and line breaks are allowed in a text',
        '{label}: kontrolltegnet U+{value1:04X} ved tegn {value2}; bare tabulator og linjeskift er lov i en tekst'),
    'idnumber_text_looks_like_national': (
        "{field}: '{text}' looks like a national identity number (fødselsnummer/D-number); kimu does not store identity numbers",
        "{field}: '{text}' ser ut som et fødselsnummer (eller D-nummer); kimu lagrer ikke fødselsnumre"),
    'importer_regular_file_folder_fifo': (
        '{path}: not a regular file (a folder, FIFO or device); give the file to import',
        '{path}: ikke en vanlig fil (en mappe, FIFO eller enhet); oppgi filen som skal importeres'),
    'importer_name_workbook_fmt_option': (
        '{option}: {name} is a workbook ({fmt}); {option} is for CSV files',
        '{option}: {name} er en arbeidsbok ({fmt}); {option} gjelder CSV-filer'),
    'importer_header_row_row_number': (
        '--header-row: {header_row} is not a row number (1 is the first row)',
        '--header-row: {header_row} er ikke et radnummer (1 er første rad)'),
    'importer_unknown_leader_name_give': (
        "leader: unknown leader '{name}'; give their site in a site column to create them",
        "leader: ukjent arbeidsleder '{name}'; oppgi omsorgssenteret i en site-kolonne for å opprette arbeidslederen"),
    'importer_period_ref_from_start': (
        "leader: the period of '{ref}' from {start_date} is not the latest; only the latest period's leader can be corrected",
        "leader: perioden til '{ref}' fra {start_date} er ikke den siste; bare arbeidslederen i siste periode kan rettes"),
    'importer_name_workbook_xlsx_ods': (
        '{option}: {name} is not a workbook (.xlsx, .ods, .xls) but a text file, read as CSV',
        '{option}: {name} er ikke en arbeidsbok (.xlsx, .ods, .xls), men en tekstfil, lest som CSV'),
    'importer_leader_name_works_at': (
        "site: leader '{name}' works at '{site}', not '{site2}'",
        "site: arbeidsleder '{name}' arbeider ved '{site}', ikke '{site2}'"),
    'importer_period_row_missing_run': (
        "enrollment facts: a period's row is missing; run `kimu db recount`, then import again",
        'deltakelsestall: raden for en periode mangler; kjør `kimu db recount`, og importer på nytt'),
    'importer_day_inside_enrollment_attendance': (
        'date: {day} is not inside an enrollment (attendance must fall inside one)',
        'date: {day} er ikke innenfor en deltakelse (oppmøte må ligge innenfor en)'),
    'leaders_leader_needs_name': (
        'name: a leader needs a name',
        'name: en arbeidsleder må ha et navn'),
    'leaders_leader_name_already_exists': (
        "name: leader '{name}' already exists",
        "name: arbeidsleder '{name}' finnes allerede"),
    'leaders_give_at_least_one': (
        "nothing to change: give at least one option (see 'kimu leader edit --help')",
        "ingenting å endre: oppgi minst ett valg (se 'kimu leader edit --help')"),
    'leaders_ended_before_leader_started': (
        'date: {ended} is before the leader started ({started})',
        'date: {ended} er før arbeidslederen begynte ({started})'),
    'leaders_name_still_follows_still': (
        "leader: '{name}' still follows {still} participant(s) after {ended}; end them or move them to another leader first",
        "leader: '{name}' følger fortsatt {still} deltaker(e) etter {ended}; avslutt dem eller flytt dem til en annen arbeidsleder først"),
    'leaders_new_name_empty_already': (
        "name: '{new_name}' is empty or already used by another leader",
        "name: '{new_name}' er tomt eller brukes allerede av en annen arbeidsleder"),
    'outcomes_unknown_value_by_one': (
        "by: unknown value '{by}' (use one of: {GROUPINGS})",
        "by: ukjent verdi '{by}' (bruk en av: {GROUPINGS})"),
    'outcomes_must_be_negative_got': (
        '{field}: must not be negative, got {value}',
        '{field}: kan ikke være negativ, fikk {value}'),
    'outputs_path_folder_give_file': (
        "{what}: '{path}' is a folder; give a file name",
        "{what}: '{path}' er en mappe; oppgi et filnavn"),
    'outputs_path_names_folder': (
        "{what}: '{path}' ends in '/', so it names a folder; give a file name",
        "{what}: '{path}' slutter på '/', så den viser til en mappe; oppgi et filnavn"),
    'outputs_folder_parent_missing': (
        "{what}: folder '{parent}' {missing}",
        "{what}: mappen '{parent}' {missing}"),
    'outputs_path_database_one_its': (
        "{what}: '{path}' is the database in use (or one of its files); choose another name",
        "{what}: '{path}' er databasen som er i bruk (eller en av filene dens); velg et annet navn"),
    'outputs_cannot_path_strerror': (
        "{what}: cannot use '{path}': {strerror}",
        "{what}: kan ikke bruke '{path}': {strerror}"),
    'outputs_path_symbolic_link_kimu': (
        "{what}: '{path}' is a symbolic link; kimu does not write through links (give the file's real path)",
        "{what}: '{path}' er en symbolsk lenke; kimu skriver ikke gjennom lenker (oppgi filens egentlige sti)"),
    'outputs_path_regular_file_device': (
        "{what}: '{path}' is not a regular file (a device, FIFO or socket); kimu writes only ordinary files",
        "{what}: '{path}' er ikke en vanlig fil (en enhet, FIFO eller socket); kimu skriver bare vanlige filer"),
    'outputs_cannot_write_path_e': (
        "{what}: cannot write '{path}': {e}",
        "{what}: kan ikke skrive '{path}': {e}"),
    'outputs_cannot_write_path_e_2': (
        "{what}: cannot write '{path}': {e}; the old file (if any) is unchanged",
        "{what}: kan ikke skrive '{path}': {e}; den gamle filen (om noen) er uendret"),
    'participants_year_plausible_birth_year': (
        '{field}: {year} is not a plausible birth year',
        '{field}: {year} er ikke et sannsynlig fødselsår'),
    'participants_participant_needs_reference': (
        'ref: a participant needs a reference',
        'ref: en deltaker må ha en referanse'),
    'participants_name_ended_ended_before': (
        "leader: '{name}' ended on {ended}, before {start}",
        "leader: '{name}' sluttet {ended}, før {start}"),
    'participants_name_starts_started_after': (
        "leader: '{name}' starts on {started}, after {start}",
        "leader: '{name}' begynner {started}, etter {start}"),
    'participants_participant_ref_already_exists': (
        "ref: participant '{ref}' already exists (use 'kimu participant reenroll' for a new period)",
        "ref: deltaker '{ref}' finnes allerede (bruk 'kimu participant reenroll' for en ny periode)"),
    'participants_ref_still_enrolled_since': (
        "ref: '{ref}' is still enrolled since {start_date}; end that period first",
        "ref: '{ref}' har fortsatt en deltakelse fra {start_date}; avslutt den perioden først"),
    'participants_start_after_last_period': (
        "start: {start} is not after the last period's end ({end_date})",
        'start: {start} er ikke etter slutten av forrige periode ({end_date})'),
    'participants_ref_has_no_open': (
        "ref: '{ref}' has no open enrollment",
        "ref: '{ref}' har ingen åpen deltakelse"),
    'participants_end_end_date_before': (
        'date: end {end_date} is before the start of the enrollment ({start_date})',
        'date: slutt {end_date} er før starten på deltakelsen ({start_date})'),
    'participants_ref_has_attendance_value': (
        "date: '{ref}' has attendance on {value1} day(s) after {end_date} (last {value3}); end on or after that day, or correct the attendance first",
        "date: '{ref}' har oppmøte på {value1} dag(er) etter {end_date} (siste {value3}); avslutt den dagen eller senere, eller rett oppmøtet først"),
    'participants_give_at_least_one': (
        "nothing to change: give at least one option (see 'kimu participant edit --help')",
        "ingenting å endre: oppgi minst ett valg (se 'kimu participant edit --help')"),
    'participants_unknown_value_status_one': (
        "status: unknown value '{status}' (use one of: {STATUSES})",
        "status: ukjent verdi '{status}' (bruk en av: {STATUSES})"),
    'participants_value_year': (
        "{field}: '{value}' is not a year",
        "{field}: '{value}' er ikke et årstall"),
    'participants_new_ref_already_used': (
        "ref: '{new_ref}' is already used by another participant",
        "ref: '{new_ref}' brukes allerede av en annen deltaker"),
    'participants_start_date_after_period': (
        "start: {start_date} is after the period's end ({end_date})",
        'start: {start_date} er etter slutten av perioden ({end_date})'),
    'participants_ref_has_no_period': (
        "'{ref}' has no period to correct (written behind kimu's back?); 'kimu db check' says more",
        "'{ref}' har ingen periode å rette (skrevet utenom kimu?); 'kimu db check' sier mer"),
    'participants_ref_has_attendance_early': (
        "start: '{ref}' has attendance on {early} day(s) before {start_date}",
        "start: '{ref}' har oppmøte på {early} dag(er) før {start_date}"),
    'purge_another_participant_already_has': (
        "purge: another participant already has the ref '{ref}'; give them another one with 'kimu participant edit {ref} --ref ...' and purge again; nothing was changed",
        "purge: en annen deltaker har allerede ref '{ref}'; gi den en annen med 'kimu participant edit {ref} --ref ...' og slett på nytt; ingenting ble endret"),
    'schema_table_table_as_kimu': (
        'database: table {table} is not as kimu created it; the file was not changed',
        'database: tabellen {table} er ikke slik kimu opprettet den; filen ble ikke endret'),
    'schema_this_sqlite_does_let': (
        'database: this SQLite does not let kimu add the text limits ({e}); the file was not changed',
        'database: denne SQLite-versjonen lar ikke kimu legge inn tekstgrensene ({e}); filen ble ikke endret'),
    'schema_text_limits_table_were': (
        'database: the text limits of {table} were not written; the file was not changed',
        'database: tekstgrensene for {table} ble ikke skrevet; filen ble ikke endret'),
    'sites_site_needs_name': (
        'name: a site needs a name',
        'name: et omsorgssenter må ha et navn'),
    'sites_site_name_already_exists': (
        "name: site '{name}' already exists",
        "name: omsorgssenteret '{name}' finnes allerede"),
    'spreadsheets_workbook_unpacks_unpacked_mib': (
        '{name}: the workbook unpacks to {unpacked:,} MiB, more than kimu reads ({MAX_UNPACKED:,} MiB); save the sheet as CSV and import that',
        '{name}: arbeidsboken pakkes ut til {unpacked:,} MiB, mer enn kimu leser ({MAX_UNPACKED:,} MiB); lagre arket som CSV og importer det'),
    'spreadsheets_workbook_has_no_sheets': (
        '{filename}: the workbook has no sheets',
        '{filename}: arbeidsboken har ingen ark'),
    'spreadsheets_filename_has_no_sheet': (
        "--sheet: {filename} has no sheet '{wanted}'; its sheets: {names}",
        "--sheet: {filename} har ikke arket '{wanted}'; arkene er: {names}"),
    'spreadsheets_sheet_sheet_has_no': (
        "sheet '{sheet}' has no part in the workbook",
        "arket '{sheet}' har ingen del i arbeidsboken"),
    'spreadsheets_starts_as_zip_file': (
        '{name}: starts as a zip file (.xlsx, .ods) but cannot be read as one ({e}); is it cut short?',
        '{name}: begynner som en zip-fil (.xlsx, .ods), men kan ikke leses som en ({e}); er filen avkortet?'),
    'spreadsheets_reading_workbooks_needs_python': (
        'reading workbooks needs python-calamine (pip install python-calamine); or save the sheet as CSV',
        'for å lese arbeidsbøker trengs python-calamine (pip install python-calamine); eller lagre arket som CSV'),
    'spreadsheets_sheet_name_empty': (
        "{name}: sheet '{name2}' is empty",
        "{name}: arket '{name2}' er tomt"),
    'spreadsheets_sheet_sheet_name_ends': (
        "--header-row: sheet '{sheet}' of {name} ends at row {_last}",
        "--header-row: arket '{sheet}' i {name} slutter på rad {_last}"),
    'spreadsheets_sheet_sheet_has_no_2': (
        "{name}: sheet '{sheet}' has no text",
        "{name}: arket '{sheet}' har ingen tekst"),
    'spreadsheets_rows_rows_sheet_sheet': (
        "{name}: rows {rows} of sheet '{sheet}' both look like the header; give --header-row N",
        "{name}: radene {rows} i arket '{sheet}' ser begge ut som overskriften; oppgi --header-row N"),
    'spreadsheets_workbook_cannot_be_read': (
        '{name}: the workbook cannot be read through ({e})',
        '{name}: arbeidsboken kan ikke leses helt ({e})'),
    'spreadsheets_cell_what_file_does': (
        'a cell {what}, and the file does not say which; open the workbook in a spreadsheet program, save it, and import it again',
        'en celle {what}, og filen sier ikke hvilken; åpne arbeidsboken i et regnearkprogram, lagre den og importer på nytt'),
    'spreadsheets_workbook_protected_by_password': (
        '{name}: the workbook is protected by a password; save a copy without one and import that',
        '{name}: arbeidsboken er beskyttet med passord; lagre en kopi uten og importer den'),
    'spreadsheets_readable_fmt_workbook_e': (
        '{name}: not a readable {fmt} workbook ({e})',
        '{name}: ikke en lesbar {fmt}-arbeidsbok ({e})'),
    'spreadsheets_value_cell_cannot_be': (
        '{name}: {value1}: a cell cannot be read ({e})',
        '{name}: {value1}: en celle kan ikke leses ({e})'),
    'spreadsheets_sheet_name_cannot_be': (
        "{name}: sheet '{name2}' cannot be read ({e})",
        "{name}: arket '{name2}' kan ikke leses ({e})"),
    'spreadsheets_zip_file_but_workbook': (
        '{name}: a zip file, but not a workbook (.xlsx, .ods); import a sheet saved as .xlsx, .ods or CSV',
        '{name}: en zip-fil, men ikke en arbeidsbok (.xlsx, .ods); importer et ark lagret som .xlsx, .ods eller CSV'),
    'spreadsheets_row_wanted_sheet_sheet': (
        "--header-row: row {wanted} of sheet '{sheet}' is empty",
        "--header-row: rad {wanted} i arket '{sheet}' er tom"),
    'transitions_day_future_record_transition': (
        'date: {day} is in the future; record a transition when it has happened',
        'date: {day} er fram i tid; registrer en overgang når den har skjedd'),
    'transitions_day_before_ref_was': (
        "date: {day} is before '{ref}' was first enrolled ({first})",
        "date: {day} er før '{ref}' første gang fikk en deltakelse ({first})"),
    'transitions_ref_already_has_kind': (
        "kind: '{ref}' already has {kind} on {date} (transition {id})",
        "kind: '{ref}' har allerede {kind} {date} (overgang {id})"),
    'transitions_kind_milestone_ref_has': (
        "end: {kind} is a milestone and '{ref}' has no move to education or work; record the move, or end the enrollment with 'kimu participant end'",
        "end: {kind} er en milepæl, og '{ref}' har ingen overgang til utdanning eller arbeid; registrer overgangen, eller avslutt deltakelsen med 'kimu participant end'"),
    'transitions_no_transition_transition_id': (
        "id: no transition {transition_id} (see 'kimu transition list')",
        "id: ingen overgang {transition_id} (se 'kimu transition list')"),
    'vocab_unknown_value_value_one': (
        "{field}: unknown value '{value}' (use one of: {allowed})",
        "{field}: ukjent verdi '{value}' (bruk en av: {allowed})"),
    'weekly_text_iso_week_w': (
        "week: '{text}' is not an ISO week (use 2026-W47)",
        "week: '{text}' er ikke en ISO-uke (bruk 2026-W47)"),
    'weekly_year_has_no_week': (
        'week: {year} has no week {number} (it has {year2} weeks)',
        'week: {year} har ingen uke {number} (året har {year2} uker)'),
    'xlsx_sheet_holds_at_most': (
        'xlsx: a sheet holds at most {MAX_ROWS:,} rows; use csv, or --from/--to',
        'xlsx: et ark rommer høyst {MAX_ROWS:,} rader; bruk csv, eller --from/--to'),
    "lang_unknown": ("lang: unknown language '{value}' (use en or nb)",
                     "lang: ukjent språk '{value}' (bruk en eller nb)"),
}
