from tests.boards.helpers import fixed_today  # noqa: F401  (fixture)
from tests.exports.helpers import county  # noqa: F401  (fixture)
from tests.meetings.helpers import world  # noqa: F401  (fixture)
