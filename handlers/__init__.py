"""The thin Telegram layer: read an update, ask the engine (bot.chat.dialog), send the reply.

Nothing here decides what to say; that is ``bot.chat.dialog`` and ``bot.chat.render``. These
modules only pick the words out of an update and put the reply on the wire.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import admin, admission, callbacks, commands, errors, inline, messages


def register(application: Application) -> None:
    """Attach every handler, in the order Telegram updates should try them; admission comes first."""
    admission.register(application)
    admin.register(application)
    commands.register(application)
    messages.register(application)
    callbacks.register(application)
    inline.register(application)
    application.add_error_handler(errors.on_error)
