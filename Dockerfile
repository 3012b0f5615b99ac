# treaty-bot container image.
#
#   docker build -t treaty-bot .
#   docker run -d --name treaty-bot -e TELEGRAM_BOT_TOKEN=123456:ABC-def -v treaty-bot-data:/data treaty-bot
#
# The knowledge base is baked in at /app/knowledge; mount your own over it, read-only:
#   docker run ... -v "$PWD/knowledge:/app/knowledge:ro" treaty-bot
# Webhook mode: add -p 8080:8080 -e WEBHOOK_URL=https://bot.example.org/telegram -e WEBHOOK_SECRET=...
# Other commands: docker run --rm treaty-bot check   |   docker run --rm -it treaty-bot console
#
# The bot runs as uid 10001 and writes only to /data (a volume); a bind-mounted /data must be
# writable by that uid. .ci/check-image.sh lints this file and replays its install steps
# without Docker: change the two together.

# ---- build: install the project and its dependencies into /install (no compiler needed: all are wheels)
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN pip install --no-cache-dir --disable-pip-version-check --prefix=/install .

# ---- runtime: the same base, the installed files, the knowledge base, a non-root user
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KNOWLEDGE_PATH=/app/knowledge \
    DATA_DIR=/data
RUN useradd --system --no-log-init --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin treaty \
    && mkdir /data \
    && chown 10001:10001 /data
COPY --from=build /install /usr/local
WORKDIR /app
COPY knowledge ./knowledge
VOLUME ["/data"]
USER 10001:10001
# webhook mode only (WEBHOOK_PORT); polling needs no port
EXPOSE 8080
# `treaty-bot health` passes while the running bot touches $DATA_DIR/heartbeat (every 15 s in
# polling mode; in webhook mode only while the webhook server answers) and fails once it is 60 s old.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["treaty-bot", "health"]
ENTRYPOINT ["treaty-bot"]
CMD ["run"]
