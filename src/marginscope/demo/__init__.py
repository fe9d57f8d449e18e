"""A deterministic synthetic B2B company, at any size.

:func:`build` returns the canonical tables in memory; :func:`generate` writes them as
ERP, CRM and finance exports with a bundle file (``demo.yaml``) that loads them
through the normal mapping and loading path.

The data has planted, testable properties: tiers that differ in order frequency
and size, a Pareto-like concentration of gross profit, Q4 seasonality, churned and
reactivated customers, customers with a negative contribution margin (by deep
discounts or by a high cost to serve), returns, late payers, rep styles and a
budget close to last year's actuals plus growth.
"""

from marginscope.demo.generator import build
from marginscope.demo.sources import generate

__all__ = ["build", "generate"]
