"""Turn engine results into replies: Telegram HTML and plain text from one layout.

A reply is laid out once as a list of blocks (a bold title, a paragraph, a quote,
a citation, a list); ``to_html`` and ``to_text`` print the same blocks. Every piece
of text is escaped on the way into HTML, so a ``<`` from a user or the knowledge
base can never break a message, and only tags Telegram accepts are produced.
Buttons are part of the reply too (as plain data), so the Telegram layer, the
console and the tests all see the same choices.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from bot.chat import i18n
from bot.chat.languages import NAMES as LANGUAGE_NAMES
from bot.knowledge import Entry, KnowledgeBase, format_date
from bot.search.index import SearchResult
from bot.chat.stats import StatsReport, format_report

TELEGRAM_TEXT_LIMIT = 4096
RELOAD_PROBLEMS_SHOWN = 20  # /reload lists this many problems and says how many more there are
EXPANDABLE_QUOTE_FROM = 700  # longer quotes fold in Telegram ("expandable" blockquote)


@dataclass(frozen=True)
class Block:
    """One paragraph of a reply. ``style``: title, text, quote, original (a quote under its
    translation, folded in Telegram), label (a line in italics above the next block), cite,
    item or pre (fixed width)."""

    style: str
    text: str


@dataclass(frozen=True)
class Button:
    """An inline button; ``data`` is its callback data (see Dialog.press)."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """A finished reply, ready for any front end."""

    blocks: tuple[Block, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry_id: str | None = None  # the entry answered with, if any
    title: str = ""              # a one-line summary (inline results, logs)

    @property
    def html(self) -> str:
        return to_html(self.blocks)

    @property
    def text(self) -> str:
        return to_text(self.blocks)

    def html_parts(self, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
        return split_html(self.blocks, limit)

    def all_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass
class _Layout:
    """Helper to build the blocks of a reply."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, style: str, text: str) -> _Layout:
        if text:
            self.blocks.append(Block(style, text))
        return self


# --------------------------------------------------------------------------- printing


def _block_html(block: Block) -> str:
    escaped = html.escape(block.text, quote=False)
    if block.style == "pre":
        return f"<pre>{escaped}</pre>"
    if block.style == "title":
        return f"<b>{escaped}</b>"
    if block.style == "quote":
        opening = "<blockquote expandable>" if len(block.text) > EXPANDABLE_QUOTE_FROM else "<blockquote>"
        return f"{opening}{escaped}</blockquote>"
    if block.style == "original":  # the translation above says it; the verbatim text folds to keep the reply short
        return f"<blockquote expandable>{escaped}</blockquote>"
    if block.style in ("cite", "label"):
        return f"<i>{escaped}</i>"
    if block.style == "item":
        return f"• {escaped}"
    return escaped


def _block_text(block: Block) -> str:
    if block.style in ("quote", "original"):
        return "\n".join(f"> {line}" if line else ">" for line in block.text.split("\n"))
    if block.style == "item":
        return f"• {block.text}"
    return block.text


def _join(parts: list[tuple[Block, str]]) -> str:
    """Items sit on consecutive lines; everything else is separated by a blank line."""
    out = ""
    for index, (block, printed) in enumerate(parts):
        if index:
            previous = parts[index - 1][0]
            close = previous.style == "label" or (block.style == "item" and previous.style in ("item", "text", "title"))
            out += "\n" if close else "\n\n"
        out += printed
    return out


def to_html(blocks: tuple[Block, ...] | list[Block]) -> str:
    return _join([(block, _block_html(block)) for block in blocks])


def to_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    return _join([(block, _block_text(block)) for block in blocks])


def visible_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units of the text without markup)."""
    return len(text.encode("utf-16-le")) // 2


def _split_text(text: str, limit: int) -> list[str]:
    """Split a long text at paragraph, then line, then word boundaries."""
    pieces: list[str] = []
    while visible_length(text) > limit:
        window = text[:limit]
        while visible_length(window) > limit:
            window = window[:-1]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= limit // 4:
            cut = len(window)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def split_html(blocks: tuple[Block, ...] | list[Block], limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """HTML messages of at most ``limit`` visible characters, split between blocks.

    A block too long on its own is cut at paragraph or word boundaries and each
    piece keeps its own tags, so every message is well-formed by itself.
    """
    pieces: list[Block] = []
    for block in blocks:
        if visible_length(_block_text(block)) + 4 <= limit:
            pieces.append(block)
        else:
            pieces.extend(Block(block.style, part) for part in _split_text(block.text, limit - 8))
    messages: list[list[Block]] = [[]]
    for block in pieces:
        candidate = messages[-1] + [block]
        if messages[-1] and visible_length(to_text(candidate)) > limit:
            messages.append([block])
        else:
            messages[-1] = candidate
    return [to_html(message) for message in messages if message]


# --------------------------------------------------------------------------- replies


def citation_line(entry: Entry, language: str) -> str:
    source = entry.citation.source
    kind = i18n.text("op-ed", language) if source.kind == "op-ed" else source.kind
    details = [kind]
    if source.published_under:
        details.append(i18n.text("published_under", language, heading=source.published_under))
    return (f"{i18n.text('source', language)}: “{source.title}” ({', '.join(details)}); "
            f"{i18n.text('section', language)}: {i18n.section(entry.citation.section, language)}")


def short_label(title: str, limit: int = 64) -> str:
    """A button label: the title, cut at a word boundary if it is long."""
    if len(title) <= limit:
        return title
    return title[: limit - 1].rsplit(" ", 1)[0].rstrip(":,;.–-") + "…"


def entry_button(entry: Entry, language: str = "en") -> Button:
    return Button(label=short_label(entry.title_in(language)), data=f"e:{entry.id}")


def _rows(buttons: list[Button], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[index:index + per_row]) for index in range(0, len(buttons), per_row))


def render_entry(entry: Entry, kb: KnowledgeBase, language: str) -> Reply:
    """The cited answer: title, our one-line answer if any, the verbatim quote, the citation."""
    layout = _Layout().add("title", entry.title_in(language)).add("text", entry.answer_in(language))
    add_quote(layout, entry, language).add("cite", citation_line(entry, language))
    related = [kb.get(entry_id) for entry_id in entry.related]
    buttons = [entry_button(item, language) for item in related if item is not None]
    return Reply(tuple(layout.blocks), _rows(buttons), entry_id=entry.id, title=entry.title_in(language))


def add_quote(layout: _Layout, entry: Entry, language: str) -> _Layout:
    """The verbatim quote; in Russian, Azerbaijani and Uzbek first its unofficial translation, labelled."""
    translation = entry.translation_in(language)
    if not translation:
        return layout.add("quote", entry.quote)
    layout.add("label", i18n.text("translation_label", language)).add("text", translation)
    return layout.add("label", i18n.text("original_label", language)).add("original", entry.quote)


def with_feedback(reply: Reply) -> Reply:
    """An answer with 👍/👎 buttons under it (private chats), so editors learn what helps."""
    if reply.entry_id is None:
        return reply
    votes = (Button("👍", data=f"v:+:{reply.entry_id}"), Button("👎", data=f"v:-:{reply.entry_id}"))
    return Reply(reply.blocks, reply.buttons + (votes,), reply.entry_id, reply.title)


def without_feedback(rows: tuple[tuple[Button, ...], ...]) -> tuple[tuple[Button, ...], ...]:
    return tuple(row for row in rows if not any(button.data.startswith("v:") for button in row))


def topic_buttons(kb: KnowledgeBase, language: str) -> tuple[tuple[Button, ...], ...]:
    """The main ways into the knowledge base, for 'not found' and empty inline queries."""
    return (
        (Button(i18n.text("button_treaty", language), data="c:treaty"),
         Button(i18n.text("button_agreements", language), data="c:agreements")),
        (Button(i18n.text("button_outcomes", language), data=f"e:{_first_of_kind(kb, 'overview', 'outcomes')}"),),
    )


def _first_of_kind(kb: KnowledgeBase, kind: str, preferred_id: str) -> str:
    if kb.get(preferred_id):
        return preferred_id
    entries = kb.of_kind(kind) or list(kb.entries)
    return entries[0].id


def render_result(result: SearchResult, kb: KnowledgeBase, language: str, truncated: bool = False) -> Reply:
    """The reply to a question, whatever the search found (``truncated``: it says only part was read)."""
    reply = _render_result(result, kb, language)
    if truncated:
        return Reply(reply.blocks + (Block("cite", i18n.text("truncated", language)),), reply.buttons,
                     reply.entry_id, reply.title)
    return reply


def _render_result(result: SearchResult, kb: KnowledgeBase, language: str) -> Reply:
    if result.answer is not None:
        return render_entry(result.answer, kb, language)
    if result.outcome == "detail":  # asks for a detail the materials do not hold: say so, offer the nearest
        nearest = result.suggestions[0]
        layout = _Layout().add("text", i18n.text(f"missing_{result.missing}", language))
        layout.add("text", i18n.text("nearest", language, title=nearest.title_in(language)))
        return Reply(tuple(layout.blocks), _rows([entry_button(nearest, language)]),
                     title=i18n.text(f"missing_{result.missing}", language))
    if result.suggestions:
        entries = result.suggestions
        buttons = [Button(short_label(entry.title_in(language)), data=f"s:{entry.id}") for entry in entries]
        if len(entries) == 1:
            question = i18n.text("did_you_mean_one", language, title=entries[0].title_in(language))
            return Reply((Block("text", question),), _rows(buttons), title=question)
        layout = _Layout().add("text", i18n.text("did_you_mean", language))
        for entry in entries:
            layout.add("item", entry.title_in(language))
        return Reply(tuple(layout.blocks), _rows(buttons), title=i18n.text("did_you_mean", language))
    if result.reason == "empty":
        example = i18n.examples(language)[0]
        return Reply((Block("text", i18n.text("empty", language, example=example)),),
                     topic_buttons(kb, language), title=example)
    return with_topics(Block("text", i18n.text("not_found", language)), kb, language,
                       title=i18n.text("not_found", language).split(".")[0])


def with_topics(block: Block, kb: KnowledgeBase, language: str, title: str) -> Reply:
    """A short message followed by the main topics, listed in the text as well as on buttons."""
    buttons = topic_buttons(kb, language)
    layout = _Layout(blocks=[block]).add("text", i18n.text("topics_intro", language))
    for row in buttons:
        for button in row:
            layout.add("item", button.label)
    return Reply(tuple(layout.blocks), buttons, title=title)


def render_computed(line: str, entries: list[Entry], kb: KnowledgeBase, language: str) -> Reply:
    """A line computed from the agreements' fields, then every agreement it relies on, quoted and cited."""
    layout = _Layout().add("title", i18n.text("computed_header", language)).add("text", line)
    citations: list[str] = []
    for entry in entries:
        add_quote(layout, entry, language)
        citation = citation_line(entry, language)
        if citation not in citations:
            citations.append(citation)
    for citation in citations:
        layout.add("cite", citation)
    buttons = [entry_button(entry, language) for entry in entries]
    return Reply(tuple(layout.blocks), _rows(buttons), title=line)


SMALLTALK_WITH_TOPICS = ("ok", "what_else")


def render_smalltalk(kind: str, kb: KnowledgeBase, language: str) -> Reply:
    """A short reply in kind to thanks, "ok", "who are you?", "what else?", goodbye; a hello gets the welcome."""
    if kind == "greeting":
        return render_start(kb, language)
    block = Block("text", i18n.text(f"smalltalk_{kind}", language))
    if kind in SMALLTALK_WITH_TOPICS:
        return with_topics(block, kb, language, title=kind)
    return Reply((block,), title=kind)


def one_line(entry: Entry, language: str = "en", limit: int = 120) -> str:
    """A one-line description of an entry (inline results): its answer, else its quote (translated if we can)."""
    line = " ".join((entry.answer_in(language) or entry.translation_in(language) or entry.quote).split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def render_start(kb: KnowledgeBase, language: str) -> Reply:
    layout = _Layout().add("text", i18n.text("start", language))
    for example in i18n.examples(language):
        layout.add("item", example)
    return Reply(tuple(layout.blocks), topic_buttons(kb, language), title=i18n.text("start", language))


def render_help(language: str, bot_username: str = "bot") -> Reply:
    language_button = ((Button(i18n.text("button_language", language), data="c:lang"),),)
    return Reply((Block("text", i18n.text("help", language, bot=bot_username)),), language_button, title="/help")


def render_language_choice(language: str, unknown: str = "") -> Reply:
    """/lang: a button per language the bot speaks (each in its own name), and "auto";
    ``unknown``: the code the user typed that is none of them."""
    choices = [Button(name, data=f"l:{code}") for code, name in LANGUAGE_NAMES.items()]
    auto = (Button(i18n.text("button_lang_auto", language), data="l:auto"),)
    asked = i18n.text("lang_choose", language)
    if unknown:
        asked = f"{i18n.text('lang_unknown', language, code=unknown[:20])} {asked}"
    return Reply((Block("text", asked),), (*_rows(choices), auto), title="/lang")


def render_treaty(kb: KnowledgeBase, language: str) -> Reply:
    """What the treaty is, with a button for each area and for the expected outcomes."""
    treaty = kb.get("treaty") or kb.of_kind("treaty")[0]
    layout = _Layout().add("title", i18n.text("treaty_header", language)).add("text", treaty.answer_in(language))
    add_quote(layout, treaty, language).add("cite", citation_line(treaty, language))
    layout.add("text", i18n.text("treaty_areas", language))
    areas = kb.of_kind("area")
    outcomes = [entry for entry in kb.of_kind("overview") if entry.id == "outcomes"]
    buttons = [entry_button(entry, language) for entry in areas + outcomes]
    return Reply(tuple(layout.blocks), _rows(buttons), entry_id=treaty.id, title=i18n.text("treaty_header", language))


def render_agreements(kb: KnowledgeBase, language: str) -> Reply:
    """The agreements in date order, each with its exact title, date, parties and citation."""
    agreements = sorted((entry for entry in kb.of_kind("agreement") if entry.agreement),
                        key=lambda entry: entry.agreement.date)  # type: ignore[union-attr]
    layout = _Layout().add("title", i18n.text("agreements_header", language))
    layout.add("text", i18n.text("agreements_intro", language))
    for entry in agreements:
        facts = entry.agreement
        assert facts is not None
        if translation := entry.translation_in(language):  # the title and date in the reader's language, then verbatim
            layout.add("item", f"{translation} ({facts.title})")
        else:
            layout.add("item", f"{format_date(facts.date)} — {facts.title}. "
                               f"{i18n.text('parties', language)}: {', '.join(facts.parties)}.")
    if agreements:
        layout.add("cite", citation_line(agreements[0], language))
    buttons = [entry_button(entry, language) for entry in agreements]
    return Reply(tuple(layout.blocks), _rows(buttons), title=i18n.text("agreements_header", language))


def render_source(kb: KnowledgeBase, language: str) -> Reply:
    layout = _Layout().add("title", i18n.text("source_header", language))
    entry = kb.get("source") or (kb.of_kind("source") or [None])[0]
    if entry is not None:
        add_quote(layout.add("text", entry.answer_in(language)), entry, language).add("cite", citation_line(entry, language))
    else:
        for source in kb.sources.values():
            layout.add("item", f"“{source.title}” ({source.kind})")
    return Reply(tuple(layout.blocks), title=i18n.text("source_header", language), entry_id=entry.id if entry else None)


def render_reload(problems: list, entries: int, language: str) -> Reply:
    """What an admin sees after /reload: the new size, or every problem (the old base stays)."""
    if problems:
        listing = "\n".join(str(problem) for problem in problems[:RELOAD_PROBLEMS_SHOWN])
        if len(problems) > RELOAD_PROBLEMS_SHOWN:
            listing += f"\n… and {len(problems) - RELOAD_PROBLEMS_SHOWN} more"
        return Reply((Block("text", i18n.text("reload_failed", language)), Block("pre", listing)))
    return Reply((Block("text", i18n.text("reloaded", language, entries=str(entries))),))


def render_report(report: StatsReport | None, language: str) -> Reply:
    """The statistics report for /stats, fixed width; None when statistics are off."""
    text = format_report(report, language) if report is not None else i18n.text("stats_off", language)
    return Reply((Block("pre", text),))


def render_notice(key: str, language: str, **values: str) -> Reply:
    """A one-line message from the interface strings (errors, throttling, unknown command)."""
    return Reply((Block("text", i18n.text(key, language, **values)),), title=key)
