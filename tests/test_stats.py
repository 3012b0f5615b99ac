"""The stats record: grouping, privacy, expiry, a full queue, closing, and the report text."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from bot.chat.stats import Stats, StatsReport, format_report, load_report

DAY = 86400.0


@pytest.fixture()
def stats(tmp_path: Path):
    record = Stats(tmp_path / "data" / "stats.sqlite3")
    yield record
    record.close()


def rows(path: Path, table: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"SELECT * FROM {table}").fetchall()


def test_records_from_many_threads_group_by_normalized_question(stats: Stats):
    spellings = ["When was the treaty signed?", "when was the TREATY signed", "  When, was the treaty signed!!"]

    def work(number: int) -> None:
        for index in range(30):
            stats.record_unanswered(spellings[index % 3], "en" if number % 2 else "ru", "private", "none")
            stats.record_pick("area-energy", "enrgy", "en", "group")
            if index % 3 == 0:
                stats.record_vote("treaty", 1 if number else -1)
        stats.record_unanswered("Zangezur?", "en", "private", "suggest")

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stats.flush()

    report = stats.report()
    assert report.unanswered == [("when was the treaty signed", 120, "en,ru"), ("zangezur", 4, "en")]
    assert report.picks == [("area-energy", 120)]
    assert report.votes == [("treaty", 30, 10)]
    assert report.days == 90
    assert stats.dropped == 0


def test_parent_folder_and_wal_mode(tmp_path: Path):
    path = tmp_path / "a" / "b" / "stats.sqlite3"
    with Stats(path):
        pass
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_digit_runs_are_masked_before_a_question_is_stored(stats: Stats):
    """A phone or card number typed into a question is not kept for 90 days, grouped or not; years are."""
    stats.record_unanswered("call me at +994 501234567, was it 2024?", "en", "private", "none")
    stats.record_unanswered("+998 90 123-45-67 or 998-90-123-45-67 on 23 August 2024, article 12 3", "en", "group", "none")
    stats.record_pick("treaty", "my card 4111 1111 1111 1111", "en", "private")
    assert stats.flush()
    with sqlite3.connect(stats.path) as connection:
        stored = [row[0] for row in connection.execute("SELECT normalized FROM unanswered UNION ALL SELECT normalized FROM picks")]
    assert stored == ["call me at ### ######### was it 2024",
                      "### ## ### ## ## or ### ## ### ## ## on 23 august 2024 article 12 3",
                      "my card #### #### #### ####"]


def test_nothing_identifying_is_stored(stats: Stats):
    stats.record_unanswered("Hello, I am Jane Doe — WHEN was it signed?", "en", "private", "none")
    stats.record_pick("treaty", "Treaty SIGNED?", "ru", "group")
    stats.record_vote("treaty", -1)
    assert stats.flush()
    with sqlite3.connect(stats.path) as connection:
        columns = {table: [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
                   for table in ("unanswered", "picks", "votes")}
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert columns == {
        "unanswered": ["normalized", "language", "chat_type", "outcome", "created"],
        "picks": ["entry_id", "normalized", "language", "chat_type", "created"],
        "votes": ["entry_id", "vote", "created"],
    }
    assert {"unanswered_created", "picks_created", "votes_created"} <= indexes
    # The question is kept only in its folded form, the way the search sees it.
    assert rows(stats.path, "unanswered")[0][:4] == ("hello i am jane doe when was it signed", "en", "private", "none")
    assert rows(stats.path, "picks")[0][:4] == ("treaty", "treaty signed", "ru", "group")


def test_long_questions_are_cut_and_empty_ones_skipped(stats: Stats):
    stats.record_unanswered("word " * 100, "en", "private", "none")
    stats.record_unanswered("?!…", "en", "private", "none")
    assert stats.flush()
    stored = rows(stats.path, "unanswered")
    assert len(stored) == 1 and len(stored[0][0]) == 200


def test_bad_vote_is_refused_at_the_call(stats: Stats):
    with pytest.raises(ValueError):
        stats.record_vote("treaty", 2)


def test_expiry_deletes_old_rows(stats: Stats):
    now = time.time()
    with sqlite3.connect(stats.path) as connection:
        connection.execute("INSERT INTO unanswered VALUES ('old question', 'en', 'private', 'none', ?)",
                           (now - 91 * DAY,))
        connection.execute("INSERT INTO unanswered VALUES ('recent question', 'en', 'private', 'none', ?)",
                           (now - 89 * DAY,))
        connection.execute("INSERT INTO picks VALUES ('treaty', 'old', 'en', 'private', ?)", (now - 100 * DAY,))
        connection.execute("INSERT INTO votes VALUES ('treaty', 1, ?)", (now - 365 * DAY,))
        connection.execute("INSERT INTO votes VALUES ('treaty', -1, ?)", (now,))
    assert stats.expire() == 3
    assert [row[0] for row in rows(stats.path, "unanswered")] == ["recent question"]
    assert rows(stats.path, "picks") == []
    assert [row[1] for row in rows(stats.path, "votes")] == [-1]


def test_expiry_runs_at_start_and_reports_skip_old_rows(tmp_path: Path):
    path = tmp_path / "stats.sqlite3"
    Stats(path, retention_days=7).close()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO votes VALUES ('treaty', 1, ?)", (time.time() - 8 * DAY,))
    assert load_report(path, retention_days=7).votes == []  # outside the window even before expiry
    assert len(rows(path, "votes")) == 1
    Stats(path, retention_days=7).close()
    assert rows(path, "votes") == []


def test_full_queue_drops_without_blocking(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    stats = Stats(tmp_path / "stats.sqlite3", queue_size=2)
    blocker = sqlite3.connect(stats.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # the writer now waits for the database
    try:
        with caplog.at_level(logging.WARNING, logger="bot.chat.stats"):
            for _ in range(50):
                stats.record_vote("treaty", 1)  # would hang here if recording waited for the database
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert 46 <= stats.dropped <= 48  # two rows wait in the queue, up to two more in the writer's hands
    warnings = [record for record in caplog.records if record.name == "bot.chat.stats"]
    assert len(warnings) == 1 and "dropped" in warnings[0].getMessage()  # rate-limited
    assert stats.flush()
    assert len(rows(stats.path, "votes")) == 50 - stats.dropped
    stats.close()


def test_calls_after_close_are_ignored(tmp_path: Path):
    stats = Stats(tmp_path / "stats.sqlite3")
    stats.record_vote("treaty", 1)
    stats.close()  # writes what was queued
    assert rows(stats.path, "votes")[0][:2] == ("treaty", 1)
    stats.record_vote("treaty", -1)
    stats.record_unanswered("anything", "en", "private", "none")
    stats.record_pick("treaty", "anything", "en", "private")
    assert stats.flush()
    assert stats.expire() == 0
    stats.close()
    assert len(rows(stats.path, "votes")) == 1 and rows(stats.path, "unanswered") == []
    assert stats.report().votes == [("treaty", 1, 0)]  # reading still works


def test_ordering_is_deterministic(tmp_path: Path):
    events = ([("b question", "en")] * 2 + [("a question", "ru")] * 2 + [("c question", "uz")] * 3
              + [("a question", "en")])
    picks = ["zeta", "alpha", "alpha", "beta", "zeta"]
    votes = [("x", 1), ("y", -1), ("z", -1), ("x", -1), ("w", 1), ("w", 1)]
    reports = []
    for name, order in (("forward", 1), ("backward", -1)):
        with Stats(tmp_path / f"{name}.sqlite3") as stats:
            for question, language in events[::order]:
                stats.record_unanswered(question, language, "private", "none")
            for entry_id in picks[::order]:
                stats.record_pick(entry_id, "q", "en", "private")
            for entry_id, vote in votes[::order]:
                stats.record_vote(entry_id, vote)
        reports.append(load_report(tmp_path / f"{name}.sqlite3"))
    assert reports[0] == reports[1]
    assert reports[0].unanswered == [("a question", 3, "en,ru"), ("c question", 3, "uz"), ("b question", 2, "en")]
    assert reports[0].picks == [("alpha", 2), ("zeta", 2), ("beta", 1)]
    assert reports[0].votes == [("x", 1, 1), ("y", 0, 1), ("z", 0, 1), ("w", 2, 0)]


def test_report_limit_and_distinct_counts(stats: Stats):
    for number in range(30):
        stats.record_unanswered(f"question {number:02d}", "en", "private", "none")
    assert stats.flush()
    report = stats.report(limit=5)
    assert [question for question, _, _ in report.unanswered] == [f"question {n:02d}" for n in range(5)]
    assert report.unanswered_distinct == 30
    assert "… and 25 more" in format_report(report)


def test_missing_database_is_an_empty_report(tmp_path: Path):
    path = tmp_path / "nothing.sqlite3"
    assert load_report(path) == StatsReport([], [], [], 90)
    assert not path.exists()


def test_format_empty_report():
    text = format_report(StatsReport([], [], [], 90))
    assert text == ("Most frequent unanswered questions (last 90 days)\nnone yet\n\n"
                    "Suggestions picked\nnone yet\n\nVotes\nnone yet")


def test_format_report():
    report = StatsReport([("when was the treaty signed", 3, "en,ru")], [("area-energy", 2)], [("treaty", 5, 1)], 30)
    assert format_report(report) == (
        "Most frequent unanswered questions (last 30 days)\n• 3× when was the treaty signed (en,ru)\n\n"
        "Suggestions picked\n• area-energy: 2\n\n"
        "Votes\n• treaty: 5 up, 1 down")


def test_format_long_report_is_capped_with_short_lines():
    report = StatsReport(
        unanswered=[(f"question {n:03d} " + "padding " * 30, 500 - n, "az,en,ru,uz") for n in range(200)],
        picks=[(f"entry-{n:03d}", 100 - n // 2) for n in range(200)],
        votes=[(f"entry-{n:03d}", n, 200 - n) for n in range(200)],
        days=90, unanswered_distinct=250, picks_distinct=200, votes_distinct=200,
    )
    text = format_report(report)
    assert len(text) <= 3500
    assert max(len(line) for line in text.splitlines()) <= 80
    lines = text.splitlines()
    for heading in ("Most frequent unanswered questions (last 90 days)", "Suggestions picked", "Votes"):
        assert heading in lines
    assert lines[1].startswith("• 500× question 000 ")  # the most frequent stays
    more = [line for line in lines if line.startswith("… and ")]
    assert len(more) == 3 and "none yet" not in text
    shown = sum(1 for line in lines if line.startswith("• "))
    hidden = sum(int(line.split()[2]) for line in more)
    assert shown + hidden == 250 + 200 + 200
