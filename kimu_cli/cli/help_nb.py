"""Every --help text of kimu in bokmål: English (as written in the commands) -> bokmål.
tests/test_language.py checks that every command's and option's help text is here (a new option
without its bokmål text fails the test)."""

from kimu_cli.cli import examples as _examples

HELP = {
    "kimu: the register, attendance, transitions and reports of NAV's arbeidsleder model.":
        'kimu: registeret, oppmøtet, overgangene og rapportene i NAVs arbeidsledermodell.',
    "Database file (default: KIMU_DB, else the user's data directory).":
        'Databasefil (standard: KIMU_DB, ellers brukerens datamappe).',
    'Language of everything kimu prints for people: en or nb (default: KIMU_LANG, else the locale, else en); csv and json keep English keys.':
        'Språket i alt kimu skriver for mennesker: en eller nb (standard: KIMU_LANG, ellers språket i locale, ellers en); csv og json beholder engelske nøkler.',
    'Attendance (oppmøte/fravær): record the day, list it, rates and who needs a call.':
        'Oppmøte og fravær: registrer dagen, vis den, oppmøteandeler og hvem som trenger en samtale.',
    'Who needs a call now: absences in a row, a low rate, missing registrations.':
        'Hvem som trenger en samtale nå: fravær flere dager på rad, lavt oppmøte, manglende registreringer.',
    'The day to look from [default: today].':
        'Dagen det ses fra [standard: i dag].',
    'Absences in a row, excused days not counted [default: 3].':
        'Fraværsdager på rad, gyldig fravær ikke medregnet [standard: 3].',
    'Lowest acceptable attendance rate (0-1) over --days [default: 0.8].':
        'Laveste godtatte oppmøteandel (0–1) over --days [standard: 0,8].',
    'The window for the rate and missing registrations, in days (at most 366) [default: 14].':
        'Tidsrommet for oppmøteandelen og manglende registreringer, i dager (høyst 366) [standard: 14].',
    'Days without registration while the leader registered others [default: 1].':
        'Dager uten registrering mens arbeidslederen registrerte andre [standard: 1].',
    'Only this leader (or the start of a name).':
        'Bare denne arbeidslederen (eller starten på et navn).',
    'Only this site.':
        'Bare dette omsorgssenteret.',
    'Exit 3 when anyone is on the list (for cron).':
        'Avslutt med kode 3 når noen står på listen (for cron).',
    'table for people, csv or json for scripts.':
        'table for mennesker, csv eller json for skript.',
    'Attendance day by day (default: the last 28 days).':
        'Oppmøte dag for dag (standard: de siste 28 dagene).',
    'First day [default: 28 days before --to].':
        'Første dag [standard: 28 dager før --to].',
    'Last day [default: today].':
        'Siste dag [standard: i dag].',
    'Only this participant.':
        'Bare denne deltakeren.',
    'Attendance rate = present / (present + absent); excused days do not count against anyone.':
        'Oppmøteandel = møtt / (møtt + fravær); gyldig fravær teller ikke mot noen.',
    'One row per participant, leader or site.':
        'Én rad per deltaker, arbeidsleder eller omsorgssenter.',
    'Record a day. With --leader, everyone else that leader follows that day is marked present:\n\n\x08\nkimu attendance record 20.11.2026 -l kari -a D-2026-014,D-2026-020 -e D-2026-003\n\nRecording a day again corrects it (the old values stay in the audit log).':
        'Registrer en dag. Med --leader blir alle andre som arbeidslederen følger den dagen, registrert som møtt:\n\n\x08\nkimu attendance record 20.11.2026 -l kari -a D-2026-014,D-2026-020 -e D-2026-003\n\nÅ registrere en dag på nytt retter den (de gamle verdiene blir stående i revisjonsloggen).',
    'The day, 2026-11-20 or 20.11.2026.':
        'Dagen, 20.11.2026 eller 2026-11-20.',
    'Participants given --status.':
        'Deltakere som får --status.',
    'For the REFS: present, absent, excused (or møtt, fravær, gyldig fravær).':
        'For deltakerne: present, absent, excused (eller møtt, fravær, gyldig fravær).',
    'The whole day of this leader (or the start of a name): everyone not named is present.':
        'Hele dagen til denne arbeidslederen (eller starten på et navn): alle som ikke er nevnt, har møtt.',
    'Absent refs (A,B).':
        'Deltakere med fravær (A,B).',
    'Excused refs (A,B).':
        'Deltakere med gyldig fravær (A,B).',
    'Hours worked, 7.5 or 7,5 (for everyone recorded).':
        'Arbeidstimer, 7,5 eller 7.5 (for alle som registreres).',
    'Short note (for everyone recorded).':
        'Kort notat (for alle som registreres).',
    'Who changed what, when and with which command (read-only: the log cannot be edited).':
        'Hvem som endret hva, når og med hvilken kommando (bare lesing: loggen kan ikke endres).',
    'Only changes from this date, UTC (2026-11-20 or 20.11.2026).':
        'Bare endringer fra denne datoen, UTC (20.11.2026 eller 2026-11-20).',
    'Only changes to this participant (under any ref they had).':
        'Bare endringer for denne deltakeren (under alle referanser den har hatt).',
    'Only the last N changes.':
        'Bare de siste N endringene.',
    'Per leader: participants followed in the year against the yearly capacity, and active\non the day against max concurrent, with the room left. Leaders over a limit stand out.':
        'Per arbeidsleder: deltakere fulgt i året mot kapasiteten per år, og aktive\npå dagen mot maks samtidig, med ledig plass. Arbeidsledere over en grense utheves.',
    'The year counted [default: the year of --on].':
        'Året som telles [standard: året for --on].',
    "The day for 'active now' [default: today].":
        'Dagen for «aktive nå» [standard: i dag].',
    'table, text (plain, for mail), csv, json or markdown.':
        'table, text (ren tekst, for e-post), csv, json eller markdown.',
    'Exit 3 when a leader is over capacity (for cron).':
        'Avslutt med kode 3 når en arbeidsleder er over kapasitet (for cron).',
    "Show counts 1..N-1 as '<N', hide ('x') what would give them back, leave out rates and costs resting on them and rows about single participants.":
        'Vis tall 1..N-1 som «<N», skjul («x») det som ville avslørt dem, og utelat andeler og kostnader bygd på dem og rader om enkeltdeltakere.',
    'The database file: where it is, whether it is sound, recounts, backups and restores.':
        'Databasefilen: hvor den er, om den er i orden, omtelling, sikkerhetskopier og gjenoppretting.',
    'A consistent copy of the database (safe while others write), readable by you only.':
        'En konsistent kopi av databasen (trygt mens andre skriver), som bare du kan lese.',
    'Backup file, or a folder for kimu-<time>.db inside it (one ending in / is created if new).':
        'Sikkerhetskopifil, eller en mappe for kimu-<tid>.db (en som slutter på / opprettes om den er ny).',
    'Replace an existing backup file.':
        'Erstatt en eksisterende sikkerhetskopi.',
    'Integrity, foreign keys and the domain rules; exit 3 when a problem is found.':
        'Integritet, fremmednøkler og verdireglene; avslutter med kode 3 når et problem blir funnet.',
    'Create an empty database (mode 0600 in a 0700 folder) and print its path; an existing kimu\ndatabase is left as it is (upgraded if older).':
        'Opprett en tom database (modus 0600 i en 0700-mappe) og skriv ut stien; en eksisterende kimu-\ndatabase blir stående som den er (oppgradert om den er eldre).',
    "Print the database file in use (--db > KIMU_DB > the user's data directory).":
        'Skriv ut databasefilen som brukes (--db > KIMU_DB > brukerens datamappe).',
    "Count the reports' pre-counted facts again from the tables (when 'db check' says they differ).":
        "Tell rapportenes forhåndstalte tall på nytt fra tabellene (når 'db check' sier at de avviker).",
    "Mask every national identity number found in the file (its digits become •), in every table\nand in the audit log, after 'db check' found one that got in behind kimu's back.\n\nExample: kimu db check; kimu db redact --yes":
        "Masker alle fødselsnumre i filen (sifrene blir •), i alle tabeller\nog i revisjonsloggen, etter at 'db check' fant et som kom inn utenom kimu.\n\nEksempel: kimu db check; kimu db redact --yes",
    'Do not ask (for scripts).':
        'Ikke spør (for skript).',
    'Replace the database with a checked backup; the replaced database is kept beside it.':
        'Erstatt databasen med en kontrollert sikkerhetskopi; den erstattede databasen beholdes ved siden av.',
    "A backup made by 'kimu db backup'.":
        "En sikkerhetskopi laget med 'kimu db backup'.",
    'Build a database from the fictional demo data set and show an overview.\n\nWith --db or KIMU_DB it writes there (a file that holds data only with --replace, which keeps\nthe replaced database beside it); otherwise to kimu-demo.db beside the default database, never\ninto the real one.':
        'Bygg en database fra det oppdiktede demodatasettet og vis en oversikt.\n\nMed --db eller KIMU_DB skrives den dit (en fil med data bare med --replace, som tar vare på\nden erstattede databasen ved siden av); ellers til kimu-demo.db ved siden av standarddatabasen,\naldri i den ekte.',
    'Replace the data in the --db/KIMU_DB file (the database there is kept beside it, as <file>.replaced-<time>).':
        'Erstatt dataene i --db/KIMU_DB-filen (databasen der tas vare på ved siden av, som <fil>.replaced-<tid>).',
    'Export to CSV, JSON or xlsx; the CSV imports back with `kimu import` unchanged.':
        'Eksporter til CSV, JSON eller xlsx; CSV-filen kan importeres uendret tilbake med `kimu import`.',
    'What to export.':
        'Hva som skal eksporteres.',
    'csv, json or xlsx.':
        'csv, json eller xlsx.',
    "File to write (mode 0600, put in place whole) [default: standard output, or '-'].":
        "Filen som skal skrives (modus 0600, settes på plass hel) [standard: standard ut, eller '-'].",
    "CSV for a Norwegian Excel: ';', BOM, dd.mm.yyyy.":
        "CSV for norsk Excel: ';', BOM, dd.mm.åååå, norske overskrifter og verdier i bokmål.",
    'From this date (attendance, transitions; participants and enrollments: periods overlapping).':
        'Fra denne datoen (oppmøte, overganger; deltakere og deltakelser: perioder som overlapper).',
    'Up to this date (inclusive).':
        'Til og med denne datoen.',
    "Import a CSV file or a workbook's sheet: all rows or none; importing the same file again\nchanges nothing.\n\nHeaders in English or Norwegian (ref/deltaker, date/dato, status/oppmøte, ...), dates\n2026-11-20 or 20.11.2026 (in a workbook also date cells). Every error of the file is\nlisted with its line, or in a workbook its cell (Oppmøte!C14).":
        'Importer en CSV-fil eller et ark i en arbeidsbok: alle rader eller ingen; å importere samme fil igjen\nendrer ingenting.\n\nOverskrifter på norsk eller engelsk (deltaker/ref, dato/date, oppmøte/status, ...), datoer\n20.11.2026 eller 2026-11-20 (i en arbeidsbok også datoceller). Alle feil i filen\nlistes med linje, eller i en arbeidsbok med celle (Oppmøte!C14).',
    'What the file holds.':
        'Hva filen inneholder.',
    "CSV file (';', ',' or tab; UTF-8, UTF-16 or Windows-1252), or a workbook (.xlsx, .ods, .xls), known by its content.":
        "CSV-fil (';', ',' eller tabulator; UTF-8, UTF-16 eller Windows-1252), eller en arbeidsbok (.xlsx, .ods, .xls), gjenkjent på innholdet.",
    'Check every row and report; write nothing.':
        'Kontroller alle rader og rapporter; skriv ingenting.',
    'Override the capacity rule (recorded).':
        'Overstyr kapasitetsregelen (blir registrert).',
    'CSV: utf-8, utf-8-sig, cp1252 or utf-16 [default: decided from the whole file].':
        'CSV: utf-8, utf-8-sig, cp1252 eller utf-16 [standard: avgjort ut fra hele filen].',
    "CSV: ';', ',' or 'tab' [default: detected].":
        "CSV: ';', ',' eller 'tab' [standard: gjenkjent].",
    'Workbook: the sheet to read [default: the first].':
        'Arbeidsbok: arket som skal leses [standard: det første].',
    'Workbook: the row number of the header [default: the first row, or the one row below a title that has the columns].':
        'Arbeidsbok: radnummeret til overskriften [standard: første rad, eller raden under en tittel som har kolonnene].',
    'Leaders (arbeidsledere): each follows participants at one site.':
        'Arbeidsledere: hver følger deltakere ved ett omsorgssenter.',
    'Add a leader at a site.':
        'Legg til en arbeidsleder ved et omsorgssenter.',
    'The site the leader works at.':
        'Omsorgssenteret arbeidslederen arbeider ved.',
    'Participants per year [default: 20].':
        'Deltakere per år [standard: 20].',
    'Participants at once [default: 10].':
        'Deltakere samtidig [standard: 10].',
    'First day as leader.':
        'Første dag som arbeidsleder.',
    "Change a leader's name, site or limits.":
        'Endre navnet, omsorgssenteret eller grensene til en arbeidsleder.',
    'New name.':
        'Nytt navn.',
    'Move to this site.':
        'Flytt til dette omsorgssenteret.',
    'New participants per year (else kept).':
        'Nytt antall deltakere per år (ellers uendret).',
    'New participants at once (else kept).':
        'Nytt antall deltakere samtidig (ellers uendret).',
    "Record the leader's last day (refused while they still follow participants).":
        'Registrer arbeidslederens siste dag (avvises så lenge hen fortsatt følger deltakere).',
    'Date as 2026-11-20 or 20.11.2026.':
        'Dato som 20.11.2026 eller 2026-11-20.',
    'Leaders with their limits and active participants today.':
        'Arbeidsledere med grensene sine og aktive deltakere i dag.',
    'Include leaders who have ended.':
        'Ta med arbeidsledere som har sluttet.',
    'Participants (deltakere) and their enrollments.':
        'Deltakere og deltakelsene deres.',
    'Add a participant with a first enrollment.':
        'Legg til en deltaker med en første deltakelse.',
    'Your own reference, e.g. D-2026-014 (never an identity number).':
        'Din egen referanse, f.eks. D-2026-014 (aldri et fødselsnummer).',
    'The leader who follows the participant.':
        'Arbeidslederen som følger deltakeren.',
    'Name (optional; store only what the work needs).':
        'Navn (valgfritt; lagre bare det arbeidet trenger).',
    'Birth year (never a birth date or identity number).':
        'Fødselsår (aldri fødselsdato eller fødselsnummer).',
    'NAV veileder.':
        'NAV-veileder.',
    "The participant's goal, e.g. helsefagarbeider.":
        'Deltakerens mål, f.eks. helsefagarbeider.',
    'Short notes.':
        'Korte notater.',
    "Correct a participant's details (a real change of leader is end + reenroll).":
        'Rett opplysningene om en deltaker (et faktisk bytte av arbeidsleder er end + reenroll).',
    'New reference.':
        'Ny referanse.',
    'Correct the leader of the current enrollment.':
        'Rett arbeidslederen for den pågående deltakelsen.',
    'Correct the start of the current enrollment.':
        'Rett starten på den pågående deltakelsen.',
    "End the participant's open enrollment.":
        'Avslutt deltakerens åpne deltakelse.',
    'moved_on, other_path, dropped_out, moved_away, health, never_started, needs_other_support, registered_in_error, other (or the Norwegian words).':
        'Sluttårsak: gått videre, annet løp, avbrutt, flyttet, helse, ikke møtt, trenger annen støtte, feilregistrert, annet (eller kodene moved_on, other_path, dropped_out, moved_away, health, never_started, needs_other_support, registered_in_error, other).',
    'Participants with their current (or last) enrollment.':
        'Deltakere med den pågående (eller siste) deltakelsen.',
    'Status today (all: every participant).':
        'Status i dag (all: alle deltakere).',
    'Start a new enrollment for a participant who comes back (history is kept).':
        'Start en ny deltakelse for en deltaker som kommer tilbake (historikken beholdes).',
    'The leader who follows the new period.':
        'Arbeidslederen som følger den nye perioden.',
    "One participant's details and timeline.":
        'Opplysninger og historikk for én deltaker.',
    'Anonymise participants who ended long ago; the numbers in the summaries stay the same.':
        'Anonymiser deltakere som sluttet for lenge siden; tallene i oppsummeringene blir de samme.',
    'Anonymise participants whose last enrollment ended before this date (2026-11-20 or 20.11.2026).':
        'Anonymiser deltakere der siste deltakelse sluttet før denne datoen (20.11.2026 eller 2026-11-20).',
    'List who would be anonymised; change nothing.':
        'Vis hvem som ville blitt anonymisert; endre ingenting.',
    'Sites (omsorgssentre) where leaders and participants work.':
        'Omsorgssentre der arbeidsledere og deltakere arbeider.',
    'Add a site.':
        'Legg til et omsorgssenter.',
    'Kommune.':
        'Kommune.',
    'NAV office that refers participants.':
        'NAV-kontoret som henviser deltakere.',
    'Sites with their leaders and active participants today.':
        'Omsorgssentre med arbeidsledere og aktive deltakere i dag.',
    'Reports: outcomes of a cohort, cost, and the weekly summary for cron.':
        'Rapporter: resultater for et kull, kostnader og ukesoppsummeringen for cron.',
    'Participant-months followed, their cost here and in AFT, and the cost per participant who moved on.':
        'Deltakermåneder fulgt, kostnaden her og i AFT, og kostnaden per deltaker med overgang.',
    'First day [default: the first enrollment].':
        'Første dag [standard: første deltakelse].',
    'NOK per participant-month in this model.':
        'Kroner per deltakermåned i denne modellen.',
    'NOK per participant-month in the purchased alternative (AFT).':
        'Kroner per deltakermåned i det kjøpte alternativet (AFT).',
    'The cohort whose enrollment started in the window: how many moved on to education or work,\nper transition kind, still followed, ended by reason, median days to the first move, attendance.':
        'Kullet med oppstart i tidsrommet: hvor mange som gikk over til utdanning eller arbeid,\nper overgangstype, fortsatt fulgt, avsluttet etter årsak, median dager til første overgang, oppmøte.',
    'Groups per site, leader or year of start.':
        'Grupper per omsorgssenter, arbeidsleder eller oppstartsår.',
    'The week for the coordinator (and cron): active, new and ended, transitions, attendance per\nleader, who needs follow-up, capacity, and the outcomes so far this year.':
        'Uken for koordinatoren (og cron): aktive, nye og avsluttede, overganger, oppmøte per\narbeidsleder, hvem som trenger oppfølging, kapasitet og resultatene hittil i år.',
    'ISO week, e.g. 2026-W47 [default: the last complete week].':
        'ISO-uke, f.eks. 2026-W47 [standard: siste hele uke].',
    'text (a mail body), table (terminal tables), markdown, json or html.':
        'text (e-posttekst), table (tabeller i terminalen), markdown, json eller html.',
    "Write to this file (mode 0600, put in place whole) instead of stdout ('-').":
        "Skriv til denne filen (modus 0600, settes på plass hel) i stedet for standard ut ('-').",
    'Show names in the alert list, not only refs.':
        'Vis navn i varsellisten, ikke bare referanser.',
    'Transitions (overganger) to education or work, and milestones such as fagbrev.':
        'Overganger til utdanning eller arbeid, og milepæler som fagbrev.',
    'Record a move to education or work, or a milestone.':
        'Registrer en overgang til utdanning eller arbeid, eller en milepæl.',
    'mfy, apprenticeship, education, job_permanent, job_part_time, job_summer, job_weekend, job_other, fagbrev, kompetansebevis (or the Norwegian words: opplæringskontrakt, lærling, fast stilling, deltid, sommerjobb, fagbrev, ...).':
        'Overgangstype: opplæringskontrakt, lærling, utdanning, fast stilling, deltid, sommerjobb, helgejobb, jobb, fagbrev, kompetansebevis (eller kodene mfy, apprenticeship, education, job_permanent, job_part_time, job_summer, job_weekend, job_other, fagbrev, kompetansebevis).',
    'Employer or school.':
        'Arbeidsgiver eller skole.',
    'Short note.':
        'Kort notat.',
    'End the open enrollment on this date (reason moved_on); without it the leader keeps following (Helt i mål).':
        'Avslutt den åpne deltakelsen denne datoen (årsak gått videre); uten dette fortsetter arbeidslederen å følge deltakeren (Helt i mål).',
    'Transitions, oldest first.':
        'Overganger, eldste først.',
    'First day.':
        'Første dag.',
    'Last day.':
        'Siste dag.',
    'Only this kind (Norwegian words accepted).':
        'Bare denne typen (norske ord godtas).',
    'Remove a transition recorded in error (an enrollment it ended stays ended).':
        'Fjern en overgang registrert ved en feil (en deltakelse den avsluttet, forblir avsluttet).',
    "The id shown by 'kimu transition list'.":
        "Nummeret som vises av 'kimu transition list'.",
    'Show this message and exit.':
        'Vis denne hjelpeteksten og avslutt.',
    "Print kimu's version and exit.":
        'Skriv ut kimus versjon og avslutt.',
    'Install completion for the current shell.':
        'Installer tab-fullføring for skallet du bruker.',
    'Show completion for the current shell, to copy it or customize the installation.':
        'Vis tab-fullføringen for skallet du bruker, for å kopiere den eller tilpasse installasjonen.',
    'Who needs a call now: absences in a row, a low rate, missing registrations. Open alerts first;\none with a contact on or after the day its trouble began (since) is followed up.':
        'Hvem som trenger en samtale nå: fravær flere dager på rad, lav oppmøteandel, manglende registreringer. Åpne varsler først; et varsel med en kontakt samme dag som problemet begynte (since) eller senere, er fulgt opp.',
    'Only this site (or the start of a name).':
        'Bare dette omsorgssenteret (eller starten av et navn).',
    'Exit 3 when an alert is open (for cron).':
        'Avslutt med kode 3 når et varsel er åpent (for cron).',
    "Only open alerts: no contact since the trouble began ('kimu contact add').":
        "Bare åpne varsler: ingen kontakt siden problemet begynte ('kimu contact add').",
    'Follow-up contacts (kontakter): a call, meeting, message or visit about a participant.':
        'Kontakter i oppfølgingen: en samtale, et møte, en melding eller et besøk om en deltaker.',
    "Log a contact: the next alert list shows the participant's alert followed up.":
        'Registrer en kontakt: neste varselliste viser deltakerens varsel som fulgt opp.',
    'The participant.':
        'Deltakeren.',
    'participant, veileder, leader, school or employer (deltaker, veileder, arbeidsleder, skole, arbeidsgiver).':
        'Med hvem: deltaker, veileder, arbeidsleder, skole eller arbeidsgiver (eller kodene participant, veileder, leader, school, employer).',
    'phone, meeting, message or visit (telefon, møte, melding, besøk).':
        'Hvordan: telefon, møte, melding eller besøk (eller kodene phone, meeting, message, visit).',
    'Date as 2026-11-20 or 20.11.2026 [default: today].':
        'Dato som 20.11.2026 [standard: i dag].',
    'Short note (optional; no identity numbers).':
        'Kort notat (valgfritt; ingen fødselsnumre).',
    'Contacts, oldest first, each with the enrollment it falls in.':
        'Kontakter, eldste først, hver med deltakelsen den hører til.',
    'table, csv, json or markdown.':
        'Format: tabell (table), csv, json eller markdown.',
    'Remove a contact recorded in error.':
        'Fjern en kontakt registrert ved en feil.',
    "The id shown by 'kimu contact list'.":
        "Nummeret som vises av 'kimu contact list'.",
    'Integrity, foreign keys and the domain rules; exit 3 when a problem is found.\n\nExample: kimu db check --head "118: 3f9c...e21a"   (the head from an earlier weekly summary)':
        'Kontroller filens integritet, fremmednøkler og reglene for registeret; avslutt med kode 3 når et problem blir funnet.\n\nEksempel: kimu db check --head "118: 3f9c...e21a"   (kjeden fra en tidligere ukesoppsummering)',
    "Also check that the audit log's row ROW still has this chain, as a weekly summary noted it ('Audit log up to row (chain)', JSON audit_head).":
        "Kontroller også at endringsloggens rad ROW fortsatt har denne kjeden, slik en ukesoppsummering noterte den ('Endringslogg til og med rad (kjede)', JSON audit_head).",
    'From this date (attendance, transitions, contacts; participants and enrollments: periods overlapping).':
        'Fra denne datoen (oppmøte, overganger, kontakter; deltakere og deltakelser: perioder som overlapper).',
    'Accept a date more than a year ahead or before 2015 (probably a typo otherwise).':
        'Godta en dato mer enn ett år fram i tid eller før 2015 (ellers trolig en skrivefeil).',
    'The site the leader works at (or the start of a name).':
        'Omsorgssenteret arbeidslederen jobber ved (eller starten av et navn).',
    'The leader (or the start of a name).':
        'Arbeidslederen (eller starten av et navn).',
    'Move to this site (or the start of a name).':
        'Flytt til dette omsorgssenteret (eller starten av et navn).',
    'The leader who follows the participant (or the start of a name).':
        'Arbeidslederen som følger deltakeren (eller starten av et navn).',
    "The participant's ref.":
        'Deltakerens referanse.',
    'Correct the leader of the current enrollment (or the start of a name).':
        'Rett arbeidslederen for den nåværende deltakelsen (eller starten av et navn).',
    'The leader who follows the new period (or the start of a name).':
        'Arbeidslederen som følger den nye perioden (eller starten av et navn).',
    "One participant's details, status and timeline: periods with their attendance rate, absences\nin a row, excused spells, transitions, corrections; on a terminal an attendance calendar.":
        'Én deltakers opplysninger, status og historikk: perioder med oppmøteandel, fravær flere dager på rad, gyldig fravær, overganger og rettelser; i en terminal også en oppmøtekalender.',
    'ISO week: 48 (this year), 2026-48 or 2026-W48 [default: the last complete week].':
        'ISO-uke: 48 (i år), 2026-48 eller 2026-W48 [standard: siste hele uke].',
}

# The examples under each command's help (kimu_cli.cli.examples): the same command lines, the heading in bokmål.
HELP.update(_examples.translations())

