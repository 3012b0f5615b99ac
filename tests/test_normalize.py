"""One normal form: case, punctuation, apostrophes, diacritics, scripts, dates, concepts."""

from __future__ import annotations

import pytest

from bot.normalize import detect_language, fold


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
        ("<b>treaty</b> & co", "b treaty b co"),
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_country_names_in_every_language_become_one_token(index):
    normalizer = index.normalizer
    for spelling in ["Kazakhstan", "казахстаном", "Qazaxıstan", "Qozog'iston", "Қозоғистон", "kazakstan"]:
        assert normalizer.tokens(spelling) == ("kazakhstan",), spelling
    for spelling in ["Tajikistan", "Таджикистан", "Tacikistan", "Tojikiston"]:
        assert normalizer.tokens(spelling) == ("tajikistan",), spelling


def test_concepts_and_stopwords(index):
    normalizer = index.normalizer
    assert normalizer.tokens("What is the treaty?") == ("treaty",)
    assert normalizer.tokens("Что такое договор?") == ("treaty",)
    assert normalizer.tokens("müqavilə nədir") == ("treaty",)
    assert normalizer.tokens("the of and ??") == ()
    assert normalizer.tokens("Turkmenistan Turkic") == ("turkmenistan", "turkic")


def test_signals_are_countries_and_years(index):
    normalizer = index.normalizer
    assert normalizer.is_signal("kazakhstan")
    assert normalizer.is_signal("2017")
    assert not normalizer.is_signal("energy")
    assert not normalizer.is_signal("23")


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
