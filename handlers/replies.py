"""Sending an engine Reply through Telegram: split to size, keyboard on the last part."""

from __future__ import annotations

import asyncio

from telegram import (BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Message,
                      ReplyParameters, Update)
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.chat.dialog import Dialog, command_menu
from bot.telegram.memory import Recent
from bot.chat.render import Reply


def dialog_of(context: ContextTypes.DEFAULT_TYPE) -> Dialog:
    return context.bot_data["dialog"]


def language_for(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str = "") -> str:
    """The chat's /lang choice, else the user's Telegram language if we speak it, else what they wrote."""
    user, chat = update.effective_user, update.effective_chat
    chat_id = chat.id if chat else (user.id if user else 0)  # inline queries have no chat: the user's own
    return dialog_of(context).language_in_chat(chat_id, user.language_code if user else None, text)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as the library's keyboard object."""
    rows = [[InlineKeyboardButton(button.label, callback_data=button.data) for button in row] for row in reply.buttons]
    return InlineKeyboardMarkup(rows) if rows else None


CHATS_IN_ORDER = 10_000  # chats whose replies are kept in order at once (a lock each, the most recent ones)


def chat_lock(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> asyncio.Lock:
    """One lock per chat: handlers run as tasks, so without it three questions asked in a row
    could be answered in another order when the rate limiter holds their replies back."""
    locks: Recent[int, asyncio.Lock] = context.bot_data.setdefault("chat_locks", Recent(CHATS_IN_ORDER))
    locks[chat_id] = lock = locks.get(chat_id) or asyncio.Lock()
    return lock


async def send_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply,
                     reply_to: Message | None = None) -> Message:
    """Send a reply (in several messages if Telegram's limit requires), after the chat's earlier
    replies and never interleaved with them; returns the last message."""
    parts = reply.html_parts()
    sent: Message | None = None
    async with chat_lock(context, chat_id):  # a free lock is taken at once, a busy one in turn (FIFO)
        for number, part in enumerate(parts, start=1):
            quoted = reply_to is not None and number == 1
            sent = await context.bot.send_message(
                chat_id, part, reply_markup=markup(reply) if number == len(parts) else None,
                reply_parameters=ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
                if quoted and reply_to else None,
            )
    assert sent is not None
    return sent


async def answer_message(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> Message | None:
    """Reply to the message in the update: quoting it in groups, plainly in private chats."""
    message = update.effective_message
    if message is None:
        return None
    quote = message if message.chat.type != ChatType.PRIVATE else None
    return await send_reply(context, message.chat_id, reply, reply_to=quote)


def command_name(message: Message) -> str:
    """"/Ask@treaty_bot energy" -> "ask"."""
    return (message.text or " ").split()[0][1:].split("@")[0].lower()


async def answer_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_message(update, context, dialog_of(context).command("unknown", "", language_for(update, context)))


REMEMBERED_QUESTIONS = 2000  # "did you mean" messages whose question we keep, for stats on picks


def remember_question(context: ContextTypes.DEFAULT_TYPE, sent: Message, question: str) -> None:
    """Keep the question behind a "did you mean" message (bounded), so a pick can be recorded with it."""
    asked: Recent[tuple[int, int], str] = context.bot_data.setdefault("asked", Recent(REMEMBERED_QUESTIONS))
    asked[(sent.chat_id, sent.message_id)] = question


def recall_question(context: ContextTypes.DEFAULT_TYPE, message: Message | None) -> str:
    if message is None:
        return ""
    return context.bot_data.get("asked", {}).get((message.chat.id, message.message_id), "")


async def follow_chat_language(context: ContextTypes.DEFAULT_TYPE, chat_id: int, chat_type: str) -> None:
    """After /lang, the chat's own command menu in the chosen language (or the default one again)."""
    chosen = dialog_of(context).chat_languages.get(chat_id)
    scope = BotCommandScopeChat(chat_id)
    if chosen is None:
        await context.bot.delete_my_commands(scope=scope)
    else:
        menu = command_menu(chosen, group=chat_type != ChatType.PRIVATE)
        await context.bot.set_my_commands([BotCommand(name, text) for name, text in menu], scope=scope)
