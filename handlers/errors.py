"""One error handler: log the failure with its update context; the bot keeps serving."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Conflict, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.telegram.rate_limits import surely_not_delivered
from bot.chat.render import render_notice
from handlers.replies import answer_message, language_for

log = logging.getLogger(__name__)


def describe(update: object) -> str:
    """Where the failure happened, without message text or names (privacy)."""
    if update is None:
        return "polling for updates"
    if not isinstance(update, Update):
        return repr(type(update).__name__)
    chat = update.effective_chat
    kind = next((name for name in ("message", "callback_query", "inline_query", "edited_message")
                 if getattr(update, name, None) is not None), "other")
    return f"update {update.update_id} ({kind}, chat {chat.type if chat else '-'})"


CONFLICT_EVERY = 60.0  # seconds between two "another instance" lines while the conflict lasts
_last_conflict = [float("-inf")]


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if isinstance(context.error, Conflict):  # python-telegram-bot retries by itself; say why once a minute
        if time.monotonic() - _last_conflict[0] >= CONFLICT_EVERY:
            _last_conflict[0] = time.monotonic()
            log.error("another instance is polling with this token, or a webhook is set (Telegram: Conflict): "
                      "stop the other one; one token serves one bot process")
        return
    if update is None and isinstance(context.error, NetworkError):
        # Telegram unreachable or failing while polling: python-telegram-bot backs off and retries.
        log.warning("Bot API unreachable while %s: %s", describe(update), context.error)
        return
    if isinstance(context.error, TimedOut) or (isinstance(context.error, NetworkError)
                                                and not surely_not_delivered(context.error)):
        log.warning("the Bot API did not answer while handling %s (%s); the reply was sent once and may well "
                    "have been delivered, so it is not sent again", describe(update), context.error)
        return
    log.error("failure while handling %s", describe(update), exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        if isinstance(context.error, TelegramError):
            return  # the API itself is failing; a notice would fail too
        try:
            await answer_message(update, context, render_notice("error", language_for(update, context)))
        except Exception:  # noqa: BLE001 - the error handler must never raise
            log.warning("could not tell the user about the failure")
