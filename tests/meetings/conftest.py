from tests.meetings.helpers import scene, world  # noqa: F401  (fixtures)
