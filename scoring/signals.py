"""What scoring tells the layers above it, without importing them.

``scores_stored`` is sent, inside the storing transaction, each time a result is stored for an
assessment. Dashboards connect their cache invalidation to it (``dashboards.apps``).
"""

from django.dispatch import Signal

# Sent with ``assessment_id``.
scores_stored = Signal()
