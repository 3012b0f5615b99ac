"""End to end through Telegram: translated replies, Uzbek Cyrillic, /lang kept per chat, inline in the chat's language."""

from __future__ import annotations

import itertools

import pytest

from tests.test_languages import AREAS, LABELS, QUESTIONS

_chats = itertools.count(81_000)


@pytest.fixture()
def chat(bot) -> int:
    return next(_chats)


def ask(server, chat: int, text: str, language_code: str = "en"):
    before = len(server.replies_to(chat))
    server.send_text(chat, text, user=server.user(chat, language_code=language_code))
    server.wait_until(lambda: len(server.replies_to(chat)) > before, what=f"the reply to {text!r}")
    return server.replies_to(chat)[-1]


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_a_question_about_each_area_gets_the_translation_and_the_verbatim_quote(server, chat, language, dialog):
    for area in AREAS:
        entry = dialog.kb.get(area)
        reply = ask(server, chat, QUESTIONS[language][area], language_code=language)
        assert f"<i>{LABELS[language]}</i>\n{entry.quote_i18n[language]}" in reply.text, reply.text[:300]
        assert f"<blockquote expandable>{entry.quote}</blockquote>" in reply.text  # verbatim, folded in Telegram
    assert server.rejections == []


def test_an_uzbek_cyrillic_question_gets_a_cyrillic_reply_and_buttons(server, chat):
    reply = ask(server, chat, "Энергетика соҳасидаги ҳамкорлик қандай?", language_code="uz")
    assert "Норасмий таржима:" in reply.plain_text and "Energy cooperation between" in reply.plain_text
    labels = [button["text"] for row in reply.reply_markup["inline_keyboard"] for button in row]
    assert any("ҳамкорлик" in label for label in labels), labels


def test_lang_changes_and_keeps_the_chats_language(server, chat):
    choices = ask(server, chat, "/lang")
    data = [button["callback_data"] for row in choices.reply_markup["inline_keyboard"] for button in row]
    assert "l:ru" in data and "l:auto" in data
    before = len(server.replies_to(chat))
    server.press_button(chat, choices, "l:ru")
    server.wait_until(lambda: len(server.replies_to(chat)) > before, what="the language confirmation")
    assert "по-русски" in server.replies_to(chat)[-1].plain_text
    menu = server.wait_until(lambda: server.commands.get((f"chat:{chat}", "")), what="the chat's own menu")
    assert {"command": "lang", "description": "Выбрать язык ответов"} in menu  # the menu follows the chat's language
    assert "Неофициальный перевод:" in ask(server, chat, "energy cooperation").plain_text  # English question, Russian reply
    assert "Договор" in ask(server, chat, "/treaty").plain_text
    answer_id = server.inline_query("energy", user=server.user(chat))["inline_query"]["id"]
    inline = server.wait_until(lambda: next((a for a in server.inline_answers if a.inline_query_id == answer_id), None),
                               what="the inline answer")
    assert "Неофициальный перевод" in inline.results[0]["input_message_content"]["message_text"]
    assert "language of each question" not in ask(server, chat, "/lang auto").plain_text  # said in Russian
    server.wait_until(lambda: (f"chat:{chat}", "") not in server.commands, what="the chat's menu gone again")
    assert "Unofficial" not in ask(server, chat, "energy cooperation").plain_text
    assert "Source:" in server.replies_to(chat)[-1].plain_text
