"""Questions across the agreements: computed from parties, kind and date, or left to search."""

from __future__ import annotations

import pytest

from bot.search.agreement_questions import AgreementAnswer, answer_agreement_question
from bot.knowledge import load_knowledge
from bot.search.index import SearchIndex
from tests.conftest import KNOWLEDGE

KB = load_knowledge(KNOWLEDGE)
INDEX = SearchIndex(KB)  # the bot's own reading of words, and what the knowledge base knows
AGREEMENTS = KB.of_kind("agreement")

UZ, KZ, TM, KG, TJ = ("agreement-uzbekistan-2024", "agreement-kazakhstan-2022", "agreement-turkmenistan-2017",
                      "agreement-kyrgyzstan-2022", "agreement-tajikistan-2024")


def ask(question: str) -> AgreementAnswer | None:
    return answer_agreement_question(question, AGREEMENTS, INDEX.analyzer, knows=INDEX.knows)  # as the bot asks


def ids(answer: AgreementAnswer | None) -> list[str]:
    assert answer is not None
    return [entry.id for entry in answer.relies_on]


@pytest.mark.parametrize("question", [
    "Which agreements were signed in 2022?",
    "Какие соглашения подписаны в 2022 году?",
    "2022-ci ildə hansı sazişlər imzalanıb?",
    "2022-yilda qaysi kelishuvlar imzolangan?",
    "Қайси келишувлар 2022 йилда имзоланган?",
    "Which agreements were signed between 2020 and 2023?",
    "Какие соглашения подписаны с 2020 по 2023 год?",
])
def test_by_year_or_range(question: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == "list" and answer.value == ""
    assert ids(answer) == [KG, KZ]


def test_list_lines_spell_dates_in_each_language() -> None:
    answer = ask("Which agreements were signed in 2022?")
    assert answer is not None
    assert "the Kyrgyz Republic (20 April 2022)" in answer.line("en")
    assert "Kazakhstan (24 August 2022)" in answer.line("en")
    assert "с Казахстаном (24 августа 2022 года)" in answer.line("ru")
    assert "Qazaxıstan ilə bəyannamə (24 avqust 2022)" in answer.line("az")
    assert "Qozog‘iston bilan deklaratsiya (2022-yil 24-avgust)" in answer.line("uz")


@pytest.mark.parametrize(("question", "expected"), [
    ("What was signed since 2022?", [KG, KZ, TJ, UZ]),
    ("Which agreements were signed before 2020?", [TM]),
    ("Что подписано до 2020 года?", [TM]),
    ("Which agreements were signed after the Kazakhstan declaration?", [TJ, UZ]),
    ("Which agreements were signed between the Turkmenistan declaration and the treaty?", [KG, KZ, TJ]),
    ("Which agreemnts were signed befor 2023?", [TM, KG, KZ]),  # typos
    ("Какие документы подписаны в промежутке с 2019 по 2023 год?", [KG, KZ]),  # "промежуток": a range here
    ("Which declaration was signed in 2024?", [TJ]),
    ("2020-ci ilə qədər hansı sənədlər imzalanıb?", [TM]),  # a postposition: "until 2020"
    ("2023-yilgacha qaysi hujjatlar imzolangan?", [TM, KG, KZ]),
    ("2017-ci ildən 2022-ci ilə qədər hansı sənədlər imzalanıb?", [TM, KG, KZ]),  # a range, both years in it
])
def test_filters(question: str, expected: list[str]) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == "list"
    assert ids(answer) == expected


@pytest.mark.parametrize(("question", "kind", "winner"), [
    ("Which agreement is the oldest?", "first", TM),
    ("When was the first declaration signed?", "first", TM),
    ("Какое соглашение самое старое?", "first", TM),
    ("Eng birinchi kelishuv qaysi?", "first", TM),
    ("Which is the most recent agreement?", "last", UZ),
    ("Какой документ подписан последним?", "last", UZ),
    ("Ən son saziş hansıdır?", "last", UZ),
    ("Sənədlərdən ən köhnəsi hansıdır?", "first", TM),  # with a possessive ending
    ("Hujjatlardan eng yangisi qaysi?", "last", UZ),
    ("What was the most recent declaration signed before 2023?", "last", KZ),
    ("Which one is the most recent?", "last", UZ),  # only the agreements are dated
    ("Какое самое старое?", "first", TM),
    ("Which one on the list came first?", "first", TM),
])
def test_first_and_last(question: str, kind: str, winner: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == kind
    assert ids(answer) == [winner] and [entry.id for entry in answer.focus] == [winner]


def test_first_among_the_ones_named() -> None:
    answer = ask("Which was signed earlier, the Kyrgyz or the Tajik declaration?")
    assert answer is not None and answer.kind == "first" and answer.focus[0].id == KG
    assert ids(answer) == [KG, TJ]
    assert answer.line("en").startswith("The first is the Declaration with the Kyrgyz Republic (20 April 2022)")


@pytest.mark.parametrize(("question", "count", "expected"), [
    ("How many agreements are there?", "5", [TM, KG, KZ, TJ, UZ]),
    ("How many declarations?", "4", [TM, KG, KZ, TJ]),
    ("Сколько деклараций подписал Азербайджан?", "4", [TM, KG, KZ, TJ]),
    ("Neçə bəyannamə imzalanıb?", "4", [TM, KG, KZ, TJ]),
    ("Nechta deklaratsiya imzolangan?", "4", [TM, KG, KZ, TJ]),
    ("How many agreements were signed in 2024?", "2", [TJ, UZ]),
    ("skolko deklaraciy podpisano v 2022 godu?", "2", [KG, KZ]),  # Russian typed in Latin letters
    ("Сколько всего деклараций среди пяти соглашений?", "4", [TM, KG, KZ, TJ]),  # "how many of the five"
    ("Beş sənəddən neçəsi bəyannamədir?", "4", [TM, KG, KZ, TJ]),
    ("Cəmi neçə bəyannamə var?", "4", [TM, KG, KZ, TJ]),  # "in all" says nothing the count does not
    ("Beshta hujjatdan nechtasi deklaratsiya?", "4", [TM, KG, KZ, TJ]),
    ("How many of the agreements are declarations rather than treaties?", "4", [TM, KG, KZ, TJ]),  # a kind denied
    ("Сколько среди этих соглашений именно договоров, а не деклараций?", "1", [UZ]),
])
def test_counts(question: str, count: str, expected: list[str]) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == "count" and answer.value == count
    assert ids(answer) == expected
    assert answer.line("en").startswith(f"{count} in all")


@pytest.mark.parametrize(("question", "value", "language", "needle"), [
    ("How many years between the Turkmenistan declaration and the treaty?", "7 years", "en", "7 years and 15 days passed"),  # the whole years, exactly
    ("How long between the Turkmenistan declaration and the treaty?", "7 years and 15 days", "en",
     "7 years and 15 days passed between the Declaration with Turkmenistan (8 August 2017)"),
    ("How many months passed between the Turkmenistan declaration and the treaty?", "84 months", "en", "84 months"),
    ("How many days between the Turkmenistan declaration and the treaty?", "2572 days", "en", "2572 days"),
    ("Сколько лет прошло между декларацией с Туркменистаном и договором?", "7 years", "ru", "Прошло 7 лет и 15 дней"),
    ("Türkmənistan bəyannaməsi ilə müqavilə arasında neçə il keçib?", "7 years", "az", "arasında 7 il 15 gün keçib"),
    ("Turkmaniston deklaratsiyasi va shartnoma orasida necha yil o'tgan?", "7 years", "uz", "orasida 7 yil 15 kun o‘tgan"),
    ("How many years separate the Turkmenistan declaration and the treaty?", "7 years", "en", "7 years"),
    ("Türkmənistan bəyannaməsi ilə müqavilə arasında neçə il fərq var?", "7 years", "az", "7 il"),  # the difference
])
def test_time_between(question: str, value: str, language: str, needle: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == "between" and answer.value == value
    assert ids(answer) == [TM, UZ]
    assert needle in answer.line(language)


def test_a_span_short_of_a_whole_unit_is_said_exactly() -> None:
    """A day short of two years is not a bare "1 year"; Russian says "прошёл 1 год"."""
    answer = ask("How many years between the Kazakhstan declaration and the treaty?")
    assert answer is not None and answer.value == "1 year" and ids(answer) == [KZ, UZ]
    assert answer.line("en").startswith("1 year, 11 months and 30 days passed")
    assert answer.line("ru").startswith("Прошёл 1 год, 11 месяцев и 30 дней")


def test_months_are_rounded_down() -> None:
    answer = ask("How many months between the Kyrgyz declaration and the Kazakhstan declaration?")
    assert answer is not None and answer.value == "4 months"  # 20 April -> 24 August 2022
    answer = ask("How long between the Kazakhstan declaration and the Tajik one?")  # 24 Aug 2022 -> 23 May 2024
    assert answer is not None and answer.span == (1, 8, 29) and answer.value == "1 year, 8 months and 29 days"
    assert "1 год, 8 месяцев и 29 дней" in answer.line("ru") and "1 il 8 ay 29 gün" in answer.line("az")
    answer = ask("How many years between the Kyrgyz declaration and the Kazakhstan declaration?")
    assert answer is not None and answer.value == "0 years"  # said as what passed, not "0 years (4 months ...)"
    assert answer.line("en").startswith("4 months and 4 days passed between")


@pytest.mark.parametrize(("question", "value", "expected"), [
    ("Was the Kazakhstan declaration signed in 2024?", "no", [KZ]),
    ("Была ли декларация с Казахстаном подписана в 2024 году?", "no", [KZ]),
    ("Qazaxıstan bəyannaməsi 2024-cü ildə imzalanıbmı?", "no", [KZ]),
    ("Qozog'iston deklaratsiyasi 2024-yilda imzolanganmi?", "no", [KZ]),
    ("Қозоғистон декларацияси 2024 йилда имзоланганми?", "no", [KZ]),
    ("hey bot, quick one - kazakstan decleration signed in 2024?", "no", [KZ]),
    ("Is the Kazakhstan declaration from 2022, right?", "yes", [KZ]),
    ("Was the Kazakhstan declaration signed on 23 August 2022?", "no", [KZ]),
    ("Was the Tajik declaration signed in May?", "yes", [TJ]),
    ("Hi! quick question, was the treaty signed after 1 May 2024?", "yes", [UZ]),
    ("Was the Kyrgyz declaration signed before the Tajik one?", "yes", [KG, TJ]),
    ("Декларация с Кыргызстаном подписана раньше, чем с Таджикистаном?", "yes", [KG, TJ]),
    ("Qırğızıstan bəyannaməsi Tacikistan bəyannaməsindən əvvəl imzalanıb?", "yes", [KG, TJ]),
    ("Was the Tajik declaration signed before the Kyrgyz one?", "no", [KG, TJ]),
    ("Tojikiston bilan deklaratsiya Qirg'iziston bilan hujjatdan oldinmi?", "no", [KG, TJ]),  # before + question ending
    ("Were the Kyrgyz and Kazakh declarations both signed in 2022?", "yes", [KG, KZ]),
    ("Was anything signed in 2019?", "no", [TM, KG, KZ, TJ, UZ]),  # none then: the dates they were signed
    ("Tacikistanla bəyannamə 2022-ci ildə imzalanıb, düzdür?", "no", [TJ]),  # "düzdür": is that right?
])
def test_yes_no_on_dates(question: str, value: str, expected: list[str]) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == value and answer.value == value
    assert ids(answer) == expected


@pytest.mark.parametrize("question", ["list the agreements in order", "Перечисли соглашения в хронологическом порядке"])
def test_in_order(question: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == "list" and ids(answer) == [TM, KG, KZ, TJ, UZ]


def test_are_all_of_one_kind() -> None:
    answer = ask("Are all five agreements declarations?")
    assert answer is not None and answer.value == "no" and len(answer.relies_on) == 5
    assert answer.line("en") == "No: the agreement with Uzbekistan is a treaty (23 August 2024)."


def test_no_agreement_signed_then_gives_the_dates_they_were() -> None:
    answer = ask("Were any agreements signed in 2023?")
    assert answer is not None and answer.value == "no" and len(answer.relies_on) == 5
    assert answer.line("en").startswith("No: none of the agreements was signed then; signed: with Turkmenistan (8 August 2017)")


def test_yes_no_lines() -> None:
    answer = ask("Was the Kazakhstan declaration signed in 2024?")
    assert answer is not None
    assert answer.line("en") == "No: the Declaration with Kazakhstan was signed on 24 August 2022."
    assert answer.line("ru") == "Нет: декларация с Казахстаном подписана 24 августа 2022 года."
    assert answer.line("az").startswith("Xeyr: Qazaxıstan ilə bəyannamə 24 avqust 2022")
    assert answer.line("uz").startswith("Yo‘q: Qozog‘iston bilan deklaratsiya 2022-yil 24-avgust")


@pytest.mark.parametrize(("question", "value", "expected", "language", "needle"), [
    ("Is the Tajikistan agreement a treaty?", "no", [TJ], "en", "is a declaration (23 May 2024)"),
    ("Является ли соглашение с Таджикистаном договором?", "no", [TJ], "ru", "— декларация (23 мая 2024 года)"),
    ("Tojikiston bilan kelishuv shartnomami?", "no", [TJ], "uz", "deklaratsiya (2024-yil 23-may)"),
    ("Is the treaty with Uzbekistan a declaration?", "no", [UZ], "en", "is a treaty"),
    ("Was the Kazakhstan declaration the first?", "no", [TM, KZ], "en",
     "the first is the Declaration with Turkmenistan"),
    ("Is the treaty the most recent agreement?", "yes", [UZ], "en", "Yes: the most recent is the Treaty"),
])
def test_yes_no_on_kind_and_order(question: str, value: str, expected: list[str], language: str, needle: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.value == value
    assert ids(answer) == expected
    assert needle in answer.line(language)


@pytest.mark.parametrize(("question", "value", "first"), [
    ("Is the Uzbekistan treaty the only treaty among the five documents?", "yes",
     "Yes: the agreement with Uzbekistan is a treaty (23 August 2024); the agreement with Turkmenistan is a declaration"),
    ("Узбекский договор — единственный договор среди пяти?", "yes", "Yes: the agreement with Uzbekistan is a treaty"),
    ("Is the Kazakhstan declaration the only declaration?", "no",
     "No: the agreement with Turkmenistan is a declaration (8 August 2017)"),
])
def test_the_only_one_of_its_kind(question: str, value: str, first: str) -> None:
    """"The only treaty?" relies on all five: each is quoted, the one asked about first."""
    answer = ask(question)
    assert answer is not None and answer.value == value and len(answer.relies_on) == 5
    assert answer.line("en").startswith(first)


@pytest.mark.parametrize(("question", "kind", "value", "expected"), [
    ("Через сколько месяцев после таджикской декларации подписали договор с Узбекистаном?", "between", "3 months",
     [TJ, UZ]),  # "через": after how long
    ("How many months lie between the Kyrgyz and the Kazakh declarations?", "between", "4 months", [KG, KZ]),
    ("O'zbekiston bilan imzolangan hujjat qaysi turga kiradi, shartnomami yoki deklaratsiyami?", "kind", "treaty",
     [UZ]),  # "which type does it belong to"
    ("Какой из пяти документов самый давний?", "first", "2017-08-08", [TM]),
])
def test_more_ways_to_ask(question: str, kind: str, value: str, expected: list[str]) -> None:
    answer = ask(question)
    assert answer is not None and (answer.kind, answer.value) == (kind, value)
    assert ids(answer) == expected


def test_years_between_two_without_how_many() -> None:
    """"years between X and Y?" asks the time between them, not whether one was signed in between."""
    answer = ask("years between the kyrgyz and tajik declarations?")
    assert answer is not None and answer.kind == "between" and answer.value == "2 years" and ids(answer) == [KG, TJ]


@pytest.mark.parametrize(("question", "count"), [("Рўйхатда нечта декларация бор?", "4"),  # рўйхат: the list
                                                 ("2020-2024 arası neçə sənəd imzalanıb", "4")])
def test_counts_in_uzbek_cyrillic_and_a_range(question: str, count: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == "count" and answer.value == count


@pytest.mark.parametrize("question", ["What kinds of cooperation does the treaty cover overall?",
                                      "müqavilənin əsas istiqamətləri hansılardır"])
def test_a_kind_word_away_from_an_agreement_noun_asks_no_kind(question: str) -> None:
    assert ask(question) is None  # the areas of cooperation: for search


def test_which_kind() -> None:
    answer = ask("Which are declarations and which is the treaty?")
    assert answer is not None and answer.kind == "kind"
    assert ids(answer) == [TM, KG, KZ, TJ, UZ]
    assert answer.line("en").startswith("Treaty: with Uzbekistan (23 August 2024). Declarations: with Turkmenistan")
    treaty = ask("С какой страной подписан договор, а не декларация?")  # "strana" is no list of countries here
    assert treaty is not None and treaty.kind == "kind" and ids(treaty) == [UZ]
    one = ask("What kind of agreement is the one with Kazakhstan?")
    assert one is not None and one.kind == "kind" and one.value == "declaration" and ids(one) == [KZ]


@pytest.mark.parametrize("question", [
    # One agreement: search answers with its entry.
    "When was the declaration with Kazakhstan signed?",
    "What agreement does Azerbaijan have with Turkmenistan?",
    "kogda podpisali deklaraciyu s kazahstanom",
    "Qazaxıstanla bəyannamə nə vaxt imzalanıb?",
    "Qozog'iston bilan deklaratsiya qachon imzolangan?",
    "When was the treaty signed?",
    "What is the 2024 treaty?",
    "Tell me about the declaration with Kazakhstan from 2022",
    "My first question: when was the Kazakhstan declaration signed?",
    # Content, people, places, reasons: not in the fields.
    "What does the treaty say about energy?",
    "What did the 2024 treaty say about trade?",
    "What is the Zangezur corridor?",
    "How many Turkic states are there?",
    "Who signed the declaration with Tajikistan in 2024?",
    "Кто подписал декларацию с Казахстаном?",
    "Where was the Kazakhstan declaration signed?",
    "Was the treaty signed in Tashkent?",
    "Why did Azerbaijan sign the treaty with Uzbekistan in 2024?",
    "What is article 5 of the treaty?",
    "Что говорится в договоре об энергетике?",
    "Shartnoma nima haqida?",
    "Does Azerbaijan have an agreement with Armenia?",
    "Is the declaration with Kazakhstan still valid?",
    # Not answerable from the fields, or ambiguous.
    "How many years has it been since the treaty was signed?",
    "hello",
    "What is the latest news?",  # a superlative with a word of its own is not about the agreements
])
def test_left_to_search(question: str) -> None:
    assert ask(question) is None


@pytest.mark.parametrize(("question", "kind", "value", "expected"), [
    ("2022-ci ildən bəri hansı sazişlər imzalanıb?", "list", "", [KG, KZ, TJ, UZ]),
    ("2022-yildan keyin qaysi kelishuvlar imzolangan?", "list", "", [TJ, UZ]),
    ("Qaysi kelishuvlar 2020-2023 yillarda imzolangan?", "list", "", [KG, KZ]),
    ("dogovor podpisan posle deklaracii s tadzhikistanom?", "yes", "yes", [TJ, UZ]),
    ("Qazaxıstan ilə bəyannamə müqavilədən əvvəl imzalanıb?", "yes", "yes", [KZ, UZ]),
    ("was the kyrgystan declaration signed after the tajik one?", "no", "no", [KG, TJ]),
    ("How many agreements did Azerbaijan sign with Central Asian countries before 2023?", "count", "3", [TM, KG, KZ]),
    ("Hello! I am a student. Which of the agreements are declarations? Thanks", "kind", "", [TM, KG, KZ, TJ]),
])
def test_chat_typos_and_word_order(question: str, kind: str, value: str, expected: list[str]) -> None:
    answer = ask(question)
    assert answer is not None and (answer.kind, answer.value) == (kind, value)
    assert ids(answer) == expected


def test_may_as_a_verb_is_no_month() -> None:
    answer = ask("May I ask which agreements were signed in 2022?")
    assert answer is not None and ids(answer) == [KG, KZ]


def test_unknown_language_falls_back_to_english() -> None:
    answer = ask("How many declarations?")
    assert answer is not None and answer.line("fr") == answer.line("en")


@pytest.mark.parametrize("question", [
    "Was the Kazakhstan declaration signed before or after the Kyrgyz one?",
    "Было ли соглашение с Казахстаном подписано до или после киргизского?",
    "Qazaxıstan bəyannaməsi Qırğızıstandan əvvəl yoxsa sonra imzalanıb?",
])
def test_before_or_after_is_an_order(question: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind in ("first", "last")
    assert ids(answer) == [KG, KZ]  # both, in date order: the line says which came first
    assert "Kyrgyz Republic (20 April 2022)" in answer.line("en") and "Kazakhstan (24 August 2022)" in answer.line("en")


def test_is_it_true_that_is_a_yes_or_no() -> None:
    answer = ask("Правда ли, что с Таджикистаном подписали раньше, чем с Узбекистаном?")
    assert answer is not None and answer.kind == "yes" and ids(answer) == [TJ, UZ]


@pytest.mark.parametrize(("question", "kind", "winner"), [
    ("Какая из деклараций самая свежая?", "last", TJ),
])
def test_the_freshest(question: str, kind: str, winner: str) -> None:
    answer = ask(question)
    assert answer is not None and answer.kind == kind and answer.value == {TJ: "2024-05-23"}[winner]


def test_earlier_in_a_year_is_an_order_within_that_year() -> None:
    answer = ask("Which was signed earlier in 2024: the Tajikistan declaration or the Uzbekistan treaty?")
    assert answer is not None and answer.kind == "first" and ids(answer) == [TJ, UZ]


def test_son_is_the_latest_in_azerbaijani() -> None:
    answer = ask("Son saziş hansıdır?")
    assert answer is not None and answer.kind == "last" and answer.value == "2024-08-23"


def test_words_of_the_titles_narrow_the_agreements_meant() -> None:
    """"Strategic partnership" is in three titles: Kazakhstan's declaration is on strengthening strategic
    relations, so "is it a declaration on strategic partnership?" is no computed "yes" (search quotes its title)."""
    answer = ask("Which agreements are strategic partnership declarations?")
    assert answer is not None and ids(answer) == [TM, KG, TJ]
    answer = ask("How many declarations on strategic partnership are there?")
    assert answer is not None and answer.value == "3"
    assert ask("Is the Kazakhstan agreement a declaration on strategic partnership?") is None
    answer = ask("How many full years separate the Turkmenistan and Kyrgyz Republic declarations?")
    assert answer is not None and ids(answer) == [TM, KG]  # "Kyrgyz Republic" names a country, not a title
