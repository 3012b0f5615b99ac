"""Button presses: answer the callback query first, then edit or send as fits."""

from __future__ import annotations

import logging
from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from telegram.constants import ChatType

from bot.chat import i18n
from bot.telegram.memory import Recent
from bot.chat.render import Button, Reply, with_feedback, without_feedback
from handlers.replies import dialog_of, follow_chat_language, language_for, markup, recall_question, send_reply

log = logging.getLogger(__name__)
HARMLESS = ("query is too old", "query id is invalid", "message is not modified",
            "message to edit not found", "message can't be edited")  # stale, repeated, or on a deleted message


def harmless(error: BadRequest) -> bool:
    """Stale or repeated presses: nothing to do and nothing to report."""
    return any(text in str(error).lower() for text in HARMLESS)


REMEMBERED_TAPS = 10_000  # recent votes and picks, so a double tap counts once (bounded)


def _tap_key(kind: str, update: Update) -> tuple[object, ...]:
    """One vote per answer and one pick per user per message; a message that is gone is known by the user."""
    query = update.callback_query
    assert query is not None
    message = query.message
    user = query.from_user.id if query.from_user else 0
    if message is None:
        return kind, "gone", user, query.data or ""
    return (kind, message.chat.id, message.message_id) if kind == "vote" else (kind, message.chat.id,
                                                                                 message.message_id, user)


def first_tap(context: ContextTypes.DEFAULT_TYPE, key: tuple[object, ...]) -> bool:
    """True the first time ``key`` is seen (and remembers it): taps that arrive before a row is gone."""
    taps: Recent[tuple[object, ...], None] = context.bot_data.setdefault("taps", Recent(REMEMBERED_TAPS))
    if key in taps:
        return False
    taps[key] = None
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    language = language_for(update, context)
    data = query.data or ""
    dialog = dialog_of(context)
    if data.startswith("v:"):
        counted = dialog.is_vote(data) and first_tap(context, _tap_key("vote", update)) and dialog.vote(data)
        await on_vote(update, context, counted, language)
        return
    chat_type = query.message.chat.type if query.message else "private"
    genuine_pick = data.startswith("s:") and dialog.kb.get(data[2:]) is not None
    if genuine_pick and not first_tap(context, _tap_key("pick", update)):
        await _answer_quietly(query)  # a repeated tap on a pick already made: it is the answer by now
        return
    reply = dialog.press(data, language, chat_type, question=recall_question(context, query.message),
                         chat_id=query.message.chat.id if query.message else query.from_user.id)
    try:
        await query.answer(None if reply else i18n.text("stale_button", language))
    except BadRequest as error:
        if not harmless(error):
            raise
    if reply is None or query.message is None:
        return
    if data.startswith("l:"):
        await follow_chat_language(context, query.message.chat.id, query.message.chat.type)
    if query.message.chat.type == ChatType.PRIVATE:
        reply = with_feedback(reply)
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


async def _answer_quietly(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except BadRequest as error:
        if not harmless(error):
            raise


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE, counted: bool, language: str) -> None:
    """Thank the voter and take the 👍/👎 row away, so one answer gets one vote."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer(i18n.text("vote_thanks" if counted else "stale_button", language))
        message = query.message
        if counted and message is not None and message.reply_markup is not None:
            rows = tuple(tuple(Button(b.text, data=b.callback_data or "") for b in row)
                         for row in message.reply_markup.inline_keyboard)
            kept = without_feedback(rows)
            await query.edit_message_reply_markup(markup(Reply((), kept)) if kept else None)
    except BadRequest as error:
        if not harmless(error):
            raise


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(on_button))
