"""One admission point for every update, before any handler (handler group -1).

A user or group over its budget (bot.telegram.budgets.Admission) is told once and then
dropped here: no handler runs for the rest of its flood, so it takes no handler
slot and no place in the sending queue, and everyone else is answered as usual.
Updates no handler acts on (group chatter not addressed to the bot, edits,
channel posts) pass uncounted.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.chat import i18n
from bot.chat.render import render_notice
from bot.telegram.budgets import Admission
from handlers.messages import addressed_question
from handlers.replies import answer_message, language_for

ADMISSION_GROUP = -1  # before every handler in the default group 0


def counted_in(update: Update, bot_username: str, bot_id: int) -> tuple[int, int | None, bool] | None:
    """(user id, group id or None, is inline) that the update counts against; None if no handler acts on it."""
    user = update.effective_user
    if user is None:
        return None
    if update.inline_query is not None:
        return user.id, None, True
    if update.callback_query is not None:
        message = update.callback_query.message
        chat = message.chat if message is not None else None
    elif update.message is not None:
        chat = update.message.chat
        is_command = (update.message.text or "").startswith("/")
        if chat.type != ChatType.PRIVATE and not is_command and addressed_question(update.message, bot_username,
                                                                                  bot_id) is None:
            return None  # group chatter: no handler answers it, so it costs nothing
    else:
        return None
    group = chat.id if chat is not None and chat.type != ChatType.PRIVATE else None
    return user.id, group, False


async def admit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let the update through, or tell its sender once to slow down and stop it here."""
    admission: Admission | None = context.bot_data.get("admission")
    counted = counted_in(update, context.bot.username, context.bot.id) if admission else None
    if admission is None or counted is None:
        return
    verdict = admission.check(*counted)
    if verdict == "ok":
        return
    if verdict == "warn":  # sent as a task: admission itself never waits on Telegram
        context.application.create_task(tell_to_slow_down(update, context), update=update)
    raise ApplicationHandlerStop


async def tell_to_slow_down(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    language = language_for(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(i18n.text("slow_down", language))
    elif update.message is not None:
        await answer_message(update, context, render_notice("slow_down", language))


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, admit, block=True), group=ADMISSION_GROUP)  # blocking: it can stop
