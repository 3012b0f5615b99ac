"""Run the real `treaty-bot run` in a subprocess against a fake Bot API server.

Used by the end-to-end tests and the benchmarks: the production Application,
unmodified, configured only through the environment as an operator would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fake_bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BotProcess:
    """`python -m bot run` with TELEGRAM_API_URL pointing at ``server``."""

    def __init__(self, server: FakeBotAPI, **settings: str):
        self.server = server
        self.log_file = tempfile.NamedTemporaryFile(prefix="treaty-bot-", suffix=".log", delete=False)  # noqa: SIM115
        self.data_dir = tempfile.mkdtemp(prefix="treaty-bot-data-")
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "WEBHOOK_"))},
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_URL": server.base_url,
            "DATA_DIR": self.data_dir,
            "LOG_LEVEL": "INFO",
            **settings,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait_ready: bool = True) -> BotProcess:
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=self.env, cwd=ROOT,
                                        stdout=self.log_file, stderr=subprocess.STDOUT)
        if wait_ready:
            self.server.wait_until(lambda: self.ready() or self.exited(), timeout=30, what="the bot to start")
            assert not self.exited(), f"the bot exited during start-up:\n{self.logs()}"
        return self

    def ready(self) -> bool:
        """Polling or the webhook has started (both come after the command menu is set)."""
        return any(record.method in ("getUpdates", "setWebhook") and record.time >= self.started
                   for record in list(self.server.requests))

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def logs(self) -> str:
        return Path(self.log_file.name).read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM, as Docker and systemd send it; returns the exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> BotProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")
