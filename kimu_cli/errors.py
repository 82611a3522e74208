"""The project's own exceptions; the CLI turns them into one line and an exit code."""


class KimuError(Exception):
    """Bad input or data: exit 1 with one line on stderr."""

    exit_code = 1


class CheckFailed(KimuError):
    """A check found a problem, said in one line (capacity --strict): exit 3. Commands whose output
    is the problems found (db check, attendance alerts --strict) print them and exit 3 without it."""

    exit_code = 3
