"""Inline mode: `@bot energy` in any chat offers cited answers to post."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from bot.chat import i18n
from bot.chat.dialog import WELCOME
from bot.chat.render import one_line, render_entry
from handlers.replies import dialog_of, language_for

MAX_RESULTS = 10
CACHE_SECONDS = 300  # answers are static; let Telegram cache them, per user (they are in the user's language)


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    dialog = dialog_of(context)
    language = language_for(update, context, query.query)
    entries = dialog.inline_entries(query.query)[:MAX_RESULTS]
    results = []
    for entry in entries:
        reply = render_entry(entry, dialog.kb, language)
        results.append(InlineQueryResultArticle(
            id=entry.id,
            title=entry.title_in(language),
            description=one_line(entry, language),
            input_message_content=InputTextMessageContent(reply.html_parts()[0], parse_mode=ParseMode.HTML),
        ))
    button = None
    if not results:
        button = InlineQueryResultsButton(text=i18n.text("button_private", language), start_parameter=WELCOME)
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)


def register(application: Application) -> None:
    application.add_handler(InlineQueryHandler(on_inline_query))
