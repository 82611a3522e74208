"""The fixed words of the domain, with the Norwegian aliases users and files bring (docs/design.md, "Words")."""

import re
from collections.abc import Iterable, Mapping

from kimu_cli.errors import KimuError

# kind -> (group, aliases)
TRANSITION_KINDS = {
    "mfy": ("education", ["mfy", "opplæringskontrakt", "opplaeringskontrakt"]),
    "apprenticeship": ("education", ["lærling", "laerling", "lærekontrakt", "laerekontrakt"]),
    "education": ("education", ["utdanning", "skole", "videregående", "videregaende", "grunnskole", "vov"]),
    "job_permanent": ("work", ["fast stilling", "fast jobb", "fast"]),
    "job_part_time": ("work", ["deltid", "deltidsjobb"]),
    "job_summer": ("work", ["sommerjobb"]),
    "job_weekend": ("work", ["helgejobb", "helgestilling"]),
    "job_other": ("work", ["jobb", "arbeid", "annen jobb"]),
    "fagbrev": ("milestone", ["fagbrev", "fagprøve bestått", "fagprove bestatt"]),
    "kompetansebevis": ("milestone", ["kompetansebevis"]),
}
MOVED_ON_GROUPS = ("education", "work")

END_REASONS = {
    "moved_on": ["gått videre", "gatt videre", "overgang"],
    "other_path": ["annet løp", "annet lop", "ikke aktuelt"],
    "dropped_out": ["avbrutt", "sluttet"],
    "moved_away": ["flyttet"],
    "health": ["helse", "sykdom", "syk"],
    "never_started": ["ikke møtt", "ikke mott"],
    "needs_other_support": ["trenger annen støtte", "trenger annen stotte"],
    "registered_in_error": ["feilregistrert"],
    "other": ["annet"],
}
# Left out of every statistic.
EXCLUDED_END_REASON = "registered_in_error"

ATTENDANCE_STATUSES = {
    "present": ["møtt", "mott", "til stede", "oppmøte", "oppmote"],
    "absent": ["fravær", "fravaer", "ikke møtt", "ikke mott", "borte"],
    "excused": ["gyldig fravær", "gyldig fravaer", "syk", "permisjon"],
}

# The word a bokmål export (`kimu export --excel` in nb) writes for each code: one of its aliases
# above, so that `kimu import` takes it back unchanged (tests/test_language.py round-trips them).
NORWEGIAN = {
    "kind": {"mfy": "opplæringskontrakt", "apprenticeship": "lærekontrakt", "education": "utdanning",
             "job_permanent": "fast stilling", "job_part_time": "deltid", "job_summer": "sommerjobb",
             "job_weekend": "helgejobb", "job_other": "annen jobb", "fagbrev": "fagbrev",
             "kompetansebevis": "kompetansebevis"},
    "end_reason": {"moved_on": "gått videre", "other_path": "annet løp", "dropped_out": "avbrutt",
                   "moved_away": "flyttet", "health": "helse", "never_started": "ikke møtt",
                   "needs_other_support": "trenger annen støtte", "registered_in_error": "feilregistrert",
                   "other": "annet"},
    "status": {"present": "møtt", "absent": "fravær", "excused": "gyldig fravær"},
}


def normalise(text: object) -> str:
    """Lower case, single spaces, '_' and '-' as spaces: 'Fast_Stilling' == 'fast stilling'."""
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower())


def _lookup(table: Mapping[str, list[str]]) -> dict[str, str]:
    out = {}
    for canonical, aliases in table.items():
        for word in [canonical, *aliases]:
            out[normalise(word)] = canonical
    return out


_KINDS = _lookup({k: aliases for k, (_, aliases) in TRANSITION_KINDS.items()})
_REASONS = _lookup(END_REASONS)
_STATUSES = _lookup(ATTENDANCE_STATUSES)


def _resolve(lookup: Mapping[str, str], value: object, field: str, allowed: Iterable[str]) -> str:
    try:
        return lookup[normalise(value)]
    except KeyError:
        raise KimuError("vocab_unknown_value_value_one", field=field, value=value, allowed=', '.join(allowed)) from None


def transition_kind(value: object, field: str = "kind") -> str:
    return _resolve(_KINDS, value, field, TRANSITION_KINDS)


def end_reason(value: object, field: str = "reason") -> str:
    """An end reason; empty means 'other' (docs/design.md, "Words")."""
    if value is None or str(value).strip() == "":
        return "other"
    return _resolve(_REASONS, value, field, END_REASONS)


def attendance_status(value: object, field: str = "status") -> str:
    return _resolve(_STATUSES, value, field, ATTENDANCE_STATUSES)
