"""Settings: one class, read from the environment with the JCPP_ prefix."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")
DEMO_CREDENTIALS = VAR_DIR / "demo-credentials.txt"
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev"}


class Settings(BaseSettings):
    """Every setting of the application. Each one is documented in the README's table."""

    model_config = SettingsConfigDict(env_prefix="JCPP_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development", description="`production` refuses to start without a secret key."
    )
    database_url: str = Field(
        default="sqlite:///var/jcpp.sqlite3",
        description="SQLAlchemy URL of the database: SQLite (default) or postgresql+psycopg://…",
    )
    secret_key: str = Field(
        default="",
        description="Signs session cookies and CSRF tokens. Generated into var/secret_key "
        "on first run in development; required in production.",
    )
    time_zone: str = Field(default="America/Chicago", description="The county's time zone.")
    base_url: str = Field(
        default="http://127.0.0.1:8000", description="Public address used in links and e-mails."
    )
    calendar_domain: str = Field(
        default="jcpp.invalid",
        description="Domain in calendar event UIDs; set once, never change (subscribers "
        "would see every meeting twice).",
    )
    warm_up: bool = Field(
        default=True,
        description="Build the NLP pipeline as the app starts, so that the first save of minutes "
        "after a start is as quick as the others.",
    )
    host: str = Field(default="127.0.0.1", description="Address `jcpp serve` listens on.")
    port: int = Field(default=8000, description="Port `jcpp serve` listens on.")
    login_max_failures: int = Field(
        default=5, description="Failed sign-ins in a row before an account is locked."
    )
    login_lockout_minutes: int = Field(
        default=15, description="How long a locked account stays locked."
    )
    smtp_host: str = Field(
        default="", description="SMTP server for e-mail; empty: nothing is sent (/admin/outbox)."
    )
    smtp_port: int = Field(default=587, description="SMTP server port (465 for ssl).")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls, ssl (TLS from the start) or none."
    )
    smtp_username: str = Field(default="", description="SMTP user name; empty: no sign-in.")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_from: str = Field(default="", description="The From address of every e-mail.")
    smtp_timeout: float = Field(default=30.0, description="Seconds to wait for the SMTP server.")

    @model_validator(mode="after")
    def _secret_required_in_production(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key in PLACEHOLDER_SECRETS or len(self.secret_key) < 32
        ):
            raise ValueError(
                "JCPP_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production"
            )
        return self

    @model_validator(mode="after")
    def _smtp_complete(self) -> Settings:
        if not self.smtp_host:
            return self
        if "@" not in self.smtp_from:
            raise ValueError("JCPP_SMTP_FROM must be an e-mail address when JCPP_SMTP_HOST is set")
        if self.smtp_username and self.smtp_security == "none":
            raise ValueError(
                "JCPP_SMTP_USERNAME with JCPP_SMTP_SECURITY=none would send the password "
                "unencrypted: use starttls or ssl"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def effective_secret_key(self) -> str:
        """The configured key, or in development one generated once into var/secret_key."""
        if self.secret_key:
            return self.secret_key
        path = VAR_DIR / "secret_key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
