"""One renderer: escaped Telegram HTML within limits, and plain text."""

from __future__ import annotations

import re

import pytest

from bot.chat.render import (
    TELEGRAM_TEXT_LIMIT, Block, render_agreements, render_entry, render_result, render_treaty, split_html,
    to_html, visible_length,
)

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
           "blockquote", "tg-emoji"}


def tags_of(html: str) -> set[str]:
    return {match.lower() for match in re.findall(r"</?([a-zA-Z-]+)", html)}


def test_answer_has_bold_title_blockquote_and_citation(knowledge):
    entry = knowledge.kb.get("area-energy")
    reply = render_entry(entry, knowledge.kb, "en")
    assert reply.html.startswith("<b>3. Cooperation in the Energy Sector</b>")
    assert f"<blockquote>{entry.quote}</blockquote>" in reply.html
    assert "<i>Source: “Alliance Relations Between Azerbaijan And Uzbekistan: A New Stage Of Cooperation – OpEd”" in reply.html
    assert "section: 3. Cooperation in the Energy Sector" in reply.text
    assert tags_of(reply.html) <= ALLOWED
    assert [button.data for button in reply.all_buttons()] == ["e:treaty-areas", "e:outcome-regional"]


def test_knowledge_base_text_is_escaped(knowledge):
    entry = knowledge.kb.get("conclusion").model_copy(update={"title": "A <b>bold</b> & <script>", "quote": "x < y > z & w"})
    reply = render_entry(entry, knowledge.kb, "en")
    assert "<b>A &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;</b>" in reply.html
    assert "<blockquote>x &lt; y &gt; z &amp; w</blockquote>" in reply.html
    assert "A <b>bold</b> & <script>" in reply.text


def test_plain_text_has_no_markup(knowledge):
    reply = render_entry(knowledge.kb.get("treaty"), knowledge.kb, "ru")
    assert "<" not in reply.text
    assert "Источник:" in reply.text


def test_long_replies_split_on_paragraphs_and_stay_well_formed():
    blocks = [Block("title", "Title")] + [Block("quote", f"Paragraph {n} " + "word " * 300) for n in range(10)]
    parts = split_html(blocks)
    assert len(parts) > 1
    for part in parts:
        visible = re.sub(r"<[^>]+>", "", part)
        assert visible_length(visible) <= TELEGRAM_TEXT_LIMIT
        assert part.count("<blockquote") == part.count("</blockquote>")
    assert parts[0].startswith("<b>Title</b>")


def test_one_giant_block_is_cut_at_word_boundaries():
    parts = split_html([Block("quote", "lorem ipsum " * 2000)], limit=1000)
    assert len(parts) >= 24  # 24,000 characters in messages of at most 1,000
    visible = [re.sub(r"<[^>]+>", "", part) for part in parts]
    for part, text in zip(parts, visible):
        assert part.startswith("<blockquote") and part.endswith("</blockquote>")
        assert visible_length(text) <= 1000
    assert " ".join(visible).split() == ["lorem", "ipsum"] * 2000  # no word cut, none lost


def test_utf16_length_counts_emoji_twice():
    assert visible_length("🤖") == 2
    assert visible_length("abc") == 3


def test_every_reply_kind_renders_valid_html(knowledge, index):
    kb = knowledge.kb
    replies = [render_treaty(kb, "az"), render_agreements(kb, "uz")]
    for question in ("energy", "2022", "weather in Baku", "", "x < y"):
        replies.append(render_result(index.find(question), kb, "en"))
    for reply in replies:
        assert tags_of(reply.html) <= ALLOWED
        assert visible_length(re.sub(r"<[^>]+>", "", reply.html)) <= TELEGRAM_TEXT_LIMIT
        for button in reply.all_buttons():
            assert 1 <= len(button.data.encode()) <= 64


def test_agreements_are_listed_in_date_order(knowledge):
    text = render_agreements(knowledge.kb, "en").text
    dates = ["8 August 2017", "20 April 2022", "24 August 2022", "23 May 2024", "23 August 2024"]
    positions = [text.index(date) for date in dates]
    assert positions == sorted(positions)
    assert "Declaration on Strategic Partnership Between the Republic of Azerbaijan and Turkmenistan" in text
    assert to_html([Block("item", "a & b")]) == "• a &amp; b"


def test_reload_lists_twenty_problems_and_says_how_many_more():
    from bot.knowledge import Problem
    from bot.chat.render import render_reload

    problems = [Problem("kb.yaml", line, "entry", "quote", "not an exact substring") for line in range(1, 26)]
    text = render_reload(problems, 20, "en").text
    assert "kb.yaml:20:" in text and "kb.yaml:21:" not in text
    assert text.endswith("… and 5 more")


def test_an_unknown_language_code_is_named_before_the_choice(dialog):
    reply = dialog.command("lang", "xx", "en", chat_id=77)
    assert reply.text.startswith("I do not know the language “xx”.") and reply.buttons


@pytest.mark.parametrize(("message", "kind"), [
    ("thank you so much, that helped!", "thanks"), ("who are you?", "who_are_you"), ("ok", "ok"),
    ("what else can you do?", "what_else"), ("how are you?", "greeting"), ("как дела?", "greeting"),
    ("What is this article about?", ""),  # a question about the article, not "what is this (bot)?"
    ("what is the article about", ""),
    ("great answer, you're really helpful", "thanks"), ("Отличный ответ, спасибо", "thanks"),
])
def test_small_talk_is_answered_in_kind_and_questions_are_searched(dialog, message, kind):
    answer = dialog.understand(message)
    assert answer.smalltalk == kind
    if not kind:
        assert answer.result.answer is not None and answer.result.answer.id == "source"


def test_a_question_across_the_agreements_inside_a_longer_message(dialog):
    answer = dialog.understand("Готовлю презентацию для клуба любителей истории. Какое из соглашений самое раннее? "
                               "Потом уже пойду по порядку.")
    assert answer.computed is not None and [e.id for e in answer.computed.relies_on] == ["agreement-turkmenistan-2017"]


def test_helpful_is_chat_around_a_question(dialog):
    """"helpful" thanks when it is all the message says; around a question it is chat, not a word to match."""
    answer = dialog.understand("helpful info on energy?")
    assert answer.smalltalk == "" and answer.result.answer is not None and answer.result.answer.id == "area-energy"


def test_a_question_made_of_chat_and_a_topic_word_is_no_small_talk(dialog):
    """"Кто автор?" is "who is the author?" (not named in the materials), not "who are you?"."""
    answer = dialog.understand("Кто автор?")
    assert answer.smalltalk == "" and answer.result.outcome == "detail" and answer.result.missing == "person"
