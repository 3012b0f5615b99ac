"""treaty-bot's engine: knowledge base, search, rendering, configuration, CLI and app wiring."""
