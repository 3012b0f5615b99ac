"""Settings from the environment (and an optional .env file), checked once at start-up.

A missing or malformed setting raises ConfigError with one line that says what to
fix; the CLI prints it and exits, never a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_API_URL = "https://api.telegram.org/bot"
PROJECT = Path(__file__).resolve().parents[2]  # bot/telegram/config.py -> the project folder
DEFAULT_KNOWLEDGE_PATH = PROJECT / "knowledge"
DEFAULT_DATA_DIR = PROJECT / "data"  # not ./data: `report` and `health` run from any folder read the bot's
STATS_FILE = "stats.sqlite3"   # under DATA_DIR
HEARTBEAT_FILE = "heartbeat"   # under DATA_DIR
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


@dataclass(frozen=True)
class Config:
    token: str
    api_url: str = DEFAULT_API_URL
    mode: str = "polling"  # or "webhook"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a container listens on all interfaces
    webhook_port: int = 8080
    knowledge_path: Path = DEFAULT_KNOWLEDGE_PATH
    data_dir: Path = DEFAULT_DATA_DIR
    log_level: str = "INFO"
    admin_ids: frozenset[int] = frozenset()
    rate_limit: bool = True
    timeout: float = 15.0  # seconds for one Bot API request (read and write)
    flood_limit: int = 8   # questions per user per 10 seconds; 0 turns flood control off
    stats_retention_days: int = 90

    @property
    def stats_path(self) -> Path:
        return self.data_dir / STATS_FILE

    @property
    def heartbeat_path(self) -> Path:
        return self.data_dir / HEARTBEAT_FILE

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url).path.strip("/") or "telegram"

    @property
    def file_api_url(self) -> str:
        """Telegram's file URL that matches ``api_url`` (…/bot -> …/file/bot)."""
        base = self.api_url.rstrip("/")
        return base[: -len("bot")] + "file/bot" if base.endswith("bot") else base + "/file/bot"

    def __repr__(self) -> str:  # never print the token or the secret
        return (f"Config(mode={self.mode!r}, api_url={self.api_url!r}, webhook_url={self.webhook_url!r}, "
                f"knowledge_path={str(self.knowledge_path)!r}, log_level={self.log_level!r})")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments, blank lines, quotes and `# comments` after
    an unquoted value allowed)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text: save it as UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.removeprefix("export ").partition("=")
        if not separator or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if value[:1] in ("'", '"') and value[0] in value[1:]:  # quoted: up to the closing quote
            value = value[1:value.index(value[0], 1)]
        else:
            value = value.split(" #", 1)[0].split("\t#", 1)[0].strip()  # FLOOD_LIMIT=8  # per user
        values[key.strip()] = value
    return values


def load_config(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env"),
                require_token: bool = True) -> Config:
    """Build the configuration; the real environment wins over the .env file.

    ``require_token=False`` is for commands that never talk to Telegram (check,
    report, health): they read the same folders and settings as the bot.
    """
    env = {**(read_env_file(env_file) if env_file else {}), **(environ if environ is not None else os.environ)}

    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token and require_token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and set its token")
    if token and not TOKEN_PATTERN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: expected digits, a colon and letters, like 123456:ABC-def")

    api_url = env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
    parsed = urlparse(api_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"TELEGRAM_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, got {api_url!r}")

    webhook_url = env.get("WEBHOOK_URL", "").strip()
    mode = (env.get("BOT_MODE", "").strip().lower() or ("webhook" if webhook_url else "polling"))
    if mode not in ("polling", "webhook"):
        raise ConfigError(f"BOT_MODE must be 'polling' or 'webhook', got {mode!r}")
    secret = env.get("WEBHOOK_SECRET", "").strip()
    if mode == "webhook":
        hook = urlparse(webhook_url)
        loopback = hook.hostname in ("127.0.0.1", "localhost", "::1")  # a local Bot API server, for tests
        if not hook.netloc or not (hook.scheme == "https" or hook.scheme == "http" and loopback):
            raise ConfigError("webhook mode needs WEBHOOK_URL, the public https URL Telegram will post to "
                              "(Telegram posts only to https), e.g. https://bot.example.org/telegram")
        if hook.path.strip("/") == "":
            raise ConfigError("WEBHOOK_URL needs a path, e.g. https://bot.example.org/telegram: "
                              "the bot listens on that path")
        if not SECRET_PATTERN.match(secret):
            raise ConfigError("webhook mode needs WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")

    port_text = env.get("WEBHOOK_PORT", "8080").strip()
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ConfigError(f"WEBHOOK_PORT must be a port number (1-65535), got {port_text!r}")

    level = env.get("LOG_LEVEL", "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")

    admin_text = env.get("ADMIN_IDS", "").replace(" ", "")
    if admin_text and not re.fullmatch(r"\d+(,\d+)*", admin_text):
        raise ConfigError(f"ADMIN_IDS must be comma-separated Telegram user ids, got {admin_text!r}")

    rate_limit = env.get("RATE_LIMIT", "on").strip().lower()
    if rate_limit not in ("on", "off"):
        raise ConfigError(f"RATE_LIMIT must be 'on' or 'off', got {rate_limit!r}")

    timeout_text = env.get("TELEGRAM_TIMEOUT", "15").strip()
    try:
        timeout = float(timeout_text)
    except ValueError:
        timeout = 0.0
    if not 0.5 <= timeout <= 300:
        raise ConfigError(f"TELEGRAM_TIMEOUT must be a number of seconds between 0.5 and 300, got {timeout_text!r}")

    flood_text = env.get("FLOOD_LIMIT", "8").strip()
    if not flood_text.isdigit():
        raise ConfigError(f"FLOOD_LIMIT must be a whole number of questions per 10 seconds (0 = off), got {flood_text!r}")

    retention_text = env.get("STATS_RETENTION_DAYS", "90").strip()
    if not retention_text.isdigit() or int(retention_text) < 1:
        raise ConfigError(f"STATS_RETENTION_DAYS must be a whole number of days (at least 1), got {retention_text!r}")

    defaults = Config(token="0:x")
    knowledge = env.get("KNOWLEDGE_PATH", "").strip()
    return Config(
        token=token,
        api_url=api_url,
        mode=mode,
        webhook_url=webhook_url,
        webhook_secret=secret,
        webhook_listen=env.get("WEBHOOK_LISTEN", "").strip() or defaults.webhook_listen,
        webhook_port=int(port_text),
        knowledge_path=Path(knowledge) if knowledge else defaults.knowledge_path,
        data_dir=Path(env.get("DATA_DIR", "").strip() or defaults.data_dir),
        log_level=level,
        admin_ids=frozenset(int(part) for part in admin_text.split(",") if part),
        rate_limit=rate_limit == "on",
        timeout=timeout,
        flood_limit=int(flood_text),
        stats_retention_days=int(retention_text),
    )
