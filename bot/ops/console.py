"""A local chat with the bot in the terminal: the same Dialog the Telegram handlers use.

Type a question or a command (/treaty, /agreements, /help, ...). Buttons of the last
reply are listed with numbers; type a number to press one. /quit or Ctrl-D leaves.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.chat.dialog import Dialog
from bot.chat.render import Reply, render_notice

PROMPT = "you> "
CONSOLE_CHAT = 0  # the console is one chat: a /lang choice lasts for the session
NO_SUCH_BUTTON, NO_SUCH_ONE = "no_such_button", "no_such_button_one"  # the number typed is no button shown


def show(reply: Reply, out: TextIO) -> list[str]:
    """Print a reply and its buttons; return the buttons' callback data in order."""
    out.write("\n" + reply.text + "\n")
    pressable = [button for button in reply.all_buttons() if button.data]
    for number, button in enumerate(pressable, start=1):
        out.write(f"  [{number}] {button.label}\n")
    out.write("\n")
    return [button.data for button in pressable]


def respond(dialog: Dialog, line: str, buttons: list[str], language: str) -> Reply | None:
    """The reply to one console line: a button number, a /command or a question ("2022" is one)."""
    if line.isdigit() and len(line) <= 2 and buttons:
        if 1 <= int(line) <= len(buttons):
            return dialog.press(buttons[int(line) - 1], language, chat_id=CONSOLE_CHAT)
        return render_notice(NO_SUCH_BUTTON if len(buttons) > 1 else NO_SUCH_ONE, language,
                             number=line, count=str(len(buttons)))
    if line.startswith("/"):
        name, _, argument = line[1:].partition(" ")
        return dialog.command(name.split("@")[0].lower(), argument, language, chat_id=CONSOLE_CHAT)
    return dialog.ask(line, language).reply


def run_console(dialog: Dialog, language: str | None = None, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty()
    out.write("treaty-bot console: ask about the Azerbaijan–Uzbekistan Treaty on Allied Relations.\n"
              "Commands: /treaty /agreements /source /lang /help /quit. No Telegram token set, so this "
              "chat stays on your machine.\n")
    spoken = language or "en"
    buttons = show(dialog.command("start", "", spoken), out)
    while True:
        if interactive:
            out.write(PROMPT)
            out.flush()
        line = stdin.readline()
        if not line:
            if interactive:
                out.write("\n")
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "quit", "exit"):
            return 0
        if not interactive:
            out.write(PROMPT + line + "\n")
        if not line.startswith("/") and not line.isdigit():  # commands and buttons follow the last question
            spoken = language or dialog.language_in_chat(CONSOLE_CHAT, text=line)
        reply = respond(dialog, line, buttons, spoken)
        spoken = language or dialog.chat_languages.get(CONSOLE_CHAT) or spoken  # a /lang choice applies at once
        if reply is not None:
            shown = show(reply, out)
            buttons = buttons if reply.title in (NO_SUCH_BUTTON, NO_SUCH_ONE) else shown  # a wrong number keeps them
