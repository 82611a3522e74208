"""The project's own exceptions; the CLI turns them into one line and an exit code."""


class KimuError(Exception):
    """Bad input or data: exit 1 with one line on stderr."""

    exit_code = 1


class CheckFailed(KimuError):
    """A check found a problem (db check, --strict reports): exit 3."""

    exit_code = 3
