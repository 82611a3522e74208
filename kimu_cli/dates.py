"""Dates as users type them: ISO 2026-11-20 or Norwegian 20.11.2026."""

import os
import re
from datetime import date
from typing import TypeVar

from kimu_cli.errors import KimuError

_NORWEGIAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
T = TypeVar("T")


def parse(value: object, field: str = "date") -> date:
    """A date from ISO or dd.mm.yyyy text (or a date); KimuError naming the field otherwise."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if m := _ISO.fullmatch(text):
        y, mo, d = m.groups()
    elif m := _NORWEGIAN.fullmatch(text):
        d, mo, y = m.groups()
    else:
        raise KimuError(f"{field}: '{value}' is not a date (use 2026-11-20 or 20.11.2026)")
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise KimuError(f"{field}: '{value}' is not a date in the calendar") from None


def parse_optional(value: object, field: str = "date") -> date | None:
    return None if value is None or str(value).strip() == "" else parse(value, field)


def iso(value: object, field: str = "date") -> str | None:
    """ISO text for SQL, from any accepted form; None stays None."""
    d = parse_optional(value, field)
    return d.isoformat() if d else None


def today() -> date:
    """Today, or KIMU_TODAY when set (reproducible reports and tests)."""
    fixed = os.environ.get("KIMU_TODAY")
    return parse(fixed, "KIMU_TODAY") if fixed else date.today()


def norwegian(value: T) -> T | str:
    """dd.mm.yyyy, as Norwegian readers and Excel expect, from an ISO date (text or a date); any other
    value (None, '', a text that is no ISO date) is given back as it is, never an exception: render
    and the Excel export call this for every cell of a date column."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and (m := _ISO.fullmatch(value)):
        y, mo, d = m.groups()
        return f"{d}.{mo}.{y}"
    return value
