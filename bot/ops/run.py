"""Build and run the python-telegram-bot Application.

Wiring only: configuration, logging that never shows the token, the limiter of
``bot.telegram.rate_limits`` (Telegram's flood limits and retries), the handlers from
``handlers/``, the command menu, and polling or webhook mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import sqlite3
import sys

from telegram import (
    BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, LinkPreviewOptions, Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, Defaults
from telegram.request import HTTPXRequest

import handlers
from bot.chat import i18n
from bot.chat.languages import ChatLanguages
from bot.telegram.config import Config, ConfigError, load_config
from bot.chat.dialog import Dialog, Knowledge, command_menu
from bot.knowledge import LANGUAGES, KnowledgeError
from bot.telegram.rate_limits import RetryingRateLimiter
from bot.chat.stats import Stats
from bot.telegram.budgets import Admission
from bot.telegram.webhook import WebhookRefused, serve_webhook

log = logging.getLogger("treaty_bot")

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
HEARTBEAT_SECONDS = 15
CHAT_LANGUAGES_FILE = "chat_languages.sqlite3"  # under DATA_DIR


class SecretFilter(logging.Filter):
    """Replaces secrets (the bot token, the webhook secret) in every log record."""

    def __init__(self, *secrets: str):
        super().__init__()
        parts = [secret.split(":", 1)[1] for secret in secrets if ":" in secret]  # a token's secret half alone
        self.secrets = sorted({secret for secret in (*secrets, *parts) if len(secret) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            record.exc_info, record.exc_text = None, None  # run_bot says what to do in one line
        message = record.getMessage()
        if (redacted := self.redact(message)) != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if (redacted := self.redact(text)) != text:
                record.exc_text, record.exc_info = redacted, None
        return True


def setup_logging(config: Config) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter(config.token, config.webhook_secret))
    logging.basicConfig(level=config.log_level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and the URL contains the token.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # python-telegram-bot logs whole updates (people's messages) at DEBUG: never below INFO.
    logging.getLogger("telegram").setLevel(max(logging.getLevelName(config.log_level), logging.INFO))


async def set_command_menu(application: Application) -> None:
    """The command menu for private chats and groups, in every language we speak."""
    bot = application.bot
    for language in (None, *LANGUAGES):
        ui = language or i18n.DEFAULT_LANGUAGE
        private = [BotCommand(name, text) for name, text in command_menu(ui)]
        group = [BotCommand(name, text) for name, text in command_menu(ui, group=True)]
        await bot.set_my_commands(private, scope=BotCommandScopeAllPrivateChats(), language_code=language)
        await bot.set_my_commands(group, scope=BotCommandScopeAllGroupChats(), language_code=language)


async def heartbeat(application: Application, config: Config) -> None:
    """Touch DATA_DIR/heartbeat while the bot can serve; stop the bot if Telegram revokes its token.

    `treaty-bot health` (the container HEALTHCHECK) reads its age. In webhook mode the
    heartbeat needs the webhook server to answer; in polling mode, getMe to succeed:
    python-telegram-bot stops polling for good on a token revoked while it runs, and a
    process that polls nothing must neither look healthy nor linger, so it exits 1 and
    the container restarts into the plain "token rejected" line.
    """
    import httpx

    host = "127.0.0.1" if config.webhook_listen in ("0.0.0.0", "::", "") else config.webhook_listen  # noqa: S104
    while True:
        alive = True
        try:
            if config.mode == "webhook":
                async with httpx.AsyncClient(timeout=5) as client:
                    await client.get(f"http://{host}:{config.webhook_port}/")  # any HTTP answer will do
            else:
                await application.bot.get_me()
        except InvalidToken:
            log.error("Telegram rejected the token while running (revoked in @BotFather?): stopping; "
                      "check TELEGRAM_BOT_TOKEN")
            application.bot_data["exit_code"] = 1
            if application.updater and application.updater.running:
                with contextlib.suppress(InvalidToken):  # the polling task ended on the same 401
                    await application.updater.stop()
            application.stop_running()
            return
        except (httpx.HTTPError, TelegramError):
            alive = False
        try:
            if alive:
                config.heartbeat_path.touch()
        except OSError as error:
            log.warning("cannot write the heartbeat %s: %s", config.heartbeat_path, error)
        await asyncio.sleep(HEARTBEAT_SECONDS)


def reload_on_sighup(application: Application) -> None:
    """`kill -HUP <pid>` reloads the knowledge base (validated first) without a restart."""
    from handlers.admin import reload_knowledge

    if hasattr(signal, "SIGHUP"):
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGHUP, lambda: application.create_task(reload_knowledge(application)))


async def post_init(application: Application) -> None:
    dialog: Dialog = application.bot_data["dialog"]
    config: Config = application.bot_data["config"]
    dialog.bot_username = application.bot.username
    await set_command_menu(application)
    reload_on_sighup(application)
    application.bot_data["heartbeat"] = asyncio.get_running_loop().create_task(heartbeat(application, config))
    log.info("treaty-bot @%s ready: %d entries", application.bot.username, len(dialog.kb.entries))


async def post_shutdown(application: Application) -> None:
    config: Config = application.bot_data["config"]
    config.heartbeat_path.unlink(missing_ok=True)  # a stopped bot must not look healthy for the next minute
    task = application.bot_data.pop("heartbeat", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    dialog: Dialog = application.bot_data["dialog"]
    if dialog.stats:
        await asyncio.to_thread(dialog.stats.close)
    dialog.chat_languages.close()


def build_application(config: Config, dialog: Dialog) -> Application:
    """The stock Application: HTTPXRequest, the rate limiter of bot.telegram.rate_limits, handlers that never hold a slot."""
    builder = (
        Application.builder()
        .token(config.token)
        .base_url(config.api_url)
        .base_file_url(config.file_api_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                           block=False))  # handlers run as tasks: a reply waiting on a limit holds no slot
        .rate_limiter(RetryingRateLimiter(enforce=config.rate_limit))
        .request(HTTPXRequest(read_timeout=config.timeout, write_timeout=config.timeout))
        .get_updates_request(HTTPXRequest(connection_pool_size=1, read_timeout=config.timeout))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if config.mode == "webhook":
        builder = builder.updater(None)  # bot.telegram.webhook receives the updates
    application = builder.build()
    application.bot_data["dialog"] = dialog
    application.bot_data["config"] = config
    if config.flood_limit:
        application.bot_data["admission"] = Admission(user_limit=config.flood_limit)
    handlers.register(application)
    return application


def open_chat_languages(config: Config) -> ChatLanguages:
    """The chats' /lang choices in DATA_DIR; in memory (lost at restart) if that cannot be written."""
    try:
        return ChatLanguages(config.data_dir / CHAT_LANGUAGES_FILE)
    except (OSError, sqlite3.Error) as error:
        log.warning("language choices are kept in memory only: cannot use %s (%s)", config.data_dir, error)
        return ChatLanguages()


def run_bot(environ: dict[str, str] | None = None) -> int:
    """`treaty-bot run`: load everything, refuse to start on bad settings or data, then serve."""
    try:
        config = load_config(environ)
    except ConfigError as error:
        print(f"treaty-bot: {error}", file=sys.stderr)
        return 2
    setup_logging(config)
    try:
        knowledge = Knowledge.load(config.knowledge_path)
    except KnowledgeError as error:
        for problem in error.problems:
            log.error("%s", problem)
        log.error("refusing to start: the knowledge base at %s is invalid", config.knowledge_path)
        return 1
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        config.heartbeat_path.unlink(missing_ok=True)  # a stale heartbeat must not look healthy
        stats: Stats | None = Stats(config.stats_path, config.stats_retention_days)
    except (OSError, sqlite3.Error) as error:
        log.warning("statistics are off: cannot use %s (%s)", config.data_dir, error)
        stats = None
    dialog = Dialog(knowledge, stats=stats, chat_languages=open_chat_languages(config))
    application = build_application(config, dialog)
    log.info("starting in %s mode against %s", config.mode, config.api_url)
    try:
        if config.mode == "webhook":
            asyncio.run(serve_webhook(application, listen=config.webhook_listen, port=config.webhook_port,
                                      path=config.webhook_path, url=config.webhook_url,
                                      secret=config.webhook_secret, allowed_updates=ALLOWED_UPDATES))
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    except InvalidToken:  # its message quotes the token: never let it reach a log or a traceback
        log.error("Telegram rejected the token: check TELEGRAM_BOT_TOKEN (a typo, or a token revoked in @BotFather)")
        return 1
    except WebhookRefused as error:
        log.error("Telegram refused the webhook %s: %s", config.webhook_url, error)
        return 1
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        log.error("port %d is in use: stop what listens there or set WEBHOOK_PORT", config.webhook_port)
        return 1
    log.info("stopped")
    return application.bot_data.get("exit_code", 0)
