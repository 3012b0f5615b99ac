"""treaty-bot's engine, in layers that each import only those below them:

``ops`` (cli, running the Telegram application, console) -> ``handlers/`` (outside this
package) -> ``telegram`` (settings, rate limits, flood budgets, webhook) -> ``chat`` (the
conversation: dialog, replies, interface strings) -> ``search`` (normal form, BM25F index,
answer decision) -> ``knowledge`` (the model and loading of the YAML knowledge base).
"""
