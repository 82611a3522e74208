"""Dates as users type them: ISO 2026-11-20 or Norwegian 20.11.2026."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from kimu_cli.datetext import ISO as _ISO
from kimu_cli.datetext import norwegian, norwegian_time  # noqa: F401 -- how people read a date, for callers
from kimu_cli.errors import KimuError

_NORWEGIAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


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
        raise KimuError("dates_value_date", field=field, value=value)
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise KimuError("dates_value_date_calendar", field=field, value=value) from None


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


# Dates that are probably typos: more than a year ahead of today, or before the model's time.
EARLIEST_LIKELY = date(2015, 1, 1)
_UNLIKELY_ACCEPTED = ContextVar("kimu_unlikely_dates_accepted", default=False)


@contextmanager
def unlikely_accepted(accept: bool = True) -> Iterator[None]:
    """Inside, likely() lets every date through (`kimu import --yes`)."""
    token = _UNLIKELY_ACCEPTED.set(bool(accept))
    try:
        yield
    finally:
        _UNLIKELY_ACCEPTED.reset(token)


def a_year_ahead(day: date | None = None) -> date:
    """The same date a year after day (today): the last likely one. 29 February -> 28 February."""
    day = day or today()
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def likely(value: object, field: str = "date", what: str = "date", yes: bool | None = None,
           ahead: bool = True) -> str | None:
    """ISO text of a start, end or transition date (None stays None), refused as probably a typo
    when it is more than a year ahead of today or before 2015, unless yes (or unlikely_accepted).
    what: the label key naming the date in the hint ('start_date', 'end_date', 'transition_date');
    ahead=False: only the early side (a transition in the future is refused anyway, --yes or not)."""
    from kimu_cli import labels

    d = parse_optional(value, field)
    if d is None:
        return None
    accepted = _UNLIKELY_ACCEPTED.get() if yes is None else yes
    if not accepted and ((ahead and d > a_year_ahead()) or d < EARLIEST_LIKELY):
        key = "date_ahead" if d > a_year_ahead() else "date_early"
        raise KimuError(key, field=field, what=labels.t(f"what_{what}"), date=d.isoformat())
    return d.isoformat()
