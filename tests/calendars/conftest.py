from tests.calendars.helpers import county_clock  # noqa: F401  (fixtures)
from tests.meetings.helpers import world  # noqa: F401
