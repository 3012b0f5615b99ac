"""Uzbek Latin <-> Cyrillic: real words both ways, apostrophes, case, and markup left alone."""

from __future__ import annotations

import pytest

from bot.knowledge.uzbek_script import to_cyrillic, to_latin

# (official Latin with ‘ U+2018 and ʼ U+02BC, Uzbek Cyrillic)
WORDS = [
    ("O‘zbekiston", "Ўзбекистон"),
    ("Ozarbayjon", "Озарбайжон"),
    ("shartnoma", "шартнома"),
    ("Ittifoqchilik munosabatlari to‘g‘risidagi shartnoma", "Иттифоқчилик муносабатлари тўғрисидаги шартнома"),
    ("yo‘lagi", "йўлаги"),
    ("yo‘l", "йўл"),
    ("energetika", "энергетика"),
    ("eng", "энг"),
    ("ekspert", "эксперт"),
    ("maʼno", "маъно"),
    ("taʼlim", "таълим"),
    ("sanʼat", "санъат"),
    ("aʼzo", "аъзо"),
    ("Turkiy davlatlar tashkiloti", "Туркий давлатлар ташкилоти"),
    ("Toshkent", "Тошкент"),
    ("Boku", "Боку"),
    ("choy", "чой"),
    ("yangi", "янги"),
    ("ming", "минг"),
    ("Qoraqalpog‘iston", "Қорақалпоғистон"),
    ("Qozog‘iston", "Қозоғистон"),
    ("iqtisodiyot", "иқтисодиёт"),
    ("hamkorlik", "ҳамкорлик"),
    ("xalqaro", "халқаро"),
    ("yil", "йил"),
    ("shahar", "шаҳар"),
    ("jahon", "жаҳон"),
    ("mustaqillik", "мустақиллик"),
    ("xavfsizlik", "хавфсизлик"),
    ("o‘zaro", "ўзаро"),
    ("g‘alaba", "ғалаба"),
    ("qo‘shni", "қўшни"),
    ("bog‘liq", "боғлиқ"),
    ("yuk", "юк"),
    ("yer", "ер"),
    ("Yevropa", "Европа"),
    ("poeziya", "поэзия"),
    ("Prezident", "Президент"),
    ("Shavkat Mirziyoyev", "Шавкат Мирзиёев"),
    ("Ilhom Aliyev", "Илҳом Алиев"),
    ("tashqi ishlar vazirligi", "ташқи ишлар вазирлиги"),
    ("O‘zbekiston Respublikasi", "Ўзбекистон Республикаси"),
]

CAPS = [
    ("SHAHAR", "ШАҲАР"),
    ("O‘ZBEKISTON", "ЎЗБЕКИСТОН"),
    ("TOSHKENT SHAHRI", "ТОШКЕНТ ШАҲРИ"),
    ("YANGI YIL", "ЯНГИ ЙИЛ"),
    ("MAʼNO", "МАЪНО"),
    ("ENERGETIKA", "ЭНЕРГЕТИКА"),
    ("QORAQALPOG‘ISTON", "ҚОРАҚАЛПОҒИСТОН"),
    ("MIRZIYOYEV", "МИРЗИЁЕВ"),
    ("KUCH", "КУЧ"),
    ("Shartnoma", "Шартнома"),
    ("Choy", "Чой"),
    ("Yangi", "Янги"),
    ("Yo‘l", "Йўл"),
    ("G‘alaba", "Ғалаба"),
    ("Eng", "Энг"),
    ("Yer", "Ер"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS + CAPS)
def test_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS + CAPS)
def test_to_latin(latin: str, cyrillic: str) -> None:
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS + CAPS)
def test_round_trips(latin: str, cyrillic: str) -> None:
    assert to_latin(to_cyrillic(latin)) == latin
    assert to_cyrillic(to_latin(cyrillic)) == cyrillic


@pytest.mark.parametrize("mark", ["‘", "'", "ʻ", "’", "`"])
def test_every_o_g_apostrophe(mark: str) -> None:
    assert to_cyrillic(f"O{mark}zbekiston") == "Ўзбекистон"
    assert to_cyrillic(f"to{mark}g{mark}risida") == "тўғрисида"
    assert to_cyrillic(f"Qoraqalpog{mark}iston") == "Қорақалпоғистон"
    assert to_cyrillic(f"yo{mark}l") == "йўл"
    assert to_cyrillic(f"O{mark}ZBEKISTON") == "ЎЗБЕКИСТОН"


@pytest.mark.parametrize("mark", ["ʼ", "'", "’", "ʻ", "‘", "`"])
def test_glottal_stop_between_letters(mark: str) -> None:
    assert to_cyrillic(f"ma{mark}no") == "маъно"
    assert to_cyrillic(f"san{mark}at") == "санъат"


def test_glottal_stop_modifier_letter_at_word_end() -> None:
    assert to_cyrillic("shamʼ") == "шамъ"
    assert to_cyrillic("SHAMʼ") == "ШАМЪ"


def test_quotation_marks_are_not_glottal_stops() -> None:
    assert to_cyrillic("'salom' dedi") == "'салом' деди"
    assert to_cyrillic("‘Toshkent’ shahri") == "‘Тошкент’ шаҳри"


def test_e_is_e_after_consonants_and_reversed_letters() -> None:
    assert to_cyrillic("Energetika ekspertlari") == "Энергетика экспертлари"
    assert to_latin("Энергетика экспертлари") == "Energetika ekspertlari"
    assert to_latin("эксперт") == "ekspert"  # э is always e


def test_letters_only_to_latin_has() -> None:
    assert to_latin("цирк") == "tsirk"
    assert to_latin("Цех ЦЕХ") == "Tsex TSEX"
    assert to_latin("борщ БОРЩ") == "borshch BORSHCH"
    assert to_latin("компьютер") == "kompyuter"
    assert to_latin("КОМПЬЮТЕР") == "KOMPYUTER"
    assert to_latin("объект") == "obʼyekt"
    assert to_cyrillic("obʼyekt") == "объект"


def test_official_latin_marks() -> None:
    out = to_latin("Ўзбекистон маъно ғалаба")
    assert "\u2018" in out and "\u02bc" in out
    assert out == "O\u2018zbekiston ma\u02bcno g\u2018alaba"


def test_already_converted_text_is_unchanged() -> None:
    for latin, cyrillic in WORDS:
        assert to_cyrillic(cyrillic) == cyrillic
        assert to_latin(latin) == latin


def test_empty_and_digits() -> None:
    assert to_cyrillic("") == "" and to_latin("") == ""
    assert to_cyrillic("2024-yil 23-avgust, 5 ta modda") == "2024-йил 23-август, 5 та модда"
    assert to_latin("2024-йил 23-август, 5 та модда") == "2024-yil 23-avgust, 5 ta modda"


MARKUP = (
    '<b>{title}</b> haqida /help yozing: <a href="https://example.org/a?b=1&amp;c">manba</a>',
    '<b>{title}</b> ҳақида /help ёзинг: <a href="https://example.org/a?b=1&amp;c">манба</a>',
)


def test_markup_in_a_sentence_both_ways() -> None:
    latin, cyrillic = MARKUP
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("<blockquote expandable>Shartnoma matni</blockquote>", "<blockquote expandable>Шартнома матни</blockquote>"),
        ("<i>eng</i> <code>yangi</code>", "<i>энг</i> <code>янги</code>"),
        ("&lt;yangi&gt; &#39;choy&#39; &quot;yil&quot; &#x27;", "&lt;янги&gt; &#39;чой&#39; &quot;йил&quot; &#x27;"),
        ("{count} ta shartnoma, {0} va {}", "{count} та шартнома, {0} ва {}"),
        ("{title!r:>10} sahifa {page_no}", "{title!r:>10} саҳифа {page_no}"),
        ("/ask@treaty_bot savol bering", "/ask@treaty_bot савол беринг"),
        ("/start yoki /help_me", "/start ёки /help_me"),
        ("va/yoki", "ва/ёки"),
        ("@treaty_bot bilan yozishing", "@treaty_bot билан ёзишинг"),
        (
            "Manba: https://lex.uz/docs/shartnoma?yil=2024 (rasmiy)",
            "Манба: https://lex.uz/docs/shartnoma?yil=2024 (расмий)",
        ),
        ("www.gov.uz sayti, tg://resolve?domain=treaty_bot", "www.gov.uz сайти, tg://resolve?domain=treaty_bot"),
        ("Pochta: info@mfa.uz manzili", "Почта: info@mfa.uz манзили"),
    ],
)
def test_protected_spans(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_protected_spans_keep_cyrillic_in_to_latin() -> None:
    text = '<a href="https://t.me/шартнома">ҳуқуқ</a> {ном} @bot /ask&amp; &laquo;янги&raquo;'
    assert to_latin(text) == '<a href="https://t.me/шартнома">huquq</a> {ном} @bot /ask&amp; &laquo;yangi&raquo;'


def test_protected_spans_are_byte_identical() -> None:
    spans = [
        '<a href="https://x.org/?q=shah&amp;y=1">',
        "&#39;",
        "{yangi_yil}",
        "https://sh.uz/yo",
        "@Shahar_bot",
        "/yil",
    ]
    text = " so‘z ".join(spans)
    converted = to_cyrillic(text)
    assert converted == " сўз ".join(spans)
    assert to_latin(converted) == text


@pytest.mark.parametrize("latin, cyrillic", [("deklaratsiya", "декларация"), ("integratsiyasi", "интеграцияси"),
                                             ("DEKLARATSIYA", "ДЕКЛАРАЦИЯ"), ("revolyutsion", "революцион")])
def test_ts_in_loanwords_is_ts_letter(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_an_english_title_quoted_in_uzbek_stays_as_written() -> None:
    text = "“Alliance Relations Between Azerbaijan And Uzbekistan” maqolasi, “News in English” ruknida; “Zangezur yo‘lagi”"
    assert to_cyrillic(text) == "“Alliance Relations Between Azerbaijan And Uzbekistan” мақоласи, “News in English” рукнида; “Зангезур йўлаги”"
