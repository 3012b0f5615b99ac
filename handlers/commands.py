"""/start /help /treaty /agreements /ask /source: each asks the Dialog for its reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from telegram.constants import ChatType

from bot.chat.dialog import COMMANDS
from bot.chat.render import with_feedback
from handlers.replies import answer_message, follow_chat_language, answer_unknown_command, command_name, dialog_of, language_for


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    name = command_name(message)
    argument = " ".join(context.args or [])
    reply = dialog_of(context).command(name, argument, language_for(update, context, argument), message.chat.type,
                                       chat_id=message.chat.id)
    if name == "ask" and message.chat.type == ChatType.PRIVATE:
        reply = with_feedback(reply)
    await answer_message(update, context, reply)
    if name == "lang" and argument.strip():
        await follow_chat_language(context, message.chat.id, message.chat.type)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only in private chats: in a group the command is probably another bot's."""
    await answer_unknown_command(update, context)


def register(application: Application) -> None:
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler([name for name, _ in COMMANDS], on_command, filters=new_messages))
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE & new_messages, on_unknown_command))

