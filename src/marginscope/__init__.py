"""marginscope: self-hosted B2B sales and customer-profitability analytics.

>>> import marginscope
>>> ms = marginscope.open("duckdb://:memory:")   # or postgres://..., or the default file
>>> list(ms.sales.summary().columns)[:4]
['gross_sales', 'discount', 'returns', 'revenue']
"""

__version__ = "0.1.0"


def open(url: str | None = None):
    """Open the warehouse at ``url`` (default: the configured one) for metrics."""
    from marginscope.metrics.engine import open_metrics

    return open_metrics(url)
