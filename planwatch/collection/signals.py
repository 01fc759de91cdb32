"""What collection tells the layers above it, without importing them."""

from django.dispatch import Signal

# Sent inside the transaction of a review step (submission=, action=): the values that count
# may have changed. Monitoring listens and recomputes what they feed.
submission_changed = Signal()
