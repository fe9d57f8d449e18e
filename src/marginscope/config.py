"""Settings, in one place, read from the environment (prefix ``MARGINSCOPE_``) or a .env file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_WAREHOUSE = "duckdb://marginscope.duckdb"
DEFAULT_APP_DB = "marginscope-app.sqlite3"


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
        "postgresql://user:password@host/db, spark://local[N] or spark://host:7077 (query parameters are "
        "Spark settings), or any Ibis backend URL.",
    )
    user: str | None = Field(None, description="Name recorded in the load log; defaults to the OS user.")
    fiscal_year_start_month: int = Field(1, ge=1, le=12, description="First month of the fiscal year.")
    currency: str = Field("EUR", description="Currency the amounts are in, as shown on pages (ISO 4217 code). A "
                                             "load refuses lines in any other currency: none are converted yet.")
    date_horizon_days: int = Field(366, ge=0, description="A load refuses dates of things that have happened "
                                                          "(invoices, orders, payments, costs) more than this many "
                                                          "days after today: a typo such as 2062 would otherwise "
                                                          "take over the default date range.")
    net_amount_tolerance: float = Field(0.01, ge=0, description="How far a line's net_amount may be from quantity "
                                                                "x unit_price - discount_amount (in the currency) "
                                                                "before the load refuses the line; the rounding of "
                                                                "the unit price to four decimals is allowed on top.")
    host: str = Field("127.0.0.1", description="Address `marginscope serve` listens on.")
    port: int = Field(8050, ge=1, le=65535, description="Port `marginscope serve` listens on.")
    refresh_hours: float = Field(24.0, gt=0, description="Expected hours between loads of a table; the Data page "
                                                         "flags tables loaded longer ago.")
    app_db: str = Field(DEFAULT_APP_DB, description="SQLite file of users, sessions, API tokens, saved views and "
                                                    "the audit log (default: in the working directory).")
    session_hours: float = Field(12.0, gt=0, description="Hours a sign-in lasts.")
    secure_cookies: bool | None = Field(None, description="Mark session cookies Secure; default: when the request "
                                                          "came over HTTPS (directly or through a proxy of "
                                                          "trusted_proxies that says so).")
    ingest_max_mb: int = Field(64, ge=1, description="Largest body, in MB, a push to the ingest API may have "
                                                     "(100,000 rows of invoice lines take about 30 MB); larger "
                                                     "is refused with 413 before it is read.")
    request_max_mb: int = Field(8, ge=1, description="Largest body, in MB, of any other request (the dashboard's "
                                                     "callbacks send well under 1 MB); sign-in forms: 16 KB.")
    login_attempts: int = Field(5, ge=1, description="Failed sign-ins of one user name from one address before "
                                                     "each further attempt from there waits (see login_backoff_"
                                                     "seconds); the user still signs in from other addresses.")
    login_backoff_seconds: float = Field(30.0, gt=0, description="The first wait after login_attempts failures; "
                                                                 "it doubles with each further failure.")
    login_backoff_max_minutes: float = Field(15.0, gt=0, description="The longest wait between sign-in attempts "
                                                                     "of one user name from one address.")
    login_window_minutes: float = Field(15.0, gt=0, description="Minutes after its last wait that a user name and "
                                                                "address are forgotten; also the window of "
                                                                "login_address_attempts.")
    login_address_attempts: int = Field(50, ge=1, description="Failed sign-ins from one address, over all user "
                                                              "names, within login_window_minutes before that "
                                                              "address waits (against password spraying).")
    login_tracked_keys: int = Field(10_000, ge=1, description="The most user name and address pairs (and the most "
                                                              "addresses) the sign-in limits remember; the "
                                                              "longest untouched are forgotten first.")
    trusted_proxies: list[str] = Field(
        [], description="Addresses (or networks, e.g. 10.0.0.0/8) of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers `marginscope serve` believes, as JSON in the environment (e.g. "
        '["127.0.0.1"]). Default none: the client is always the connection\'s peer, so nobody can claim '
        "another address to the sign-in limits or the audit log.")
    admin_user: str | None = Field(None, description="With admin_password: an admin created when the server "
                                                     "starts, if no user of that name exists.")
    admin_password: str | None = Field(None, description="The password of admin_user (read from the environment "
                                                         "only; never a default).")
    chromium: str = Field("/usr/bin/chromium", description="The Chromium (or Chrome) program that prints PDF "
                                                           "exports of pages; launched headless for each export.")
    rollups: bool = Field(True, description="Read sales figures from the pre-aggregated daily and monthly rollups "
                                            "where they give the same answer as the invoice lines (much faster on "
                                            "large warehouses); off reads the lines always.")
    warm_up: bool = Field(True, description="Render the common views when the server starts, so that the first "
                                            "visitors do not wait for queries to compile.")
    forecast_process: bool = Field(True, description="Fit forecasts in a worker process, in parallel with the "
                                                     "page's queries; off fits them in the server's process.")

    base_url: str | None = Field(None, description="Address users open marginscope at, for the links in alerts "
                                                   "(default http://HOST:PORT).")
    smtp_host: str | None = Field(None, description="SMTP server that sends alert emails; without it, email "
                                                    "alerts are recorded as not sent.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_from: str = Field("marginscope@localhost", description="Sender address of alert emails.")
    smtp_user: str | None = Field(None, description="SMTP user name, if the server wants a sign-in.")
    smtp_password: str | None = Field(None, description="SMTP password (read from the environment).")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    alert_webhook_hosts: list[str] = Field(
        ["hooks.slack.com", "*.webhook.office.com", "*.logic.azure.com"],
        description="Hosts alert webhooks may post to (shell-style patterns, as JSON in the environment); over "
        "https only, but for 127.0.0.1, ::1 and localhost, which may use plain http.")
    alerts_every_minutes: float = Field(60.0, gt=0, description="Minutes between scheduled evaluations of the "
                                                                "alert rules by the server (they also run after "
                                                                "every load).")
    refresh_config: str | None = Field(None, description="A refresh file (sources to reload on a schedule) the "
                                                         "server runs; see `marginscope refresh`.")

    def link_base(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
