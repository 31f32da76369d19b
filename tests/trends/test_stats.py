"""The binomial tail behind the signals, at the counts a state brings (thousands of meetings)."""

from __future__ import annotations

import math

import pytest

from jcpp.trends.stats import binomial_tail


def exact_tail(successes: int, trials: int, probability: float) -> float:
    return sum(
        math.comb(trials, k) * probability**k * (1 - probability) ** (trials - k)
        for k in range(successes, trials + 1)
    )


@pytest.mark.parametrize(
    ("successes", "trials", "probability"),
    [(3, 10, 0.2), (0, 5, 0.5), (7, 7, 0.5), (40, 120, 0.25), (12, 120, 0.25)],
)
def test_tail_agrees_with_the_sum_of_its_terms(
    successes: int, trials: int, probability: float
) -> None:
    assert binomial_tail(successes, trials, probability) == pytest.approx(
        exact_tail(successes, trials, probability), rel=1e-9
    )


def test_state_scale_counts_give_a_probability_not_an_overflow() -> None:
    # 700 of 2,000 meetings where a quarter were expected: far beyond chance, and no error.
    assert 0.0 < binomial_tail(700, 2000, 0.25) < 1e-20
    # 300 of 2,000 where 500 were expected: nothing unusual.
    assert binomial_tail(300, 2000, 0.25) == pytest.approx(1.0)
