"""Recognise Norwegian national identity numbers (fødselsnummer, D-number) so they are never stored."""

import re
from datetime import date

from kimu_cli.errors import KimuError

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ELEVEN_DIGITS = re.compile(r"\d{11}")
# Digits possibly grouped as people write them: 010190 12345, 010190-12345.
_SEPARATORS = re.compile(r"[\s.\-]")
_CANDIDATE = re.compile(r"\d[\d\s.\-]{9,14}\d")


def _check_digit(digits, weights):
    rest = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return 0 if rest == 11 else rest


def is_identity_number(value):
    """True when value is 11 digits with valid mod-11 check digits and a plausible birth date."""
    text = _SEPARATORS.sub("", str(value))
    if not _ELEVEN_DIGITS.fullmatch(text):
        return False
    k1 = _check_digit(text[:9], _W1)
    k2 = _check_digit(text[:9] + str(k1), _W2)
    if k1 == 10 or k2 == 10 or text[9:] != f"{k1}{k2}":
        return False
    day, month = int(text[0:2]), int(text[2:4])
    if day > 40:  # D-number: 4 added to the first digit
        day -= 40
    if month > 40:  # synthetic numbers from Skatteetaten's test register
        month -= 40
    elif month > 20:  # NAV's synthetic numbers
        month -= 20
    try:
        date(2000, month, day)  # leap year, so 29.02 passes
    except ValueError:
        return False
    return True


def is_identity_number_in(text):
    """True when an identity number appears anywhere in text, also grouped (010190 12345)."""
    return any(is_identity_number(c) for c in _CANDIDATE.findall(str(text)))


def refuse(value, field):
    """Raise when a typed or imported value holds an identity number anywhere in it."""
    if value is None:
        return
    text = str(value)
    if is_identity_number_in(text):
        raise KimuError(
            f"{field}: '{_mask(_excerpt(text))}' looks like a national identity number "
            "(fødselsnummer/D-number); kimu does not store identity numbers"
        )


def _excerpt(text, most=40):
    """A long text as the part around its first identity number, on one line, so the message stays
    short (the caller masks it)."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    found = next((m.start() for m in _CANDIDATE.finditer(text) if is_identity_number(m.group())), 0)
    start = max(0, min(found - 10, len(text) - most))
    return ("…" if start else "") + text[start:start + most] + ("…" if start + most < len(text) else "")


def _mask(text):
    return re.sub(r"\d", "•", text)
