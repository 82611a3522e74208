"""The project's own exceptions; the CLI turns them into one line and an exit code.

A message is a key of the catalog (kimu_cli.messages) and its fields -- KimuError("date_not_a_date",
field="start", value=v) -- read in the language of the run when it is shown; a text that is no key
is shown as it is.
"""


class KimuError(Exception):
    """Bad input or data: exit 1 with one line on stderr."""

    exit_code = 1

    def __init__(self, message: str, /, **fields: object) -> None:
        super().__init__(message)
        self.key, self.fields = message, fields

    def __str__(self) -> str:
        from kimu_cli import labels

        if isinstance(self.key, str) and self.key in labels.CATALOG:
            return labels.t(self.key, **self.fields)
        return super().__str__()


class CheckFailed(KimuError):
    """A check found a problem, said in one line (capacity --strict): exit 3. Commands whose output
    is the problems found (db check, attendance alerts --strict) print them and exit 3 without it."""

    exit_code = 3


class Lines(str):
    """A field of a message laid out as lines on purpose (an import's errors, one a line): the
    line breaks of every other field are written out (one_line) where the message is shown, so a
    value a person typed or a file held cannot break the message into lines."""


# Every character str.splitlines breaks a line at, and how one_line writes it (\n, \x85, \u2028).
_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """text with its line breaks written as Python writes them (a line break as \\n): one line."""
    return text.translate(_LINE_BREAKS)

