"""Interface strings in English, Russian, Azerbaijani and Uzbek.

Only the bot's own words are translated; quotes from the source stay verbatim.
Every key exists in every language (a test checks), and ``text()`` falls back to
English for a language the bot does not speak.
"""

from __future__ import annotations

from bot.knowledge import LANGUAGES, UZ_CYRILLIC
from bot.knowledge.uzbek_script import to_cyrillic

DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "source": "Source",
        "text_only": "I read text only: please type your question.",
        "admin_in_private": "Ask me that in a private chat.",
        "cmd_lang": "Choose the language of replies",
        "lang_choose": "In which language should I answer in this chat?",
        "lang_unknown": "I do not know the language “{code}”.",
        "lang_set": "From now on I answer in English in this chat. /lang auto: follow the language of each question again.",
        "lang_auto": "I answer in the language of each question again.",
        "button_lang_auto": "Auto: the language of each question",
        "button_language": "🌐 Language",
        "translation_label": "Unofficial translation:",
        "original_label": "Original text (English, verbatim):",
        "report_unanswered": "Most frequent unanswered questions (last {days} days)",
        "report_picks": "Suggestions picked",
        "report_votes": "Votes",
        "report_none": "none yet",
        "report_more": "… and {count} more",
        "report_vote": "{up} up, {down} down",
        "stats_off": "Statistics are off.",
        "did_you_mean_one": "Did you mean “{title}”?",
        "topics_intro": "Try one of these topics:",
        "computed_header": "From the five agreements",
        "missing_date": "The materials do not give that date.",
        "missing_person": "The materials do not name that person.",
        "missing_place": "The materials do not say where.",
        "missing_city": "The materials do not name the city.",
        "missing_amount": "The materials do not give that figure.",
        "missing_name": "The materials do not give that name.",
        "missing_status": "The materials do not say that: they give no ratification, entry into force or term.",
        "missing_link": "The materials give no link or web address.",
        "missing_text": "The materials do not hold that text: of the agreements, only their titles and dates.",
        "missing_travel": "The materials are about the agreements: they give no visas, hotels, tickets or travel advice.",
        "nearest": "The nearest passage is “{title}”.",
        "smalltalk_thanks": "You are welcome! Ask me anything else about the treaty or the agreements.",
        "smalltalk_ok": "Good! Anything else? Ask in your own words.",
        "smalltalk_who_are_you": "I am a bot that answers questions about the Treaty on Allied Relations between "
                                 "Azerbaijan and Uzbekistan and Azerbaijan's agreements with Central Asian countries. "
                                 "I quote the source word for word and say where the quote comes from.",
        "smalltalk_what_else": "You can ask me about the treaty's areas of cooperation (politics, economy, energy, "
                               "culture and education), the Zangezur Corridor, the expected outcomes, and the five "
                               "agreements: when each was signed, with whom, which came first. /help lists the commands.",
        "smalltalk_bye": "Goodbye! Come back with any question about the treaty.",
        "section": "section",
        "op-ed": "op-ed",
        "published_under": "published under “{heading}”",
        "did_you_mean": "I am not sure which of these you mean:",
        "not_found": "I could not find that in these materials. They cover the Treaty on Allied "
                     "Relations between Azerbaijan and Uzbekistan and Azerbaijan's agreements with "
                     "Central Asian countries. Try one of these topics, or /help.",
        "empty": "Ask me a question about the treaty, for example: {example}",
        "truncated": "Your message was long, so I read only its beginning and its end.",
        "related": "Related:",
        "start": "Hello! I answer questions about the Treaty on Allied Relations between "
                 "Azerbaijan and Uzbekistan (signed 23 August 2024) and Azerbaijan's agreements "
                 "with Kazakhstan, Turkmenistan, the Kyrgyz Republic and Tajikistan. Every answer "
                 "quotes the source word for word.\n\nTry asking:",
        "help": "Ask any question in English, Russian, Azerbaijani or Uzbek; typos are fine.\n\n"
                "/treaty — the treaty in brief\n/agreements — the five agreements\n"
                "/ask QUESTION — ask (in groups too)\n/source — what the answers come from\n/lang — the language of replies\n"
                "/help — this message\n\nIn a group, use /ask or reply to my message. In any chat, "
                "type @{bot} and a few words to share an answer.",
        "treaty_header": "The Treaty on Allied Relations",
        "treaty_areas": "Areas of cooperation and the expected outcomes:",
        "agreements_header": "Azerbaijan's five key agreements with Central Asian countries",
        "agreements_intro": "In date order:",
        "parties": "Parties",
        "source_header": "About these materials",
        "examples": "When was the treaty signed?|What does the treaty say about energy?|"
                    "Which agreements has Azerbaijan signed with Central Asia?",
        "button_outcomes": "Expected outcomes",
        "button_agreements": "All agreements",
        "button_treaty": "The treaty",
        "button_private": "Ask me in a private chat",
        "cmd_start": "Start and examples",
        "cmd_help": "How to use the bot",
        "cmd_treaty": "The treaty in brief",
        "cmd_agreements": "The five agreements",
        "cmd_ask": "Ask a question",
        "cmd_source": "What the answers come from",
        "unknown_command": "I do not know that command. /help lists what I can do.",
        "slow_down": "You are sending messages very fast; I will answer again in a few seconds.",
        "no_such_button": "There is no button {number} here: type a number from 1 to {count} to press one, or ask a question.",
        "no_such_button_one": "There is no button {number} here: type 1 to press the one there is, or ask a question.",
        "stale_button": "That button is no longer available.",
        "vote_thanks": "Thanks, noted!",
        "reloaded": "Knowledge base reloaded: {entries} entries.",
        "reload_failed": "The new knowledge base is invalid; still serving the old one:",
        "error": "Sorry, something went wrong on my side. Please try again.",
    },
    "ru": {
        "source": "Источник",
        "text_only": "Я читаю только текст: напишите, пожалуйста, вопрос.",
        "admin_in_private": "Спросите меня об этом в личном чате.",
        "cmd_lang": "Выбрать язык ответов",
        "lang_choose": "На каком языке мне отвечать в этом чате?",
        "lang_unknown": "Язык «{code}» мне не знаком.",
        "lang_set": "Теперь я отвечаю в этом чате по-русски. /lang auto — снова на языке каждого вопроса.",
        "lang_auto": "Снова отвечаю на языке каждого вопроса.",
        "button_lang_auto": "Авто: на языке вопроса",
        "button_language": "🌐 Язык",
        "translation_label": "Неофициальный перевод:",
        "original_label": "Оригинал (на английском, дословно):",
        "report_unanswered": "Самые частые вопросы без ответа (за {days} дн.)",
        "report_picks": "Выбранные подсказки",
        "report_votes": "Оценки",
        "report_none": "пока нет",
        "report_more": "… и ещё {count}",
        "report_vote": "{up} за, {down} против",
        "stats_off": "Статистика выключена.",
        "did_you_mean_one": "Вы имели в виду «{title}»?",
        "topics_intro": "Выберите одну из тем:",
        "computed_header": "По пяти соглашениям",
        "missing_date": "В материалах эта дата не указана.",
        "missing_person": "В материалах этот человек не назван.",
        "missing_place": "В материалах не сказано, где.",
        "missing_city": "В материалах город не назван.",
        "missing_amount": "В материалах нет этой цифры.",
        "missing_name": "В материалах это название не приводится.",
        "missing_status": "В материалах об этом не сказано: нет сведений о ратификации, вступлении в силу или сроке.",
        "missing_link": "В материалах нет ссылки или веб-адреса.",
        "missing_text": "Этого текста в материалах нет: о соглашениях — только их названия и даты.",
        "missing_travel": "Материалы — о соглашениях: визы, гостиницы, билеты и советы путешественникам в них не описаны.",
        "nearest": "Ближе всего к вопросу фрагмент «{title}».",
        "smalltalk_thanks": "Пожалуйста! Спрашивайте ещё о договоре или соглашениях.",
        "smalltalk_ok": "Хорошо! Что-нибудь ещё? Спрашивайте своими словами.",
        "smalltalk_who_are_you": "Я бот, который отвечает на вопросы о Договоре о союзнических отношениях между "
                                 "Азербайджаном и Узбекистаном и о соглашениях Азербайджана со странами Центральной "
                                 "Азии. Я дословно цитирую источник и указываю, откуда цитата.",
        "smalltalk_what_else": "Спросите о сферах сотрудничества по договору (политика, экономика, энергетика, "
                               "культура и образование), о Зангезурском коридоре, об ожидаемых результатах и о пяти "
                               "соглашениях: когда и с кем подписано каждое, какое было первым. Команды — в /help.",
        "smalltalk_bye": "До свидания! Возвращайтесь с вопросами о договоре.",
        "section": "раздел",
        "op-ed": "авторская статья",
        "published_under": "опубликована в рубрике «{heading}»",
        "did_you_mean": "Не уверен, что из этого вы имеете в виду:",
        "not_found": "Я не нашёл этого в материалах. Они посвящены Договору о союзнических "
                     "отношениях между Азербайджаном и Узбекистаном и соглашениям Азербайджана со "
                     "странами Центральной Азии. Выберите тему или наберите /help.",
        "empty": "Задайте вопрос о договоре, например: {example}",
        "truncated": "Сообщение длинное, поэтому я прочитал только его начало и конец.",
        "related": "См. также:",
        "start": "Здравствуйте! Я отвечаю на вопросы о Договоре о союзнических отношениях между "
                 "Азербайджаном и Узбекистаном (подписан 23 августа 2024 года) и о соглашениях "
                 "Азербайджана с Казахстаном, Туркменистаном, Кыргызстаном и Таджикистаном. Каждый "
                 "ответ дословно цитирует источник (на английском).\n\nПопробуйте спросить:",
        "help": "Задавайте вопросы на русском, английском, азербайджанском или узбекском; "
                "опечатки не страшны.\n\n/treaty — кратко о договоре\n/agreements — пять соглашений\n"
                "/ask ВОПРОС — задать вопрос (и в группах)\n/source — откуда ответы\n/lang — язык ответов\n"
                "/help — эта справка\n\nВ группе используйте /ask или ответьте на моё сообщение. "
                "В любом чате наберите @{bot} и пару слов, чтобы поделиться ответом.",
        "treaty_header": "Договор о союзнических отношениях",
        "treaty_areas": "Сферы сотрудничества и ожидаемые результаты:",
        "agreements_header": "Пять ключевых соглашений Азербайджана со странами Центральной Азии",
        "agreements_intro": "По дате подписания:",
        "parties": "Стороны",
        "source_header": "Об источнике",
        "examples": "Когда был подписан договор?|Что договор говорит об энергетике?|"
                    "Какие соглашения Азербайджан подписал со странами Центральной Азии?",
        "button_outcomes": "Ожидаемые результаты",
        "button_agreements": "Все соглашения",
        "button_treaty": "О договоре",
        "button_private": "Спросить в личном чате",
        "cmd_start": "Начало и примеры",
        "cmd_help": "Как пользоваться ботом",
        "cmd_treaty": "Кратко о договоре",
        "cmd_agreements": "Пять соглашений",
        "cmd_ask": "Задать вопрос",
        "cmd_source": "Откуда ответы",
        "unknown_command": "Такой команды нет. /help покажет, что я умею.",
        "slow_down": "Вы пишете очень быстро; я отвечу снова через несколько секунд.",
        "no_such_button": "Кнопки {number} здесь нет: введите число от 1 до {count}, чтобы нажать кнопку, или задайте вопрос.",
        "no_such_button_one": "Кнопки {number} здесь нет: введите 1, чтобы нажать единственную кнопку, или задайте вопрос.",
        "stale_button": "Эта кнопка больше не действует.",
        "vote_thanks": "Спасибо, учтём!",
        "reloaded": "База знаний перезагружена: {entries} записей.",
        "reload_failed": "Новая база знаний с ошибками; работаю со старой:",
        "error": "Извините, у меня что-то пошло не так. Попробуйте ещё раз.",
    },
    "az": {
        "source": "Mənbə",
        "text_only": "Mən yalnız mətni oxuyuram: sualınızı yazın.",
        "admin_in_private": "Bunu məndən şəxsi çatda soruşun.",
        "cmd_lang": "Cavabların dilini seçin",
        "lang_choose": "Bu çatda hansı dildə cavab verim?",
        "lang_unknown": "“{code}” dilini tanımıram.",
        "lang_set": "Bundan sonra bu çatda azərbaycanca cavab verirəm. /lang auto — yenidən hər sualın öz dilində.",
        "lang_auto": "Yenidən hər sualın öz dilində cavab verirəm.",
        "button_lang_auto": "Avto: sualın dilində",
        "button_language": "🌐 Dil",
        "translation_label": "Qeyri-rəsmi tərcümə:",
        "original_label": "Orijinal mətn (ingilis dilində, hərfi):",
        "report_unanswered": "Ən çox verilən cavabsız suallar (son {days} gün)",
        "report_picks": "Seçilmiş təkliflər",
        "report_votes": "Səslər",
        "report_none": "hələ yoxdur",
        "report_more": "… və daha {count}",
        "report_vote": "{up} bəyənildi, {down} bəyənilmədi",
        "stats_off": "Statistika söndürülüb.",
        "did_you_mean_one": "“{title}” nəzərdə tutursunuz?",
        "topics_intro": "Bu mövzulardan birini seçin:",
        "computed_header": "Beş saziş üzrə",
        "missing_date": "Materiallarda bu tarix göstərilməyib.",
        "missing_person": "Materiallarda bu şəxsin adı çəkilmir.",
        "missing_place": "Materiallarda harada olduğu deyilmir.",
        "missing_city": "Materiallarda şəhərin adı çəkilmir.",
        "missing_amount": "Materiallarda bu rəqəm verilmir.",
        "missing_name": "Materiallarda bu ad çəkilmir.",
        "missing_status": "Materiallarda bu barədə deyilmir: ratifikasiya, qüvvəyə minmə və ya müddət göstərilmir.",
        "missing_link": "Materiallarda keçid və ya veb-ünvan verilmir.",
        "missing_text": "Materiallarda bu mətn yoxdur: sazişlərin yalnız adları və tarixləri var.",
        "missing_travel": "Materiallar sazişlər haqqındadır: viza, otel, bilet və səyahət məsləhətləri orada yoxdur.",
        "nearest": "Suala ən yaxın hissə: “{title}”.",
        "smalltalk_thanks": "Buyurun! Müqavilə və sazişlər haqqında başqa nə istəsəniz, soruşun.",
        "smalltalk_ok": "Yaxşı! Başqa sualınız var? Öz sözlərinizlə soruşun.",
        "smalltalk_who_are_you": "Mən Azərbaycan və Özbəkistan arasında Müttəfiqlik münasibətləri haqqında müqavilə "
                                 "və Azərbaycanın Mərkəzi Asiya ölkələri ilə sazişləri barədə suallara cavab verən "
                                 "botam. Mənbədən hərfi sitat gətirir və sitatın haradan olduğunu göstərirəm.",
        "smalltalk_what_else": "Müqavilə üzrə əməkdaşlıq sahələri (siyasət, iqtisadiyyat, enerji, mədəniyyət və "
                               "təhsil), Zəngəzur dəhlizi, gözlənilən nəticələr və beş saziş barədə soruşun: hər biri "
                               "nə vaxt və kiminlə imzalanıb, hansı birinci olub. Əmrlər: /help.",
        "smalltalk_bye": "Sağ olun! Müqavilə haqqında sualla yenə gəlin.",
        "section": "bölmə",
        "op-ed": "müəllif məqaləsi",
        "published_under": "“{heading}” rubrikasında dərc olunub",
        "did_you_mean": "Bunlardan hansını nəzərdə tutduğunuzdan əmin deyiləm:",
        "not_found": "Bunu materiallarda tapa bilmədim. Onlar Azərbaycan və Özbəkistan arasında "
                     "Müttəfiqlik münasibətləri haqqında müqaviləyə və Azərbaycanın Mərkəzi Asiya "
                     "ölkələri ilə sazişlərinə aiddir. Mövzu seçin və ya /help yazın.",
        "empty": "Müqavilə haqqında sual verin, məsələn: {example}",
        "truncated": "Mesaj uzun idi, ona görə yalnız əvvəlini və sonunu oxudum.",
        "related": "Həmçinin bax:",
        "start": "Salam! Azərbaycan və Özbəkistan arasında Müttəfiqlik münasibətləri haqqında "
                 "müqavilə (23 avqust 2024-cü ildə imzalanıb) və Azərbaycanın Qazaxıstan, "
                 "Türkmənistan, Qırğızıstan və Tacikistanla sazişləri barədə suallara cavab verirəm. "
                 "Hər cavab mənbədən hərfi sitatdır (ingiliscə).\n\nSoruşun:",
        "help": "Azərbaycan, ingilis, rus və ya özbək dilində sual verin; səhvlər problem deyil.\n\n"
                "/treaty — müqavilə qısaca\n/agreements — beş saziş\n/ask SUAL — sual verin "
                "(qruplarda da)\n/source — cavabların mənbəyi\n/lang — cavabların dili\n/help — bu kömək\n\nQrupda /ask "
                "yazın və ya mesajıma cavab verin. İstənilən çatda @{bot} və bir neçə söz yazın.",
        "treaty_header": "Müttəfiqlik münasibətləri haqqında müqavilə",
        "treaty_areas": "Əməkdaşlıq sahələri və gözlənilən nəticələr:",
        "agreements_header": "Azərbaycanın Mərkəzi Asiya ölkələri ilə beş əsas sazişi",
        "agreements_intro": "İmzalanma tarixi sırası ilə:",
        "parties": "Tərəflər",
        "source_header": "Mənbə haqqında",
        "examples": "Müqavilə nə vaxt imzalanıb?|Müqavilə enerji haqqında nə deyir?|"
                    "Azərbaycan Mərkəzi Asiya ölkələri ilə hansı sazişlər imzalayıb?",
        "button_outcomes": "Gözlənilən nəticələr",
        "button_agreements": "Bütün sazişlər",
        "button_treaty": "Müqavilə",
        "button_private": "Şəxsi çatda soruşun",
        "cmd_start": "Başlanğıc və nümunələr",
        "cmd_help": "Botdan necə istifadə etməli",
        "cmd_treaty": "Müqavilə qısaca",
        "cmd_agreements": "Beş saziş",
        "cmd_ask": "Sual verin",
        "cmd_source": "Cavabların mənbəyi",
        "unknown_command": "Belə əmr yoxdur. /help nə edə bildiyimi göstərir.",
        "slow_down": "Çox tez yazırsınız; bir neçə saniyədən sonra yenidən cavab verəcəyəm.",
        "no_such_button": "Burada {number} nömrəli düymə yoxdur: düyməni basmaq üçün 1-dən {count}-ə qədər rəqəm yazın və ya sual verin.",
        "no_such_button_one": "Burada {number} nömrəli düymə yoxdur: yeganə düyməni basmaq üçün 1 yazın və ya sual verin.",
        "stale_button": "Bu düymə artıq işləmir.",
        "vote_thanks": "Təşəkkürlər, qeyd etdik!",
        "reloaded": "Bilik bazası yeniləndi: {entries} qeyd.",
        "reload_failed": "Yeni bilik bazasında səhvlər var; köhnəsi ilə işləyirəm:",
        "error": "Bağışlayın, xəta baş verdi. Yenidən cəhd edin.",
    },
    "uz": {
        "source": "Manba",
        "text_only": "Men faqat matnni o‘qiyman: savolingizni yozing.",
        "admin_in_private": "Buni mendan shaxsiy chatda so‘rang.",
        "cmd_lang": "Javoblar tilini tanlash",
        "lang_choose": "Bu chatda qaysi tilda javob beray?",
        "lang_unknown": "“{code}” tilini bilmayman.",
        "lang_set": "Endi bu chatda o‘zbekcha javob beraman. /lang auto — yana har bir savol tilida.",
        "lang_auto": "Yana har bir savol tilida javob beraman.",
        "button_lang_auto": "Avto: savol tilida",
        "button_language": "🌐 Til",
        "translation_label": "Norasmiy tarjima:",
        "original_label": "Asl matn (ingliz tilida, aynan):",
        "report_unanswered": "Eng ko‘p berilgan javobsiz savollar (so‘nggi {days} kun)",
        "report_picks": "Tanlangan takliflar",
        "report_votes": "Ovozlar",
        "report_none": "hozircha yo‘q",
        "report_more": "… va yana {count} ta",
        "report_vote": "{up} ta ijobiy, {down} ta salbiy",
        "stats_off": "Statistika o‘chirilgan.",
        "did_you_mean_one": "“{title}”ni nazarda tutdingizmi?",
        "topics_intro": "Quyidagi mavzulardan birini tanlang:",
        "computed_header": "Beshta kelishuv bo‘yicha",
        "missing_date": "Materiallarda bu sana ko‘rsatilmagan.",
        "missing_person": "Materiallarda bu shaxs nomi keltirilmagan.",
        "missing_place": "Materiallarda qayerda ekani aytilmagan.",
        "missing_city": "Materiallarda shahar nomi keltirilmagan.",
        "missing_amount": "Materiallarda bu raqam keltirilmagan.",
        "missing_name": "Materiallarda bu nom keltirilmagan.",
        "missing_status": "Materiallarda bu haqda aytilmagan: ratifikatsiya, kuchga kirish yoki muddat ko‘rsatilmagan.",
        "missing_link": "Materiallarda havola yoki veb-manzil keltirilmagan.",
        "missing_text": "Materiallarda bu matn yo‘q: kelishuvlarning faqat nomlari va sanalari bor.",
        "missing_travel": "Materiallar kelishuvlar haqida: ularda viza, mehmonxona, chipta va sayohat maslahatlari yo‘q.",
        "nearest": "Savolga eng yaqin qism: “{title}”.",
        "smalltalk_thanks": "Arzimaydi! Shartnoma va kelishuvlar haqida yana so‘rang.",
        "smalltalk_ok": "Yaxshi! Yana savol bormi? O‘z so‘zlaringiz bilan so‘rang.",
        "smalltalk_who_are_you": "Men Ozarbayjon va O‘zbekiston o‘rtasidagi Ittifoqchilik munosabatlari to‘g‘risidagi "
                                 "shartnoma hamda Ozarbayjonning Markaziy Osiyo davlatlari bilan kelishuvlari haqidagi "
                                 "savollarga javob beradigan botman. Manbadan so‘zma-so‘z iqtibos keltiraman va uning "
                                 "qayerdan olinganini ko‘rsataman.",
        "smalltalk_what_else": "Shartnoma bo‘yicha hamkorlik sohalari (siyosat, iqtisodiyot, energetika, madaniyat va "
                               "ta’lim), Zangezur yo‘lagi, kutilayotgan natijalar va beshta kelishuv haqida so‘rang: har "
                               "biri qachon va kim bilan imzolangan, qaysi biri birinchi bo‘lgan. Buyruqlar: /help.",
        "smalltalk_bye": "Xayr! Shartnoma haqida savol bilan yana keling.",
        "section": "bo‘lim",
        "op-ed": "muallif maqolasi",
        "published_under": "“{heading}” ruknida chop etilgan",
        "did_you_mean": "Qaysi birini nazarda tutganingizga amin emasman:",
        "not_found": "Buni materiallardan topa olmadim. Ular Ozarbayjon va O‘zbekiston o‘rtasidagi "
                     "Ittifoqchilik munosabatlari to‘g‘risidagi shartnoma hamda Ozarbayjonning Markaziy "
                     "Osiyo davlatlari bilan kelishuvlari haqida. Mavzuni tanlang yoki /help yozing.",
        "empty": "Shartnoma haqida savol bering, masalan: {example}",
        "truncated": "Xabar uzun edi, shuning uchun faqat boshi va oxirini o‘qidim.",
        "related": "Shuningdek:",
        "start": "Salom! Men Ozarbayjon va O‘zbekiston o‘rtasidagi Ittifoqchilik munosabatlari "
                 "to‘g‘risidagi shartnoma (2024-yil 23-avgustda imzolangan) hamda Ozarbayjonning "
                 "Qozog‘iston, Turkmaniston, Qirg‘iziston va Tojikiston bilan kelishuvlari haqidagi "
                 "savollarga javob beraman. Har bir javob manbadan so‘zma-so‘z iqtibos (ingliz tilida)."
                 "\n\nSo‘rab ko‘ring:",
        "help": "O‘zbek, ingliz, rus yoki ozarbayjon tilida savol bering; xatolar muammo emas.\n\n"
                "/treaty — shartnoma qisqacha\n/agreements — beshta kelishuv\n/ask SAVOL — savol "
                "bering (guruhlarda ham)\n/source — javoblar manbasi\n/lang — javoblar tili\n/help — ushbu yordam\n\n"
                "Guruhda /ask yozing yoki xabarimga javob bering. Istalgan chatda @{bot} va bir "
                "necha so‘z yozing.",
        "treaty_header": "Ittifoqchilik munosabatlari to‘g‘risidagi shartnoma",
        "treaty_areas": "Hamkorlik sohalari va kutilayotgan natijalar:",
        "agreements_header": "Ozarbayjonning Markaziy Osiyo davlatlari bilan beshta asosiy kelishuvi",
        "agreements_intro": "Imzolangan sana tartibida:",
        "parties": "Tomonlar",
        "source_header": "Manba haqida",
        "examples": "Shartnoma qachon imzolangan?|Shartnoma energetika haqida nima deydi?|"
                    "Ozarbayjon Markaziy Osiyo davlatlari bilan qanday kelishuvlar imzolagan?",
        "button_outcomes": "Kutilayotgan natijalar",
        "button_agreements": "Barcha kelishuvlar",
        "button_treaty": "Shartnoma",
        "button_private": "Shaxsiy chatda so‘rang",
        "cmd_start": "Boshlash va misollar",
        "cmd_help": "Botdan qanday foydalanish",
        "cmd_treaty": "Shartnoma qisqacha",
        "cmd_agreements": "Beshta kelishuv",
        "cmd_ask": "Savol berish",
        "cmd_source": "Javoblar manbasi",
        "unknown_command": "Bunday buyruq yo‘q. /help nima qila olishimni ko‘rsatadi.",
        "slow_down": "Juda tez yozyapsiz; bir necha soniyadan so‘ng yana javob beraman.",
        "no_such_button": "Bu yerda {number}-tugma yo‘q: tugmani bosish uchun 1 dan {count} gacha raqam yozing yoki savol bering.",
        "no_such_button_one": "Bu yerda {number}-tugma yo‘q: yagona tugmani bosish uchun 1 ni yozing yoki savol bering.",
        "stale_button": "Bu tugma endi ishlamaydi.",
        "vote_thanks": "Rahmat, hisobga oldik!",
        "reloaded": "Bilimlar bazasi yangilandi: {entries} ta yozuv.",
        "reload_failed": "Yangi bilimlar bazasida xatolar bor; eskisi bilan ishlayapman:",
        "error": "Kechirasiz, xatolik yuz berdi. Qaytadan urinib ko‘ring.",
    },
}


# The knowledge base's own names for parts of a source that have no heading; a section that
# is a heading of the source is shown as the source writes it.
SECTIONS = {
    "opening paragraph": {"ru": "вступительный абзац", "az": "giriş abzası", "uz": "kirish xatboshisi"},
    "headline": {"ru": "заголовок", "az": "başlıq", "uz": "sarlavha"},
}


def section(name: str, language: str) -> str:
    """A citation's section in ``language``: our generic names translated, the source's headings as written."""
    names = SECTIONS.get(name)
    if not names:
        return name
    if language == UZ_CYRILLIC:
        return to_cyrillic(names["uz"])
    return names.get(language, name)


def language_of(code: str | None) -> str | None:
    """Map a Telegram language_code ('ru', 'uz-Latn', 'az') to a supported language, or None."""
    if not code:
        return None
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def text(key: str, language: str, **values: str) -> str:
    """The interface string ``key`` in ``language`` (English when missing)."""
    if language == UZ_CYRILLIC:  # the Uzbek string in Cyrillic; {placeholders} and markup pass through
        template = to_cyrillic(STRINGS["uz"].get(key) or STRINGS[DEFAULT_LANGUAGE][key])
    else:
        strings = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
        template = strings.get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


def examples(language: str) -> list[str]:
    return text("examples", language).split("|")
