"""The `treaty-bot` command: ask, check, console, run, report, health.

    treaty-bot                      run on Telegram if TELEGRAM_BOT_TOKEN is set, else the console
    treaty-bot ask "QUESTION"       print the plain-text reply
    treaty-bot ask --json -         one question per stdin line -> one JSON object per line
    treaty-bot check [PATH]         validate a knowledge base (exit 1 on errors)
    treaty-bot console              chat locally through the same engine
    treaty-bot run                  run the Telegram bot (polling or webhook)
    treaty-bot report               most frequent unanswered questions, picked suggestions, votes
    treaty-bot health               exit 0 while a running bot is alive (container health check)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from bot.telegram.config import Config, ConfigError, load_config
from bot.chat.dialog import Answer, Dialog, Knowledge
from bot.knowledge import KnowledgeError, load_knowledge
from bot.search.index import SearchIndex, competing_alternates

MAX_WARNINGS = 30
HEARTBEAT_MAX_AGE = 60  # seconds; the running bot touches its heartbeat every 15


def settings() -> Config:
    """The bot's settings (environment, then .env) for commands that need no token."""
    try:
        return load_config(require_token=False)
    except ConfigError as error:
        print(f"treaty-bot: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def result_json(answer: Answer) -> dict[str, object]:
    """The stable JSON shape of one answer (other tools depend on it).

    ``matches`` are the ranked candidates with their confidence (0-100); for a line
    computed across the agreements, the agreements it relies on (each 100).
    """
    if answer.computed is not None:
        matches = [{"id": entry.id, "title": entry.title, "score": 100.0} for entry in answer.computed.relies_on]
    else:
        matches = [{"id": m.entry.id, "title": m.entry.title, "score": round(m.score * 100, 2)}
                   for m in answer.result.matches]
    return {
        "query": answer.question,
        "answered": answer.answered,
        "reply": answer.reply.text,
        "matches": matches,
        "suggestions": [{"id": entry.id, "title": entry.title} for entry in answer.result.suggestions],
    }


def _load_dialog(path: Path) -> Dialog:
    try:
        return Dialog(Knowledge.load(path))
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"The knowledge base at {path} is invalid ({len(error.problems)} problem(s)).", file=sys.stderr)
        raise SystemExit(1) from None


def cmd_ask(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    dialog = _load_dialog(args.knowledge)
    if args.question == "-":
        questions = (line.rstrip("\r\n") for line in stdin)
    else:
        questions = iter([args.question])
    for question in questions:
        answer = dialog.ask(question, args.lang)
        if args.json:
            out.write(json.dumps(result_json(answer), ensure_ascii=False) + "\n")
            out.flush()
        else:
            out.write(answer.reply.text + "\n")
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    path = args.path or args.knowledge
    try:
        kb = load_knowledge(path)
    except KnowledgeError as error:
        for problem in error.problems:
            out.write(f"error: {problem}\n")
        out.write(f"{len(error.problems)} error(s) in {path}\n")
        return 1
    index = SearchIndex(kb)
    competitions = [] if args.no_warnings else competing_alternates(index)
    for competition in competitions[:MAX_WARNINGS]:
        out.write(f"warning: {competition}\n")
    if len(competitions) > MAX_WARNINGS:
        out.write(f"warning: ... and {len(competitions) - MAX_WARNINGS} more\n")
    out.write(f"OK: {len(kb.entries)} entries, {len(kb.sources)} source(s), "
              f"{sum(len(entry.alternates()) for entry in kb.entries)} alternates, {len(kb.concepts)} concepts in {path}"
              f"{f', {len(competitions)} warning(s)' if competitions else ''}\n")
    return 0


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """What people asked that the bot could not answer, suggestions picked, votes."""
    from bot.chat.stats import format_report, load_report

    config = settings()
    if not config.stats_path.exists():
        out.write(f"no statistics at {config.stats_path}: set DATA_DIR to the running bot's data folder\n")
        return 1
    days = args.days or config.stats_retention_days
    out.write(format_report(load_report(config.stats_path, days, args.limit), args.lang or "en") + "\n")
    return 0


def cmd_health(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 while a running bot keeps touching its heartbeat (the container health check)."""
    heartbeat = settings().heartbeat_path
    try:
        age = time.time() - heartbeat.stat().st_mtime
    except OSError:
        out.write(f"unhealthy: no heartbeat at {heartbeat}\n")
        return 1
    if age > HEARTBEAT_MAX_AGE:
        out.write(f"unhealthy: last heartbeat {age:.0f} s ago\n")
        return 1
    out.write(f"healthy: last heartbeat {age:.0f} s ago\n")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.ops.console import run_console

    return run_console(_load_dialog(args.knowledge), args.lang)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.ops.run import run_bot

    return run_bot()


def cmd_default(args: argparse.Namespace) -> int:
    if settings().token:  # from the environment or .env, as `run` reads it
        return cmd_run(args)
    return cmd_console(args)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)  # accepted before or after the subcommand
    common.add_argument("--knowledge", type=Path, default=argparse.SUPPRESS,
                        help="knowledge-base folder (default: $KNOWLEDGE_PATH or ./knowledge)")
    common.add_argument("--lang", choices=["en", "ru", "az", "uz"], default=argparse.SUPPRESS,
                        help="interface language (default: the question's)")
    parser = argparse.ArgumentParser(prog="treaty-bot", description=__doc__, parents=[common],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(handler=cmd_default)
    commands = parser.add_subparsers(dest="command")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, parents=[common])

    ask = command("ask", "answer a question (or '-' for one per stdin line)")
    ask.add_argument("question", nargs="+", help="the question (quotes optional), or '-'")
    ask.add_argument("--json", action="store_true", help="write one JSON object per question")
    ask.set_defaults(handler=cmd_ask)

    check = command("check", "validate a knowledge base")
    check.add_argument("path", nargs="?", type=Path, default=None)
    check.add_argument("--no-warnings", action="store_true",
                       help="skip the search for alternates that lead to another entry (slow on huge bases)")
    check.set_defaults(handler=cmd_check)

    console = command("console", "chat with the bot in this terminal")
    console.set_defaults(handler=cmd_console)

    run = command("run", "run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.set_defaults(handler=cmd_run)

    report = command("report", "unanswered questions, picked suggestions and votes")
    report.add_argument("--days", type=int, default=None, help="look back this many days (default: the retention)")
    report.add_argument("--limit", type=int, default=20, help="rows per section")
    report.set_defaults(handler=cmd_report)

    health = command("health", "exit 0 if the running bot is alive (for HEALTHCHECK)")
    health.set_defaults(handler=cmd_health)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.knowledge = getattr(args, "knowledge", None) or settings().knowledge_path
    args.lang = getattr(args, "lang", None)
    if args.handler is cmd_ask:
        args.question = " ".join(args.question)
        return cmd_ask(args, sys.stdin, sys.stdout)
    if args.handler in (cmd_check, cmd_report, cmd_health):
        return args.handler(args, sys.stdout)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
