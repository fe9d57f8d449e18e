"""marginscope: self-hosted B2B sales and customer-profitability analytics."""

__version__ = "0.1.0"
