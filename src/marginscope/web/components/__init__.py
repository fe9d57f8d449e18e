"""Parts every page shares: tables, KPI cards, charts, notices, the filter bar."""
