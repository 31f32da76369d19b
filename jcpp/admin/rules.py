"""Committee meeting rules: RFC 5545 RRULE strings, checked, built from a friendly form, and
described in plain words ("Third Wednesday of every month at 6:30 pm").

Only the rule is stored (no DTSTART): BYHOUR/BYMINUTE give the local time of day in the
county's zone, and whoever schedules meetings supplies the start.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import islice

from dateutil.rrule import rrulestr

WEEKDAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
# The friendly form's "which week" choices; "every" means weekly.
WEEK_CHOICES = {
    "1": "First",
    "2": "Second",
    "3": "Third",
    "4": "Fourth",
    "-1": "Last",
    "every": "Every week",
}
ALLOWED_FREQS = ("YEARLY", "MONTHLY", "WEEKLY")
_DESCRIBED_KEYS = {"FREQ", "INTERVAL", "BYDAY", "BYSETPOS", "BYMONTHDAY", "BYHOUR", "BYMINUTE"}
_BYDAY_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
# A committee meets at one time of day: more meetings than days in a window is not a meeting rule.
MAX_MEETINGS_IN_31_DAYS = 31


@dataclass(frozen=True)
class RuleChoice:
    """A meeting rule as the form gives it: a week, weekday and time, or a raw RRULE.

    The raw RRULE (`advanced`) wins when given; an empty `week` with no raw rule means the
    committee has no regular meetings.
    """

    week: str = ""
    weekday: str = ""
    time: str = ""
    advanced: str = ""


def normalise_rule(rule: str) -> str:
    """Upper case, no spaces, no leading "RRULE:"."""
    rule = re.sub(r"\s+", "", rule).upper()
    return rule.removeprefix("RRULE:").strip(";")


def rule_problem(rule: str) -> str | None:
    """Why `rule` (normalised) cannot be a committee's meeting rule, or None."""
    if ":" in rule:
        return "Give the rule alone (FREQ=…;BYDAY=…), without DTSTART or other lines."
    parts = _split(rule)
    if parts is None or "FREQ" not in parts:
        return (
            "A rule starts with FREQ=MONTHLY or FREQ=WEEKLY, e.g. FREQ=MONTHLY;BYDAY=3WE;BYHOUR=18."
        )
    if parts["FREQ"] not in ALLOWED_FREQS:
        return "Committees meet weekly, monthly or yearly: use FREQ=WEEKLY, MONTHLY or YEARLY."
    if "BYHOUR" not in parts:
        return "Add the time of day, e.g. BYHOUR=18;BYMINUTE=30 for 6:30 pm."
    if any("," in parts.get(key, "") for key in ("BYHOUR", "BYMINUTE")) or "BYSECOND" in parts:
        return "Give one time of day: a single BYHOUR and BYMINUTE value, and no BYSECOND."
    start = dt.datetime.combine(dt.date.today(), dt.time())
    try:
        recurrence = rrulestr(rule, dtstart=start)
    except (ValueError, TypeError) as error:
        return f"This is not a valid RRULE: {error}."
    if recurrence.after(start) is None:
        return "This rule never gives a future meeting."
    window_end = start + dt.timedelta(days=31)
    first = islice(recurrence.xafter(start, inc=True), MAX_MEETINGS_IN_31_DAYS + 1)
    if sum(1 for occurrence in first if occurrence < window_end) > MAX_MEETINGS_IN_31_DAYS:
        return f"This rule gives more than {MAX_MEETINGS_IN_31_DAYS} meetings in 31 days."
    return None


def resolve_rule(choice: RuleChoice) -> tuple[str | None, dict[str, str]]:
    """The RRULE the form asks for (None for no regular meetings) and any problems, by field."""
    if choice.advanced.strip():
        rule = normalise_rule(choice.advanced)
        problem = rule_problem(rule)
        return (None, {"meeting_rule": problem}) if problem else (rule, {})
    if not choice.week:
        return None, {}
    errors: dict[str, str] = {}
    if choice.week not in WEEK_CHOICES:
        errors["rule_week"] = "Choose which week of the month."
    if choice.weekday not in WEEKDAYS:
        errors["rule_weekday"] = "Choose the day of the week."
    time = parse_time(choice.time)
    if time is None:
        errors["rule_time"] = "Enter the time as hours and minutes, e.g. 18:30."
    if errors or time is None:
        return None, errors
    return build_rule(choice.week, choice.weekday, time), {}


def build_rule(week: str, weekday: str, time: dt.time) -> str:
    """The RRULE for "third Wednesday at 18:30" (week "3") or "every Tuesday" (week "every")."""
    at = f"BYHOUR={time.hour};BYMINUTE={time.minute}"
    if week == "every":
        return f"FREQ=WEEKLY;BYDAY={weekday};{at}"
    return f"FREQ=MONTHLY;BYDAY={weekday};BYSETPOS={int(week)};{at}"


def parse_time(value: str) -> dt.time | None:
    match = _TIME_RE.match(value.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def choice_from_rule(rule: str | None) -> RuleChoice:
    """The friendly form's fields for a stored rule; rules it cannot show go to `advanced`."""
    if not rule:
        return RuleChoice()
    parts = _split(rule)
    simple = _simple_parts(parts) if parts else None
    if simple is None:
        return RuleChoice(advanced=rule)
    week, weekday, time = simple
    return RuleChoice(week=week, weekday=weekday, time=f"{time:%H:%M}")


def _simple_parts(parts: dict[str, str]) -> tuple[str, str, dt.time] | None:
    if set(parts) - {"FREQ", "BYDAY", "BYSETPOS", "BYHOUR", "BYMINUTE"}:
        return None
    time = _time_of(parts)
    days = _weekdays(parts.get("BYDAY", ""))
    if not time or not days or len(days) != 1:
        return None
    ordinal, weekday = days[0]
    setpos = parts.get("BYSETPOS")
    if parts["FREQ"] == "WEEKLY" and ordinal is None and setpos is None:
        return "every", weekday, time
    if parts["FREQ"] != "MONTHLY":
        return None
    if setpos is not None and ordinal is None:
        ordinal = _int(setpos)
    elif setpos is not None:
        return None
    if ordinal is None or str(ordinal) not in WEEK_CHOICES:
        return None
    return str(ordinal), weekday, time


def describe_rule(rule: str) -> str:
    """A meeting rule in plain words, e.g. "Third Wednesday of every month at 6:30 pm".

    Covers monthly rules by weekday (BYDAY with BYSETPOS, or ordinals such as 3WE or -1TH),
    monthly by day of the month, and weekly rules; any other rule is returned as it is, so the
    page never claims something the rule does not say.
    """
    parts = _split(normalise_rule(rule))
    if parts is None or set(parts) - _DESCRIBED_KEYS or "FREQ" not in parts:
        return rule
    interval = _int(parts.get("INTERVAL", "1"))
    time = _time_of(parts)
    if interval is None or interval < 1 or (time is None and "BYHOUR" in parts):
        return rule
    if parts["FREQ"] == "MONTHLY":
        days = _monthly_days(parts)
        every = {1: "every month", 2: "every other month"}.get(interval, f"every {interval} months")
        words = f"{days} of {every}" if days else None
    elif parts["FREQ"] == "WEEKLY":
        words = _weekly_days(parts, interval)
    else:
        words = None
    if words is None:
        return rule
    if time is not None:
        words += f" at {format_time(time)}"
    return words[0].upper() + words[1:]


def format_time(time: dt.time) -> str:
    """6:30 pm, 7 pm, 12 pm."""
    hour = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    return f"{hour}:{time.minute:02d} {suffix}" if time.minute else f"{hour} {suffix}"


def _monthly_days(parts: dict[str, str]) -> str | None:
    if "BYMONTHDAY" in parts:
        if "BYDAY" in parts or "BYSETPOS" in parts:
            return None
        day = _int(parts["BYMONTHDAY"])
        if day == -1:
            return "the last day"
        return f"the {_nth(day)}" if day is not None and 1 <= day <= 31 else None
    days = _weekdays(parts.get("BYDAY", ""))
    if not days:
        return None
    if "BYSETPOS" in parts:
        # BYSETPOS picks among all the listed weekdays, so only one weekday reads naturally.
        positions = [_int(p) for p in parts["BYSETPOS"].split(",")]
        if len(days) != 1 or days[0][0] is not None or not _known_ordinals(positions):
            return None
        return f"{_join([ORDINALS[p] for p in positions if p is not None])} {WEEKDAYS[days[0][1]]}"
    if any(ordinal is None for ordinal, _ in days):
        return None
    ordinals = [ordinal for ordinal, _ in days]
    if not _known_ordinals(ordinals):
        return None
    names = {weekday for _, weekday in days}
    if len(names) == 1:
        return f"{_join([ORDINALS[o] for o in ordinals if o is not None])} {WEEKDAYS[days[0][1]]}"
    return _join([f"{ORDINALS[o]} {WEEKDAYS[w]}" for o, w in days if o is not None])


def _weekly_days(parts: dict[str, str], interval: int) -> str | None:
    days = _weekdays(parts.get("BYDAY", ""))
    if not days or "BYSETPOS" in parts or "BYMONTHDAY" in parts:
        return None
    if any(ordinal is not None for ordinal, _ in days):
        return None
    names = _join([WEEKDAYS[weekday] for _, weekday in days])
    if interval == 1:
        return f"every {names}"
    if interval == 2:
        return f"every other {names}"
    return f"every {interval} weeks on {names}"


def _split(rule: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        key, sep, value = piece.partition("=")
        if not sep or not key or not value or key in parts:
            return None
        parts[key] = value
    return parts


def _weekdays(value: str) -> list[tuple[int | None, str]] | None:
    if not value:
        return None
    days: list[tuple[int | None, str]] = []
    for item in value.split(","):
        match = _BYDAY_RE.match(item)
        if not match:
            return None
        days.append((int(match[1]) if match[1] else None, match[2]))
    return days


def _time_of(parts: dict[str, str]) -> dt.time | None:
    hour = _int(parts.get("BYHOUR", ""))
    minute = _int(parts.get("BYMINUTE", "0"))
    if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _known_ordinals(values: list[int | None]) -> bool:
    return bool(values) and all(v in ORDINALS for v in values) and len(set(values)) == len(values)


def _nth(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
