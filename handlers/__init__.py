"""The thin Telegram layer: read an update, ask the engine (bot.dialog), send the reply."""
