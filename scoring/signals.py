"""What scoring tells the layers above it, without importing them.

``scores_stored`` is sent, inside the storing transaction, each time results are stored: once
per batch, with the ids of its assessments. Dashboards connect their cache invalidation to it
(``dashboards.apps``).
"""

from django.dispatch import Signal

# Sent with ``assessment_ids`` (a list).
scores_stored = Signal()
