"""The loader accepts the real knowledge base and pinpoints every kind of mistake."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest

from bot.ops.cli import main
from bot.knowledge import KnowledgeError, load_knowledge, paused_gc
from tests.conftest import KB_FILE, KNOWLEDGE, edit, line_of


def problems_of(path: Path) -> list:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path)
    return caught.value.problems


def test_real_knowledge_base_loads_with_every_quote_in_the_source():
    kb = load_knowledge(KNOWLEDGE)
    source_text = (KNOWLEDGE / "sources" / "000_b102663e531a9bb8.txt").read_text(encoding="utf-8")
    assert len(kb.entries) == 20
    for entry in kb.entries:
        assert entry.quote in source_text, entry.id
        assert entry.citation.source.text == source_text


def test_knowledge_base_covers_the_facts_of_the_source():
    kb = load_knowledge(KNOWLEDGE)
    agreements = {entry.agreement.date: entry.agreement for entry in kb.of_kind("agreement")}
    assert set(agreements) == {dt.date(2024, 8, 23), dt.date(2022, 8, 24), dt.date(2017, 8, 8),
                               dt.date(2022, 4, 20), dt.date(2024, 5, 23)}
    assert agreements[dt.date(2024, 8, 23)].kind == "treaty"
    assert agreements[dt.date(2017, 8, 8)].parties == ("Republic of Azerbaijan", "Turkmenistan")
    assert {entry.id for entry in kb.of_kind("area")} >= {"area-political", "area-economic", "area-energy", "area-cultural"}
    assert len(kb.of_kind("outcome")) == 3
    for kind in ("treaty", "strategy", "conclusion", "source"):
        assert kb.of_kind(kind), kind
    # every paragraph of the article (but the site footer) is quoted by some entry
    text = kb.entries[0].citation.source.text
    quoted = " ".join(entry.quote for entry in kb.entries)
    for paragraph in text.split("\n\n")[2:-1]:
        if len(paragraph) < 80:
            continue  # a heading, not a fact
        sentences = [s for s in paragraph.replace("\n", " ").split(". ") if len(s) > 20]
        for sentence in sentences:
            assert sentence.rstrip(".") in quoted, sentence


def test_every_entry_has_alternates_in_all_four_languages():
    for entry in load_knowledge(KNOWLEDGE).entries:
        for language in ("en", "ru", "az", "uz"):
            assert entry.questions.get(language) or entry.keywords.get(language), (entry.id, language)


@pytest.mark.parametrize(
    ("old", "new", "needle", "entry_id", "field", "message"),
    [
        ("    quote: Declaration on Strategic Partnership Between the Republic of Azerbaijan and Turkmenistan",
         "    quote: Declaration on Strategic Partnership Between the Republic of Azerbaijan and Turkmenia",
         "and Turkmenia", "agreement-turkmenistan-2017", "quote", "not an exact substring"),
        ("      date: 2017-08-08", "      date: 2017-13-08", "date: 2017-13-08",
         "agreement-turkmenistan-2017", "agreement.date", "not an ISO date"),
        ("    related: [agreements, central-asia-strategy]\n\n  - id: agreement-kyrgyzstan-2022",
         "    related: [agreements, no-such-entry]\n\n  - id: agreement-kyrgyzstan-2022",
         "related: [agreements, no-such-entry]", "agreement-turkmenistan-2017", "related", "unknown entry id 'no-such-entry'"),
        ("  - id: agreement-kyrgyzstan-2022", "  - id: agreement-turkmenistan-2017",
         "- id: agreement-turkmenistan-2017\n    kind: agreement\n    title: Declaration with the Kyrgyz",
         "agreement-turkmenistan-2017", "id", "duplicate id"),
        ("    title: Declaration with Turkmenistan (8 August 2017)",
         "    title: Declaration with Turkmenistan (8 August 2017)\n    summary: extra",
         "summary: extra", "agreement-turkmenistan-2017", "summary", "unknown field"),
        ("    kind: agreement\n    title: Declaration with Turkmenistan", "    kind: pact\n    title: Declaration with Turkmenistan",
         "kind: pact", "agreement-turkmenistan-2017", "kind", "unknown kind 'pact'"),
        ("    citation: {source: oped-az-uz-alliance, section: Conclusion}",
         "    citation: {source: another-oped, section: Conclusion}",
         "source: another-oped", "conclusion", "citation.source", "unknown source 'another-oped'"),
        ("      uz: >-\n        Ozarbayjon Respublikasi va Qozog‘iston Respublikasi o‘rtasidagi Strategik munosabatlarni\n"
         "        mustahkamlash va ittifoqchilik hamkorligini chuqurlashtirish to‘g‘risidagi deklaratsiya –\n"
         "        2022-yil 24-avgust\n", "",
         "    quote_i18n:  # unofficial translations, shown beside the verbatim quote\n      ru: >-\n"
         "        Декларация об укреплении", "agreement-kazakhstan-2022", "quote_i18n.uz",
         "the quote has no translation in this language"),
        ("        между Азербайджанской Республикой и Республикой Казахстан — 24 августа 2022 года",
         "        между Азербайджанской Республикой и Республикой Казахстан — в августе",
         "      ru: >-\n        Декларация об укреплении стратегических отношений", "agreement-kazakhstan-2022",
         "quote_i18n.ru", "the translation drops 24, 2022 (a number or date of the quote)"),
        ("        Zəngəzur dəhlizi kimi regional", "        Dəhliz kimi regional",
         "      az: >-\n        Dəhliz kimi regional", "zangezur-corridor", "quote_i18n.az",
         "the translation drops zangezur (named in the quote; forms in the lexicon)"),
        ("        ikki davlat o‘rtasidagi savdoni oshirishda hal qiluvchi rol o‘ynashi kutilmoqda.", "",
         "      uz: >-\n        Zangezur yo‘lagi kabi", "zangezur-corridor", "quote_i18n.uz",
         "the translation is 0.5x the quote's length"),
    ],
    ids=["quote-not-in-source", "bad-date", "dangling-related", "duplicate-id", "unknown-field", "unknown-kind",
         "unknown-source", "translation-missing", "translation-loses-a-date", "translation-loses-a-name",
         "translation-too-short"],
)
def test_each_mistake_names_file_line_entry_and_field(kb_copy, old, new, needle, entry_id, field, message):
    yaml_file = kb_copy / KB_FILE
    edit(yaml_file, old, new)
    expected_line = line_of(yaml_file, needle) if "\n" not in needle else _line_of_block(yaml_file, needle)
    problems = problems_of(kb_copy)
    matching = [p for p in problems if p.entry_id == entry_id and p.field == field and message in p.message]
    assert matching, f"no problem for {entry_id}.{field} among: {[str(p) for p in problems]}"
    problem = matching[0]
    assert problem.file == str(yaml_file)
    assert problem.line == expected_line
    assert str(problem).startswith(f"{yaml_file}:{expected_line}: entry '{entry_id}', field '{field}': ")


def _line_of_block(path: Path, block: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(block)].count("\n") + 1


def test_missing_required_field_points_at_the_entry(kb_copy):
    yaml_file = kb_copy / KB_FILE
    edit(yaml_file, "    citation: {source: oped-az-uz-alliance, section: Conclusion}\n", "")
    problems = problems_of(kb_copy)
    assert [(p.entry_id, p.field, p.message) for p in problems] == [("conclusion", "citation", "missing required field")]
    assert problems[0].line == line_of(yaml_file, "- id: conclusion")


def test_invalid_yaml_names_file_and_line(kb_copy):
    yaml_file = kb_copy / KB_FILE
    edit(yaml_file, "    title: Declaration with Tajikistan (23 May 2024)", "    title: [unclosed")
    problems = problems_of(kb_copy)
    assert len(problems) == 1
    assert problems[0].file == str(yaml_file)
    assert "invalid YAML" in problems[0].message
    # libyaml reports where it found the problem: the line after the unclosed '[', where ']' was due
    assert problems[0].line == line_of(yaml_file, "title: [unclosed") + 1


def test_duplicate_key_inside_an_entry_is_an_error(kb_copy):
    yaml_file = kb_copy / KB_FILE
    edit(yaml_file, "    title: Conclusion\n", "    title: Conclusion\n    title: Again\n")
    problems = problems_of(kb_copy)
    assert "duplicate key 'title'" in problems[0].message
    assert problems[0].line == line_of(yaml_file, "title: Again")


def test_all_problems_are_reported_at_once(kb_copy):
    yaml_file = kb_copy / KB_FILE
    edit(yaml_file, "      date: 2022-04-20", "      date: 20.04.2022")
    edit(yaml_file, "    related: [treaty, outcomes]", "    related: [treaty, missing-one]")
    fields = {p.field for p in problems_of(kb_copy)}
    assert {"agreement.date", "related"} <= fields


def test_check_command_prints_problem_and_exits_1(kb_copy, capsys):
    yaml_file = kb_copy / KB_FILE
    edit(yaml_file, "      date: 2024-05-23", "      date: 2024-05-32")
    assert main(["check", str(kb_copy)]) == 1
    output = capsys.readouterr().out
    line = line_of(yaml_file, "date: 2024-05-32")
    assert f"{yaml_file}:{line}: entry 'agreement-tajikistan-2024', field 'agreement.date'" in output


def test_check_command_accepts_the_real_knowledge_base(capsys):
    assert main(["check", str(KNOWLEDGE)]) == 0
    assert capsys.readouterr().out.startswith("OK: 20 entries")  # no alternate leads to another entry


def test_a_second_document_is_just_more_yaml(kb_copy):
    (kb_copy / "sources" / "second.txt").write_text("A second text about the Turkmenistan declaration.", encoding="utf-8")
    (kb_copy / "second.yaml").write_text(
        "sources:\n"
        "  - {id: second, file: sources/second.txt, title: Second, kind: note}\n"
        "entries:\n"
        "  - id: second-note\n"
        "    kind: source\n"
        "    title: A second note\n"
        "    quote: A second text\n"
        "    quote_i18n: {ru: Второй текст, az: İkinci mətn, uz: Ikkinchi matn}\n"
        "    citation: {source: second, section: Body}\n"
        "    questions: {en: ['What does the second note say?']}\n"
        "    related: [agreement-turkmenistan-2017]\n",
        encoding="utf-8",
    )
    kb = load_knowledge(kb_copy)
    assert kb.get("second-note").citation.source.title == "Second"


def test_check_warns_about_alternates_that_lead_to_another_entry(kb_copy, capsys):
    assert main(["check", str(kb_copy)]) == 0
    before = {line for line in capsys.readouterr().out.splitlines() if line.startswith("warning: ")}
    edit(kb_copy / KB_FILE, "        - Why does the treaty matter?\n",
         "        - Why does the treaty matter?\n        - When was the treaty signed?\n")
    assert main(["check", str(kb_copy)]) == 0  # a warning, not an error
    after = {line for line in capsys.readouterr().out.splitlines() if line.startswith("warning: ")}
    [added] = after - before
    assert added.startswith("warning: entry 'conclusion': the alternate 'When was the treaty signed?' leads to "
                            "'agreement-uzbekistan-2024'")


def test_overlapping_loads_turn_the_garbage_collector_back_on_only_when_the_last_ends():
    assert gc.isenabled()
    first = paused_gc()
    first.__enter__()
    with pytest.raises(RuntimeError), paused_gc():  # a second load fails meanwhile
        assert not gc.isenabled()
        raise RuntimeError("invalid knowledge base")
    assert not gc.isenabled()  # the first load is still running
    first.__exit__(None, None, None)
    assert gc.isenabled()


def test_loading_leaves_the_garbage_collector_on(tmp_path):
    load_knowledge(KNOWLEDGE)
    with pytest.raises(KnowledgeError):
        load_knowledge(tmp_path)  # no files: an error from inside the paused section
    assert gc.isenabled()


def test_a_detail_qualified_by_an_unknown_concept_is_reported(kb_copy, capsys):
    edit(kb_copy / KB_FILE, "gives: [date, person:visit|aliyev,", "gives: [date, person:visit|aliev,")
    assert main(["check", str(kb_copy)]) == 1
    line = line_of(kb_copy / KB_FILE, "gives: [date, person:visit|aliev,")
    assert (f"{kb_copy / KB_FILE}:{line}: entry 'treaty', field 'gives': unknown concept 'aliev' in "
            "'person:visit|aliev'") in capsys.readouterr().out
