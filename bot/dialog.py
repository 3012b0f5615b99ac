"""The conversation: what the bot says to a question, a command or a button press.

Telegram handlers, the console and the tests all talk to a ``Dialog``; it holds the
knowledge base and its search index and returns a ``Reply`` from ``bot.render``.
Nothing here knows about Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot import i18n, render
from bot.cache import load_cached
from bot.knowledge import Entry, KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.normalize import detect_language
from bot.render import Reply
from bot.search import SUGGEST_THRESHOLD, SearchIndex, SearchResult

if TYPE_CHECKING:
    from bot.stats import Stats

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
    def load(cls, path: str | Path, cache_dir: Path | None = None) -> Knowledge:
        """Load, validate and index; with ``cache_dir``, reuse a compiled copy when current.

        The result is for answering: entries keep everything but their alternates
        (questions and keywords), which live on in the index.
        """
        def build() -> Knowledge:
            index = SearchIndex(load_knowledge(path), serving=True)
            return cls(index.kb, index)

        if cache_dir is None:
            return build()
        return load_cached(Path(path), cache_dir, build)


class Dialog:
    def __init__(self, knowledge: Knowledge, bot_username: str = "treaty_bot", stats: Stats | None = None):
        self.knowledge = knowledge
        self.bot_username = bot_username
        self.stats = stats  # where unanswered questions, picks and votes are recorded, if anywhere

    def reload(self, path: str | Path, cache_dir: Path | None = None) -> list[Problem]:
        """Load and index the knowledge base at ``path``; swap it in only if it is valid.

        Returns the problems found (empty on success). Requests being answered keep
        the snapshot they started with, so none ever sees a half-loaded index.
        """
        try:
            fresh = Knowledge.load(path, cache_dir)
        except KnowledgeError as error:
            return error.problems
        self.knowledge = fresh
        return []

    @classmethod
    def from_path(cls, path: str | Path, bot_username: str = "treaty_bot") -> Dialog:
        return cls(Knowledge.load(path), bot_username)

    @property
    def kb(self) -> KnowledgeBase:
        return self.knowledge.kb

    def language(self, language_code: str | None = None, text: str = "") -> str:
        """The user's language: Telegram's language_code if we speak it, else the question's script."""
        if spoken := i18n.language_of(language_code):
            return spoken
        return detect_language(text, self.knowledge.index.language_words) if text.strip() else i18n.DEFAULT_LANGUAGE

    def search(self, question: str) -> SearchResult:
        return self.knowledge.index.find(question[:MAX_QUESTION_CHARS])

    def ask(self, question: str, language: str | None = None, chat_type: str = "console") -> tuple[SearchResult, Reply]:
        """Answer a free-text question; returns the search result too (for logs and stats)."""
        knowledge = self.knowledge  # one consistent snapshot even if a reload happens meanwhile
        language = language or self.language(text=question)
        result = knowledge.index.find(question[:MAX_QUESTION_CHARS])
        if result.answer is None and set(knowledge.index.normalizer.tokens(question[:100])) == {"greeting"}:
            return result, render.render_start(knowledge.kb, language)  # "hi" deserves a hello, not "not found"
        if self.stats and result.answer is None and result.reason != "empty":
            self.stats.record_unanswered(question[:MAX_QUESTION_CHARS], language, chat_type, result.outcome)
        truncated = len(question) > MAX_QUESTION_CHARS
        return result, render.render_result(result, knowledge.kb, language, truncated=truncated)

    def command(self, name: str, argument: str = "", language: str = i18n.DEFAULT_LANGUAGE,
                chat_type: str = "console") -> Reply:
        """The reply to /name argument (the same in Telegram and the console)."""
        kb = self.knowledge.kb
        if name == "start":
            entry = kb.get(argument.strip()) if argument.strip() else None
            if entry is not None:  # deep link: t.me/bot?start=<entry id>
                return render.render_entry(entry, kb, language)
            if argument.strip():
                return self.ask(argument.replace("_", " ").replace("-", " "), language, chat_type)[1]
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
            return self.ask(argument, language, chat_type)[1]
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

    def press(self, data: str, language: str = i18n.DEFAULT_LANGUAGE, chat_type: str = "console",
              question: str = "") -> Reply | None:
        """The reply to a button's callback data, or None when the data is unknown or forged.

        ``e:<id>`` opens an entry, ``s:<id>`` picks a "did you mean" suggestion (for
        ``question``, if known), ``c:<command>`` runs a command.
        """
        kind, _, value = data.partition(":")
        if kind in ("e", "s"):
            entry = self.knowledge.kb.get(value)
            if entry is None:
                return None
            if kind == "s" and self.stats:
                self.stats.record_pick(entry.id, question, language, chat_type)
            return render.render_entry(entry, self.knowledge.kb, language)
        if kind == "c" and value in {name for name, _ in COMMANDS} - {"ask"}:
            return self.command(value, "", language)
        return None

    def vote(self, data: str) -> bool:
        """Record a 👍/👎 on an answer (``v:+:<id>`` or ``v:-:<id>``); False for forged data."""
        kind, _, rest = data.partition(":")
        sign, _, entry_id = rest.partition(":")
        if kind != "v" or sign not in ("+", "-") or self.knowledge.kb.get(entry_id) is None:
            return False
        if self.stats:
            self.stats.record_vote(entry_id, 1 if sign == "+" else -1)
        return True
