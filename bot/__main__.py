"""`python -m bot` is the same as the `treaty-bot` command."""

from bot.cli import main

raise SystemExit(main())
