"""Meeting rules: described in words, built from the friendly form, checked with dateutil."""

from __future__ import annotations

import datetime as dt

import pytest

from jcpp.admin.rules import (
    RuleChoice,
    build_rule,
    choice_from_rule,
    describe_rule,
    resolve_rule,
    rule_problem,
)
from jcpp.admin.service import describe_rule as describe_rule_from_service


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30",
            "Third Wednesday of every month at 6:30 pm",
        ),
        (
            "FREQ=MONTHLY;BYDAY=3WE;BYHOUR=18;BYMINUTE=30",
            "Third Wednesday of every month at 6:30 pm",
        ),
        ("FREQ=MONTHLY;BYDAY=+1MO;BYHOUR=19", "First Monday of every month at 7 pm"),
        ("FREQ=MONTHLY;BYDAY=-1TH;BYHOUR=12;BYMINUTE=0", "Last Thursday of every month at 12 pm"),
        ("FREQ=MONTHLY;BYDAY=1TU,3TU;BYHOUR=9", "First and third Tuesday of every month at 9 am"),
        (
            "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2,4;BYHOUR=17;BYMINUTE=15",
            "Second and fourth Tuesday of every month at 5:15 pm",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1MO,3WE;BYHOUR=18",
            "First Monday and third Wednesday of every month at 6 pm",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH;BYHOUR=18;BYMINUTE=30",
            "Second Thursday of every other month at 6:30 pm",
        ),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=1FR;BYHOUR=8", "First Friday of every 3 months at 8 am"),
        ("FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=18", "The 15th of every month at 6 pm"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=18", "The last day of every month at 6 pm"),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=9", "Every Tuesday at 9 am"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;BYHOUR=18;BYMINUTE=30",
            "Every other Wednesday at 6:30 pm",
        ),
        ("FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=0;BYMINUTE=5", "Every Monday and Thursday at 12:05 am"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=SA;BYHOUR=10", "Every 3 weeks on Saturday at 10 am"),
        ("FREQ=MONTHLY;BYDAY=3WE", "Third Wednesday of every month"),
        (
            "rrule:freq=monthly; byday=3we; byhour=18; byminute=30",
            "Third Wednesday of every month at 6:30 pm",
        ),
    ],
)
def test_common_rules_are_described_in_words(rule: str, words: str) -> None:
    assert describe_rule(rule) == words


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=3WE;BYHOUR=18;COUNT=10",  # a part the words would leave out
        "FREQ=MONTHLY;BYDAY=MO,WE;BYSETPOS=1;BYHOUR=18",  # first of either day: no plain wording
        "FREQ=WEEKLY;BYHOUR=18",  # weekly on whichever day it started: not knowable
        "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1;BYHOUR=18",
        "FREQ=MONTHLY;BYDAY=9WE;BYHOUR=18",
        "FREQ=MONTHLY;BYDAY=3WE;BYHOUR=25",
        "not a rule at all",
    ],
)
def test_other_rules_fall_back_to_the_rule_itself(rule: str) -> None:
    assert describe_rule(rule) == rule


def test_service_offers_describe_rule() -> None:
    assert describe_rule_from_service is describe_rule


@pytest.mark.parametrize(
    ("choice", "rule"),
    [
        (
            RuleChoice(week="3", weekday="WE", time="18:30"),
            "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30",
        ),
        (
            RuleChoice(week="-1", weekday="TH", time="07:05"),
            "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1;BYHOUR=7;BYMINUTE=5",
        ),
        (
            RuleChoice(week="every", weekday="MO", time="12:00"),
            "FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0",
        ),
        (RuleChoice(), None),
    ],
)
def test_friendly_choices_build_the_rule(choice: RuleChoice, rule: str | None) -> None:
    assert resolve_rule(choice) == (rule, {})


def test_built_rules_give_the_meetings_they_say() -> None:
    from dateutil.rrule import rrulestr

    rule = build_rule("3", "WE", dt.time(18, 30))
    dates = list(
        rrulestr(rule, dtstart=dt.datetime(2026, 1, 1)).xafter(dt.datetime(2026, 1, 1), count=3)
    )
    assert dates == [
        dt.datetime(2026, 1, 21, 18, 30),
        dt.datetime(2026, 2, 18, 18, 30),
        dt.datetime(2026, 3, 18, 18, 30),
    ]


def test_advanced_rule_wins_and_is_normalised() -> None:
    choice = RuleChoice(
        week="1", weekday="MO", time="09:00", advanced=" rrule:freq=weekly;byday=tu;byhour=9 "
    )
    assert resolve_rule(choice) == ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=9", {})


def test_incomplete_friendly_choice_says_which_field() -> None:
    rule, errors = resolve_rule(RuleChoice(week="3", weekday="", time="6pm"))
    assert rule is None
    assert set(errors) == {"rule_weekday", "rule_time"}


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("FREQ=MONTHLY;BYDAY=XX;BYHOUR=18", "not a valid RRULE"),
        ("BYDAY=WE;BYHOUR=18", "starts with FREQ"),
        ("FREQ=DAILY;BYHOUR=18", "weekly, monthly or yearly"),
        ("FREQ=MONTHLY;BYDAY=3WE", "time of day"),
        ("DTSTART:20260101T000000\nRRULE:FREQ=MONTHLY;BYHOUR=18", "without DTSTART"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=18", "never gives a future meeting"),
        # One time of day: many hours or minutes would give thousands of meetings.
        ("FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=0,1,2,3;BYMINUTE=0", "one time of day"),
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=0,15,30,45", "one time of day"),
        ("FREQ=MONTHLY;BYDAY=1MO;BYHOUR=18;BYSECOND=0,1", "one time of day"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rule: str, problem: str) -> None:
    message = rule_problem(rule.upper() if "\n" not in rule else rule)
    assert message is not None and problem in message


def test_good_rule_has_no_problem() -> None:
    assert rule_problem("FREQ=MONTHLY;BYDAY=3WE;BYHOUR=18;BYMINUTE=30") is None
    # Every day of the week is the most a single time of day allows (31 in 31 days).
    assert rule_problem("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=7") is None


@pytest.mark.parametrize(
    ("rule", "choice"),
    [
        ("FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30", RuleChoice("3", "WE", "18:30")),
        ("FREQ=MONTHLY;BYDAY=-1TH;BYHOUR=7", RuleChoice("-1", "TH", "07:00")),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=15", RuleChoice("every", "TU", "09:15")),
        (
            "FREQ=MONTHLY;BYDAY=1TU,3TU;BYHOUR=9",
            RuleChoice(advanced="FREQ=MONTHLY;BYDAY=1TU,3TU;BYHOUR=9"),
        ),
        (None, RuleChoice()),
    ],
)
def test_stored_rule_fills_the_friendly_form_when_it_can(
    rule: str | None, choice: RuleChoice
) -> None:
    assert choice_from_rule(rule) == choice
