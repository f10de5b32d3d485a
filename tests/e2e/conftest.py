"""The end-to-end suite drives the same browser fixtures as tests/browser/."""

from tests.browser.conftest import *  # noqa: F403
