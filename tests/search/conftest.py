from tests.search.helpers import search_world  # noqa: F401  (fixture)
