"""Settings, in one place, read from the environment (prefix ``MARGINSCOPE_``) or a .env file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_WAREHOUSE = "duckdb://marginscope.duckdb"


class Settings(BaseSettings):
    """marginscope's settings.

    Examples
    --------
    >>> Settings(warehouse="duckdb:///tmp/x.duckdb").warehouse
    'duckdb:///tmp/x.duckdb'
    """

    model_config = SettingsConfigDict(env_prefix="MARGINSCOPE_", env_file=".env", extra="ignore")

    warehouse: str = Field(
        DEFAULT_WAREHOUSE,
        description="Warehouse URL: duckdb://PATH (default, a file in the working directory), "
        "postgres://user:password@host/db, or any Ibis backend URL.",
    )
    user: str | None = Field(None, description="Name recorded in the load log; defaults to the OS user.")
    fiscal_year_start_month: int = Field(1, ge=1, le=12, description="First month of the fiscal year.")
    currency: str = Field("EUR", description="Currency the amounts are in, as shown on pages (ISO code).")
    host: str = Field("127.0.0.1", description="Address `marginscope serve` listens on.")
    port: int = Field(8050, ge=1, le=65535, description="Port `marginscope serve` listens on.")
    refresh_hours: float = Field(24.0, gt=0, description="Expected hours between loads of a table; the Data page "
                                                         "flags tables loaded longer ago.")
    warm_up: bool = Field(True, description="Render the common views when the server starts, so that the first "
                                            "visitors do not wait for queries to compile.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
