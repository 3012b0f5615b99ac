"""The conversation: what the bot says to a question, a command or a button press.

Telegram handlers, the console and the tests all talk to a ``Dialog``; it holds the
knowledge base and its search index and returns a ``Reply`` from ``bot.chat.render``.
Nothing here knows about Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.chat import i18n, render
from bot.search import decision
from bot.search.agreement_questions import AgreementAnswer, answer_agreement_question
from bot.chat.languages import ChatLanguages, parse_choice
from bot.knowledge import UZ_CYRILLIC, Entry, KnowledgeBase, KnowledgeError, Problem, load_knowledge, paused_gc
from bot.search.normalize import detect_language, fold, is_cyrillic
from bot.chat.render import Reply
from bot.search.index import SearchIndex, SearchResult, split_sentences

if TYPE_CHECKING:
    from bot.chat.stats import Stats

MAX_QUESTION_CHARS = 4096  # Telegram's longest message; of longer text (the CLI) this much is read, and it says so
WELCOME = "welcome"        # the deep link (t.me/bot?start=welcome) of the inline "ask me in private" button
SMALLTALK_WORDS = 6        # small talk is short: "thanks a lot", "ok, got it", "who are you?"

# The commands, in menu order, with the i18n key of their description.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "cmd_start"),
    ("help", "cmd_help"),
    ("treaty", "cmd_treaty"),
    ("agreements", "cmd_agreements"),
    ("ask", "cmd_ask"),
    ("source", "cmd_source"),
    ("lang", "cmd_lang"),
)
GROUP_COMMANDS = ("ask", "treaty", "agreements", "source", "help")  # the menu in groups


def command_menu(language: str, group: bool = False) -> list[tuple[str, str]]:
    """(command, description) of the command menu, in ``language``."""
    return [(name, i18n.text(key, language)) for name, key in COMMANDS if not group or name in GROUP_COMMANDS]


class SmallTalk:
    """Whole messages that are small talk, by kind, read once from the lexicon."""

    def __init__(self, phrases: dict[str, tuple[str, ...]], chat_words: frozenset[str] = frozenset()):
        self.chat_words = chat_words  # stop words and chat filler: "thank you, that was very helpful"
        self.exact: dict[str, str] = {}
        for kind, items in phrases.items():
            for phrase in items:
                self.exact.setdefault(fold(phrase), kind)
        self.vocabularies = {kind: {word for phrase in items for word in fold(phrase).split()} | {"bot"}
                             for kind, items in phrases.items()}
        self.words = set().union(*self.vocabularies.values()) if self.vocabularies else set()

    @classmethod
    def of(cls, index: SearchIndex) -> SmallTalk:
        """The knowledge base's small talk, with its stop words and chat filler as words that may come along,
        but not those the lexicon reads as a concept: "Кто автор?" asks about the author, not "who are you?"."""
        kb = index.kb
        chat = {fold(word) for by_language in (kb.stopwords, kb.filler) for words in by_language.values() for word in words}
        return cls(kb.smalltalk, frozenset(word for word in chat if not index.analyzer.concept(word)))

    def kind(self, text: str) -> str:
        """The kind of small talk a whole message is ("thanks", "ok", ...), or ''."""
        words = fold(text).split()
        if not words or len(words) > SMALLTALK_WORDS:
            return ""
        if kind := self.exact.get(" ".join(words)):
            return kind
        for kind, vocabulary in self.vocabularies.items():  # "ok thanks!!", "hi there bot"
            if set(words) <= vocabulary:
                return kind
        if set(words) <= self.words | self.chat_words and set(words) & self.words:
            # "thank you, bye", "thank you so much, that helped!": the last small-talk word says it
            last = next(word for word in reversed(words) if word in self.words)
            return next(kind for kind, vocabulary in reversed(self.vocabularies.items()) if last in vocabulary)
        return ""


@dataclass(frozen=True)
class Knowledge:
    """A knowledge base with its index: swapped as one object, never half-built."""

    kb: KnowledgeBase
    index: SearchIndex
    smalltalk: SmallTalk
    agreements: tuple[Entry, ...]  # the entries questions across the agreements are computed from

    @classmethod
    def load(cls, path: str | Path) -> Knowledge:
        """Load, validate and index (about 8 s at 10,000 entries, so nothing is cached)."""
        with paused_gc():  # millions of small objects, none of them garbage
            index = SearchIndex(load_knowledge(path))
        kb = index.kb
        return cls(kb, index, SmallTalk.of(index), tuple(kb.of_kind("agreement")))


@dataclass(frozen=True)
class Answer:
    """What the bot makes of one message: the reply, and how it got there."""

    question: str
    language: str                          # of the reply
    reply: Reply
    result: SearchResult                   # the search (empty for small talk and computed answers)
    computed: AgreementAnswer | None = None  # a line computed across the agreements
    smalltalk: str = ""                    # the kind of small talk, if it was that

    @property
    def answered(self) -> bool:
        return self.computed is not None or self.result.answer is not None

    @property
    def cited(self) -> tuple[Entry, ...]:
        """The entries the reply quotes as its answer."""
        if self.computed is not None:
            return self.computed.relies_on
        return (self.result.answer,) if self.result.answer else ()


def readable(question: str) -> str:
    """The part of a message that is read: all of it, or its beginning and its end, where a
    question after a long preamble sits."""
    if len(question) <= MAX_QUESTION_CHARS:
        return question
    half = MAX_QUESTION_CHARS // 2
    return question[:half] + "\n" + question[-half:]


class Dialog:
    def __init__(self, knowledge: Knowledge, bot_username: str = "treaty_bot", stats: Stats | None = None,
                 chat_languages: ChatLanguages | None = None):
        self.knowledge = knowledge
        self.bot_username = bot_username
        self.stats = stats  # where unanswered questions, picks and votes are recorded, if anywhere
        self.chat_languages = chat_languages or ChatLanguages()  # what each chat chose with /lang

    def reload(self, path: str | Path) -> list[Problem]:
        """Load and index the knowledge base at ``path``; swap it in only if it is valid.

        Returns the problems found (empty on success). Requests being answered keep
        the snapshot they started with, so none ever sees a half-loaded index.
        """
        try:
            fresh = Knowledge.load(path)
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
        """The user's language: Telegram's language_code if we speak it, else the question's.

        Uzbek comes in two scripts and language_code cannot tell them apart, so an Uzbek
        question written in Cyrillic gets its reply in Cyrillic.
        """
        detected = detect_language(text, self.knowledge.index.language_words) if text.strip() else None
        spoken = i18n.language_of(language_code) or detected or i18n.DEFAULT_LANGUAGE
        if spoken == "uz" and detected in ("uz", None) and is_cyrillic(text):
            return UZ_CYRILLIC
        return spoken

    def language_in_chat(self, chat_id: int, language_code: str | None = None, text: str = "") -> str:
        """The language the chat chose with /lang, else the user's (see ``language``)."""
        return self.chat_languages.get(chat_id) or self.language(language_code, text)

    def choose_language(self, chat_id: int, argument: str, language: str) -> Reply:
        """/lang: offer the choices, or keep the one named ("auto" forgets it) and say so in it."""
        choice = parse_choice(argument)
        if choice is None:
            return render.render_language_choice(language, unknown=argument.strip())
        self.chat_languages.choose(chat_id, None if choice == "auto" else choice)
        if choice == "auto":
            return render.render_notice("lang_auto", language)
        return render.render_notice("lang_set", choice)

    def search(self, question: str) -> SearchResult:
        return self.knowledge.index.find(readable(question))

    def ask(self, question: str, language: str | None = None, chat_type: str = "console") -> Answer:
        """Answer a free-text message: small talk in kind, a question across the agreements by
        computing it, anything else by search."""
        answer = self.understand(question, language)
        result = answer.result
        if self.stats and not answer.answered and not answer.smalltalk and result.reason != "empty":
            self.stats.record_unanswered(readable(question), answer.language, chat_type, result.outcome)
        return answer

    def understand(self, question: str, language: str | None = None) -> Answer:
        """``ask`` without recording anything (inline queries are typed letter by letter)."""
        knowledge = self.knowledge  # one consistent snapshot even if a reload happens meanwhile
        language = language or self.language(text=question)
        text = readable(question)
        empty = SearchResult(question, "none", ())
        kind = knowledge.smalltalk.kind(text)
        if kind:
            return Answer(question, language, render.render_smalltalk(kind, knowledge.kb, language), empty,
                          smalltalk=kind)
        computed = self._computed(text, knowledge)
        if computed is not None:
            reply = render.render_computed(computed.line(language), list(computed.relies_on), knowledge.kb, language)
            return Answer(question, language, reply, empty, computed=computed)
        result = knowledge.index.find(text)
        reply = render.render_result(result, knowledge.kb, language, truncated=len(question) > MAX_QUESTION_CHARS)
        return Answer(question, language, reply, result)

    @staticmethod
    def _computed(text: str, knowledge: Knowledge) -> AgreementAnswer | None:
        """A question across the agreements, read whole or, in a longer message, as the sentence that
        asks it ("I'm preparing a talk on ... Which of the agreements is the oldest? Then I'll go on.")."""
        if not knowledge.agreements:
            return None
        index = knowledge.index
        sentences = split_sentences(text)
        for reading in [text, *(sentence for sentence in sentences if "?" in sentence and len(sentences) > 1)]:
            if (computed := answer_agreement_question(reading, knowledge.agreements, index.analyzer, knows=index.knows)):
                return computed
        return None

    def command(self, name: str, argument: str = "", language: str = i18n.DEFAULT_LANGUAGE,
                chat_type: str = "console", chat_id: int = 0) -> Reply:
        """The reply to /name argument (the same in Telegram and the console)."""
        kb = self.knowledge.kb
        if name == "lang":
            return self.choose_language(chat_id, argument, language)
        if name == "start":
            entry = kb.get(argument.strip()) if argument.strip() else None
            if entry is not None:  # deep link: t.me/bot?start=<entry id>
                return render.render_entry(entry, kb, language)
            if argument.strip() and argument.strip() not in (WELCOME, "start"):
                return self.ask(argument.replace("_", " ").replace("-", " "), language, chat_type).reply
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
            return self.ask(argument, language, chat_type).reply
        return render.render_notice("unknown_command", language)

    def inline_entries(self, query: str) -> list[Entry]:
        """Entries to offer in inline mode: the main topics, or what the query finds."""
        kb = self.knowledge.kb
        if not query.strip():
            return [entry for entry in kb.entries if entry.kind in ("treaty", "overview", "area")]
        answer = self.understand(query)
        words = query.split()
        if not answer.answered and not answer.result.suggestions and words:
            completed = self.knowledge.index.complete(words[-1])  # typed so far: "zangez" is "zangezur"
            if completed:
                answer = self.understand(" ".join([*words[:-1], completed]))
        found = list(answer.cited or answer.result.suggestions)
        likely = [m.entry for m in answer.result.matches if m.score >= decision.MODEL.suggest_at]
        return found + [entry for entry in likely if entry not in found]

    def press(self, data: str, language: str = i18n.DEFAULT_LANGUAGE, chat_type: str = "console",
              question: str = "", chat_id: int = 0) -> Reply | None:
        """The reply to a button's callback data, or None when the data is unknown or forged.

        ``e:<id>`` opens an entry, ``s:<id>`` picks a "did you mean" suggestion (for
        ``question``, if known), ``c:<command>`` runs a command, ``l:<language>`` picks the
        chat's language.
        """
        kind, _, value = data.partition(":")
        if kind == "l":
            return self.choose_language(chat_id, value, language) if parse_choice(value) else None
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

    def _vote_of(self, data: str) -> tuple[str, str] | None:
        """(sign, entry id) of a genuine 👍/👎 (``v:+:<id>`` or ``v:-:<id>``), None for anything else."""
        kind, _, rest = data.partition(":")
        sign, _, entry_id = rest.partition(":")
        if kind == "v" and sign in ("+", "-") and self.knowledge.kb.get(entry_id) is not None:
            return sign, entry_id
        return None

    def is_vote(self, data: str) -> bool:
        return self._vote_of(data) is not None

    def vote(self, data: str) -> bool:
        """Record a 👍/👎 on an answer; False for forged data."""
        vote = self._vote_of(data)
        if vote is None:
            return False
        sign, entry_id = vote
        if self.stats:
            self.stats.record_vote(entry_id, 1 if sign == "+" else -1)
        return True
