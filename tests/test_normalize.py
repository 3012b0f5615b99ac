"""One normal form: case, punctuation, apostrophes, diacritics, scripts, dates, concepts."""

from __future__ import annotations

import pytest

from bot.search.normalize import detect_language, fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("O'zbekiston", "ozbekiston"),
        ("Oʻzbekiston", "ozbekiston"),
        ("O‘zbekiston", "ozbekiston"),
        ("Oʼzbekiston", "ozbekiston"),
        ("Azərbaycan Özbəkistan Qırğızıstan", "azerbaycan ozbekistan qirgizistan"),
        ("müqavilə imzalanıb, şəhər, çay", "muqavile imzalanib seher cay"),
        ("İLHAM ƏLİYEV", "ilham eliyev"),
        ("Зангезурский коридор", "zangezurskiy koridor"),
        ("Ўзбекистон, Қозоғистон", "ozbekiston qozogiston"),
        ("What's the DATE?!", "whats the date"),
        ("signed on 23.08.2024", "signed on 23 august 2024"),
        ("2024-08-23", "23 august 2024"),
        ("August 23rd, 2024", "august 23 2024"),
        ("<b>treaty</b> & co", "treaty co"),  # tags are not words
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def read(index, text: str) -> tuple[str, ...]:
    """The terms the index reads in a question (an unknown word as itself)."""
    names = {term_id: term for term, term_id in index.term_ids.items()}
    return tuple(names[term.choices[0][0]] if term.choices else term.word for term in index.query_terms(text))


def test_country_names_in_every_language_become_one_term(index):
    for spelling in ["Kazakhstan", "казахстаном", "Qazaxıstan", "Qozog'iston", "Қозоғистон", "kazakstan"]:
        assert read(index, spelling) == ("kazakhstan",), spelling
    for spelling in ["Tajikistan", "Таджикистан", "Tacikistan", "Tojikiston"]:
        assert read(index, spelling) == ("tajikistan",), spelling


def test_concepts_and_stopwords(index):
    assert read(index, "What is the treaty?") == ("treaty",)
    assert read(index, "Что такое договор?") == ("treaty",)
    assert read(index, "müqavilə nədir") == ("treaty",)
    assert read(index, "the of and ??") == ()
    assert read(index, "Turkmenistan Turkic") == ("turkmenistan", "turkic")


def test_stems_meet_across_inflections(index):
    analyzer = index.analyzer
    assert analyzer.term("signing", "en") == analyzer.term("signed", "en")
    assert analyzer.term("экономике", "ru") == analyzer.term("экономика", "ru")
    assert analyzer.term("loyihalari", "uz") == analyzer.term("loyiha", "uz")  # a suffix from the lexicon


def test_messages_as_people_type_them(index):
    signed = read(index, "when was the treaty signed")
    assert read(index, "whenwasthetreatysigned") == signed          # glued
    assert read(index, "когдаподписалидоговорсузбекистаном") == read(index, "когда подписали договор с узбекистаном")
    assert index.split_glued("birining") is None  # a one-letter word only before a word of its own: not "bir i ning"
    assert read(index, "@treaty_bot when was the treaty signed") == signed  # a handle is not a word
    assert read(index, "en ergy") == read(index, "energy")           # split
    assert read(index, "kogda podpisali dogovor") == read(index, "когда подписали договор")  # Russian in Latin letters
    assert read(index, "Azerbaycan muqavile") == read(index, "Azərbaycan müqavilə")
    assert read(index, "O‘zbekiston") == read(index, "Oʻzbekiston") == read(index, "Ozbekiston") == read(index, "Ўзбекистон")
    assert read(index, "wat is the tretay") == read(index, "treaty")  # a typo of a stop word is a stop word


def test_signals_are_countries_and_years(index):
    analyzer = index.analyzer
    assert analyzer.is_signal("kazakhstan")
    assert analyzer.is_signal("2017")
    assert not analyzer.is_signal("energy")
    assert not analyzer.is_signal("23")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("When was the treaty signed?", "en"),
        ("Когда был подписан договор?", "ru"),
        ("Шартнома қачон имзоланган?", "uz"),
        ("Müqavilə nə vaxt imzalanıb?", "az"),
        ("muqavile ne vaxt imzalanib", "az"),
        ("Shartnoma qachon imzolangan?", "uz"),
        ("O'zbekiston bilan", "uz"),
        ("2024", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_a_word_split_by_a_typo_is_read_whole_for_the_language(index):
    """"en ergy" is English "energy", not Azerbaijani "ən" (most) and a stray "ergy"."""
    assert detect_language("en ergy", index.language_words) == "en"


def test_html_tags_are_not_words_of_a_question():
    from bot.search.normalize import fold
    assert fold("<b>When</b> was the <i>treaty</i> signed?") == fold("When was the treaty signed?")
