"""The treaty-bot command as people and other tools use it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.ops.cli import main
from bot.ops.console import run_console
from bot.chat.stats import Stats

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)


def test_ask_names_the_date_and_quotes_the_source():
    done = run_cli("ask", "When was the treaty signed?")
    assert done.returncode == 0
    assert "23 August 2024" in done.stdout
    assert "Treaty on Allied Relations Between the Republic of Azerbaijan and the Republic of Uzbekistan – August 23, 2024" in done.stdout
    assert "Source: “Alliance Relations Between Azerbaijan And Uzbekistan" in done.stdout


def test_ask_takes_an_unquoted_question(capsys):
    assert main(["ask", "When", "was", "the", "treaty", "signed?"]) == 0
    assert "23 August 2024" in capsys.readouterr().out


def test_ask_abstains_on_the_weather(capsys):
    assert main(["ask", "What's the weather in Baku?"]) == 0
    output = capsys.readouterr().out
    assert "could not find that in these materials" in output
    assert "Source:" not in output


def test_ask_finds_zangezur_in_russian(capsys):
    assert main(["ask", "Зангезурский коридор"]) == 0
    assert "such as the Zangezur Corridor" in capsys.readouterr().out


def test_ask_json_reads_one_question_per_line_in_order():
    questions = ["When was the treaty signed?", "weather in Baku", "2022", "Зангезурский коридор", ""]
    done = run_cli("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["query"] for row in rows] == questions
    for row in rows:
        assert set(row) == {"query", "answered", "reply", "matches", "suggestions"}
        assert isinstance(row["reply"], str) and row["reply"]
        for match in row["matches"]:
            assert set(match) == {"id", "title", "score"} and isinstance(match["score"], float)
        for suggestion in row["suggestions"]:
            assert set(suggestion) == {"id", "title"}
    signed, weather, year, zangezur, empty = rows
    assert signed["answered"] and signed["matches"][0]["id"] == "agreement-uzbekistan-2024"
    assert not weather["answered"] and weather["suggestions"] == []
    # "2022" alone: the agreements signed that year, computed from their dates and both quoted.
    assert year["answered"] and {m["id"] for m in year["matches"]} == {"agreement-kazakhstan-2022", "agreement-kyrgyzstan-2022"}
    assert zangezur["answered"] and zangezur["matches"][0]["id"] == "zangezur-corridor"
    assert not empty["answered"] and empty["matches"] == []


def test_invalid_knowledge_base_stops_ask_with_the_problem(kb_copy):
    (kb_copy / "broken.yaml").write_text("entries:\n  - id: Bad Id\n", encoding="utf-8")
    done = run_cli("--knowledge", str(kb_copy), "ask", "treaty")
    assert done.returncode == 1
    assert "broken.yaml:2: entry 'Bad Id', field 'id'" in done.stderr
    assert "Traceback" not in done.stderr


def test_console_answers_questions_commands_and_button_numbers(dialog):
    out = io.StringIO()
    run_console(dialog, stdin=io.StringIO("/agreements\n1\nенергетика и нефть\n/nonsense\n/quit\n"), out=out)
    text = out.getvalue()
    assert "Azerbaijan's five key agreements" in text
    assert "Declaration on Strategic Partnership Between the Republic of Azerbaijan and Turkmenistan – August 8, 2017" in text
    assert "Energy cooperation between Azerbaijan and Uzbekistan" in text
    assert "Источник:" in text  # a Russian question gets Russian interface text
    assert "Такой команды нет" in text  # commands follow the language of the last question


def test_console_says_which_button_numbers_exist_and_keeps_them(dialog):
    out = io.StringIO()
    run_console(dialog, stdin=io.StringIO("/agreements\n9\n1\n"), out=out)
    text = out.getvalue()
    assert "There is no button 9 here: type a number from 1 to 5 to press one" in text
    assert "Declaration on Strategic Partnership Between the Republic of Azerbaijan and Turkmenistan" in text


def test_report_reads_its_settings_from_dotenv_like_the_bot(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("DATA_DIR", "STATS_RETENTION_DAYS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text("DATA_DIR=bot-data\nSTATS_RETENTION_DAYS=7\n", encoding="utf-8")
    stats = Stats(tmp_path / "bot-data" / "stats.sqlite3")
    stats.record_vote("treaty", 1)
    stats.close()
    assert main(["report"]) == 0
    output = capsys.readouterr().out
    assert "(last 7 days)" in output and "treaty" in output
    assert main(["report", "--lang", "ru"]) == 0
    output = capsys.readouterr().out
    assert "Самые частые вопросы без ответа (за 7 дн.)" in output and "1 за, 0 против" in output

    (tmp_path / ".env").write_text("STATS_RETENTION_DAYS=7\n", encoding="utf-8")  # no DATA_DIR: the project's
    assert main(["report"]) in (0, 1)
    output = capsys.readouterr().out
    from bot.telegram.config import DEFAULT_DATA_DIR
    assert str(tmp_path) not in output and (output.startswith(f"no statistics at {DEFAULT_DATA_DIR}") or "(last 7" in output)
    (tmp_path / ".env").write_text("DATA_DIR=nowhere\n", encoding="utf-8")
    assert main(["report"]) == 1
    assert capsys.readouterr().out.startswith("no statistics at nowhere/stats.sqlite3: set DATA_DIR")

    (tmp_path / ".env").write_text("STATS_RETENTION_DAYS=a week\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["report"])
    assert stopped.value.code == 2
    assert "STATS_RETENTION_DAYS must be a whole number of days" in capsys.readouterr().err


def test_default_command_without_token_opens_the_console():
    done = run_cli(stdin="When was the treaty signed?\n")
    assert done.returncode == 0
    assert "treaty-bot console" in done.stdout
    assert "August 23, 2024" in done.stdout


def test_dotenv_values_may_carry_comments_and_a_bad_encoding_is_one_line(tmp_path):
    from bot.telegram.config import ConfigError, read_env_file

    env = tmp_path / ".env"
    env.write_text('FLOOD_LIMIT=5  # per user per 10 s\nLOG_LEVEL="DEBUG # not a comment" # but this is\n'
                   "ADMIN_IDS='42'\n", encoding="utf-8")
    assert read_env_file(env) == {"FLOOD_LIMIT": "5", "LOG_LEVEL": "DEBUG # not a comment", "ADMIN_IDS": "42"}
    env.write_bytes("TELEGRAM_BOT_TOKEN=1:a\nADMIN_IDS=\xe9".encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        read_env_file(env)


def test_a_message_longer_than_telegram_allows_is_read_at_its_beginning_and_its_end(dialog):
    """The CLI takes any length; past 4,096 characters the middle is left out, where preambles run on."""
    message = "My family argues about history at dinner. " * 200 + "What does the treaty say about energy cooperation?"
    answer = dialog.ask(message)
    assert answer.result.answer is not None and answer.result.answer.id == "area-energy"
    assert "read only its beginning and its end" in " ".join(block.text for block in answer.reply.blocks)
