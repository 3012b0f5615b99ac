"""`python -m bot` is the same as the `treaty-bot` command."""

from bot.ops.cli import main

raise SystemExit(main())
