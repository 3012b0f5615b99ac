"""Uzbek Latin <-> Uzbek Cyrillic, for users who write Uzbek in Cyrillic.

Every Uzbek string of the bot is written in Latin; ``to_cyrillic`` shows it in
Cyrillic. The strings carry Telegram HTML and str.format placeholders, so tags,
entities, {placeholders}, URLs, e-mail addresses, @handles and /commands are cut
out first and pass through byte for byte; only the text between them changes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Callable

# Spans that are markup or identifiers, not Uzbek words.
_PROTECTED = re.compile(
    r"</?[A-Za-z][^<>]*>"  # HTML tag, attributes included
    r"|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"  # HTML entity
    r"|\{[^{}]*\}"  # str.format placeholder
    r"|(?:https?|tg)://[^\s<>\"]+|www\.[^\s<>\"]+"  # URL
    r"|(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail address
    r"|/lang (?:auto|en|ru|az|uz(?:-Cyrl)?)\b"  # a /lang choice, typed as shown
    r"|(?<![\w/])/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?"  # /command, /command@bot
    r"|[“«\"](?=[^”»\"‘'ʻʼ’`]*\b(?:[Tt]he|[Oo]f|[Ii]n|[Aa]nd|[Bb]etween|[Oo]n|[Ff]or)\b)[^”»\"‘'ʻʼ’`]+[”»\"]"  # an English title quoted
    r"|(?<!\w)@[A-Za-z0-9_]+"  # @handle
)

_OG_MARKS = "‘'ʻ’`"  # what people type after o and g: U+2018 ' U+02BB U+2019 `
_GLOTTAL = _OG_MARKS + "ʼ"  # U+02BC is always the glottal stop, the others only between letters
_LATIN_TOKEN = re.compile(rf"[oOgG][{_OG_MARKS}]|[sScC][hH]|[yY][oO](?![{_OG_MARKS}])|[yY][uUaAeE]|.", re.DOTALL)
_CYRILLIC_LETTER = re.compile(r"[а-яёўқғҳА-ЯЁЎҚҒҲ]")

_LAT2CYR = {
    "o‘": "ў", "g‘": "ғ", "sh": "ш", "ch": "ч", "yo": "ё", "yu": "ю", "ya": "я", "ye": "е",
    "a": "а", "b": "б", "d": "д", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з",
}  # fmt: skip
_CYR2LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ʼ", "ы": "i", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ў": "o‘", "қ": "q", "ғ": "g‘", "ҳ": "h",
}  # fmt: skip
_CYR_VOWELS = "аеёиоуэюяўы"


def _outside_protected(text: str, convert: Callable[[str], str]) -> str:
    """Apply ``convert`` to the text between protected spans only."""
    parts: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        parts += [convert(text[pos : m.start()]), m.group()]
        pos = m.end()
    parts.append(convert(text[pos:]))
    return "".join(parts)


def _latin_to_cyrillic(seg: str) -> str:
    out: list[str] = []
    for m in _LATIN_TOKEN.finditer(seg):
        tok, prev = m.group(), out[-1][-1:] if out else ""
        nxt = seg[m.end() : m.end() + 1]
        key = tok.lower()
        if len(key) == 2 and key[1] in _OG_MARKS:
            key = key[0] + "‘"
        if key == "e":
            # Word-initial and post-vowel e is э (eng -> энг, poeziya -> поэзия).
            cyr = "э" if not prev.isalpha() or prev.lower() in _CYR_VOWELS else "е"
        elif tok in _GLOTTAL and (tok == "ʼ" or (prev.isalpha() and nxt.isalpha())):
            # An apostrophe not between letters is a quotation mark ('salom'), not ъ.
            upper = prev.isupper() and (nxt.isupper() or not nxt.isalpha())
            out.append("Ъ" if upper else "ъ")
            continue
        else:
            cyr = _LAT2CYR.get(key)
        if cyr is None:  # punctuation, digits, c, w and anything non-Latin
            out.append(tok)
        else:
            out.append(cyr.upper() if tok[0].isupper() else cyr)
    return "".join(out)


def _cyrillic_letter_to_latin(m: re.Match[str]) -> str:
    ch, text, i = m.group(), m.string, m.start()
    prev, nxt = text[i - 1 : i], text[i + 1 : i + 2]
    lat = _CYR2LAT[ch.lower()]
    if ch.lower() == "е" and (not prev.isalpha() or prev.lower() in _CYR_VOWELS + "ъь"):
        lat = "ye"  # word-initial / post-vowel е is iotated: ер -> yer, объект -> obʼyekt
    if not ch.isupper():
        return lat
    # An uppercase letter inside an all-caps word spells all its Latin letters in caps.
    if nxt.isupper() or (not nxt.isalpha() and prev.isupper()):
        return lat.upper()
    return lat[:1].upper() + lat[1:]


_TS_IN_LOANWORDS = re.compile(r"(т)(с)(?=и[яоЯО])", re.IGNORECASE)  # -tsiya, -tsion: ц (декларация, революцион)


def _ts(match: re.Match[str]) -> str:
    return "Ц" if match[1].isupper() else "ц"


@lru_cache(maxsize=4096)  # the same interface strings and titles come back with every Uzbek Cyrillic reply
def to_cyrillic(text: str) -> str:
    """Uzbek Latin (any apostrophe: o‘ o' oʻ o’ o`) -> Uzbek Cyrillic, markup untouched."""
    return _outside_protected(text, lambda seg: _TS_IN_LOANWORDS.sub(_ts, _latin_to_cyrillic(seg)))


def to_latin(text: str) -> str:
    """Uzbek Cyrillic -> the official Latin alphabet (o‘ g‘ with U+2018, ʼ U+02BC), markup untouched."""
    return _outside_protected(text, lambda seg: _CYRILLIC_LETTER.sub(_cyrillic_letter_to_latin, seg))
