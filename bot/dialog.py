"""The conversation: what the bot says to a question, a command or a button press.

Telegram handlers, the console and the tests all talk to a ``Dialog``; it holds the
knowledge base and its search index and returns a ``Reply`` from ``bot.render``.
Nothing here knows about Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot import i18n, render
from bot.knowledge import Entry, KnowledgeBase, load_knowledge
from bot.normalize import detect_language
from bot.render import Reply
from bot.search import SUGGEST_THRESHOLD, SearchIndex, SearchResult

MAX_QUESTION_CHARS = 1000  # longer messages are searched by their beginning

# The commands, in menu order, with the i18n key of their description.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "cmd_start"),
    ("help", "cmd_help"),
    ("treaty", "cmd_treaty"),
    ("agreements", "cmd_agreements"),
    ("ask", "cmd_ask"),
    ("source", "cmd_source"),
)


@dataclass(frozen=True)
class Knowledge:
    """A knowledge base with its index: swapped as one object, never half-built."""

    kb: KnowledgeBase
    index: SearchIndex

    @classmethod
    def load(cls, path: str | Path) -> Knowledge:
        kb = load_knowledge(path)
        return cls(kb, SearchIndex(kb))


class Dialog:
    def __init__(self, knowledge: Knowledge, bot_username: str = "treaty_bot"):
        self.knowledge = knowledge
        self.bot_username = bot_username

    @classmethod
    def from_path(cls, path: str | Path, bot_username: str = "treaty_bot") -> Dialog:
        return cls(Knowledge.load(path), bot_username)

    @property
    def kb(self) -> KnowledgeBase:
        return self.knowledge.kb

    def language(self, language_code: str | None = None, text: str = "") -> str:
        """The user's language: Telegram's language_code if we speak it, else the question's script."""
        return i18n.language_of(language_code) or (detect_language(text) if text.strip() else i18n.DEFAULT_LANGUAGE)

    def search(self, question: str) -> SearchResult:
        return self.knowledge.index.find(question[:MAX_QUESTION_CHARS])

    def ask(self, question: str, language: str | None = None) -> tuple[SearchResult, Reply]:
        """Answer a free-text question; returns the search result too (for logs and stats)."""
        knowledge = self.knowledge  # one consistent snapshot even if a reload happens meanwhile
        language = language or self.language(text=question)
        result = knowledge.index.find(question[:MAX_QUESTION_CHARS])
        truncated = len(question) > MAX_QUESTION_CHARS
        return result, render.render_result(result, knowledge.kb, language, truncated=truncated)

    def command(self, name: str, argument: str = "", language: str = i18n.DEFAULT_LANGUAGE) -> Reply:
        """The reply to /name argument (the same in Telegram and the console)."""
        kb = self.knowledge.kb
        if name == "start":
            entry = kb.get(argument.strip()) if argument.strip() else None
            if entry is not None:  # deep link: t.me/bot?start=<entry id>
                return render.render_entry(entry, kb, language)
            if argument.strip():
                return self.ask(argument.replace("_", " ").replace("-", " "), language)[1]
            return render.render_start(kb, language)
        if name == "help":
            return render.render_help(language, self.bot_username)
        if name == "treaty":
            return render.render_treaty(kb, language)
        if name == "agreements":
            return render.render_agreements(kb, language)
        if name == "source":
            return render.render_source(kb, language)
        if name == "ask":
            if not argument.strip():
                return render.render_result(SearchResult("", "none", (), reason="empty"), kb, language)
            return self.ask(argument, language)[1]
        return render.render_notice("unknown_command", language)

    def inline_entries(self, query: str) -> list[Entry]:
        """Entries to offer in inline mode: the main topics, or what the query finds."""
        kb = self.knowledge.kb
        if not query.strip():
            return [entry for entry in kb.entries if entry.kind in ("treaty", "overview", "area")]
        result = self.search(query)
        if result.outcome == "none":
            return []
        return [match.entry for match in result.matches if match.score >= SUGGEST_THRESHOLD]

    def press(self, data: str, language: str = i18n.DEFAULT_LANGUAGE) -> Reply | None:
        """The reply to a button's callback data, or None when the data is unknown or forged.

        ``e:<id>`` opens an entry, ``s:<id>`` picks a "did you mean" suggestion,
        ``c:<command>`` runs a command.
        """
        kind, _, value = data.partition(":")
        if kind in ("e", "s"):
            entry = self.knowledge.kb.get(value)
            return render.render_entry(entry, self.knowledge.kb, language) if entry else None
        if kind == "c" and value in {name for name, _ in COMMANDS} - {"ask"}:
            return self.command(value, "", language)
        return None
