"""Learn from what people ask: a small SQLite record kept next to the bot.

It keeps three things, so the knowledge-base team can see where the bot falls
short: questions it could not answer, "did you mean" suggestions people picked,
and thumbs up/down per entry. It stores no user ids, names or chat ids: only the
folded question (``bot.search.normalize.fold``, lower-case ASCII words), the interface
language, the chat type and a timestamp.

The bot calls the ``record_*`` methods from the asyncio event loop, so they never
touch the disk: they put a row on a bounded queue and return. One daemon thread
owns the write connection and writes rows in batches, one transaction each; when
the queue is full, rows are dropped (a warning is logged at most once a minute)
rather than slowing replies. Rows older than ``retention_days`` are deleted at
start and then at most once an hour. Reports use their own short-lived read
connection (WAL mode lets it read while the writer writes).
"""

from __future__ import annotations

import logging
import queue
import re
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.chat import i18n
from bot.search.normalize import fold

log = logging.getLogger(__name__)

QUEUE_SIZE = 10_000         # rows waiting for the writer; beyond that, rows are dropped
BATCH_SIZE = 500            # rows per transaction
EXPIRE_EVERY = 3600.0       # seconds between expiry runs of the writer thread
DROP_WARNING_EVERY = 60.0   # seconds between "queue full" warnings
QUESTION_CHARS = 200        # folded questions are stored up to this length
NUMBER_RUN = re.compile(r"\d+(?: \d+)*")  # digits, perhaps in groups ("+998 90 123 45 67" folds to spaces)
REPORT_CHARS = 3500         # format_report stays under Telegram's 4096 limit
LINE_CHARS = 80             # a report item is cut to this many characters

SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    normalized TEXT NOT NULL, language TEXT NOT NULL, chat_type TEXT NOT NULL,
    outcome TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS unanswered_created ON unanswered (created);
CREATE TABLE IF NOT EXISTS picks (
    entry_id TEXT NOT NULL, normalized TEXT NOT NULL, language TEXT NOT NULL,
    chat_type TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS picks_created ON picks (created);
CREATE TABLE IF NOT EXISTS votes (
    entry_id TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS votes_created ON votes (created);
"""

_INSERT = {
    "unanswered": "INSERT INTO unanswered (normalized, language, chat_type, outcome, created) VALUES (?, ?, ?, ?, ?)",
    "picks": "INSERT INTO picks (entry_id, normalized, language, chat_type, created) VALUES (?, ?, ?, ?, ?)",
    "votes": "INSERT INTO votes (entry_id, vote, created) VALUES (?, ?, ?)",
}
_STOP = ("stop", ())  # put on the queue by close(): the writer finishes what is before it, then ends

Row = tuple[str, tuple[object, ...]]  # (table, values)


@dataclass(frozen=True)
class StatsReport:
    """What people asked over the last ``days`` days; lists hold at most ``limit`` items.

    ``unanswered``: (folded question, times asked, languages seen such as "en,ru"),
    most frequent first, then alphabetical. ``picks``: (entry id, times picked),
    most picked first. ``votes``: (entry id, up, down), most down-voted first (what
    to fix), then most up-voted, then by id. The ``*_distinct`` counts say how many
    items exist in all, so a shortened list can say how many more there are.
    """

    unanswered: list[tuple[str, int, str]]
    picks: list[tuple[str, int]]
    votes: list[tuple[str, int, int]]
    days: int
    unanswered_distinct: int = 0
    picks_distinct: int = 0
    votes_distinct: int = 0


def _stored(question: str) -> str:
    """A question as it is kept: folded, runs of five or more digits masked, cut to length."""
    return NUMBER_RUN.sub(_masked, fold(question))[:QUESTION_CHARS]


def _masked(match: re.Match[str]) -> str:
    """Phone, card and account numbers are never kept: 5 digits in a row, or 7 in groups (a year is 4)."""
    number = match[0]
    if max(map(len, number.split())) >= 5 or sum(char.isdigit() for char in number) >= 7:
        return re.sub(r"\d", "#", number)
    return number


def _label(value: str, limit: int = 32) -> str:
    """A short, comma-free label (language, chat type, outcome, entry id) from the caller."""
    return str(value).replace(",", " ").strip()[:limit]


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


def _delete_before(connection: sqlite3.Connection, cutoff: float) -> int:
    """Delete rows created before ``cutoff`` from every table; returns how many went."""
    deleted = 0
    with connection:
        for table in _INSERT:
            deleted += connection.execute(f"DELETE FROM {table} WHERE created < ?", (cutoff,)).rowcount
    return deleted


class Stats:
    """The record of unanswered questions, picked suggestions and votes.

    Safe to use from any thread; every method is a no-op after ``close()`` except
    ``report()``, which only reads. Call ``close()`` on shutdown so queued rows are
    written (the writer is a daemon thread: whatever is still queued at exit is lost).
    """

    def __init__(self, path: Path, retention_days: int = 90, queue_size: int = QUEUE_SIZE):
        self.path = Path(path)
        self.retention_days = retention_days
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(_connect(self.path)) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(SCHEMA)
            _delete_before(connection, self._cutoff())
        self._queue: queue.Queue[Row] = queue.Queue(maxsize=queue_size)
        self._lock = threading.Lock()
        self._written = threading.Condition(self._lock)
        self._queued = 0       # rows accepted onto the queue
        self._processed = 0    # rows the writer has finished with (written or failed)
        self._closed = False
        self.dropped = 0       # rows dropped because the queue was full
        self._dropped_unreported = 0
        self._last_drop_warning = float("-inf")
        self._last_expiry = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="treaty-bot-stats", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ recording

    def record_unanswered(self, question: str, language: str, chat_type: str, outcome: str) -> None:
        """A question the bot could not answer (``outcome``: "none", "suggest" or "detail")."""
        normalized = _stored(question)
        if normalized:  # nothing to learn from punctuation or an empty /ask
            self._put("unanswered", (normalized, _label(language), _label(chat_type), _label(outcome), time.time()))

    def record_pick(self, entry_id: str, question: str, language: str, chat_type: str) -> None:
        """A "did you mean" suggestion the user chose for ``question``."""
        normalized = _stored(question)
        self._put("picks", (_label(entry_id, 200), normalized, _label(language), _label(chat_type), time.time()))

    def record_vote(self, entry_id: str, vote: int) -> None:
        """A 👍 (1) or 👎 (-1) on an entry's answer; any other value is a bug and raises ValueError."""
        if vote not in (-1, 1):
            raise ValueError(f"vote must be 1 or -1, not {vote!r}")
        self._put("votes", (_label(entry_id, 200), int(vote), time.time()))

    def _put(self, table: str, values: tuple[object, ...]) -> None:
        with self._lock:
            if self._closed:
                return
            try:
                self._queue.put_nowait((table, values))
                self._queued += 1
                return
            except queue.Full:
                self.dropped += 1
                self._dropped_unreported += 1
                now = time.monotonic()
                warn = now - self._last_drop_warning >= DROP_WARNING_EVERY
                if warn:
                    count, self._dropped_unreported, self._last_drop_warning = self._dropped_unreported, 0, now
        if warn:  # logged outside the lock: other threads keep recording meanwhile
            log.warning("stats queue full: dropped %d row(s) since the last warning", count)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every row queued so far is written; False if ``timeout`` ran out first."""
        with self._written:
            target = self._queued
            self._written.wait_for(lambda: self._processed >= target or not self._thread.is_alive(), timeout)
            return self._processed >= target

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued, then stop the writer thread. Later calls do nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._queue.put(_STOP, timeout=timeout)
        except queue.Full:
            log.warning("stats writer is stuck; %d queued row(s) may be lost", self._queue.qsize())
            return
        self._thread.join(timeout)

    def __enter__(self) -> Stats:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writer thread

    def _run(self) -> None:
        try:
            with closing(_connect(self.path)) as connection:
                connection.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, and much faster
                while self._serve(connection):
                    pass
        except Exception:  # noqa: BLE001 - a dead writer must say why; the bot keeps running
            log.exception("stats writer stopped")
        finally:
            with self._written:
                self._written.notify_all()

    def _serve(self, connection: sqlite3.Connection) -> bool:
        """Write one batch (waiting a minute at most for it); False once close() asked to stop."""
        try:
            batch = [self._queue.get(timeout=60.0)]
        except queue.Empty:
            self._expire_if_due(connection)
            return True
        while len(batch) < BATCH_SIZE:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        rows = [row for row in batch if row is not _STOP]
        self._write(connection, rows)
        self._expire_if_due(connection)
        return len(rows) == len(batch)

    def _write(self, connection: sqlite3.Connection, rows: list[Row]) -> None:
        try:
            with connection:
                for table, values in rows:
                    connection.execute(_INSERT[table], values)
        except sqlite3.Error:
            log.exception("stats: could not write %d row(s)", len(rows))
        finally:
            with self._written:
                self._processed += len(rows)
                self._written.notify_all()

    def _expire_if_due(self, connection: sqlite3.Connection) -> None:
        if time.monotonic() - self._last_expiry < EXPIRE_EVERY:
            return
        self._last_expiry = time.monotonic()
        try:
            _delete_before(connection, self._cutoff())
        except sqlite3.Error:
            log.exception("stats: could not delete old rows")

    # ------------------------------------------------------------------ expiry and reading

    def _cutoff(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.retention_days * 86400.0

    def expire(self, now: float | None = None) -> int:
        """Delete rows older than ``retention_days`` now; returns how many went.

        The writer does this by itself (at start, then hourly); this is for tests
        and maintenance, and is ignored after close().
        """
        if self._closed:
            return 0
        with closing(_connect(self.path)) as connection:
            return _delete_before(connection, self._cutoff(now))

    def report(self, limit: int = 20) -> StatsReport:
        """The most frequent unanswered questions, picks and votes of the retention period."""
        return load_report(self.path, self.retention_days, limit)


def load_report(path: Path, retention_days: int = 90, limit: int = 20, now: float | None = None) -> StatsReport:
    """Read a report straight from the database file, without starting a writer.

    For ``treaty-bot report`` while the bot runs elsewhere; a missing file is an
    empty report (and is not created).
    """
    path = Path(path)
    if not path.exists():
        return StatsReport([], [], [], retention_days)
    cutoff = (time.time() if now is None else now) - retention_days * 86400.0
    with closing(_connect(path)) as connection:
        unanswered_rows = connection.execute(
            "SELECT normalized, COUNT(*) AS times, GROUP_CONCAT(DISTINCT language) FROM unanswered"
            " WHERE created >= ? GROUP BY normalized ORDER BY times DESC, normalized", (cutoff,)).fetchall()
        pick_rows = connection.execute(
            "SELECT entry_id, COUNT(*) AS times FROM picks WHERE created >= ?"
            " GROUP BY entry_id ORDER BY times DESC, entry_id", (cutoff,)).fetchall()
        vote_rows = connection.execute(
            "SELECT entry_id, SUM(vote = 1) AS up, SUM(vote = -1) AS down FROM votes WHERE created >= ?"
            " GROUP BY entry_id ORDER BY down DESC, up DESC, entry_id", (cutoff,)).fetchall()
    unanswered = [(question, times, ",".join(sorted(set((languages or "").split(",")) - {""})))
                  for question, times, languages in unanswered_rows]
    return StatsReport(
        unanswered=unanswered[:limit],
        picks=[(entry_id, times) for entry_id, times in pick_rows[:limit]],
        votes=[(entry_id, up, down) for entry_id, up, down in vote_rows[:limit]],
        days=retention_days,
        unanswered_distinct=len(unanswered_rows),
        picks_distinct=len(pick_rows),
        votes_distinct=len(vote_rows),
    )


# --------------------------------------------------------------------------- formatting


def _cut(text: str, limit: int = LINE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_report(report: StatsReport, language: str = "en", max_chars: int = REPORT_CHARS) -> str:
    """Plain text for the terminal and for Telegram: three short sections, under ``max_chars``.

    When the whole report does not fit, the longest section loses its last items
    first, and each shortened section says how many more there are. The text has
    no markup; escape it if you send it with an HTML parse mode.
    """
    sections: list[tuple[str, list[str], int]] = [
        (i18n.text("report_unanswered", language, days=str(report.days)),
         [_cut(f"• {times}× {question} ({languages})") for question, times, languages in report.unanswered],
         max(report.unanswered_distinct, len(report.unanswered))),
        (i18n.text("report_picks", language),
         [_cut(f"• {entry_id}: {times}") for entry_id, times in report.picks],
         max(report.picks_distinct, len(report.picks))),
        (i18n.text("report_votes", language),
         [_cut(f"• {entry_id}: " + i18n.text("report_vote", language, up=str(up), down=str(down)))
          for entry_id, up, down in report.votes],
         max(report.votes_distinct, len(report.votes))),
    ]

    def render() -> str:
        parts = []
        for heading, lines, total in sections:
            body = lines or ([i18n.text("report_none", language)] if not total else [])
            more = [i18n.text("report_more", language, count=str(total - len(lines)))] if total > len(lines) else []
            parts.append("\n".join([heading, *body, *more]))
        return "\n\n".join(parts)

    text = render()
    while len(text) > max_chars and any(lines for _, lines, _ in sections):
        longest = max(sections, key=lambda section: sum(len(line) + 1 for line in section[1]))
        longest[1].pop()
        text = render()
    return text
