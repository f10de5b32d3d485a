"""Browser fixtures live in tests/browser_support.py (shared with tests/e2e/, one chromium
per session); the helpers are re-exported here for the tests that import them."""

from tests.browser_support import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, log_in, log_out

__all__ = ["ARTIFACTS", "CHROMIUM", "LAUNCH_ARGS", "log_in", "log_out"]
