"""Replies a Russian, Azerbaijani or Uzbek reader can read: translations, Uzbek Cyrillic, /lang."""

from __future__ import annotations

import re

import pytest

from bot.chat.languages import ChatLanguages
from bot.chat.dialog import Dialog
from bot.knowledge import UZ_CYRILLIC
from bot.knowledge.uzbek_script import to_cyrillic
from tests.conftest import KNOWLEDGE

AREAS = ("area-political", "area-economic", "area-energy", "area-cultural")
QUESTIONS = {  # one question per area and language, as a reader would type it
    "ru": {"area-political": "Что договор говорит о политическом сотрудничестве?",
           "area-economic": "Как договор расширит экономическое сотрудничество?",
           "area-energy": "Сотрудничество в энергетике по договору",
           "area-cultural": "Что предусмотрено в сфере культуры и образования?"},
    "az": {"area-political": "Müqavilə siyasi əməkdaşlıq haqqında nə deyir?",
           "area-economic": "İqtisadi əməkdaşlıq necə genişlənəcək?",
           "area-energy": "Enerji sahəsində əməkdaşlıq",
           "area-cultural": "Mədəni və təhsil əlaqələri haqqında nə deyilir?"},
    "uz": {"area-political": "Shartnoma siyosiy hamkorlik haqida nima deydi?",
           "area-economic": "Iqtisodiy hamkorlik qanday kengayadi?",
           "area-energy": "Energetika sohasidagi hamkorlik",
           "area-cultural": "Madaniy va taʼlimiy aloqalar haqida nima deyilgan?"},
}
LABELS = {"ru": "Неофициальный перевод:", "az": "Qeyri-rəsmi tərcümə:", "uz": "Norasmiy tarjima:"}


@pytest.mark.parametrize("language", sorted(QUESTIONS))
@pytest.mark.parametrize("area", AREAS)
def test_each_area_in_each_language_gets_the_translation_then_the_verbatim_quote(dialog, language, area):
    answer = dialog.ask(QUESTIONS[language][area])
    entry = dialog.kb.get(area)
    assert answer.language == language and answer.result.answer is entry, answer.reply.text[:200]
    html = answer.reply.html
    label, translation = f"<i>{LABELS[language]}</i>", entry.quote_i18n[language]
    assert html.index(entry.title_in(language)) < html.index(label) < html.index(translation[:40])
    verbatim = f"<blockquote expandable>{entry.quote}</blockquote>"
    assert html.index(translation[:40]) < html.index(verbatim) < html.index(f"<i>{_source_word(language)}:")


def _source_word(language: str) -> str:
    return {"ru": "Источник", "az": "Mənbə", "uz": "Manba"}[language]


def test_english_replies_are_unchanged_quote_without_translation(dialog):
    entry = dialog.kb.get("area-energy")
    html = dialog.ask("energy cooperation", "en").reply.html
    assert f"<blockquote>{entry.quote}</blockquote>" in html
    assert "translation" not in html.lower() and "expandable" not in html


def test_the_translation_is_also_searched(dialog, monkeypatch):
    """A Russian question worded like the translation, in words no alternate has, finds its passage."""
    question = "последовательные усилия по доведению уровня связей"  # not "повышению": the lexicon maps it (elevate)
    result = dialog.ask(question).result
    assert result.outcome in ("answer", "suggest") and result.matches[0].entry is dialog.kb.get("central-asia-strategy")
    from bot.search import index as search  # the same question with the translations left out of the index misses it

    monkeypatch.setitem(search.FIELD_WEIGHT, "translation", 0.0)
    result = Dialog.from_path(KNOWLEDGE).ask(question).result
    assert not result.matches or result.matches[0].entry.id != "central-asia-strategy"


def test_an_uzbek_question_in_cyrillic_gets_a_cyrillic_reply(dialog):
    answer = dialog.ask("Энергетика соҳасидаги ҳамкорлик қандай?")
    assert answer.language == UZ_CYRILLIC and answer.result.answer.id == "area-energy"
    entry = answer.result.answer
    text = answer.reply.text
    ours = text.replace(entry.quote, "")  # the verbatim English quote and the source's own title stay as they are
    ours = re.sub(r"“[^”]*”", "", ours).split("бўлим:")[0]
    assert not re.search(r"[A-Za-z]", ours), ours
    assert to_cyrillic(entry.quote_i18n["uz"]) in text and "Норасмий таржима:" in text
    assert all(not re.search(r"[A-Za-z]", button.label) for button in answer.reply.all_buttons())


def test_uzbek_in_latin_stays_latin(dialog):
    answer = dialog.ask("Shartnoma qachon imzolangan?")
    assert answer.language == "uz" and "imzolangan" in answer.reply.text


def test_lang_changes_and_keeps_the_chats_language_and_auto_forgets_it(tmp_path, knowledge):
    path = tmp_path / "chat_languages.sqlite3"
    dialog = Dialog(knowledge, chat_languages=ChatLanguages(path))
    choices = dialog.command("lang", "", "en", chat_id=7)
    assert [b.data for b in choices.all_buttons()] == ["l:en", "l:ru", "l:az", "l:uz", f"l:{UZ_CYRILLIC}", "l:auto"]
    assert "по-русски" in dialog.press("l:ru", "en", chat_id=7).text
    assert dialog.language_in_chat(7, "en", "When was the treaty signed?") == "ru"
    assert dialog.language_in_chat(8, "en", "When was the treaty signed?") == "en"  # other chats are not affected

    reopened = Dialog(knowledge, chat_languages=ChatLanguages(path))  # a restart keeps the choice
    assert reopened.language_in_chat(7, "en", "energy") == "ru"
    reopened.command("lang", "uz-cyrl", "ru", chat_id=7)
    assert reopened.language_in_chat(7, "en", "energy") == UZ_CYRILLIC
    assert "Энди" in reopened.command("lang", "uz-Cyrl", "ru", chat_id=7).text
    assert "language of each question" in reopened.command("lang", "auto", "en", chat_id=7).text
    assert reopened.language_in_chat(7, "en", "energy") == "en"
    assert ChatLanguages(path).get(7) is None
    assert dialog.press("l:klingon", "en", chat_id=7) is None  # forged data


def test_the_store_holds_a_chat_id_and_a_language_code_and_nothing_else(tmp_path):
    import sqlite3

    store = ChatLanguages(tmp_path / "languages.sqlite3")
    store.choose(42, "az")
    store.close()
    with sqlite3.connect(tmp_path / "languages.sqlite3") as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(chat_language)")]
        rows = connection.execute("SELECT * FROM chat_language").fetchall()
    assert columns == ["chat_id", "language"] and rows == [(42, "az")]


@pytest.mark.parametrize("command", ["treaty", "agreements", "help", "source", "start"])
def test_commands_follow_uzbek_cyrillic(dialog, command):
    text = dialog.command(command, "", UZ_CYRILLIC).text
    latin_uzbek = dialog.command(command, "", "uz").text
    assert text != latin_uzbek and re.search("[ўқғҳ]", text), text[:200]


def test_the_auto_word_is_shown_as_typed_and_works_in_cyrillic_too(dialog):
    dialog.command("lang", "ru", "en", chat_id=11)
    said = dialog.command("lang", "ауто", UZ_CYRILLIC, chat_id=11).text  # typed in Cyrillic, it still works
    assert "/lang auto" in dialog.command("lang", "uz-cyrl", "en", chat_id=12).text  # a command is shown as typed
    assert dialog.chat_languages.get(11) is None and "Яна ҳар бир савол тилида" in said


def test_inline_descriptions_are_in_the_readers_language(dialog):
    from bot.chat.render import one_line

    entry = dialog.kb.get("area-energy")
    assert not entry.answer and one_line(entry, "ru").startswith(entry.quote_i18n["ru"][:40])
    assert one_line(entry, "en").startswith("Energy cooperation between")
