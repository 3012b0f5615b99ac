"""Admin commands, /reload and /stats, for the user ids in ADMIN_IDS only, in a private chat.

Anyone else gets exactly what an unknown command gets, so nothing hints that
these commands exist; an admin who asks in a group is asked to ask in private
(the report holds what people asked, and a reload names server paths).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import i18n
from bot.telegram.config import Config
from bot.chat.render import Reply, render_notice, render_reload, render_report
from handlers.replies import answer_message, answer_unknown_command, command_name, dialog_of, language_for

log = logging.getLogger(__name__)


async def reload_knowledge(application: Application) -> Reply:
    """Validate and load the knowledge base again; keep the old one if the new one is invalid."""
    config: Config = application.bot_data["config"]
    dialog = dialog_of(application)  # type: ignore[arg-type]
    problems = await asyncio.to_thread(dialog.reload, config.knowledge_path)
    for problem in problems:
        log.error("reload refused: %s", problem)
    if not problems:
        log.info("knowledge base reloaded: %d entries", len(dialog.kb.entries))
    return render_reload(problems, len(dialog.kb.entries), i18n.DEFAULT_LANGUAGE)


async def on_admin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    config: Config = context.bot_data["config"]
    if message is None or not message.text:
        return
    if user is None or user.id not in config.admin_ids:
        if message.chat.type == ChatType.PRIVATE:
            await answer_unknown_command(update, context)
        return
    if message.chat.type != ChatType.PRIVATE:  # statistics and server paths are not for the whole group
        await answer_message(update, context, render_notice("admin_in_private", i18n.DEFAULT_LANGUAGE))
        return
    if command_name(message) == "reload":
        reply = await reload_knowledge(context.application)
    else:
        stats = dialog_of(context).stats
        reply = render_report(await asyncio.to_thread(stats.report) if stats else None, language_for(update, context))
    await answer_message(update, context, reply)


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["reload", "stats"], on_admin_command, filters=filters.UpdateType.MESSAGE))
