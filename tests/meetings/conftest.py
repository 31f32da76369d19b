from tests.meetings.helpers import world  # noqa: F401  (fixture)
