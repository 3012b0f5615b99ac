"""The conversation, the same for Telegram, the console and the tests.

``dialog`` turns a question, a command or a button press into a reply; ``render``
lays a reply out once for Telegram HTML and plain text; ``i18n`` holds the interface
strings; ``languages`` keeps each chat's /lang choice; ``stats`` records what was
not answered, picked and voted. Imports only ``bot.search`` and ``bot.knowledge``;
nothing here knows about Telegram.
"""
