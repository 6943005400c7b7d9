"""Settings read from ORDERHUB_* environment variables, once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SQLITE_URL = "sqlite:///./orderhub.db"
# Password hashing gets half the cores by default; the event loop keeps the rest.
HASH_THREADS = max(1, (os.cpu_count() or 2) // 2)


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}.") from None


def check_database_url(url: str) -> None:
    """A URL we can use, or a ConfigError saying which forms are supported."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"ORDERHUB_DATABASE_URL is not a database URL; use {SUPPORTED_DATABASES}."
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in ("sqlite", "postgresql", "postgres") or driver not in ("", "psycopg"):
        raise ConfigError(
            f"ORDERHUB_DATABASE_URL uses the unsupported scheme '{parsed.drivername}'; "
            f"use {SUPPORTED_DATABASES}."
        )
    if backend == "sqlite" and not parsed.database:
        raise ConfigError(
            "ORDERHUB_DATABASE_URL names no SQLite file; use sqlite:///path/to/file.db."
        )


class ConfigError(Exception):
    """A setting an operator must fix; the CLI prints it as one line and exits with 2."""


SUPPORTED_DATABASES = "sqlite:///path/to/file.db or postgresql://user@host:port/database"
MIN_SECRET_KEY_BYTES = 32


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Sandbox mode loads demo data and exposes /sandbox routes (e.g. sent OTP messages).
    sandbox: bool
    # Signs access tokens and keys the hashes of SSNs; generated and stored in the
    # database when unset, which is fine for a sandbox and refused in production.
    secret_key: str | None
    token_ttl_seconds: int
    otp_ttl_seconds: int
    otp_max_attempts: int
    otp_issue_limit: int
    otp_issue_window_seconds: int
    reservation_ttl_seconds: int
    # How long an Idempotency-Key's first answer is kept for replays (a day, like
    # payment APIs); afterwards the key may be used again.
    idempotency_ttl_seconds: int
    terms_version: str
    # Webhook delivery (webhooks/worker.py): each `orderhub serve` process runs a worker
    # unless turned off (then run `orderhub worker`); failed deliveries are retried after
    # base, 2 x base, 4 x base... seconds, up to an hour, 8 attempts in all.
    worker_in_server: bool = True
    worker_poll_seconds: float = 1.0
    # The delivery loop looks again this soon after finding nothing: an event waits at
    # most about this long before its first attempt (docs/performance.md: at 1 s the p99
    # from commit to a receiver's 2xx was 2.4 s on PostgreSQL). Its idle cost is one
    # indexed read per look.
    webhook_poll_seconds: float = 0.2
    webhook_retry_base_seconds: float = 10.0
    # The sandbox provisioning system moves each submitted B2B order one milestone per
    # this many seconds (adapters/provisioning.py); the worker applies what is due.
    provisioning_step_seconds: float = 30.0
    # The sandbox fulfillment system moves each submitted consumer order one milestone
    # (shipped, line activated, completed) per this many seconds (adapters/fulfillment.py).
    fulfillment_step_seconds: float = 30.0
    # Password and client-secret checks (identity/hashing.py): threads that run them, and
    # how many more sign-ins may wait for one before the next is refused with 429.
    password_check_threads: int = 1
    password_check_queue: int = 8
    # ...and how many sign-ins may start per second in each process (a quarter second's
    # worth at once); the rest are refused with 429 before any work.
    sign_ins_per_second: float = 20
    # Request bodies over this many bytes are refused with 413 before they are parsed.
    max_body_bytes: int = 1_048_576
    # Log lines: `text` for people, `json` (one object per line) for log shippers.
    log_format: str = "text"
    log_level: str = "info"
    # When set, GET /metrics needs `Authorization: Bearer <token>`.
    metrics_token: str | None = None
    # Retention (retention.py): finished webhook deliveries and outbox events are kept this
    # many days, spent one-time codes and sandbox messages this many hours; the worker
    # deletes at most `retention_batch` rows per table and transaction.
    retention_days: float = 30
    spent_otp_retention_hours: float = 24
    sandbox_message_retention_hours: float = 24
    retention_batch: int = 500
    retention_interval_seconds: float = 60
    # Passkeys (identity/passkeys.py): the relying party id (the site's domain, which the
    # browser scopes each passkey to) and every origin a ceremony may come from.
    webauthn_rp_id: str = "localhost"
    webauthn_rp_name: str = "OrderHub"
    webauthn_origins: tuple[str, ...] = ("http://localhost:8080",)
    # Console sessions (operators/sessions.py) end after this long without a request,
    # and this long after sign-in whatever happens.
    console_idle_minutes: float = 30
    console_session_hours: float = 12

    def check(self) -> None:
        """Refuse settings a process must not start with (ConfigError, one line each)."""
        check_database_url(self.database_url)
        if not self.sandbox:
            if not self.secret_key:
                raise ConfigError(
                    "ORDERHUB_SECRET_KEY must be set when sandbox mode is off "
                    "(ORDERHUB_SANDBOX=0): it signs access tokens and keys SSN hashes."
                )
            if len(self.secret_key.encode()) < MIN_SECRET_KEY_BYTES:
                raise ConfigError(
                    f"ORDERHUB_SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes "
                    "outside the sandbox (e.g. the output of `openssl rand -hex 32`)."
                )
        for name, value, least in (
            ("ORDERHUB_PASSWORD_CHECK_THREADS", self.password_check_threads, 1),
            ("ORDERHUB_PASSWORD_CHECK_QUEUE", self.password_check_queue, 0),
            ("ORDERHUB_SIGN_INS_PER_SECOND", self.sign_ins_per_second, 0.1),
            ("ORDERHUB_RETENTION_DAYS", self.retention_days, 1),
            ("ORDERHUB_SPENT_OTP_RETENTION_HOURS", self.spent_otp_retention_hours, 1),
            ("ORDERHUB_SANDBOX_MESSAGE_RETENTION_HOURS", self.sandbox_message_retention_hours, 1),
            ("ORDERHUB_RETENTION_BATCH", self.retention_batch, 1),
            ("ORDERHUB_RETENTION_INTERVAL_SECONDS", self.retention_interval_seconds, 1),
            ("ORDERHUB_WORKER_POLL_SECONDS", self.worker_poll_seconds, 0.05),
            ("ORDERHUB_WEBHOOK_POLL_SECONDS", self.webhook_poll_seconds, 0.05),
            ("ORDERHUB_MAX_BODY_BYTES", self.max_body_bytes, 1024),
            ("ORDERHUB_TOKEN_TTL_SECONDS", self.token_ttl_seconds, 60),
            ("ORDERHUB_CONSOLE_IDLE_MINUTES", self.console_idle_minutes, 1),
            ("ORDERHUB_CONSOLE_SESSION_HOURS", self.console_session_hours, 1),
        ):
            if value < least:
                raise ConfigError(f"{name} must be at least {least}, not {value}.")
        if not self.webauthn_rp_id or not self.webauthn_origins:
            raise ConfigError(
                "ORDERHUB_WEBAUTHN_RP_ID and ORDERHUB_WEBAUTHN_ORIGINS must not be empty "
                "(e.g. 'shop.example.com' and 'https://shop.example.com')."
            )
        if self.log_format not in ("text", "json"):
            raise ConfigError(
                f"ORDERHUB_LOG_FORMAT must be 'text' or 'json', not {self.log_format!r}."
            )
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ConfigError(
                "ORDERHUB_LOG_LEVEL must be debug, info, warning, error or critical, "
                f"not {self.log_level!r}."
            )

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("ORDERHUB_DATABASE_URL") or DEFAULT_SQLITE_URL,
            sandbox=_flag("ORDERHUB_SANDBOX", True),
            secret_key=os.environ.get("ORDERHUB_SECRET_KEY") or None,
            token_ttl_seconds=_int("ORDERHUB_TOKEN_TTL_SECONDS", 3600),
            otp_ttl_seconds=_int("ORDERHUB_OTP_TTL_SECONDS", 600),
            otp_max_attempts=_int("ORDERHUB_OTP_MAX_ATTEMPTS", 5),
            otp_issue_limit=_int("ORDERHUB_OTP_ISSUE_LIMIT", 5),
            otp_issue_window_seconds=_int("ORDERHUB_OTP_ISSUE_WINDOW_SECONDS", 900),
            reservation_ttl_seconds=_int("ORDERHUB_RESERVATION_TTL_SECONDS", 1800),
            idempotency_ttl_seconds=_int("ORDERHUB_IDEMPOTENCY_TTL_SECONDS", 86_400),
            terms_version=os.environ.get("ORDERHUB_TERMS_VERSION") or "2026-01",
            worker_in_server=_flag("ORDERHUB_WORKER_IN_SERVER", True),
            worker_poll_seconds=_float("ORDERHUB_WORKER_POLL_SECONDS", 1.0),
            webhook_poll_seconds=_float("ORDERHUB_WEBHOOK_POLL_SECONDS", 0.2),
            webhook_retry_base_seconds=_float("ORDERHUB_WEBHOOK_RETRY_BASE_SECONDS", 10.0),
            provisioning_step_seconds=_float("ORDERHUB_PROVISIONING_STEP_SECONDS", 30.0),
            fulfillment_step_seconds=_float("ORDERHUB_FULFILLMENT_STEP_SECONDS", 30.0),
            password_check_threads=_int("ORDERHUB_PASSWORD_CHECK_THREADS", HASH_THREADS),
            password_check_queue=_int("ORDERHUB_PASSWORD_CHECK_QUEUE", 8 * HASH_THREADS),
            sign_ins_per_second=_float("ORDERHUB_SIGN_INS_PER_SECOND", 20 * HASH_THREADS),
            max_body_bytes=_int("ORDERHUB_MAX_BODY_BYTES", 1_048_576),
            log_format=(os.environ.get("ORDERHUB_LOG_FORMAT") or "text").strip().lower(),
            log_level=(os.environ.get("ORDERHUB_LOG_LEVEL") or "info").strip().lower(),
            metrics_token=os.environ.get("ORDERHUB_METRICS_TOKEN") or None,
            retention_days=_float("ORDERHUB_RETENTION_DAYS", 30),
            spent_otp_retention_hours=_float("ORDERHUB_SPENT_OTP_RETENTION_HOURS", 24),
            sandbox_message_retention_hours=_float("ORDERHUB_SANDBOX_MESSAGE_RETENTION_HOURS", 24),
            retention_batch=_int("ORDERHUB_RETENTION_BATCH", 500),
            retention_interval_seconds=_float("ORDERHUB_RETENTION_INTERVAL_SECONDS", 60),
            webauthn_rp_id=(os.environ.get("ORDERHUB_WEBAUTHN_RP_ID") or "localhost").strip(),
            webauthn_origins=tuple(
                origin.strip().rstrip("/")
                for origin in (
                    os.environ.get("ORDERHUB_WEBAUTHN_ORIGINS") or "http://localhost:8080"
                ).split(",")
                if origin.strip()
            ),
            console_idle_minutes=_float("ORDERHUB_CONSOLE_IDLE_MINUTES", 30),
            console_session_hours=_float("ORDERHUB_CONSOLE_SESSION_HOURS", 12),
        )
