"""Webhook mode: a small web server that checks what it is sent, then hands updates to the Application.

python-telegram-bot's built-in webhook server answers 500 to a body that is not
JSON (and Telegram retries a 500), reads a body of any size, and logs an update it
cannot parse whole, user text included, at CRITICAL. This follows the library's
documented pattern for a custom webhook server instead (an Application without an
Updater; updates go onto ``application.update_queue``), on tornado, which the
library's webhook extra installs anyway:

- the secret header must match (403 otherwise);
- a body over ``MAX_UPDATE_BYTES`` is refused before it is read (tornado answers 400);
- a body that is not JSON, or JSON that is not an update, is a 400 and one log line
  with its size, never its content;
- ``GET /`` answers 200, for the heartbeat and a load balancer's health check.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

log = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1 << 20  # Telegram's updates are a few kilobytes; a message is at most 4096 characters
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookRefused(Exception):
    """Telegram would not set the webhook (setWebhook failed): the bot cannot serve."""


class UpdateReceiver(tornado.web.RequestHandler):
    """POST <path>: one update from Telegram."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, telegram_app: Application, secret: str) -> None:
        self.telegram_app = telegram_app
        self.secret = secret.encode()

    async def post(self) -> None:
        given = (self.request.headers.get(SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(given, self.secret):
            self.set_status(HTTPStatus.FORBIDDEN)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.telegram_app.bot) if isinstance(data, dict) else None
        except Exception:  # noqa: BLE001 - whatever the body is, it is not an update
            update = None
        if update is None:
            log.warning("webhook: refused a body of %d bytes that is not a Telegram update", len(self.request.body))
            self.set_status(HTTPStatus.BAD_REQUEST)
            return
        await self.telegram_app.update_queue.put(update)

    def log_exception(self, typ: object, value: BaseException | None, tb: object) -> None:
        """One line, without the request body."""
        log.warning("webhook: %s", value)


class Alive(tornado.web.RequestHandler):
    """GET /: the server is up."""

    def get(self) -> None:
        self.write("ok")


def web_app(application: Application, path: str, secret: str) -> tornado.web.Application:
    receiver = (rf"/{path.strip('/')}/?", UpdateReceiver, {"telegram_app": application, "secret": secret})
    return tornado.web.Application([receiver, (r"/", Alive)], log_function=lambda handler: None)


async def serve_webhook(application: Application, listen: str, port: int, path: str, url: str, secret: str,
                        allowed_updates: list[str]) -> None:
    """Listen, tell Telegram where to post, serve until SIGTERM or SIGINT, then stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop.set)
    async with application:  # initialize (getMe: a rejected token raises InvalidToken here) ... shutdown
        server = tornado.httpserver.HTTPServer(web_app(application, path, secret), max_body_size=MAX_UPDATE_BYTES)
        server.listen(port, address=listen)  # a port in use raises OSError(EADDRINUSE)
        try:
            try:
                await application.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed_updates)
            except TelegramError as error:
                raise WebhookRefused(str(error)) from None
            if application.post_init:
                await application.post_init(application)
            await application.start()
            await stop.wait()
            await application.stop()
        finally:
            server.stop()
    if application.post_shutdown:
        await application.post_shutdown(application)
