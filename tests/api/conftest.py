"""The browser test of the token page uses the browser tests' live server and Chromium."""

from tests.browser.conftest import (  # noqa: F401
    base_url,
    browser_context_args,
    browser_type_launch_args,
    live_server,
)
