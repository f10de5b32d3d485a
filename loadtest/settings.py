"""The project's settings for the load test's gunicorn and worker, with two changes that
keep a run to itself: static files are collected into a folder of the run's own
(``LOADTEST_STATIC_ROOT``; STATIC_ROOT is no environment variable of the project), and
cache keys carry the run's own prefix, so nothing cached by an earlier run on the same
Redis (for another database with the same ids) is read back."""

import os

from imp_assess.settings import *  # noqa: F403
from imp_assess.settings import CACHES

STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["LOADTEST_CACHE_PREFIX"]
