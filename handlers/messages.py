"""Free-text questions: every message in a private chat, only addressed ones in groups."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.chat.render import render_notice, with_feedback
from handlers.replies import answer_message, dialog_of, language_for, remember_question


def addressed_question(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a message, or None when the message is not for the bot.

    Private chat: always for the bot. Group: only a mention of the bot or a reply to
    one of its messages; the mention itself is removed from the question.
    """
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    handle = f"@{bot_username}".lower()
    mentioned = any(
        (entity.type == MessageEntity.MENTION and value.lower() == handle)
        or (entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id)
        for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items()
    )
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot_id
    if not (mentioned or to_bot):
        return None
    return re.sub(re.escape(handle), " ", text, flags=re.IGNORECASE).strip()


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    question = addressed_question(message, context.bot.username, context.bot.id)
    if question is None:
        return  # group chatter that is not for us: stay silent
    dialog = dialog_of(context)
    answer = dialog.ask(question, language_for(update, context, question), chat_type=message.chat.type)
    private = message.chat.type == ChatType.PRIVATE
    sent = await answer_message(update, context, with_feedback(answer.reply) if private else answer.reply)
    if sent is not None and answer.result.outcome in ("suggest", "detail"):
        remember_question(context, sent, question)


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo, voice message... in a private chat: one line saying the bot reads text."""
    await answer_message(update, context, render_notice("text_only", language_for(update, context)))


NOT_TEXT = (filters.Sticker.ALL | filters.PHOTO | filters.VIDEO | filters.ANIMATION | filters.VOICE | filters.AUDIO
            | filters.VIDEO_NOTE | filters.Document.ALL | filters.LOCATION | filters.CONTACT | filters.Dice.ALL)


def register(application: Application) -> None:
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & NOT_TEXT, on_not_text))
