"""Property tests: whatever people type or press, the engine answers and Telegram accepts it.

Hypothesis throws arbitrary Unicode at the engine (up to 10,000 characters) mixed with
the things that break bots: control and zero-width characters, bidirectional marks,
emoji sequences, HTML and Markdown fragments, very long words, Cyrillic, Azerbaijani and
Uzbek letters, and real questions from the dev set. Every reply must be something the
Bot API would accept (checked with the fake server's own HTML parser, strict mode), and
the same input must always give the same result.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.chat import i18n
from bot.chat.dialog import COMMANDS
from bot.knowledge import LANGUAGES, UZ_CYRILLIC, load_knowledge
from bot.chat.render import Reply, render_entry, with_feedback
from bot.search.index import RANKED, SearchIndex
from tests.conftest import KNOWLEDGE
from tests.fake_bot_api import MAX_CALLBACK_DATA_BYTES, MAX_MESSAGE_LENGTH, parse_html, utf16_len

OUTCOMES = ("answer", "suggest", "detail", "none")
MAX_TEXT = 10_000

# Function-scoped fixtures (``dialog``) are stateless here, so reusing one across examples is fine.
# No example database: nothing is written into the working tree.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

# ----------------------------------------------------------------------------- strategies

DEV_QUESTIONS = [item["q"] for item in yaml.safe_load(
    (Path(__file__).parent / "dev_questions.yaml").read_text(encoding="utf-8")) if item.get("q")]

NASTY = [
    # control, zero-width, bidi, BOM, line and paragraph separators
    "\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\x85", "\r\n", "\r", "\t", "\v", "\f",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u061c", "\u2028", "\u2029", "\ufffd", "\ufffe", "\uffff", "\U000e0001", "\U0010ffff",
    # emoji: skin tones, ZWJ families, flags, keycaps, variation selectors
    "👍🏽", "👨‍👩‍👧‍👦", "🇦🇿🇺🇿", "🏳️‍🌈", "1️⃣", "❤️", "🤝", "😀" * 20, "\U0001f1e6",
    # HTML that must never reach Telegram unescaped
    "<b>", "</b>", "<i>x</i>", "<a href=\"http://x\">", "</a>", "<blockquote expandable>", "<pre>", "<code>",
    "<tg-spoiler>", "<tg-emoji emoji-id=\"5368324170671202286\">", "<script>alert(1)</script>", "<br>",
    "<", ">", "&", "&amp;", "&lt;", "&#0;", "&#x110000;", "&#xD800;", "&#55296;", "&nbsp;", "&", "<!--", "-->",
    "<b>unclosed & \u202e evil</b>", "</blockquote></b></i>",
    # Markdown and MarkdownV2 fragments
    "*bold*", "_italic_", "__u__", "~s~", "||spoiler||", "`code`", "```py\nprint()\n```", "[link](http://x)",
    "\\", "\\_", "**", "> quote", "#", "!", ".", "-", "=", "|", "{", "}",
    # commands, mentions, deep-link looking things
    "/start", "/ask", "/start@treaty_test_bot", "@treaty_test_bot", "@", "e:treaty", "s:outcomes", "c:treaty",
    # the scripts the bot is for
    "Договор о союзнических отношениях", "Казахстан", "энергетика", "Зангезурский коридор",
    "Azərbaycan", "Özbəkistan", "Qazaxıstan", "müqavilə", "enerji təhlükəsizliyi", "ğ ı ş ç ö ü ə İ",
    "Oʻzbekiston", "Qozog'iston", "shartnoma", "Ўзбекистон", "Қозоғистон", "ҳамкорлик",
    "Türkmenistan", "Кыргызстан", "Tojikiston", "2024", "23.08.2024", "2024-08-23", "23rd", "1st",
    # other scripts and look-alikes
    "العربية", "עברית", "中文", "日本語", "한국어", "हिन्दी", "ΑΒΓ", "ﬁ", "Ⅻ", "①", "ｔｒｅａｔｙ",
    "İ", "ß", "ẞ", "ǅ", "\u0301\u0301\u0301", "e\u0301", "Z\u0335\u0321a\u0336l\u0338g\u0337o",
]

LETTERS = "abcdefghijklmnopqrstuvwxyzəğışçöüАБВГДЕЖЗИЙКабвгдежзийклмнопрстуфхцчшщъыьэюяўқғҳ'ʻ’-0123456789"

unicode_text = st.text(max_size=60)  # any code point except surrogates
odd_characters = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Co", "Cn", "Zl", "Zp", "Zs", "Mn", "Me",
                                                             "So", "Sk"]), max_size=20)
long_word = st.text(alphabet=st.sampled_from(LETTERS), min_size=50, max_size=3000)
piece = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(DEV_QUESTIONS),
    unicode_text,
    odd_characters,
    long_word,
    st.just(" "),
)
hostile_text = st.one_of(
    st.lists(piece, max_size=40).map("".join).map(lambda text: text[:MAX_TEXT]),
    st.text(max_size=MAX_TEXT),
    st.sampled_from(DEV_QUESTIONS),
    st.builds(lambda unit, times: (unit * times)[:MAX_TEXT], st.sampled_from(NASTY + DEV_QUESTIONS),
              st.integers(min_value=1, max_value=MAX_TEXT)),
)
language_code = st.sampled_from([*LANGUAGES, None])

# ----------------------------------------------------------------------------- helpers


def assert_telegram_accepts(reply: Reply) -> None:
    """Every message of the reply is valid Telegram HTML within the limits; every button is valid."""
    assert isinstance(reply, Reply)
    parts = reply.html_parts()
    assert parts, "a reply without any message"
    for number, part in enumerate(parts, start=1):
        plain, _ = parse_html(part, strict=True)  # raises HtmlParseError like Telegram's 400
        assert plain.strip(), f"part {number} has no visible text (Telegram: message text is empty)"
        assert utf16_len(plain) <= MAX_MESSAGE_LENGTH, (
            f"part {number} of {len(parts)} is {utf16_len(plain)} UTF-16 units long (limit {MAX_MESSAGE_LENGTH})")
    buttons = reply.all_buttons()
    assert len(buttons) <= 100
    for button in buttons:
        assert button.label.strip(), f"a button without a label: {button!r}"
        size = len(button.data.encode("utf-8"))
        assert 1 <= size <= MAX_CALLBACK_DATA_BYTES, f"callback data of {size} bytes: {button.data!r}"


def summary(result) -> tuple:
    return (result.outcome, tuple((match.entry.id, match.score) for match in result.matches),
            result.answer.id if result.answer else None, tuple(entry.id for entry in result.suggestions))


def reply_summary(reply: Reply | None) -> tuple | None:
    if reply is None:
        return None
    return (tuple(reply.html_parts()), reply.text,
            tuple(tuple((b.label, b.data) for b in row) for row in reply.buttons),
            reply.entry_id, reply.title)


@pytest.fixture(scope="module")
def cold_index(knowledge) -> SearchIndex:
    """A second index over the same knowledge base, with its own (cold) caches."""
    return SearchIndex(load_knowledge(KNOWLEDGE))


# ----------------------------------------------------------------------------- properties


@PROPERTY
@given(text=hostile_text)
def test_find_never_raises_and_has_one_of_three_outcomes(index, text):
    result = index.find(text)
    event(f"outcome: {result.outcome}")
    assert result.outcome in OUTCOMES
    scores = [match.score for match in result.matches]
    assert all(0.0 <= score <= 1.0 for score in scores), scores
    assert scores == sorted(scores, reverse=True)
    if result.outcome == "answer":
        assert result.answer is not None and result.answer.id == result.matches[0].entry.id
        assert result.suggestions == ()
    elif result.outcome == "suggest":
        assert result.answer is None and 1 <= len(result.suggestions) <= RANKED  # a tie is shown whole
    elif result.outcome == "detail":  # the nearest passage is offered, not given as the answer
        assert result.answer is None and result.suggestions == (result.matches[0].entry,) and result.missing
    else:
        assert result.answer is None and result.suggestions == ()


@PROPERTY
@given(text=hostile_text, language=language_code)
def test_ask_never_raises_and_telegram_accepts_the_reply(dialog, text, language):
    answer = dialog.ask(text, language)
    event(f"outcome: {answer.result.outcome}")
    assert answer.result.outcome in OUTCOMES
    assert_telegram_accepts(answer.reply)


@PROPERTY
@given(text=hostile_text)
def test_ask_with_language_from_the_text(dialog, text):
    language = dialog.language(text=text)
    assert language in (*LANGUAGES, UZ_CYRILLIC)
    assert_telegram_accepts(dialog.ask(text).reply)


@settings(PROPERTY, max_examples=250)
@given(name=st.one_of(st.sampled_from([name for name, _ in COMMANDS] + ["unknown", "frobnicate", "", "START"]),
                      st.text(max_size=40)),
       argument=st.one_of(hostile_text, st.sampled_from(["", " ", "treaty", "energy", "agreement-tajikistan-2024",
                                                          "outcomes", "no-such-entry", "_-_", "e:treaty"]))
       , language=st.sampled_from(LANGUAGES))
def test_every_command_with_any_argument(dialog, name, argument, language):
    reply = dialog.command(name, argument, language)
    assert_telegram_accepts(reply)


@settings(PROPERTY, max_examples=300)
@given(data=st.data(), language=st.sampled_from(LANGUAGES))
def test_press_with_any_callback_data(dialog, data, language):
    ids = [entry.id for entry in dialog.kb.entries]
    value = st.one_of(st.sampled_from(ids + [name for name, _ in COMMANDS]), st.text(max_size=80),
                      st.sampled_from(ids).map(lambda entry_id: entry_id + "\x00"),
                      st.sampled_from(ids).map(str.upper))
    payload = data.draw(st.one_of(
        st.text(max_size=300),
        st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(["e:", "s:", "c:", "x:", ":", "e::", "E:", ""]),
                  value),
        st.binary(max_size=64).map(lambda raw: raw.decode("utf-8", "replace")),
    ), label="callback data")
    reply = dialog.press(payload, language)
    if reply is not None:
        assert_telegram_accepts(reply)
    assert reply_summary(dialog.press(payload, language)) == reply_summary(reply)
    vote = "v:" + payload  # the 👍/👎 buttons: only v:+:<entry id> and v:-:<entry id> count
    sign, _, entry_id = payload.partition(":")
    assert dialog.vote(vote) == (sign in ("+", "-") and dialog.kb.get(entry_id) is not None)
    assert dialog.vote(payload) is False or payload.startswith("v:")


def test_every_button_the_bot_can_show_leads_somewhere(dialog):
    """Buttons from every command and every entry: their data is valid and pressing them answers."""
    replies = [dialog.command(name, "", language) for name, _ in COMMANDS for language in LANGUAGES]
    replies += [dialog.press(f"e:{entry.id}") for entry in dialog.kb.entries]
    replies += [with_feedback(render_entry(entry, dialog.kb, language))  # answers in private chats
                for entry in dialog.kb.entries for language in LANGUAGES]
    replies += [dialog.ask(question).reply for question in DEV_QUESTIONS]
    seen: set[str] = set()
    for reply in replies:
        assert reply is not None
        assert_telegram_accepts(reply)
        seen.update(button.data for button in reply.all_buttons() if button.data)
    assert seen
    for data in sorted(seen):
        if data.startswith("v:"):
            assert dialog.vote(data), f"the bot shows a vote button {data!r} it then refuses"
            continue
        pressed = dialog.press(data)
        assert pressed is not None, f"the bot shows a button {data!r} that leads nowhere"
        assert_telegram_accepts(pressed)


@PROPERTY
@given(text=hostile_text)
def test_same_input_same_result(index, cold_index, dialog, text):
    first = summary(index.find(text))
    assert summary(index.find(text)) == first            # warm caches
    assert summary(cold_index.find(text)) == first       # another index, cold caches
    reply = reply_summary(dialog.ask(text).reply)
    assert reply_summary(dialog.ask(text).reply) == reply


@settings(PROPERTY, max_examples=40)
@given(texts=st.lists(hostile_text, min_size=2, max_size=6))
def test_result_does_not_depend_on_what_was_asked_before(knowledge, texts):
    """A question's answer is the same whatever other questions the index saw first."""
    forward = SearchIndex(load_knowledge(KNOWLEDGE))
    backward = SearchIndex(load_knowledge(KNOWLEDGE))
    ahead = [summary(forward.find(text)) for text in texts]
    behind = [summary(backward.find(text)) for text in reversed(texts)][::-1]
    assert ahead == behind


def test_interface_strings_are_valid_telegram_html(dialog):
    """Every i18n string, as the bot would send it on its own (notices), is accepted."""
    from bot.chat.render import render_notice

    for language in LANGUAGES:
        for key, value in i18n.STRINGS[language].items():
            fields = {name: "<b>x</b> & y" for _, name, _, _ in string.Formatter().parse(value) if name}
            assert_telegram_accepts(render_notice(key, language, **fields))
