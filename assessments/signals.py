"""What the assessment workflow tells the layers above it, without importing them.

``status_changed`` is sent inside the transaction that submitted, approved or reopened an
assessment; the webhooks app connects to it (``webhooks.apps``) and sends its events after
the commit.

``scoring_wanted`` is sent inside the transaction that changed what an assessment's score
depends on (a response completed, the assessment submitted). The scoring app connects its
request to it (``scoring.apps``); the request itself waits for the commit.
"""

from django.dispatch import Signal

# Sent with ``assessment_id``.
scoring_wanted = Signal()

# Sent with ``assessment_id``, ``status`` (the new one) and ``previous``.
status_changed = Signal()
