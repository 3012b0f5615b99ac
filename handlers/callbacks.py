"""Button presses: answer the callback query first, then edit or send as fits."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot import i18n
from handlers.replies import dialog_of, language_for, markup, send_reply

log = logging.getLogger(__name__)
HARMLESS = ("query is too old", "query id is invalid", "message is not modified")


def harmless(error: BadRequest) -> bool:
    """Stale or repeated presses: nothing to do and nothing to report."""
    return any(text in str(error).lower() for text in HARMLESS)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    language = language_for(update, context)
    data = query.data or ""
    reply = dialog_of(context).press(data, language)
    try:
        await query.answer(None if reply else i18n.text("stale_button", language))
    except BadRequest as error:
        if not harmless(error):
            raise
    if reply is None or query.message is None:
        return
    try:
        parts = reply.html_parts()
        if data.startswith("s:") and len(parts) == 1:  # a "did you mean" pick becomes the answer
            await query.edit_message_text(parts[0], reply_markup=markup(reply))
        else:
            await send_reply(context, query.message.chat.id, reply)
    except BadRequest as error:
        if not harmless(error):
            raise
        log.debug("ignored: %s", error)


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(on_button))
