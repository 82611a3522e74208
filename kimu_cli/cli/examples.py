"""One or two examples under every command's --help: what a coordinator types most often.

Examples are command lines, the same in both languages (Norwegian words are accepted anywhere,
so they use them); only the heading is translated. attach() puts them in each command's epilog
when the command tree is built (KimuGroup), so `--help`, tools/reference.py and the tests see the
same text; help_nb gets the bokmål epilogs from translations().
"""

from collections.abc import Iterator

EXAMPLES: dict[str, tuple[str, ...]] = {
    "demo": ("kimu demo", "kimu --db prøve.db demo --replace"),
    "capacity": ("kimu capacity", "kimu capacity --year 2027 --site Solbakken --strict"),
    "audit": ("kimu audit --ref D-2026-014", "kimu audit --since 01.11.2026 --limit 50"),
    "purge": ("kimu purge --ended-before 01.01.2023 --dry-run", "kimu purge --ended-before 01.01.2023 --yes"),
    "import": ("kimu import attendance oppmote.csv --dry-run", "kimu import participants deltakere.xlsx --sheet Deltakere"),
    "export": ("kimu export participants --excel --output deltakere.csv",
               "kimu export attendance --from 01.11.2026 --format xlsx --output oppmote.xlsx"),
    "site add": ('kimu site add "Solbakken omsorgssenter" --municipality Bergen --nav-office "NAV Årstad"',),
    "site list": ("kimu site list", "kimu site list --format csv"),
    "leader add": ('kimu leader add "Kari Nordmann" --site Solbakken', 'kimu leader add "Per Hansen" --site Solbakken --yearly-capacity 15'),
    "leader list": ("kimu leader list", "kimu leader list --site Solbakken --all"),
    "leader edit": ("kimu leader edit kari --max-concurrent 8",),
    "leader end": ("kimu leader end kari --date 31.12.2026",),
    "participant add": ('kimu participant add D-2026-014 --leader kari --start 20.11.2026 --name "Amira Hansen"',),
    "participant list": ("kimu participant list", "kimu participant list --status all --leader kari --format csv"),
    "participant show": ("kimu participant show D-2026-014",),
    "participant edit": ('kimu participant edit D-2026-014 --veileder "Trine Aasen"',
                         "kimu participant edit D-2026-014 --start 23.11.2026"),
    "participant end": ('kimu participant end D-2026-020 --date 25.11.2026 --reason "annet løp"',),
    "participant reenroll": ("kimu participant reenroll D-2026-014 --leader kari --start 16.08.2027",),
    "attendance record": ("kimu attendance record 24.11.2026 -l kari -a D-2026-020 -e D-2026-003",
                          "kimu attendance record 24.11.2026 D-2026-014 --status møtt --hours 6"),
    "attendance list": ("kimu attendance list --leader kari", "kimu attendance list --ref D-2026-014 --from 01.11.2026"),
    "attendance rates": ("kimu attendance rates --by leader --from 01.09.2026",),
    "attendance alerts": ("kimu attendance alerts", "kimu attendance alerts --open --strict"),
    "transition add": ('kimu transition add D-2026-014 opplæringskontrakt --date 24.11.2026 --detail "Bergen kommune"',
                       'kimu transition add D-2026-014 "fast stilling" --date 25.11.2026 --end'),
    "transition list": ("kimu transition list --kind mfy --from 01.01.2026",),
    "transition remove": ("kimu transition remove 12",),
    "contact add": ("kimu contact add D-2026-020 --with veileder --how telefon",
                    "kimu contact add D-2026-020 --with arbeidsgiver --how besøk --date 24.11.2026"),
    "contact list": ("kimu contact list --leader kari --from 01.11.2026",),
    "contact remove": ("kimu contact remove 3",),
    "db path": ("kimu db path",),
    "db init": ("kimu db init", "kimu --db ~/kimu/kimu.db db init"),
    "db check": ("kimu db check", 'kimu db check --head "118: 3f9c…e21a"'),
    "db redact": ("kimu db redact --yes",),
    "db recount": ("kimu db recount",),
    "db backup": ("kimu db backup ~/kimu-backups/",),
    "db restore": ("kimu db restore ~/kimu-backups/kimu-20261125T063000Z.db",),
    "summary outcomes": ("kimu summary outcomes --from 01.01.2022 --to 31.12.2024 --by site",
                         "kimu summary outcomes --suppress-below 5 --format markdown"),
    "summary cost": ("kimu summary cost --from 01.01.2026 --monthly-cost 3500 --compare 18000",),
    "summary weekly": ("kimu summary weekly --lang nb --output uke.txt",
                       "kimu summary weekly --week 47 --format html --output uke47.html"),
}
HEADING = {"en": "Examples:", "nb": "Eksempler:"}


def epilog(path: str, lang: str = "en") -> str | None:
    """The examples of the command at path ("participant add") under their heading; None: none.
    Click keeps a paragraph that starts with \\b as it is written (no rewrapping)."""
    lines = EXAMPLES.get(path)
    if not lines:
        return None
    return "\b\n" + HEADING[lang] + "\n" + "\n".join(f"  {line}" for line in lines)


def attach(group: object, path: tuple[str, ...] = ()) -> None:
    """Give every command under group (a Click group) its examples as its epilog."""
    for name, command in getattr(group, "commands", {}).items():
        where = (*path, name)
        if hasattr(command, "commands"):
            attach(command, where)
        else:
            command.epilog = epilog(" ".join(where))


def translations() -> Iterator[tuple[str, str]]:
    """(English epilog, bokmål epilog) of every command, for kimu_cli.cli.help_nb."""
    for path in EXAMPLES:
        english, norwegian = epilog(path), epilog(path, "nb")
        if english and norwegian:
            yield english, norwegian
