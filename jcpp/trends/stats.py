"""The arithmetic of trend signals, and the plain words that say it: pure functions, no database.

Rising (and new terms) use the exact conditional test of two Poisson rates: given that a topic
was raised `x` times in a recent period of `n` held meetings and `x0` times in a baseline of
`n0` held meetings, and that its rate did not change, each of the `x + x0` raisings falls in the
recent period with probability n / (n + n0); the chance of `x` or more there is a binomial tail.
It accounts for how many meetings were held, needs no normal approximation for small counts,
and a topic never raised before is not infinitely surprising (the baseline's meetings count).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def binomial_tail(successes: int, trials: int, probability: float) -> float:
    """P(X ≥ successes) for X ~ Binomial(trials, probability)."""
    if successes <= 0:
        return 1.0
    if successes > trials:
        return 0.0
    if probability >= 1.0:
        return 1.0
    if probability <= 0.0:
        return 0.0
    # In logarithms (counts of thousands make math.comb too large for a float): the first
    # term, then each from the one before, P(k+1) = P(k) (n-k)/(k+1) p/(1-p), stopping once
    # the terms past the mode no longer change the sum.
    n, log_odds = trials, math.log(probability) - math.log1p(-probability)
    log_term = (
        math.lgamma(n + 1)
        - math.lgamma(successes + 1)
        - math.lgamma(n - successes + 1)
        + successes * math.log(probability)
        + (n - successes) * math.log1p(-probability)
    )
    log_total = -math.inf
    for k in range(successes, n + 1):
        log_total = _log_add(log_total, log_term)
        if k == n or (k > n * probability and log_term < log_total - 40):
            break
        log_term += math.log((n - k) / (k + 1)) + log_odds
    return min(1.0, math.exp(log_total))


def _log_add(a: float, b: float) -> float:
    """log(exp(a) + exp(b)) without overflow."""
    high, low = max(a, b), min(a, b)
    if low == -math.inf:
        return high
    return high + math.log1p(math.exp(low - high))


def rise_chance(recent: int, recent_held: int, baseline: int, baseline_held: int) -> float:
    """How likely `recent` or more raisings in the recent period would be if the rate were
    the same as in the baseline (the conditional Poisson test, one-sided)."""
    if recent_held <= 0 or baseline_held <= 0:
        return 1.0
    share = recent_held / (recent_held + baseline_held)
    return binomial_tail(recent, recent + baseline, share)


@dataclass(frozen=True)
class RiseTest:
    recent: int
    recent_held: int
    baseline: int
    baseline_held: int
    chance: float

    @property
    def recent_rate(self) -> float:
        return self.recent / self.recent_held

    @property
    def baseline_rate(self) -> float:
        return self.baseline / self.baseline_held if self.baseline_held else 0.0


def assess_rise(
    recent: int, recent_held: int, baseline: int, baseline_held: int, *,
    min_count: int, max_chance: float,
) -> RiseTest | None:  # fmt: skip
    """A RiseTest when the recent count is at least `min_count` (never noise from one or two
    meetings), the recent rate is above the baseline's and chance would explain it less than
    `max_chance` of the time; otherwise None."""
    recent = min(recent, recent_held)  # never more raisings than meetings
    baseline = min(baseline, baseline_held)
    if recent < min_count or recent_held <= 0 or baseline_held <= 0:
        return None
    if recent * baseline_held <= baseline * recent_held:
        return None
    chance = rise_chance(recent, recent_held, baseline, baseline_held)
    if chance >= max_chance:
        return None
    return RiseTest(recent, recent_held, baseline, baseline_held, chance)


def latest_streak(raised: Sequence[bool]) -> int:
    """How many of the last items (oldest first) are True in a row, up to the latest."""
    count = 0
    for flag in reversed(raised):
        if not flag:
            break
        count += 1
    return count


# ---------------------------------------------------------------- plain words


def month_name(month: dt.date, *, year: bool = False) -> str:
    name = MONTH_NAMES[month.month - 1]
    return f"{name} {month.year}" if year else name


def month_span(first: dt.date, last: dt.date) -> str:
    """ "Nov", "Sep–Nov" or, across a new year, "Dec 2025–Feb 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return month_name(first)
    across = first.year != last.year
    return f"{month_name(first, year=across)}–{month_name(last, year=across)}"


def about_one_in(count: int, total: int) -> str:
    """A share in words: "every one", "about 1 in 6", "none"."""
    if total <= 0 or count <= 0:
        return "none"
    if count >= total:
        return "every one"
    return f"about 1 in {round(total / count)}"


def chance_words(chance: float) -> str:
    """ "less than 1 time in 1,000", "less than 1 time in 100", "about 1 time in 40"."""
    for limit in (1_000, 100):
        if chance < 1 / limit:
            return f"less than 1 time in {limit:,}"
    return f"about 1 time in {max(1, round(1 / chance)):,}" if chance > 0 else "never"


def meetings_words(count: int) -> str:
    return "1 meeting" if count == 1 else f"{count} meetings"


def rise_sentence(test: RiseTest, *, period: str, baseline_months: int) -> str:
    """ "Raised at 4 of 4 meetings in Sep–Nov; in the 12 months before, at 2 of 12 (about 1 in
    6). A rise this large would happen by chance less than 1 time in 100."""
    return (
        f"Raised at {test.recent} of {meetings_words(test.recent_held)} in {period}; "
        f"in the {baseline_months} months before, at {test.baseline} of {test.baseline_held} "
        f"({about_one_in(test.baseline, test.baseline_held)}). A rise this large would happen "
        f"by chance {chance_words(test.chance)}."
    )
