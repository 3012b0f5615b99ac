"""Telegram plumbing that knows nothing of the conversation.

``config`` reads the settings; ``rate_limits`` is python-telegram-bot's AIORateLimiter
with the retry policy; ``budgets`` are the flood budgets checked at admission;
``webhook`` receives updates in webhook mode; ``memory`` is the bounded "last N"
used wherever something is remembered. Imports neither ``bot.chat`` nor ``handlers``.
"""
