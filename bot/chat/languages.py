"""The language a chat chose with /lang: a chat id and a language code, nothing else.

Kept in a small SQLite table (``DATA_DIR/chat_languages.sqlite3``), read once at
start into memory; a choice is written at once (rare, and a millisecond). No
pickle-based persistence: the file holds plain rows anyone can read with sqlite3.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from bot.knowledge import LANGUAGES, UZ_CYRILLIC

CHOICES = (*LANGUAGES, UZ_CYRILLIC)  # what /lang accepts, besides "auto"
NAMES = {"en": "English", "ru": "Русский", "az": "Azərbaycanca", "uz": "O‘zbekcha", UZ_CYRILLIC: "Ўзбекча"}


class ChatLanguages:
    """chat id -> chosen language; ``path`` None keeps the choices in memory only (the console, tests)."""

    def __init__(self, path: Path | None = None):
        self.lock = threading.Lock()
        self.connection = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self.connection.execute("CREATE TABLE IF NOT EXISTS chat_language "
                                "(chat_id INTEGER PRIMARY KEY, language TEXT NOT NULL)")
        self.chosen = {chat: language for chat, language in self.connection.execute(
            "SELECT chat_id, language FROM chat_language") if language in CHOICES}

    def get(self, chat_id: int) -> str | None:
        return self.chosen.get(chat_id)

    def choose(self, chat_id: int, language: str | None) -> None:
        """Keep ``language`` for the chat; None forgets the choice (/lang auto)."""
        with self.lock, self.connection:
            if language is None:
                self.chosen.pop(chat_id, None)
                self.connection.execute("DELETE FROM chat_language WHERE chat_id = ?", (chat_id,))
            else:
                self.chosen[chat_id] = language
                self.connection.execute("INSERT OR REPLACE INTO chat_language VALUES (?, ?)", (chat_id, language))

    def close(self) -> None:
        with self.lock:
            self.connection.close()


def parse_choice(argument: str) -> str | None:
    """'/lang ru' -> 'ru', 'uz-cyrl' / 'ўзбекча' -> 'uz-Cyrl', 'auto' -> 'auto', anything else None."""
    word = argument.strip().lower().replace("_", "-")
    if word in ("auto", "авто", "avto", "ауто"):  # "ауто": the word as the Uzbek Cyrillic reply spells it
        return "auto"
    if word in ("uz-cyrl", "uzc", "uz-cyr", "cyrillic", "ўзбекча", "узбекча"):
        return UZ_CYRILLIC
    for code, name in NAMES.items():
        if word in (code.lower(), name.lower()):
            return code
    return None
