"""The compiled knowledge cache: used when current, ignored when stale or broken."""

from __future__ import annotations

import pytest

from bot.cache import load_cached
from bot.cli import main
from bot.dialog import Knowledge
from bot.knowledge import KnowledgeError
from tests.conftest import KB_FILE, edit


def test_second_load_comes_from_the_cache_and_answers_the_same(kb_copy, tmp_path):
    cache = tmp_path / "cache"
    first = Knowledge.load(kb_copy, cache)
    files = list(cache.glob("knowledge-*.pickle"))
    assert len(files) == 1
    second = Knowledge.load(kb_copy, cache)
    assert second is not first
    for question in ("When was the treaty signed?", "Зангезурский коридор", "2022", "weather in Baku"):
        assert second.index.find(question) == first.index.find(question)


def test_an_edit_makes_a_fresh_load_and_replaces_the_old_cache(kb_copy, tmp_path):
    cache = tmp_path / "cache"
    Knowledge.load(kb_copy, cache)
    old = next(cache.glob("knowledge-*.pickle"))
    edit(kb_copy / KB_FILE, "title: Conclusion\n", "title: Conclusion and significance\n")
    fresh = Knowledge.load(kb_copy, cache)
    assert fresh.kb.get("conclusion").title == "Conclusion and significance"
    assert [p.name for p in cache.glob("knowledge-*.pickle")] != [old.name]
    assert len(list(cache.glob("knowledge-*.pickle"))) == 1


def test_an_invalid_knowledge_base_is_never_cached(kb_copy, tmp_path):
    cache = tmp_path / "cache"
    edit(kb_copy / KB_FILE, "      date: 2017-08-08", "      date: 2017-08-32")
    with pytest.raises(KnowledgeError):
        Knowledge.load(kb_copy, cache)
    assert not list(cache.glob("knowledge-*.pickle"))  # also true when the folder was never made


def test_a_corrupt_cache_file_is_ignored(kb_copy, tmp_path):
    cache = tmp_path / "cache"
    Knowledge.load(kb_copy, cache)
    cached = next(cache.glob("knowledge-*.pickle"))
    cached.write_bytes(b"not a pickle")
    knowledge = Knowledge.load(kb_copy, cache)
    assert knowledge.index.find("energy").answer.id == "area-energy"


def test_check_compile_writes_the_copy_the_bot_starts_from(kb_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    assert main(["check", str(kb_copy), "--compile"]) == 0
    assert "compiled: the next start or /reload reads" in capsys.readouterr().out

    def build() -> Knowledge:
        raise AssertionError("the bot compiled the knowledge base again")

    started = load_cached(kb_copy, tmp_path / "data" / "cache", build)
    assert started.kb.serving  # the lean form the bot keeps, not the editors' full one
    fresh = Knowledge.load(kb_copy)
    for question in ("When was the treaty signed?", "Зангезурский коридор", "energy", "weather in Baku"):
        assert started.index.find(question) == fresh.index.find(question)
