"""Settings from environment variables and an optional ``.env`` file (CONTRACT.md "Settings").

Validated once at start so a typo in ``DATABASE_URL`` or ``NIANBAO_TIMEZONE`` gives a clear message
instead of a traceback deep inside SQLAlchemy or the scheduler.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_BASE = "https://api.telegram.org/bot"
DEFAULT_FILE_BASE = "https://api.telegram.org/file/bot"


def _id_list(value: object) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple, set)):
        return [int(v) for v in value]
    items = [part.strip() for part in str(value).replace(";", ",").split(",")]
    try:
        return [int(item) for item in items if item]
    except ValueError as exc:
        raise ValueError(f"应为逗号分隔的数字 id（如 -1001234,5678），实际为 {value!r}") from exc


class Settings(BaseSettings):
    """All runtime settings. Field names map to the environment variables of CONTRACT.md."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    telegram_bot_token: str | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default=DEFAULT_API_BASE, alias="TELEGRAM_API_BASE_URL")
    telegram_api_file_url: str = Field(default=DEFAULT_FILE_BASE, alias="TELEGRAM_API_FILE_URL")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    data_dir: Path = Field(default=Path("data"), alias="NIANBAO_DATA_DIR")
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="NIANBAO_ADMINS")
    allowed_chats: Annotated[list[int], NoDecode] = Field(
        default_factory=list, alias="NIANBAO_ALLOWED_CHATS"
    )
    timezone: str = Field(default="Asia/Shanghai", alias="NIANBAO_TIMEZONE")
    webhook_url: str | None = Field(default=None, alias="NIANBAO_WEBHOOK_URL")
    webhook_secret: str | None = Field(default=None, alias="NIANBAO_WEBHOOK_SECRET")
    listen: str = Field(default="127.0.0.1:8080", alias="NIANBAO_LISTEN")
    #: Redis shared by several workers for Telegram's flood limits (unset: per-process limiter).
    redis_url: str | None = Field(default=None, alias="NIANBAO_REDIS_URL")
    #: Seconds a worker owns a stored update without a heartbeat before another worker takes it over.
    inbox_lease: float = Field(default=60.0, ge=3.0, alias="NIANBAO_INBOX_LEASE")
    #: /healthz?token=… shows queues and the bot's name; without it /healthz says only "alive".
    health_token: str | None = Field(default=None, alias="NIANBAO_HEALTH_TOKEN")
    #: Whether this process sends reminders (exactly one process per database should).
    scheduler: bool = Field(default=True, alias="NIANBAO_SCHEDULER")
    #: Seconds a single file may take to parse before the worker is killed.
    parse_timeout: float = Field(default=20.0, alias="NIANBAO_PARSE_TIMEOUT")
    parse_workers: int = Field(default=2, ge=1, alias="NIANBAO_PARSE_WORKERS")
    #: Address-space cap of each parsing worker, in MB (0 = no cap).
    parse_memory_mb: int = Field(default=1024, ge=0, alias="NIANBAO_PARSE_MEMORY_MB")
    #: A parsing worker whose resident memory is above this after a file is replaced, in MB (0 = never).
    parse_recycle_mb: int = Field(default=250, ge=0, alias="NIANBAO_PARSE_RECYCLE_MB")
    #: Address-space cap of a parsing worker while it runs OCR, in MB (0 = no cap): ONNX Runtime reserves
    #: far more address space than it uses (bot/reading/ocr.py).
    ocr_memory_mb: int = Field(default=2048, ge=0, alias="NIANBAO_OCR_MEMORY_MB")
    #: OCR time limit per page of a scan or photo, in seconds (plus a start-up allowance for the models).
    ocr_seconds_per_page: int = Field(default=15, ge=1, alias="NIANBAO_OCR_SECONDS_PER_PAGE")
    #: None: INFO for ``run``, WARNING for the other commands (bot/cli.py).
    log_level: str | None = Field(default=None, alias="NIANBAO_LOG_LEVEL")
    # Reminders and the application clock (bot/deadlines/config.py ReminderConfig.from_settings).
    reminder_time: str = Field(default="09:00", alias="NIANBAO_REMINDER_TIME")
    reminder_ladder: str = Field(default="14,7,3,1,0", alias="NIANBAO_REMINDER_LADDER")
    reminder_max_late_hours: float = Field(default=3.0, ge=0, alias="NIANBAO_REMINDER_MAX_LATE_HOURS")
    township_deadline: str = Field(default="01-31", alias="NIANBAO_TOWNSHIP_DEADLINE")
    apply_days: int = Field(default=20, ge=1, le=366, alias="NIANBAO_APPLY_DAYS")
    apply_count_start_day: bool = Field(default=False, alias="NIANBAO_APPLY_COUNT_START_DAY")
    cjk_font: str | None = Field(default=None, alias="NIANBAO_CJK_FONT")

    @field_validator("admins", "allowed_chats", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> list[int]:
        return _id_list(value)

    @field_validator("timezone")
    @classmethod
    def _check_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"未知时区 {value!r}，例如 Asia/Shanghai") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_db(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if value.startswith("postgres://"):
            value = "postgresql://" + value[len("postgres://") :]
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://") :]
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(
                "格式不对，应为 sqlite:///data/nianbao.db 或 postgresql+psycopg://用户@主机/库名"
            ) from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(f"只支持 SQLite 和 PostgreSQL，收到 {url.get_backend_name()!r}")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str | None) -> str | None:
        return None if value is None else log_level_name(value)

    @field_validator("reminder_time")
    @classmethod
    def _check_reminder_time(cls, value: str) -> str:
        from bot.deadlines.config import parse_hhmm

        try:
            return parse_hhmm(value).strftime("%H:%M")
        except ValueError:
            raise ValueError(f"应为 时:分（00:00–23:59），例如 09:00，收到 {value!r}") from None

    @field_validator("reminder_ladder")
    @classmethod
    def _check_ladder(cls, value: str) -> str:
        from bot.deadlines.config import parse_ladder

        try:
            return ",".join(str(d) for d in parse_ladder(value))
        except ValueError:
            raise ValueError(f"应为逗号分隔的提前天数（0–366），例如 14,7,3,1,0，收到 {value!r}") from None

    @field_validator("township_deadline")
    @classmethod
    def _check_township(cls, value: str) -> str:
        value = value.strip()
        if value not in ("01-31", "03-31"):
            raise ValueError(f"应为 01-31 或 03-31，收到 {value!r}")
        return value

    @field_validator("listen")
    @classmethod
    def _check_listen(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"应为 主机:端口，例如 0.0.0.0:8080，收到 {value!r}")
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        """The reminder time zone as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL in use: ``DATABASE_URL`` or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'nianbao.db').as_posix()}"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def log_level_name(value: str) -> str:
    """``"info"`` → ``"INFO"``; anything that is not a logging level raises ValueError (a typo such as
    ``LOUD`` would otherwise be accepted silently as INFO)."""
    name = value.strip().upper()
    if name == "WARN":
        name = "WARNING"
    if name not in LOG_LEVELS:
        raise ValueError(f"应为 {'/'.join(LOG_LEVELS)} 之一，收到 {value!r}")
    return name


class SettingsError(SystemExit):
    """Raised (as a clean exit with a Chinese message) when a setting is malformed."""


_PLAIN_MESSAGES = {
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
}


def _one_line(err: Any) -> str:
    """One Chinese line for one bad setting: the variable, what it should be, what it is."""
    name = err.get("loc", ("?",))[0]
    env = Settings.model_fields[name].alias if name in Settings.model_fields else name
    plain = _PLAIN_MESSAGES.get(err.get("type", ""))
    if plain:
        message = plain.format(**(err.get("ctx") or {})) + f"，收到 {err.get('input')!r}"
    else:
        message = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"配置有误 {env}：{message}（见 README「Settings」）"


def load_settings(**overrides: object) -> Settings:
    """Load and validate settings; a bad value exits with one line per setting, not a traceback."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError("\n".join(_one_line(err) for err in exc.errors())) from None


def env_flag(name: str) -> bool:
    """True when an environment variable is set to a truthy value."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
