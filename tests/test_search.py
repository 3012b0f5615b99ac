"""Search: the right passage, an honest 'not found', suggestions when unsure."""

from __future__ import annotations

import pytest

from bot.search.index import MAX_SUGGESTIONS


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("When was the treaty signed?", "agreement-uzbekistan-2024"),
        ("Зангезурский коридор", "zangezur-corridor"),
        ("what does the treaty say about enrgy", "area-energy"),
        ("Kazakhstan declaration date", "agreement-kazakhstan-2022"),
        ("When did Azerbaijan sign the declaration with Turkmenistan?", "agreement-turkmenistan-2017"),
        ("Когда подписана декларация с Таджикистаном?", "agreement-tajikistan-2024"),
        ("Qırğızıstanla bəyannamə nə vaxt imzalanıb?", "agreement-kyrgyzstan-2022"),
        ("Qozog'iston bilan deklaratsiya", "agreement-kazakhstan-2022"),
        ("Oʻzbekiston va Ozarbayjon shartnomasi qachon imzolangan", "agreement-uzbekistan-2024"),
        ("student exchanges", "area-cultural"),
        ("list all agreements", "agreements"),
        ("what is the source of this information", "source"),  # "where ... come from?" alone sits at the cut-off
        ("wat are the areas of cooperation", "treaty-areas"),        # a stop word one letter short
        ("What did the president sign in Tashkent?", "treaty"),  # 'president' names a person, asks for none
        ("Məqalə nə haqqındadır?", "source"),  # 'haqqındadır': a stop word with an ending, not an unknown word
    ],
)
def test_confident_answers(index, question, entry_id):
    result = index.find(question)
    assert result.outcome == "answer", (result.outcome, [(m.entry.id, m.score) for m in result.matches])
    assert result.answer.id == entry_id


def test_a_question_with_three_typos_still_ranks_the_right_passage_first(index):
    result = index.find("wen was the tretay sined")  # "when" one letter short, two more typos
    assert result.matches[0].entry.id == "agreement-uzbekistan-2024"
    assert result.outcome in ("answer", "suggest")


@pytest.mark.parametrize(
    "question",
    [
        "What's the weather in Baku?",
        "What is the population of Uzbekistan?",
        "Who is the president of Kazakhstan?",
        "the", "hello", "??", "", "   ", "asdfghjkl", "ok",
        "Is there a treaty with Russia?",
        "football results Tashkent",
        "What is the capital of Kazakhstan?",   # a country with its own entry, asked something else
        "Kyrgyzstan visa",
        "population of Tajikistan",
        "gdp of Uzbekistan",  # an unknown short word is not taken for a question word
    ],
)
def test_no_confident_answer_for_what_the_materials_do_not_say(index, question):
    result = index.find(question)
    assert result.answer is None, (question, [(m.entry.id, m.score) for m in result.matches])


def test_generic_input_is_reported_as_empty(index):
    for question in ("the", "??", "what is", ""):
        assert index.find(question).reason == "empty"


def test_close_candidates_become_suggestions(index):
    result = index.find("declaration 2022")  # two declarations were signed in 2022
    assert result.outcome == "suggest"
    ids = {entry.id for entry in result.suggestions}
    assert {"agreement-kazakhstan-2022", "agreement-kyrgyzstan-2022"} <= ids
    assert len(result.suggestions) <= MAX_SUGGESTIONS


def test_a_tie_is_offered_whole(index):
    """Four declarations fit "when was the declaration signed?" alike: all four are offered, not three."""
    result = index.find("When was the declaration signed?")
    assert result.outcome == "suggest"
    assert {entry.id for entry in result.suggestions} == {"agreement-kazakhstan-2022", "agreement-kyrgyzstan-2022",
                                                          "agreement-turkmenistan-2017", "agreement-tajikistan-2024"}


@pytest.mark.parametrize(
    ("question", "missing", "nearest"),
    [
        ("Who wrote this article?", "person", "source"),
        ("Кто автор статьи?", "person", "source"),
        ("How much is the trade turnover in dollars?", "amount", "area-economic"),
        ("When will the Zangezur Corridor be finished?", "date", "zangezur-corridor"),
        ("Tələbə mübadiləsində neçə tələbə iştirak edəcək?", "amount", "area-cultural"),  # neçə: how many
        ("Which universities are part of the exchanges?", "name", "area-cultural"),
        ("Какие вузы участвуют в обменах?", "name", "area-cultural"),
        ("When was the article published?", "date", "source"),  # the article itself is the topic
        ("Кто подписал договор со стороны Узбекистана?", "person", "treaty"),  # "со стороны": on behalf of
        ("Which pipeline will bring the gas?", "name", "area-energy"),
        ("How long will the Zangezur Corridor be?", "amount", "zangezur-corridor"),
        ("In which palace did they sign the treaty?", "name", "agreement-uzbekistan-2024"),
        ("Send me the link to the op-ed", "link", "source"),
        ("ссылка на эту статью есть?", "link", "source"),
        ("Can you send the full text of the declaration with Kazakhstan?", "text", "agreement-kazakhstan-2022"),
        ("Which countries are members of the Organization of Turkic States?", "name", "outcome-turkic-states"),
        ("What does the third article of the treaty say?", "text", "treaty"),
        ("Which article of the treaty deals with energy?", "text", "area-energy"),
        ("Which oil or gas fields will be developed jointly?", "name", "area-energy"),  # deposits, not areas
        ("Какие конкретно месторождения нефти и газа будут разрабатывать совместно?", "name", "area-energy"),
        ("Qaysi neft va gaz konlarida birgalikda ish olib boriladi?", "name", "area-energy"),
        ("Which solar or wind plants are planned?", "name", "area-energy"),
        ("Which gas pipeline will carry Uzbek gas to Azerbaijan?", "name", "area-energy"),
        ("Which countries does the Zangezur Corridor pass through?", "place", "zangezur-corridor"),
        ("Ҳар йили нечта талаба алмашинувда қатнашади?", "amount", "area-cultural"),  # nechta: how many
        ("do i need a visa to visit tashkent", "travel", "treaty"),
        ("best hotels in Samarkand for a family trip?", "travel", "treaty"),
    ],
)
def test_a_detail_the_materials_do_not_give_is_not_answered(index, question, missing, nearest):
    """Sharing words with a passage is not enough: it must give the kind of detail asked for."""
    result = index.find(question)
    assert (result.outcome, result.missing) == ("detail", missing), [(m.entry.id, m.score) for m in result.matches]
    assert result.answer is None and result.suggestions[0].id == nearest


@pytest.mark.parametrize(("question", "entry_id"), [
    ("Will universities work together under the treaty?", "area-cultural"),
    ("Do they plan to link up their power grids?", "area-energy"),
    ("In which energy sectors will they cooperate?", "area-energy"),  # sectors named, not oil fields
    ("Which energy sectors are named specifically?", "area-energy"),
])
def test_a_detail_word_asks_only_where_it_is_asked(index, question, entry_id):
    """"Which universities" asks for names the source does not give; "will universities work together" does not."""
    result = index.find(question)
    assert result.answer is not None and result.answer.id == entry_id, [(m.entry.id, m.score) for m in result.matches]


def test_a_clause_without_the_detail_asked_for_is_not_the_question(index):
    """"In which city, in which palace was it signed?" is not answered by "in which palace was it signed?"."""
    result = index.find("Шартнома қайси шаҳарда, қайси саройда имзоланган?")
    assert (result.outcome, result.missing) == ("detail", "city")


def test_how_is_not_how_many_though_both_fold_alike(index):
    """Azerbaijani "necə" (how) is a stop word; "neçə" (how many), written with its letter, asks an amount."""
    assert index.find("Müqavilə siyasi əlaqələri necə gücləndirəcək?").answer.id == "area-political"
    assert [term.asks for term in index.query_terms("neçə tələbə")] == ["amount", ""]


@pytest.mark.parametrize(("sentence", "asks"), [
    ("how many students", "amount"), ("many thanks", ""), ("thank you very much", ""),
    ("ticarət dövriyyəsi nə qədərdir", "amount"), ("2024-cü ilə qədər", ""),
])
def test_much_and_many_ask_an_amount_only_after_how(index, sentence, asks):
    """"Many thanks" after a question is chat, not "how many": the reply must not say the materials give no number."""
    assert {term.asks for term in index.query_terms(sentence)} - {""} == ({asks} if asks else set())


@pytest.mark.parametrize(("question", "entry_id"), [
    ("What does the article say about energy?", "area-energy"),
    ("Что в статье говорится о культуре?", "area-cultural"),
    ("What is the title of the article?", "source"),
    ("Какой вывод делается в конце статьи?", "conclusion"),
])
def test_the_article_counts_only_where_the_question_is_about_the_article(index, question, entry_id):
    """"The article" points to its heading or its conclusion, but "what does the article say about
    energy?" asks about energy, which the conclusion also mentions."""
    result = index.find(question)
    assert result.answer is not None and result.answer.id == entry_id, [(m.entry.id, m.score) for m in result.matches]


def test_the_question_is_read_wherever_it_sits_in_the_message(index):
    preamble = "My grandfather lived in Tashkent and my family often argues about history at dinner. " * 12
    for message in (preamble + "When was the treaty signed?",
                    "Hi! I'm a journalist from Baku writing about the region. When was the treaty signed? Thanks!"):
        result = index.find(message)
        assert result.answer is not None and result.answer.id == "agreement-uzbekistan-2024", result.searched


def test_a_short_question_is_read_with_the_end_of_the_sentence_before_it(index):
    """"What is it?" names nothing: "it" is at the end of the sentence before, after chat about the asker
    ("relatives" is chat, though it shares a stem with "relations")."""
    result = index.find("I live in Germany now, and my relatives keep talking about the alliance with Uzbekistan. What is it?")
    assert result.answer is not None and result.answer.id == "treaty", result.searched
    assert result.searched.startswith("and my relatives")


@pytest.mark.parametrize("question", ["What is the treaty about?", "О чём договор?", "Shartnoma nima haqida?", "treaty"])
def test_a_broad_question_gets_the_passage_that_links_the_ones_it_fits(index, question):
    """Every passage is about the treaty; the treaty's own passage links them, so it answers, not "which of these?"."""
    result = index.find(question)
    assert result.answer is not None and result.answer.id == "treaty", [(m.entry.id, m.score) for m in result.matches]


def test_a_year_or_country_the_entry_lacks_pushes_it_down(index):
    result = index.find("declaration 2017")
    assert result.answer.id == "agreement-turkmenistan-2017"
    result = index.find("Armenia relations")  # fuzzily close to 'Turkmenia' but a different country
    assert result.answer is None


@pytest.mark.parametrize("question", ["Did Azerbaijan sign a similar declaration with Mongolia?",
                                      "What is Armenia's position on the Zangezur Corridor?"])
def test_a_country_no_passage_names_is_never_answered_outright(index, question):
    result = index.find(question)
    assert result.answer is None, [(m.entry.id, m.score) for m in result.matches]


def test_a_question_naming_one_part_of_an_overview_gets_that_part(index):
    # "outcomes" lists every expected outcome, trade among them, and scores as high; but only
    # one of its parts speaks of trade, so the question is about that part.
    result = index.find("How will bilateral trade change after the treaty?")
    assert [match.entry.id for match in result.matches[:2]] == ["outcome-trade", "outcomes"]


@pytest.mark.parametrize("question", ["In which fields are Baku and Tashkent going to team up?",
                                      "azerbaijan uzbekstan treaty whcih areas"])
def test_a_part_tied_with_its_overview_on_no_word_of_its_own_yields_to_it(index, question):
    """The energy passage ties with the treaty's areas here on "fields" alone: the question asks for the areas."""
    result = index.find(question)
    assert result.answer is not None and result.answer.id == "treaty-areas", [(m.entry.id, m.score) for m in result.matches]


@pytest.mark.parametrize("question", ["How will the treaty affect political relations between the two countries?",
                                      "Как договор повлияет на политические отношения двух стран?"])
def test_affect_says_how_not_what(index, question):
    """"affect" is no outcome: the Turkic states' outcome shares it ("how will this affect integration"), not the topic."""
    result = index.find(question)
    assert result.answer is not None and result.answer.id == "area-political", [(m.entry.id, m.score) for m in result.matches]


def test_same_question_same_result(index):
    first = index.find("treaty energy oil gas")
    for _ in range(5):
        assert index.find("treaty energy oil gas") == first


def test_huge_and_hostile_input_does_not_break_search(index):
    repeated, once = index.find("treaty " * 2000), index.find("treaty")
    assert (repeated.outcome, repeated.matches) == (once.outcome, once.matches)  # repeats add nothing
    assert repeated.matches[0].entry.id in ("treaty", "agreement-uzbekistan-2024")  # the treaty, or its dated entry
    assert index.find("<script>alert(1)</script>" * 100).answer is None
    assert index.find("\u200b\u202e\x00\x07 🤖🔥" * 300).answer is None
    assert index.find("a" * 10000).answer is None


@pytest.mark.parametrize(("typed", "entry_id"), [("zan", "zangezur-corridor"), ("Зангез", "zangezur-corridor"),
                                                 ("ener", "area-energy")])
def test_inline_mode_completes_the_word_being_typed(dialog, typed, entry_id):
    """Inline queries arrive letter by letter: "zan" is on its way to "Zangezur"."""
    assert dialog.inline_entries(typed)[0].id == entry_id
    assert dialog.knowledge.index.complete("xyzq") is None and dialog.knowledge.index.complete("en") is None
