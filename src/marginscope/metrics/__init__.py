"""The one place where marginscope's numbers are computed (definitions: METRICS.md).

Start with :func:`marginscope.open`; filters and scope are in :mod:`.filters`.
"""

from marginscope.metrics.engine import Metrics, open_metrics
from marginscope.metrics.filters import EVERYTHING, Filters, Scope

__all__ = ["EVERYTHING", "Filters", "Metrics", "Scope", "open_metrics"]
