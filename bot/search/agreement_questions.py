"""Questions across the five agreements, answered from their structured fields only.

Search finds the one passage a question is about; it cannot say which agreements were
signed in 2022, how many are declarations or how long passed between two of them.
This module reads such questions (English, Russian, Azerbaijani, Uzbek; typos and
Latin-typed Russian included) as a short token stream and computes the answer from
``Agreement.parties``, ``kind`` and ``date``. Anything else gets None, so that search
answers it: a wrong computed line is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.knowledge import UZ_CYRILLIC, Entry
from bot.search.normalize import Analyzer, fold
from bot.knowledge.uzbek_script import to_cyrillic

COUNTRIES = ("kazakhstan", "turkmenistan", "kyrgyzstan", "tajikistan", "uzbekistan")
HOME = "azerbaijan"  # a party of every agreement, so never a filter
PLACES = ("tashkent", "toshkent", "samarkand", "samarqand", "baku", "boku")  # country forms that name a city
NOUNS = {"treaty", "declaration", "agreement", "countries"}
NEGATIONS = {"not", "rather", "than", "ne", "net", "emas", "deyil", "yox", "yoq"}  # before a kind: that kind is denied
# Concepts of questions about what the fields do not hold: content, people, places, reasons.
OFF_TOPIC = {"energy", "oil", "gas", "renewable", "trade", "economy", "investment", "politics", "culture",
             "education", "science", "transport", "corridor", "zangezur", "turkic", "security",
             "industry", "agriculture", "exchange", "areas", "outcomes", "expected", "significance", "why",
             "who", "where", "city", "legal_status", "author", "article", "source", "conclusion", "visit", "person_words",
             "money"}

# Intent words, folded like questions ("*" ends a stem; a space makes a phrase).
LIST = ("list", "spisok", "perechen", "perechisl*", "siyahi*", "royxat*", "roykhat*")  # Uzbek Cyrillic рўйхат folds to roykhat  # "list the ...": several asked for
WORDS: dict[str, tuple[str, ...]] = {
    "wh": ("when", "which", "what", "whats", "how", "who", "where", "why", "kogda", "kak", "kakoy",
           "kakaya", "kakoe", "kakie", "kakikh", "kakim", "kakuyu", "skolko", "chto", "kto", "gde", "pochemu",
           "kotor*", "ne", "nece", "hansi*", "hara*", "niye", "kim",
           "qachon", "qaysi*", "nima*", "qanday*", "nechta", "necha", "qancha", "qayer*", "nega", *LIST),
    "which": ("which", "kakoy", "kakaya", "kakoe", "kakie", "kakikh", "kakim", "kakuyu", "kotor*",
              "hansi*", "qaysi*", *LIST),
    "list": LIST,
    "yesno": ("was", "were", "is", "are", "did", "does", "has", "have", "had", "isnt", "wasnt", "li", "pravda",
              "verno", "mi", "mu", "true", "right", "correct", "duzdur", "dogrudur", "rostmi", "togrimi"),
    "count": ("how many", "number of", "count", "skolko", "kolichestv*", "nece", "necesi", "ne qeder", "sayi",
              "nechta", "nechtasi", "necha", "qancha", "soni"),
    "span": ("how long", "how much time", "time between", "time passed", "passed", "elapsed", "skolko vremeni",
             "proshlo", "promezhut*", "separat*", "apart", "razdelya*", "ne qeder vaxt", "muddet*", "kecib", "qancha vaqt", "muddat*", "otgan",
             "difference", "raznits*", "ferq*", "farq*", "cherez", "lie", "lies"),  # "через сколько лет", "how many years lie between"
    "years": ("year", "years", "yrs", "let", "god", "goda", "il", "ili", "illik", "yil", "yili", "yillar", "yilga",
              "yilda", "yillik"),
    "months": ("month", "months", "mesyats*", "ay", "aylar", "oy", "oylar"),
    "days": ("day", "days", "den", "dney", "dnya", "dni", "gun", "gunler", "kun", "kunlar"),
    "first": ("first", "earliest", "oldest", "initial", "perv*", "rann*", "stareysh*", "samyy staryy", "davniy",
              "samyy davniy", "samoe davnee",
              "samoe staroe", "ranshe vsego", "ranshe vsekh", "ilk", "ilki", "birinci*", "en kohne", "en erken",
              "en evvel", "birinchi*", "eng eski", "eng qadimgi", "eng avval", "eng oldin"),
    "last": ("last", "latest", "newest", "most recent", "most recently", "final", "posledn*", "noveysh*",
             "samyy novyy", "samoe novoe", "samoe svezhee", "svezh*", "pozzhe vsego", "pozzhe vsekh", "sonuncu*", "en son", "son",
             "en yeni", "oxirgi*", "songgi*", "eng yangi", "eng keyingi"),
    "before": ("before", "earlier", "prior", "sooner", "older", "ranshe", "ranee", "prezhde", "pered", "starshe",
               "evvel", "qabaq", "once", "oldin", "avval", "ilgari", "oldinroq", "avvalroq"),
    "after": ("after", "later", "newer", "posle", "pozzhe", "pozdnee", "pozhe", "novee", "sonra",
              "keyin", "keyinroq", "song", "songra"),
    "since": ("since", "nachinaya", "beri", "etibaren", "buyon", "boshlab"),
    # Operators that bind only a year or date right after them ("do 2020", "s 2022", "from 2022").
    "before_strict": ("do", "until", "till"),
    "since_strict": ("s", "so", "ot", "from"),
    "before_post": ("qeder", "dek"),  # ... and after one: "2020-ci ilə qədər", "2020-yilgacha"
    "range": ("between", "mezhdu", "arasinda", "arasi", "araliq*", "orasida", "ortasida", "oraliq*"),
    "range_mid": ("to", "through", "till", "until", "po", "do", "qeder", "kimi", "dek", "gacha"),  # between two years
    "kindq": ("kind", "kinds", "type", "types", "sort", "tip", "tipa", "vid", "vida", "nov", "novu", "novdur",
              "tur", "turi", "turga", "turiga", "kiradi",
              "turdagi", "turda", "xil", "xildagi"),
    "only": ("only", "sole", "yedinstvenn*", "tolko", "tek", "yegane", "yagona*", "faqat"),  # "is X the only treaty?"
    "order": ("order", "chronolog*", "poryad*", "khronolog*", "sira*", "ardicil*", "tartib*", "xronolog*",
              "ketma"),  # "list the agreements in order"
    "content": ("say", "says", "said", "contain*", "content*", "clause*", "provision*", "text", "purpose", "goal*",
                "govorit*", "skazano", "soderzh*", "punkt*", "tsel", "deyilir", "madde*", "mezmun*", "meqsed*",
                "modda*", "mazmun*", "maqsad*", "deyilgan", "signatory", "signed by"),
}
MONTH_FORMS = (("january", "jan", "yanvar*"), ("february", "feb", "fevral*"), ("march", "mart*"),
               ("april", "apr", "aprel*"), ("may", "maya", "mae", "mai", "mayda", "mayin"), ("june", "jun", "iyun*"),
               ("july", "jul", "iyul*"), ("august", "aug", "avgust*", "avqust*"),
               ("september", "sep", "sept", "sentyab*"),
               ("october", "oct", "oktyab*"), ("november", "noyab*"), ("december", "dec", "dekab*"))

NAMES: dict[str, dict[str, str]] = {  # "with X" in each language (Russian: instrumental)
    "kazakhstan": {"en": "with Kazakhstan", "ru": "с Казахстаном", "az": "Qazaxıstan ilə", "uz": "Qozog‘iston bilan"},
    "turkmenistan": {"en": "with Turkmenistan", "ru": "с Туркменистаном", "az": "Türkmənistan ilə",
                     "uz": "Turkmaniston bilan"},
    "kyrgyzstan": {"en": "with the Kyrgyz Republic", "ru": "с Кыргызской Республикой", "az": "Qırğız Respublikası ilə",
                   "uz": "Qirg‘iz Respublikasi bilan"},
    "tajikistan": {"en": "with Tajikistan", "ru": "с Таджикистаном", "az": "Tacikistan ilə", "uz": "Tojikiston bilan"},
    "uzbekistan": {"en": "with Uzbekistan", "ru": "с Узбекистаном", "az": "Özbəkistan ilə", "uz": "O‘zbekiston bilan"},
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "az": ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr",
           "dekabr"),
    "uz": ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentyabr", "oktyabr", "noyabr",
           "dekabr"),
}
DATE = {"en": "{d} {m} {y}", "ru": "{d} {m} {y} года", "az": "{d} {m} {y}", "uz": "{y}-yil {d}-{m}"}
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {"yes": "Yes", "no": "No", "and": "and", "none": "none of the agreements matches",
           "count": "{n} in all: {items}", "item": "the {kind} {with} ({date})", "short": "{with} ({date})",
           "signed": "the {kind} {with} was signed on {date}", "is_kind": "the agreement {with} is a {pred} ({date})",
           "first": "the first is {item}", "last": "the most recent is {item}",
           "then": "then", "before_it": "before it",
           "between": "{span} passed between {a} and {b}",
           "none_then": "none of the agreements was signed then", "dates": "signed: {items}",
           "treaty": "Treaty", "declaration": "Declaration", "treaty_pred": "treaty", "declaration_pred": "declaration",
           "treaty_head": "Treaty|Treaties", "declaration_head": "Declaration|Declarations",
           "years": "year|years", "months": "month|months", "days": "day|days"},
    "ru": {"yes": "Да", "no": "Нет", "and": "и", "none": "таких соглашений нет",
           "count": "всего {n}: {items}", "item": "{kind} {with} ({date})", "short": "{with} ({date})",
           "signed": "{kind} {with} {participle} {date}", "is_kind": "соглашение {with} — {pred} ({date})",
           "first": "раньше всех — {item}", "last": "позже всех — {item}", "then": "затем", "before_it": "до этого",
           "between": "{passed} {span}: {a} — {b}", "passed": "прошло", "passed_one": "прошёл",
           "none_then": "ни одно из соглашений не подписано в это время",
           "dates": "подписаны: {items}",
           "treaty": "договор", "declaration": "декларация", "treaty_pred": "договор", "declaration_pred": "декларация",
           "treaty_participle": "подписан", "declaration_participle": "подписана",
           "treaty_head": "Договор|Договоры", "declaration_head": "Декларация|Декларации",
           "years": "год|года|лет", "months": "месяц|месяца|месяцев", "days": "день|дня|дней"},
    "az": {"yes": "Bəli", "no": "Xeyr", "and": "və", "none": "belə saziş yoxdur",
           "count": "cəmi {n}: {items}", "item": "{with} {kind} ({date})", "short": "{with} ({date})",
           "signed": "{with} {kind} {date} tarixində imzalanıb", "is_kind": "{with} saziş {pred} ({date})",
           "first": "ən əvvəl imzalanan — {item}", "last": "ən son imzalanan — {item}", "then": "sonra",
           "before_it": "əvvəl", "between": "{a} ilə {b} arasında {span} keçib",
           "none_then": "o vaxt heç bir saziş imzalanmayıb",
           "dates": "imzalanıb: {items}",
           "treaty": "müqavilə", "declaration": "bəyannamə", "treaty_pred": "müqavilədir",
           "declaration_pred": "bəyannamədir", "treaty_head": "Müqavilə|Müqavilələr",
           "declaration_head": "Bəyannamə|Bəyannamələr", "years": "il", "months": "ay", "days": "gün"},
    "uz": {"yes": "Ha", "no": "Yo‘q", "and": "va", "none": "bunday kelishuv yo‘q",
           "count": "jami {n} ta: {items}", "item": "{with} {kind} ({date})", "short": "{with} ({date})",
           "signed": "{with} {kind} {date}da imzolangan", "is_kind": "{with} kelishuv — {pred} ({date})",
           "first": "eng avval imzolangani — {item}", "last": "eng so‘nggi imzolangani — {item}", "then": "keyin",
           "before_it": "oldin", "between": "{a} va {b} orasida {span} o‘tgan",
           "none_then": "o‘sha paytda hech qaysi kelishuv imzolanmagan",
           "dates": "imzolangan: {items}",
           "treaty": "shartnoma", "declaration": "deklaratsiya", "treaty_pred": "shartnoma",
           "declaration_pred": "deklaratsiya", "treaty_head": "Shartnoma|Shartnomalar",
           "declaration_head": "Deklaratsiya|Deklaratsiyalar", "years": "yil", "months": "oy", "days": "kun"},
}


# --------------------------------------------------------------------------- the answer


def _country(entry: Entry) -> str:
    """The party other than Azerbaijan, as a concept name ("kazakhstan")."""
    for party in entry.agreement.parties:  # type: ignore[union-attr]
        for country in COUNTRIES:
            if country[:5] in fold(party):
                return country
    return ""


def _date(date: dt.date, language: str) -> str:
    return DATE[language].format(d=date.day, m=MONTHS[language][date.month - 1], y=date.year)


def _plural(forms: str, n: int, language: str) -> str:
    """'year|years' in English, Russian's three forms, Azerbaijani and Uzbek one form."""
    options = forms.split("|")
    if language == "ru" and len(options) == 3:
        if n % 10 == 1 and n % 100 != 11:
            return options[0]
        return options[1] if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else options[2]
    return options[0] if n == 1 or len(options) == 1 else options[1]


def _span_text(span: tuple[int, int, int], unit: str, language: str) -> str:
    """'7 years and 15 days', '7 лет и 15 дней', '7 il 15 gün'; zero parts left out."""
    t = TEMPLATES[language]
    parts = [f"{n} {_plural(t[name], n, language)}" for n, name in zip(span, ("years", "months", "days")) if n]
    if not parts:
        return f"0 {_plural(t[unit or 'days'], 0, language)}"
    if language in ("az", "uz"):
        return " ".join(parts)
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {t['and']} {parts[-1]}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class AgreementAnswer:
    """A computed answer; ``line`` words it in the interface language."""

    kind: str                      # "list" | "count" | "yes" | "no" | "between" | "first" | "last" | "kind"
    relies_on: tuple[Entry, ...]   # every agreement the line names, in date order
    value: str                     # "yes"/"no", a count, "7 years", the winner's ISO date, a kind; "" for lists
    check: str = ""                # for yes/no: "date" | "kind" | "first" | "last" | "exists"
    focus: tuple[Entry, ...] = ()  # the winner of a first/last; "are all ...?": the ones that are not
    span: tuple[int, int, int] = (0, 0, 0)  # years, months, days of a "between", in the unit asked
    full: tuple[int, int, int] = (0, 0, 0)  # ... and exactly: "1 year" is also "1 year, 11 months and 30 days"

    def line(self, language: str) -> str:
        if language == UZ_CYRILLIC:
            return to_cyrillic(self.line("uz"))
        lang = language if language in TEMPLATES else "en"
        t = TEMPLATES[lang]

        def fill(key: str, entry: Entry, **extra: str) -> str:
            kind = entry.agreement.kind  # type: ignore[union-attr]
            return t[key].format(kind=t[kind], date=_date(entry.agreement.date, lang),  # type: ignore[union-attr]
                                 pred=t[f"{kind}_pred"], participle=t.get(f"{kind}_participle", ""),
                                 **{"with": NAMES[_country(entry)][lang]}, **extra)

        def items(entries: Sequence[Entry], key: str = "item") -> str:
            named = [fill(key, entry) for entry in entries]
            return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} {t['and']} {named[-1]}"

        if self.kind in ("list", "count"):
            if not self.relies_on:
                return _cap(("0: " if self.kind == "count" else "") + t["none"]) + "."
            text = items(self.relies_on)
            return _cap(t["count"].format(n=len(self.relies_on), items=text) if self.kind == "count" else text) + "."
        if self.kind in ("first", "last"):
            winner = self.focus[0]
            text = t[self.kind].format(item=fill("item", winner))
            others = [entry for entry in self.relies_on if entry != winner]
            if others:
                text += f"; {t['then' if self.kind == 'first' else 'before_it']}: {items(others)}"
            return _cap(text) + "."
        if self.kind in ("yes", "no"):
            if self.check == "kind":
                clauses = [fill("is_kind", entry) for entry in self.focus or self.relies_on]
            elif self.check in ("first", "last"):
                clauses = [t[self.check].format(item=fill("item", self.focus[0]))]
                clauses += [fill("signed", entry) for entry in self.relies_on if entry != self.focus[0]]
            elif self.check == "exists" and self.kind == "no":
                clauses = [t["none_then"], t["dates"].format(items=items(self.relies_on, "short"))]
            else:
                clauses = [fill("signed", entry) for entry in self.relies_on] or [t["none"]]
            return f"{t[self.kind]}: {'; '.join(clauses)}."
        if self.kind == "between":
            a, b = (fill("item", entry) for entry in self.relies_on)
            span = _span_text(self.span, self.check, lang)
            exact = _span_text(self.full, "", lang) if any(self.full) else span
            if exact != span:  # whole units asked for are rounded down: say exactly too ("7 years and 15 days": only that)
                span = exact if exact.startswith(span) or not any(self.span) else f"{span} ({exact})"
            first = next((n for n in self.span if n), 0) if any(self.span) else next((n for n in self.full if n), 0)
            passed = t.get("passed_one" if first % 10 == 1 and first % 100 != 11 else "passed", "")  # Russian agrees
            return _cap(t["between"].format(span=span, a=a, b=b, passed=passed)) + "."
        if len(self.relies_on) == 1:  # "kind" of one agreement
            return _cap(fill("is_kind", self.relies_on[0])) + "."
        groups = []
        for kind in ("treaty", "declaration"):
            group = [entry for entry in self.relies_on if entry.agreement.kind == kind]  # type: ignore[union-attr]
            if group:
                groups.append(f"{_plural(t[kind + '_head'], len(group), 'en')}: {items(group, 'short')}")
        return ". ".join(groups) + "."


# --------------------------------------------------------------------------- reading the question


def _matches(word: str, form: str) -> bool:
    """Exact word or stem, or one typo away from a form of six letters or more."""
    if form.endswith("*"):
        stem = form[:-1]
        return word.startswith(stem) or len(stem) >= 5 and any(
            OSA.distance(word[:n], stem) <= 1 for n in (len(stem) - 1, len(stem), len(stem) + 1))
    return word == form or len(form) >= 6 and OSA.distance(word, form) <= 1


_PHRASES = [(intent, form) for intent, forms in WORDS.items() for form in forms if " " in form]


@lru_cache(maxsize=20_000)
def _word_intents(word: str) -> frozenset[str]:
    """The intents one word carries by itself (words repeat from question to question)."""
    return frozenset(intent for intent, forms in WORDS.items() for form in forms if " " not in form and _matches(word, form))


def _tags(words: list[str]) -> list[set[str]]:
    """The intents each word carries; a phrase tags all its words."""
    tags: list[set[str]] = [set() for _ in words]
    # Each word also without an Azerbaijani/Uzbek question or possessive ending: "oldinmi" (before?),
    # "ən köhnəsi" (the oldest of them), "eng yangisi".
    bases = [word[:-2] if len(word) > 5 and word.endswith(("mi", "mu", "si")) else word for word in words]
    for said in dict.fromkeys((tuple(words), tuple(bases))):
        for i, word in enumerate(said):
            tags[i] |= _word_intents(word)
        text = f" {' '.join(said)} "
        for intent, form in _PHRASES:
            for match in re.finditer(f"(?<= ){re.escape(form)}(?= )", text):
                first = text[:match.start()].count(" ") - 1
                for i in range(first, first + form.count(" ") + 1):
                    tags[i].add(intent)
    for i, word in enumerate(words):  # Azerbaijani/Uzbek question suffix: "imzalanıbmı", "imzolanganmi"
        if len(word) > 5 and word.endswith(("mi", "mu")):
            tags[i].add("yesno")
        if word.endswith(("gacha", "dek")):
            tags[i] |= {"range_mid", "before_post"}
        if tags[i] & {"first", "last"}:  # "ranshe vsego", "en evvel": a superlative, not an order
            tags[i] -= {"before", "after"}
    return tags


def _pairs(words: Sequence[str], analyzer: Analyzer) -> set[tuple[str, str]]:
    """Neighbouring words, stop words left out, countries too (a country names an agreement already)."""
    said = [term for word in words if not analyzer.is_stopword(word)
            for term in [analyzer.candidates(word)[0]] if not analyzer.is_signal(term)]
    return set(zip(said, said[1:]))


@lru_cache(maxsize=8)
def _title_pairs(titles: tuple[str, ...], analyzer: Analyzer) -> tuple[list[set[tuple[str, str]]], set[tuple[str, str]]]:
    """Each title's word pairs, and the pairs that tell titles apart (in some, not all): once per knowledge base."""
    pairs = [_pairs(fold(title).split(), analyzer) for title in titles]
    return pairs, set().union(*pairs) - set.intersection(*pairs)


def _titled(entries: list[Entry], words: list[str], analyzer: Analyzer) -> list[Entry] | None:
    """The agreements whose titles hold a pair of words the question has and not every title has."""
    titles, telling = _title_pairs(tuple(e.agreement.title for e in entries), analyzer)  # type: ignore[union-attr]
    asked = _pairs(words, analyzer) & telling
    return [e for e, pairs in zip(entries, titles) if asked <= pairs] if asked else None


def _concept(word: str, analyzer: Analyzer) -> str | None:
    """The lexicon's concept of a folded word; one typo allowed in a country or kind word."""
    concept = analyzer.concept(word)
    if concept:
        return concept
    if len(word) >= 6:
        for stem, concept in analyzer.prefixes.items():
            if (concept in COUNTRIES or concept in NOUNS) and len(stem) >= 5 and _matches(word, stem + "*"):
                return concept
    return None


def _month(words: list[str], i: int) -> int:
    """1-12 when words[i] names a month; English "may" only next to a number or after "in"."""
    word = words[i]
    for number, forms in enumerate(MONTH_FORMS, 1):
        if any(word == form or form.endswith("*") and word.startswith(form[:-1]) for form in forms):
            if word == "may" and not (i and (words[i - 1].isdigit() or words[i - 1] == "in")
                                      or i + 1 < len(words) and words[i + 1].isdigit()):
                return 0
            return number
    return 0


def _year(word: str) -> int:
    return int(word) if re.fullmatch(r"20\d\d", word) else 0


def _day(words: list[str], i: int) -> int:
    return int(words[i]) if 0 <= i < len(words) and words[i].isdigit() and 1 <= int(words[i]) <= 31 else 0


@dataclass
class _Time:
    """The dates a question names: full dates, bare years, months (with a day, maybe)."""

    dates: list[tuple[int, int, dt.date]]        # (first, last) word positions and the date
    years: list[tuple[int, int]]                 # position, year
    months: list[tuple[int, int, int]]           # position, month, day (0: any)


def _time(words: list[str]) -> _Time:
    found = _Time([], [], [])
    used: set[int] = set()
    for i in range(len(words)):
        month = _month(words, i)
        if not month:
            continue
        day_at = next((j for j in (i - 1, i + 1) if _day(words, j)), None)
        year_at = next((j for j in (i + 1, i + 2, i - 2, i - 3) if 0 <= j < len(words) and _year(words[j])), None)
        if day_at is not None and year_at is not None:
            try:
                date = dt.date(_year(words[year_at]), month, _day(words, day_at))
            except ValueError:
                continue
            found.dates.append((min(i, day_at, year_at), max(i, day_at, year_at), date))
            used |= {i, day_at, year_at}
        else:
            found.months.append((i, month, _day(words, day_at) if day_at is not None else 0))
            used |= {i} | ({day_at} if day_at is not None else set())
    found.years = [(i, _year(word)) for i, word in enumerate(words) if _year(word) and i not in used]
    return found


def _add_months(date: dt.date, months: int) -> dt.date:
    year, month = divmod(date.month - 1 + months, 12)
    year += date.year
    for day in range(date.day, 27, -1):  # 31 January + 1 month: the last day of February
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    return dt.date(year, month + 1, min(date.day, 28))


def _elapsed(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Whole months from start to end, and the days left over (rounded down)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return months, (end - _add_months(start, months)).days


def _in_order(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """Each agreement once, in date order."""
    unique = {entry.id: entry for entry in entries}
    return tuple(sorted(unique.values(), key=lambda e: e.agreement.date))  # type: ignore[union-attr]


Check = tuple[str, dt.date]  # ("<" | ">" | ">=", bound): a constraint on a signing date


def _passes(date: dt.date, checks: list[Check]) -> bool:
    return all(date < bound if op == "<" else date > bound if op == ">" else date >= bound for op, bound in checks)


def answer_agreement_question(question: str, agreements: Sequence[Entry], analyzer: Analyzer,
                              knows: Callable[[str], bool] | None = None) -> AgreementAnswer | None:
    """The computed answer to a question across the agreements, or None to let search answer it.

    ``analyzer`` is the search index's: its concepts (countries, "treaty", "declaration")
    are read, so a question is read with the same lexicon as search.
    ``knows`` tells a word the knowledge base knows (or a stop word); a question with a
    word that neither it nor this grammar knows asks something the fields cannot answer.
    """
    entries = sorted((e for e in agreements if e.agreement), key=lambda e: e.agreement.date)  # type: ignore[union-attr]
    words = fold(question).split()
    if not entries or not words or len(words) > 40:
        return None
    concepts = [_concept(word, analyzer) for word in words]
    tags = _tags(words)
    for i, word in enumerate(words):  # Azerbaijani "neçə" is "how many" only before a noun or a unit ("necə": how)
        if word == "nece" and not any(concepts[j] in NOUNS or tags[j] & {"years", "months", "days"}
                                      for j in range(i + 1, min(i + 3, len(words)))):
            tags[i] -= {"count", "wh"}
    signals = analyzer.signals - set(COUNTRIES) - {HOME}
    if any(c in OFF_TOPIC or c in signals for c in concepts) or any("content" in t for t in tags) \
            or any(word.startswith(PLACES) for word in words):
        return None
    if knows is not None and not all(concept or tag or word.isdigit() or len(word) <= 2 or _month([word], 0)
                                     or knows(word) for word, concept, tag in zip(words, concepts, tags)):
        return None  # a word neither this grammar nor the knowledge base knows: "in which city", "valid for"
    has = {intent for t in tags for intent in t}
    if "countries" in concepts and not (has & {"count", "first", "last", "before", "after", "since", "range"}
                                        or any(_year(word) for word in words)
                                        or {"treaty", "declaration"} <= set(concepts)):
        return None  # "which countries are parties to the treaty?": for search; "a treaty, not a declaration?": a kind
    wh = "wh" in has
    # "Правда ли, что ...": a yes or no, whatever question words follow
    yesno = not wh and ("yesno" in has or "?" in question) or any(w in ("pravda", "verno") for w in words[:2])
    by_country = {_country(e): e for e in entries}
    # Two words of the agreements' own titles that stand together in the question and in some titles
    # only ("strategic partnership": three declarations, not the one with Kazakhstan) narrow the
    # agreements meant; an agreement named that does not hold them is for search to quote.
    titled = _titled(entries, words, analyzer)
    if titled is not None:
        if any(e not in titled for c in concepts if (e := by_country.get(c or "")) is not None):
            return None
        entries = titled
        by_country = {_country(e): e for e in entries}
    treaties = [e for e in entries if e.agreement.kind == "treaty"]  # type: ignore[union-attr]
    treaty = treaties[0] if len(treaties) == 1 else None

    # Agreements named: by country, and "the treaty" when there is one.
    refs: list[tuple[int, Entry]] = []
    for i, c in enumerate(concepts):
        entry = by_country.get(c or "") or (treaty if c == "treaty" else None)
        if entry and entry not in (e for _, e in refs):
            refs.append((i, entry))
    countries = list(_in_order([by_country[c] for c in concepts if c in by_country]))
    kind_words = [(i, c) for i, c in enumerate(concepts) if c in ("treaty", "declaration")]
    noun = any(c in NOUNS for c in concepts) or "signed" in concepts or "list" in has  # "which one on the list ...?"
    plural = any(c in NOUNS and (w.endswith(("s", "ii")) or "lar" in w or "ler" in w)
                 for w, c in zip(words, concepts)) or "all" in concepts or any("list" in t for t in tags)

    # Dates, years, ranges and the before/after/since operators bound to them or to an agreement.
    time = _time(words)
    checks: list[Check] = []
    years = [year for _, year in time.years]
    ranged = False  # two years read as a range: "с 2018 по 2023"
    hyphen = re.search(r"\b(20\d\d)\s*[-–—]\s*(20\d\d)\b", question)
    if len(set(years)) == 2:
        (p1, y1), (p2, y2) = time.years[0], time.years[-1]
        if hyphen or "range" in has or any("range_mid" in tags[j] for j in range(p1 + 1, min(p2 + 4, len(words)))):
            checks += [(">=", dt.date(min(y1, y2), 1, 1)), ("<", dt.date(max(y1, y2) + 1, 1, 1))]
            years, ranged = [], True
    objects: list[Entry] = []
    for i, t in enumerate(tags):
        loose = bool(t & {"before", "after", "since"})  # binds a year, a date or an agreement nearby
        op = "<" if t & {"before", "before_strict", "before_post"} else ">=" if t & {"since", "since_strict"} else \
            ">" if "after" in t else ""
        if not op:
            continue
        operands = [(abs(p - i), p, "year", y) for p, y in time.years  # "earlier in 2024": a filter, not a bound
                    if y in years and not (loose and p > i and words[p - 1] in ("in", "v", "vo"))] + \
                   [(min(abs(a - i), abs(b - i)), a, "date", d) for a, b, d in time.dates]
        operands = [o for o in operands if (o[0] <= 3 if loose else i - 3 <= o[1] <= i if "before_post" in t
                                            else o[1] == i + 1)]
        if operands:
            _, at, what, value = min(operands)
            if what == "year":
                years.remove(value)
                bound = dt.date(value, 12, 31) if op == ">" else dt.date(value, 1, 1)
            else:
                time.dates = [d for d in time.dates if d[0] != at]
                bound = value
            checks.append((op, bound))
        elif loose and refs and (yesno or len(refs) == 1):  # else "which was earlier, X or Y?"
            later = [e for p, e in refs if p > i]  # "X before Y": Y; "X Y-dan əvvəl": the nearest before
            target = later[0] if later else refs[-1][1] if len(refs) >= 2 or not yesno else None
            if target:
                objects.append(target)
                checks.append(("<" if op == "<" else ">", target.agreement.date))  # type: ignore[union-attr]
    either = any(w in ("or", "ili", "yoxsa", "yoki", "yo", "ya") for w in words)
    ordering = len(objects) != len({e.id for e in objects}) or (  # "X before or after the Kyrgyz one?": an order
        either and "after" in has and bool(has & {"before", "before_strict"}) and len(refs) == 2)
    if ordering:  # the agreements compared are what is asked about, and their dates bound nothing
        compared = {e.agreement.date for e in objects}  # type: ignore[union-attr]
        checks = [check for check in checks if check[1] not in compared]
        objects = []
    if "range" in has and len(refs) == 2 and not years and not checks and not objects:  # between two agreements
        objects = [refs[0][1], refs[1][1]]
        low, high = sorted(e.agreement.date for e in objects)  # type: ignore[union-attr]
        checks = [(">", low), ("<", high)]
    subjects = [e for _, e in refs if e not in objects]
    at_objects = [p for p, e in refs if e in objects]  # "before the Kazakhstan declaration": not a filter
    free_kinds = {c for i, c in kind_words if all(abs(i - p) > 2 for p in at_objects)}  # "after the declaration with X"
    negated = {c for i, c in kind_words if any(words[j] in NEGATIONS for j in range(max(0, i - 2), i))}
    if free_kinds - negated:  # "treaties, not declarations": the kind that is not denied
        free_kinds -= negated

    def when_ok(entry: Entry) -> bool:
        date = entry.agreement.date  # type: ignore[union-attr]
        return (not years or date.year in years) and _passes(date, checks) \
            and all(date == d for _, _, d in time.dates) \
            and all(date.month == m and (not day or date.day == day) for _, m, day in time.months)

    timed = bool(years or checks or time.dates or time.months)

    def pool(kinds: set[str], by_country: Sequence[Entry] = ()) -> list[Entry]:
        return [e for e in entries if when_ok(e) and e not in objects and (len(kinds) != 1 or e.agreement.kind in kinds)
                and (not by_country or e in by_country)]

    # 1. Time between two agreements.
    counts = [i for i, t in enumerate(tags) if "count" in t]
    unit = next((u for i in counts for j in range(i + 1, min(i + 3, len(words))) for u in ("years", "months", "days")
                 if u in tags[j]), "")
    if not unit and "range" in has and len(refs) == 2 and not time.years:  # "years between X and Y?"
        unit = next((u for u in ("years", "months", "days") if u in has), "")
    if ("span" in has or unit) and not ranged:  # "в промежутке с 2018 по 2023" is a range, not a time between
        named = _in_order([e for _, e in refs])
        if len(named) != 2 or timed and not objects:
            return None
        start, end = (e.agreement.date for e in named)  # type: ignore[union-attr]
        months, days = _elapsed(start, end)
        full = (months // 12, months % 12, days)
        span = {"years": (months // 12, 0, 0), "months": (0, months, 0), "days": (0, 0, (end - start).days)}.get(
            unit, full)
        return AgreementAnswer("between", named, _span_text(span, unit, "en"), check=unit, span=span, full=full)

    # 2. First / last: among the agreements named, or among all that pass the filters.
    superlative = "first" if "first" in has else "last" if "last" in has else ""
    if not superlative and (not yesno or ordering) and len(subjects) >= 2 and has & {"before", "after"} and not checks:
        superlative = "first" if "before" in has else "last"  # "which was signed earlier, X or Y?"
    if superlative and len(subjects) >= 2:
        named = _in_order(subjects)
        winner = named[0] if superlative == "first" else named[-1]
        return AgreementAnswer(superlative, named, winner.agreement.date.isoformat(), focus=(winner,))
    # "Which one is the most recent?": nothing but question words, and only the agreements are dated
    if superlative and len(countries) <= 1 and (noun or wh and all(tag or analyzer.is_stopword(word)
                                                                     for word, tag in zip(words, tags))):
        if yesno and len(subjects) == 1:
            at = min(i for i, t in enumerate(tags) if superlative in t)
            near = {c for i, c in kind_words if at < i <= at + 3}
            candidates = pool(near)
        elif not countries and not yesno:
            subjects, candidates = [], pool(free_kinds)
        else:
            return None
        if not candidates:
            return AgreementAnswer("list", (), "")
        winner = candidates[0] if superlative == "first" else candidates[-1]
        if not subjects:
            return AgreementAnswer(superlative, (winner,), winner.agreement.date.isoformat(), focus=(winner,))
        answer = "yes" if subjects[0] == winner else "no"
        named = _in_order([winner, subjects[0]])
        return AgreementAnswer(answer, named, answer, check=superlative, focus=(winner,))
    if superlative:
        return None

    # 3. How many.
    if counts and noun:
        found = pool(free_kinds, countries)
        return AgreementAnswer("count", tuple(found), str(len(found)))

    # 4. Yes or no: a date/order check on the agreements named, a kind, or whether any was signed then.
    if yesno and subjects and (timed or objects):
        answer = "yes" if all(when_ok(e) for e in subjects) else "no"
        named = _in_order([*subjects, *objects])
        return AgreementAnswer(answer, named, answer, check="date")
    nouns = [i for i, c in enumerate(concepts) if c in NOUNS]
    if yesno and "only" in has and len(countries) == 1 and len({c for _, c in kind_words}) == 1 and not timed:
        kind = kind_words[0][1]  # "Is the Uzbekistan treaty the only treaty?": the only one of its kind
        subject, alike = countries[0], tuple(e for e in entries if e.agreement.kind == kind)  # type: ignore[union-attr]
        answer = "yes" if alike == (subject,) else "no"
        return AgreementAnswer(answer, tuple(entries), answer, check="kind", focus=alike if answer == "no" else (subject, *(e for e in entries if e != subject)))
    if yesno and len(countries) == 1 and kind_words and kind_words[-1][0] == nouns[-1] and len(nouns) >= 2 \
            and not either and "signed" not in concepts and not has & {"before", "after", "since"}:  # "is X a treaty?"
        subject, predicate = countries[0], kind_words[-1][1]
        answer = "yes" if subject.agreement.kind == predicate else "no"  # type: ignore[union-attr]
        return AgreementAnswer(answer, (subject,), answer, check="kind")
    if yesno and not countries and not timed and "all" in concepts and len({c for _, c in kind_words}) == 1:
        kind = kind_words[0][1]  # "Are all five agreements declarations?"
        others = tuple(e for e in entries if e.agreement.kind != kind)  # type: ignore[union-attr]
        answer = "no" if others else "yes"
        return AgreementAnswer(answer, tuple(entries), answer, check="kind", focus=others)  # the line names the others
    if yesno and not subjects and timed and noun:
        found = pool(free_kinds)
        if found:
            return AgreementAnswer("yes", tuple(found), "yes", check="exists")
        checked = tuple(e for e in entries if len(free_kinds) != 1 or e.agreement.kind in free_kinds)  # type: ignore[union-attr]
        return AgreementAnswer("no", checked, "no", check="exists")  # none then: the dates they were signed

    # 5. Which were signed then (no agreement named but the ones compared with); a bare year
    #    or date ("2022", "declarations 2022", "may 2024") is the same question.
    if wh and (timed or objects) and not subjects and (plural or "signed" in concepts):
        return AgreementAnswer("list", tuple(pool(free_kinds)), "")
    bare = all(concepts[i] in NOUNS or concepts[i] in ("signed", "agreement", "declaration", "treaty") or
               tags[i] or words[i].isdigit() or _month(words, i) for i in range(len(words)))
    if timed and not subjects and not objects and not yesno and bare:
        found = pool(free_kinds)
        return AgreementAnswer("list", tuple(found), "") if found else None

    if "order" in has and noun and not countries and not timed:  # "list the agreements in order"
        return AgreementAnswer("list", tuple(pool(free_kinds)), "")

    # 6. Which kind: of one agreement, or which are declarations and which the treaty.
    # "what kind of agreement", "hujjat qaysi turga kiradi": a kind word next to an agreement noun; not
    # "what kinds of cooperation does the treaty cover?"
    kind_asked = any("kindq" in t and any(concepts[j] in NOUNS for j in range(max(0, i - 3), min(i + 3, len(words))))
                     for i, t in enumerate(tags))
    if len(countries) == 1 and (kind_asked or either and len({c for _, c in kind_words}) == 2) and not timed:
        entry = countries[0]
        return AgreementAnswer("kind", (entry,), entry.agreement.kind)  # type: ignore[union-attr]
    if not countries and not timed and (kind_words and "which" in has or kind_asked):
        found = tuple(e for e in entries if len(free_kinds) != 1 or e.agreement.kind in free_kinds)
        return AgreementAnswer("kind", found, found[0].agreement.kind if len(found) == 1 else "")
    return None
