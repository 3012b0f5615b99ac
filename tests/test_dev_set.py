"""Answer quality must stay above the agreed bars: on the tuning questions and on the held-out half.

The bars sit a few points under the figures measured when the work was done (README,
"Quality"). The tuning questions (tests/dev_questions.yaml, tests/questions/dev.yaml,
calibration.yaml and dev2.yaml to dev8.yaml) are what the engine was tuned on and the answer
decision fitted on; the held-out halves (tests/questions/heldout.yaml to heldout6.yaml) were
written from the source alone and split off at random before any tuning, and nobody tunes on
them: a drop there is a regression a user would meet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.evaluation import Prediction, Question, evaluate, load_questions, predictor

QUESTIONS = Path(__file__).parent / "questions"
OLD_DEV = Path(__file__).with_name("dev_questions.yaml")
DEV, HELDOUT = QUESTIONS / "dev.yaml", QUESTIONS / "heldout.yaml"
CALIBRATION = QUESTIONS / "calibration.yaml"  # written later, from the source alone
DEV2, DEV3 = QUESTIONS / "dev2.yaml", QUESTIONS / "dev3.yaml"  # written on 2026-12-02, from the source alone
DEV4, HELDOUT2 = QUESTIONS / "dev4.yaml", QUESTIONS / "heldout2.yaml"  # a later set, split in two halves
DEV5, HELDOUT3 = QUESTIONS / "dev5.yaml", QUESTIONS / "heldout3.yaml"  # written the next session, split likewise
DEV6, HELDOUT4 = QUESTIONS / "dev6.yaml", QUESTIONS / "heldout4.yaml"  # ... and one more, later that session
DEV7, HELDOUT5 = QUESTIONS / "dev7.yaml", QUESTIONS / "heldout5.yaml"  # ... and a last one
DEV8, HELDOUT6 = QUESTIONS / "dev8.yaml", QUESTIONS / "heldout6.yaml"  # a sixth set, the next session
DEV9, HELDOUT7 = QUESTIONS / "dev9.yaml", QUESTIONS / "heldout7.yaml"  # a seventh, the session after

# (set, language) -> the least share answered and right (tuning sets: just under the figures the engine
# was tuned to; held-out: a few points under the figure measured once; the targets are higher)
ANSWERED_RIGHT = {
    (OLD_DEV, "en"): 0.86, (OLD_DEV, "ru"): 0.97, (OLD_DEV, "az"): 0.91, (OLD_DEV, "uz"): 0.86,
    (DEV, "en"): 0.89, (DEV, "ru"): 0.91, (DEV, "az"): 0.96, (DEV, "uz"): 0.93,
    (CALIBRATION, "en"): 0.90, (CALIBRATION, "ru"): 0.90, (CALIBRATION, "az"): 0.90, (CALIBRATION, "uz"): 0.92,
    (DEV2, "en"): 0.85, (DEV2, "ru"): 0.83, (DEV2, "az"): 0.85, (DEV2, "uz"): 0.89,
    (DEV3, "en"): 0.85, (DEV3, "ru"): 0.92, (DEV3, "az"): 0.89, (DEV3, "uz"): 0.95,
    (DEV4, "en"): 0.83, (DEV4, "ru"): 0.86, (DEV4, "az"): 0.89, (DEV4, "uz"): 0.96,
    # measured when this round's work was done (2026-12-02): en 85.5, ru 92.0, az 93.1, uz 90.3, then once
    # more after the fixes a new user's trial asked for: en 86.8, the rest the same (the round began at
    # en 75.0, ru 84.0, az 75.9, uz 87.1); a third time after the next round's changes: en 86.8, ru 94.0,
    # az 93.1, uz 90.3; and with the decision refitted on dev4's Russian half: en 84.2, ru 94.0, az 89.7, uz 90.3
    (HELDOUT, "en"): 0.82, (HELDOUT, "ru"): 0.88, (HELDOUT, "az"): 0.86, (HELDOUT, "uz"): 0.86,
    # the second held-out half (2026-12-02): en 81.0, az 85.7, uz 96.3 before its Russian half arrived; with
    # the final decision, en 79.4, ru 68.2, az 85.7, uz 92.6
    (HELDOUT2, "en"): 0.76, (HELDOUT2, "ru"): 0.64, (HELDOUT2, "az"): 0.82, (HELDOUT2, "uz"): 0.89,
    (DEV5, "en"): 0.86, (DEV5, "ru"): 0.88, (DEV5, "az"): 0.79, (DEV5, "uz"): 0.93,
    (DEV6, "en"): 0.89, (DEV6, "ru"): 0.90, (DEV6, "az"): 0.93, (DEV6, "uz"): 0.93,
    (DEV7, "en"): 0.83, (DEV7, "ru"): 0.84, (DEV7, "az"): 0.80, (DEV7, "uz"): 0.90,
    # measured before any tuning on it: en 93.7, ru 95.3, az 96.6, uz 96.8
    (DEV8, "en"): 0.92, (DEV8, "ru"): 0.93, (DEV8, "az"): 0.93, (DEV8, "uz"): 0.93,
    # the third held-out half, measured once (2026-12-02, the next session, after the 'how many' fix):
    # en 89.6, ru 73.9, az 87.1, uz 86.7
    # and once more when that session's work was done: en 91.0, ru 87.0, az 93.5, uz 86.7
    (HELDOUT3, "en"): 0.86, (HELDOUT3, "ru"): 0.70, (HELDOUT3, "az"): 0.83, (HELDOUT3, "uz"): 0.83,
    # the fourth held-out half, measured once when that session's work was done: en 85.5, ru 89.8, az 93.3, uz 89.7
    (HELDOUT4, "en"): 0.82, (HELDOUT4, "ru"): 0.86, (HELDOUT4, "az"): 0.89, (HELDOUT4, "uz"): 0.86,
    # the fifth, measured once with that session's final engine: en 86.8, ru 83.3, az 86.2, uz 90.0
    (HELDOUT5, "en"): 0.83, (HELDOUT5, "ru"): 0.79, (HELDOUT5, "az"): 0.82, (HELDOUT5, "uz"): 0.86,
    # the sixth, measured once with the next session's final engine: en 98.4, ru 87.2, az 96.6, uz 96.3
    (HELDOUT6, "en"): 0.94, (HELDOUT6, "ru"): 0.83, (HELDOUT6, "az"): 0.92, (HELDOUT6, "uz"): 0.92,
    # measured before any tuning on it: en 88.9, ru 88.5, az 90.0, uz 87.5
    (DEV9, "en"): 0.89, (DEV9, "ru"): 0.91, (DEV9, "az"): 0.86, (DEV9, "uz"): 0.84,
    # the seventh, measured once with that session's engine: en 91.8, ru 96.7, az 87.5, uz 93.3
    (HELDOUT7, "en"): 0.88, (HELDOUT7, "ru"): 0.92, (HELDOUT7, "az"): 0.83, (HELDOUT7, "uz"): 0.89,
}
# Out of scope not answered, measured: held-out 97.4, then 94.9 (three times), 97.4; held-out 2 84.6, then 82.1;
# held-out 3 90.9, then 97.0; held-out 4 100; held-out 5 93.5; held-out 6 97.1; held-out 7 100.
ABSTENTION = {OLD_DEV: 0.97, DEV: 0.97, CALIBRATION: 0.94, DEV2: 0.97, DEV3: 0.87, DEV4: 0.86,
              DEV5: 0.93, DEV6: 0.94, DEV7: 0.96, DEV8: 0.93, HELDOUT: 0.92, HELDOUT2: 0.81,
              HELDOUT3: 0.87, HELDOUT4: 0.96, HELDOUT5: 0.90, HELDOUT6: 0.94, DEV9: 0.93, HELDOUT7: 0.95}
# Confident wrong answers, measured: held-out 2.2%, then 2.7%; held-out 2 3.7%; held-out 3 1.7%, then 2.3%;
# held-out 4 2.8%; held-out 5 5.1%; held-out 6 2.4% (1.2% with a scoring bug fixed); held-out 7 4.9%.
WRONG_PER_ANSWERABLE = {OLD_DEV: 0.02, DEV: 0.02, CALIBRATION: 0.02, DEV2: 0.03, DEV3: 0.02, DEV4: 0.03,
                        DEV5: 0.03, DEV6: 0.03, DEV7: 0.05, DEV8: 0.02, HELDOUT: 0.04, HELDOUT2: 0.06,
                        HELDOUT3: 0.04, HELDOUT4: 0.05, HELDOUT5: 0.07, HELDOUT6: 0.04, DEV9: 0.04,
                        HELDOUT7: 0.07}
SETS = (OLD_DEV, DEV, CALIBRATION, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4,
        HELDOUT5, HELDOUT6, HELDOUT7)


@pytest.fixture(scope="module")
def reports(dialog_module):
    predict = predictor(dialog_module)
    return {path: evaluate(load_questions(path), predict) for path in SETS}


@pytest.fixture(scope="module")
def dialog_module(knowledge):
    from bot.chat.dialog import Dialog

    return Dialog(knowledge)


def test_question_sets_are_big_and_varied():
    fresh = load_questions(DEV) + load_questions(HELDOUT)
    assert len(fresh) >= 400
    counts = {language: sum(q.language == language and q.answerable for q in fresh) for language in ("en", "ru", "az", "uz")}
    assert counts["en"] >= 150 and counts["ru"] >= 100 and counts["az"] >= 60 and counts["uz"] >= 60, counts
    assert sum(not q.answerable for q in fresh) >= 80
    categories = {q.style for q in fresh}
    assert {"chatty", "handle", "paraphrase", "glued", "translit", "long", "cross", "detail", "offtopic",
            "smalltalk", "typo"} <= categories
    for tuned, held_out in ((DEV, HELDOUT), (DEV4, HELDOUT2), (DEV5, HELDOUT3), (DEV6, HELDOUT4), (DEV7, HELDOUT5), (DEV8, HELDOUT6), (DEV9, HELDOUT7)):
        # the same words in another language are another asker's question ("Zangezur" in English and in Uzbek)
        assert not {(q.text, q.language) for q in load_questions(tuned)} & {(q.text, q.language) for q in load_questions(held_out)}


@pytest.mark.parametrize(("path", "language"), sorted(ANSWERED_RIGHT, key=lambda key: (key[0].name, key[1])),
                         ids=lambda value: value.name if isinstance(value, Path) else value)
def test_answered_and_right(reports, path, language):
    scores = reports[path][language]
    assert scores.accuracy >= ANSWERED_RIGHT[(path, language)], "\n".join(scores.failures)


@pytest.mark.parametrize("path", sorted(ABSTENTION), ids=lambda path: path.name)
def test_out_of_scope_questions_are_not_answered(reports, path):
    scores = reports[path]["all"]
    assert scores.abstention >= ABSTENTION[path], "\n".join(f for f in scores.failures if "expected abstain" in f)


@pytest.mark.parametrize("path", sorted(WRONG_PER_ANSWERABLE), ids=lambda path: path.name)
def test_few_confident_wrong_answers(reports, path):
    """Quoting the wrong passage of a treaty is the worst thing this bot can do."""
    scores = reports[path]["all"]
    assert scores.wrong_on_answerable <= WRONG_PER_ANSWERABLE[path], "\n".join(scores.failures)


def test_a_computed_line_is_judged_by_the_passages_it_quotes():
    """Across the agreements it must cite exactly the agreements (and value) expected; a question not
    written as one is answered right by a computed line that quotes only passages that answer it."""
    oldest = Question("samoe staroe soglashenie", "ru", "translit", ("agreement-turkmenistan-2017", "agreements"))
    assert oldest.accepts(Prediction(None, cites=("agreement-turkmenistan-2017",), value="2017-08-08"))
    assert not oldest.accepts(Prediction(None, cites=("agreement-turkmenistan-2017", "agreement-kyrgyzstan-2022")))
    between = Question("years between?", "en", "cross", ("agreement-turkmenistan-2017", "agreement-uzbekistan-2024"),
                       value="7 years")
    assert between.accepts(Prediction(None, cites=between.expected, value="7 years"))
    assert not between.accepts(Prediction(None, cites=between.expected, value="6 years"))
    assert not between.accepts(Prediction(None, cites=("agreement-turkmenistan-2017",), value="7 years"))
    five = ("agreement-uzbekistan-2024", "agreement-kazakhstan-2022", "agreement-turkmenistan-2017",
            "agreement-kyrgyzstan-2022", "agreement-tajikistan-2024")
    declarations = Question("how many are declarations?", "en", "cross", five, value="4")  # the asker listed all five
    assert declarations.accepts(Prediction(None, cites=five[1:], value="4"))  # ... the count quotes the four it counts
    assert not declarations.accepts(Prediction(None, cites=five[1:], value="5"))
    assert not declarations.accepts(Prediction(None, cites=five[2:], value="4"))


def test_a_bare_yes_or_no_value_is_the_answer_not_a_boolean(tmp_path):
    """YAML reads ``value: no`` as false; a question set means the answer "no"."""
    path = tmp_path / "set.yaml"
    path.write_text("- q: Was it signed in 2024?\n  lang: en\n  category: cross\n  expect: agreement-kazakhstan-2022\n"
                    "  value: no\n- q: Was it signed in 2022?\n  lang: en\n  category: cross\n"
                    "  expect: agreement-kazakhstan-2022\n  value: yes\n", encoding="utf-8")
    assert [question.value for question in load_questions(path)] == ["no", "yes"]
