from tests.followups.helpers import fake_clock, loop  # noqa: F401  (fixtures)
