"""Search: from a question to the entry that answers it, and whether to answer.

``normalize`` turns text into terms (lexicon concepts, Snowball stems, suffixes);
``index`` is the BM25F index over the entries' fields and reads a message as people
type it; ``decision`` is the fitted confidence that says answer, "did you mean" or
none; ``agreement_questions`` computes answers across the agreements' fields. Imports
only ``bot.knowledge``.
"""
