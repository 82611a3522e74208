"""Recognise Norwegian national identity numbers (fødselsnummer, D-number, H-number) so they are
never stored and never printed.

One detector for every text kimu takes in and every message it puts out. A number is 11 digits
with a possible date (day + 40 in a D-number, month + 40 in an H-number, month + 20 or + 80 in the
synthetic numbers of NAV's and Skatteetaten's test registers) and two valid mod-11 check digits.
It is found however it is written:

- in any Unicode digits (full-width, Arabic-Indic, ...): the text is normalised with NFKC and every
  decimal digit read as its value;
- grouped as people write them: groups of digits separated by anything that is neither a letter
  nor a digit (spaces, line breaks, punctuation, brackets, symbols), in any grouping and any
  number of them (010190 12345, 01.01.90-123.45, 150190 / 12317, 150190 --\n12317, 150190;12317,
  (150190) 12317);
- next to other numbers and words: every run of groups whose digits add up to exactly 11 is tried
  ('Rom 2 15019012317', 'tlf 12345678 01019000083', 'ID15019012317').

Invisible characters (soft hyphen, zero-width space, word joiner, direction marks, variation
selectors: every format character and combining mark) count as separators wherever they are.

A line kimu prints (`mask(text, printed=True)`) is read more narrowly: at most one space or tab on
each side of one run of '.', '/', '-', '_' (and their Unicode look-alikes: every dash, '·', '∕',
'⁄'), since two spaces, a line break or a ',' or ';' there separate the columns
and rows of a table, where numbers side by side (a ref, counts, a rate) are no number of one
person. A text that enters (a field, a cell, a file name) and a text in the file (`kimu db check`,
`kimu db redact`) are read in full.

Eleven digits glued to more digits are not one ('215019012317'), nor the eleven decimals of a
fraction (0.47058823529), so a rate in a report is never taken for one; nor a Norwegian account
number written with its dots (1503.03.04516).

A SHA-256 digest in hex (64 characters) is not read for numbers.
A date with a four-digit year (2026-11-20, 20.11.2026), a real day between the years 1900 and 2099,
is read as a date, not as digits of a number: so a ref and a date side by side
('D-2026-020 2026-06-19') are not taken for one. Digits only shaped like a date
('15/01/9012 317', '1501-90-12 317') are digits.
An ordinary number is not one: a phone number, a date, a postcode, an account number, and an
11-digit number whose check digits or date are wrong.
"""

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from datetime import date

from kimu_cli.errors import KimuError

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
LENGTH = 11
# One group of digits, and what may stand between two groups of one written number, in the text
# spans reads (_read: every separator, space and invisible character in one ASCII form): in a
# text, any run of what is neither a letter nor a digit; in a printed line, at most one space or
# tab on each side of separators (a JSON string writes a tab or a line break as \t, \n).
_GROUP = re.compile(r"\d+")
_SEPARATORS = "./_\\-"
_GAP = re.compile(r"(?:[^\w]|_|\\[tnr])+")  # [^\w]: neither a letter nor a digit (nor '_', which \w holds)
_PRINTED_GAP = re.compile(rf"\u00ad*(?:[ \t]|\\[tnr])?\u00ad*(?:[{_SEPARATORS}][{_SEPARATORS}\u00ad]*(?:[ \t]|\\[tnr])?\u00ad*)?")
# Groups of digits with gaps between them: what one number may be written as, and no more.
_RUN = re.compile(rf"\d+(?:{_GAP.pattern}\d+)*")
_PRINTED_RUN = re.compile(rf"\d+(?:{_PRINTED_GAP.pattern}\d+)*")
_NOT_DIGIT = re.compile(r"\D")
# A decimal fraction: eleven digits after a point are not a number of their own (0.47058823529).
_FRACTION = re.compile(r"\d\.$")
# Written as dates (a four-digit year) and Norwegian account numbers (1234.56.78903): not digits of
# an identity number, when the date is a real day (_date_as_letters).
_DATE = re.compile(r"(?<!\d)(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
                   r"|(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})|\d{4}\.\d{2}\.\d{5})(?!\d)")
_YEARS = range(1900, 2100)
# A SHA-256 digest in hex (the audit log's chain head, printed for people to note down): its
# decimal runs are chance, and masking one would spoil the digest.
_DIGEST = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])")
# The quick test before the real one: 11 digits in the text at all (a printed line's gaps are read
# by the real one, so that a line and a text differ only there).
_ELEVEN = re.compile(r"\d(?:\D*+\d){10}")
# Unicode's other dashes, slashes and dots, read as their ASCII separator.
_LOOK_ALIKES = {**dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
                **dict.fromkeys("\u2044\u2215", "/"), **dict.fromkeys("\u00b7\u2027\u2219", ".")}
MASK = "•"


class _Reading(dict[int, str]):
    """str.translate's table of _read, filled in as characters are met: the text is read in C, each
    character looked up in Python once (up to 4 096 of them: a text of every script keeps no more)."""

    def __missing__(self, code: int) -> str:
        read = _read(chr(code))
        if len(self) < 4096:
            self[code] = read
        return read


_READING = _Reading()


def _read(c: str) -> str:
    """One character as spans reads it: a digit of any script as its ASCII digit; a separator as
    its ASCII form; a space as ' ' (a tab stays a tab), a line break (any other white space) as
    '\\n'; an invisible character (a format character, a combining mark) as a soft hyphen; the rest
    as it is."""
    if c.isdecimal():
        return str(unicodedata.digit(c))
    if c in _LOOK_ALIKES:
        return _LOOK_ALIKES[c]
    if c == "\t" or not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn", "Me"):
        return c
    if c.isspace():
        return " " if unicodedata.category(c) == "Zs" else "\n"
    return "\u00ad"


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    rest = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return 0 if rest == 11 else rest


def is_identity_number(digits: str) -> bool:
    """True when digits (11 ASCII digits; separators are taken out) are a fødselsnummer, D-number
    or H-number: valid mod-11 check digits and a possible date of birth."""
    digits = re.sub(r"\D", "", str(digits).translate(_READING))  # a digit of any script as its value
    if len(digits) != LENGTH:
        return False
    k1 = _check_digit(digits[:9], _W1)
    k2 = _check_digit(digits[:9] + str(k1), _W2)
    if digits[9:] != f"{k1}{k2}":  # a check digit of 10 writes three characters: no number has it
        return False
    return _possible_birth_date(int(digits[0:2]), int(digits[2:4]))


def _possible_birth_date(day: int, month: int) -> bool:
    if day > 40:  # D-number: 4 added to the first digit
        day -= 40
    for offset in (80, 40, 20):  # Skatteetaten's synthetic numbers, H-numbers, NAV's synthetic numbers
        if month > offset:
            month -= offset
            break
    try:
        date(2000, month, day)  # a leap year, so 29.02 is possible
    except ValueError:
        return False
    return True


def spans(text: str, printed: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) in text of every identity number written in it, however written; printed: text
    is a line kimu prints, where two spaces or a line break end a number (columns and rows)."""
    text = normalised(str(text))
    if not _ELEVEN.search(text):
        return
    plain = text.translate(_READING)
    gap, runs = (_PRINTED_GAP, _PRINTED_RUN) if printed else (_GAP, _RUN)
    found = _long(runs, plain)
    if found:  # a digest's runs of decimals: sought only now (it can only split a run, never join two)
        plain = _DIGEST.sub(_letters, plain)
        found = _long(runs, plain)
    for run in found:
        # A date lies wholly inside one run (its separators are gaps): read as letters, it splits the run.
        region = _DATE.sub(_date_as_letters, run.group())
        for part in _long(runs, region):
            groups = [(m.start(), m.end()) for m in _GROUP.finditer(region, *part.span())]
            for start, end in _numbers(region, gap, groups):
                yield run.start() + start, run.start() + end


def _long(runs: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The runs of text with digits enough for a number (LENGTH or more)."""
    return [run for run in runs.finditer(text) if len(_NOT_DIGIT.sub("", run.group())) >= LENGTH]


def _numbers(plain: str, gap: re.Pattern[str], groups: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(start, end) of every identity number among groups of digits (spans in plain) of one run (a
    group that does not begin it has the run's text before it, for _FRACTION)."""
    for first in range(len(groups)):
        count, last = 0, first
        while last < len(groups):
            start, end = groups[last]
            if last > first and not gap.fullmatch(plain, groups[last - 1][1], start):
                break
            count += end - start
            if count >= LENGTH:
                break
            last += 1
        if count == LENGTH and not (first == last and _FRACTION.search(plain, 0, groups[first][0])):
            digits = "".join(plain[s:e] for s, e in groups[first:last + 1])
            if is_identity_number(digits):
                yield groups[first][0], groups[last][1]


def _date_as_letters(found: re.Match[str]) -> str:
    """A date (a real day of 1900-2099) or an account number as letters; digits only shaped like a
    date (15/01/9012, 1501-90-12) stay digits."""
    year, month, day = found["y"] or found["year"], found["m"] or found["month"], found["d"] or found["day"]
    if year is None:  # an account number
        return _letters(found)
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return found.group()
    return _letters(found) if int(year) in _YEARS else found.group()


def _letters(found: re.Match[str]) -> str:
    """What spans reads in place of a date or a digest: as many letters, so positions agree."""
    return "d" * len(found.group())


def is_identity_number_in(text: str | None) -> bool:
    """True when an identity number is written anywhere in text (a text that enters, or one in the
    file)."""
    return text is not None and next(spans(text), None) is not None


def normalised(text: str) -> str:
    """The form every search here reads: NFKC (full-width digits as digits, and the like)."""
    return unicodedata.normalize("NFKC", text)


def mask(text: str, printed: bool = False, given: Collection[str] = ()) -> str:
    """text with the digits of every identity number in it replaced by MASK (the NFKC form of text
    where one is found, so the positions agree); printed: text is a line kimu prints (spans).
    given: numbers as written in what the run was given (written_in), masked wherever a printed line
    repeats one, also written in a way a printed line does not read as one (two spaces apart)."""
    found = list(spans(text, printed))
    repeated = [number for number in given if number in normalised(text)]
    if not found and not repeated:
        return text
    chars = list(normalised(text))
    for start, end in found:
        for i in range(start, end):
            if chars[i].isdecimal():
                chars[i] = MASK
    masked = "".join(chars)
    for number in repeated:
        masked = masked.replace(number, re.sub(r"\d", MASK, number))
    return masked


def written_in(texts: Iterable[str]) -> list[str]:
    """Every identity number written in texts (a command line), as written (NFKC), for mask(given=...)."""
    return [text[start:end] for text in map(normalised, texts) for start, end in spans(text)]


def refuse(value: str | None, field: str) -> None:
    """KimuError when a typed or imported value holds an identity number anywhere in it; the
    message shows the part around it, cut short, with every digit masked."""
    if value is None:
        return
    text = normalised(str(value))
    found = next(spans(text), None)
    if found is not None:
        raise KimuError("idnumber_text_looks_like_national", field=field, text=_excerpt(text, found[0]))


def _excerpt(text: str, at: int, most: int = 40) -> str:
    """At most `most` characters of text around position at, on one line, every digit masked."""
    start = max(0, min(at - 10, len(text) - most))
    part = " ".join(text[start:start + most].split())
    part = re.sub(r"\d", MASK, part)
    return ("…" if start else "") + part + ("…" if start + most < len(text) else "")


def masks(old: str | None, new: str | None) -> bool:
    """True when new is old with some of its digits masked (MASK) and nothing else changed: the
    change `kimu db redact` makes to a text (audit.is_redaction allows it in the audit log)."""
    if old is None or new is None:
        return old is new
    old = normalised(old)
    return len(old) == len(new) and all(a == b or (b == MASK and a.isdecimal()) for a, b in zip(old, new))
