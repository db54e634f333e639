"""Review texts for the sandbox platform, written for this project (not taken from any dataset).

The business is "Acme Coffee & Bakery": cafés in Stockholm, Copenhagen and Riga plus an online shop that
delivers cakes and coffee beans. Each entry: (stars, topic, title, text). Topics name what a classifier
should notice: delivery, staff, double_charge, food_poisoning, legal, data_leak, praise, neutral, mixed,
emoji, shouting. Names are invented.
"""

from __future__ import annotations

Entry = tuple[int, str, str, str]

TEXTS: dict[str, list[Entry]] = {
    "en": [
        (
            5,
            "praise",
            "Best cinnamon buns in town",
            "Soft, warm and not too sweet. The barista remembered my order from last week. Will be back!",
        ),
        (
            4,
            "praise",
            "Lovely place to work from",
            "Good wifi, quiet corner tables and a decent flat white. A bit pricey but worth it.",
        ),
        (3, "neutral", "It was fine", "Coffee was okay, nothing special. Seating was limited at lunchtime."),
        (
            3,
            "mixed",
            "Great cake, slow service",
            "The carrot cake was excellent, but we waited 20 minutes for two coffees on a quiet morning.",
        ),
        (
            1,
            "delivery",
            "Birthday cake arrived two days late",
            "Ordered a cake for my daughter's birthday and it arrived two days after the party. "
            "Nobody answered the phone and the tracking link never worked.",
        ),
        (
            1,
            "staff",
            "Rude staff, never again",
            "The guy at the counter rolled his eyes when I asked for oat milk and told me to "
            "'read the menu'. I have never felt so unwelcome in a café.",
        ),
        (
            1,
            "double_charge",
            "Charged twice for one order",
            "My card was charged twice for the same order (#A-2291). Support keeps sending me the same "
            "template answer. I want my money back.",
        ),
        (
            1,
            "food_poisoning",
            "Got sick after the chicken sandwich",
            "Both my partner and I were ill all night after eating the chicken sandwiches on Saturday. "
            "Please check your fridge temperatures before someone ends up in hospital.",
        ),
        (
            1,
            "legal",
            "Expect to hear from my lawyer",
            "You kept my deposit for a catering order you cancelled yourselves. If it is not refunded "
            "within 7 days I will take this to small claims court.",
        ),
        (
            1,
            "data_leak",
            "You leaked my email address",
            "After signing up for your loyalty card I started getting spam addressed to the exact alias "
            "I only gave you. Who did you share my data with? This is a GDPR issue.",
        ),
        (5, "emoji", "☕️🥐😍", "Perfect croissant 🥐 perfect coffee ☕️ perfect Sunday 😍🙌"),
        (
            1,
            "shouting",
            "WORST SERVICE EVER",
            "WAITED 45 MINUTES FOR A SANDWICH AND THEN THEY SAID THEY WERE OUT OF BREAD. UNBELIEVABLE!!!",
        ),
        (
            2,
            "delivery",
            "Beans arrived crushed in a torn bag",
            "The box was soaked and half the coffee beans were on the floor of the van, the driver said.",
        ),
    ],
    "sv": [
        (
            5,
            "praise",
            "Bästa kanelbullarna i stan",
            "Nybakade och saftiga bullar, trevlig personal och mysig stämning. Kommer definitivt tillbaka!",
        ),
        (
            4,
            "praise",
            "Trevligt fika",
            "God kaffe och en riktigt bra kardemummabulle. Lite trångt på helgerna men värt det.",
        ),
        (3, "neutral", "Helt okej", "Kaffet var okej, inget speciellt. Personalen var vänlig men det tog lite tid."),
        (
            3,
            "mixed",
            "God tårta men dyr leverans",
            "Prinsesstårtan var jättegod, men leveransen kostade nästan lika mycket som tårtan.",
        ),
        (
            1,
            "delivery",
            "Leveransen kom aldrig",
            "Beställde kaffebönor för tre veckor sedan och har fortfarande inte fått något. "
            "Ingen svarar på mejl och spårningen står still.",
        ),
        (
            1,
            "staff",
            "Otrevlig personal",
            "Kassören var otrevlig och suckade högt när jag betalade med kort. Så behandlar man inte kunder.",
        ),
        (
            1,
            "double_charge",
            "Dubbeldebiterad!",
            "Jag har blivit dragen två gånger för samma beställning och får ingen återbetalning. "
            "Kundtjänst hänvisar bara till banken.",
        ),
        (
            1,
            "food_poisoning",
            "Matförgiftning efter lunchen",
            "Hela familjen blev magsjuk efter räksmörgåsarna i lördags. Jag har anmält det till kommunen.",
        ),
        (
            1,
            "legal",
            "Jag kontaktar Konsumentverket",
            "Ni vägrar återbetala en avbokad beställning trots att ni själva ställde in den. "
            "Jag går vidare till ARN om jag inte hör av er inom en vecka.",
        ),
        (
            1,
            "data_leak",
            "Mina uppgifter har läckt",
            "Efter att jag registrerade mig i er app fick jag sms från okända företag med mitt namn. "
            "Vem har ni delat mina personuppgifter med?",
        ),
        (5, "emoji", "😍☕️", "Bästa fikat ☕️🍰 personalen är guld värda 💛💙"),
        (1, "shouting", "ALDRIG MER", "VÄNTADE EN TIMME PÅ EN KAFFE OCH FICK FEL BESTÄLLNING. SKÄMS!!!"),
    ],
    "da": [
        (
            5,
            "praise",
            "Fantastisk kanelsnegl",
            "Sprød, lun og med masser af kanel. Personalen var søde og hjælpsomme. Anbefales varmt!",
        ),
        (
            4,
            "praise",
            "Hyggelig café",
            "God kaffe og rart sted at sidde med en bog. Lidt dyrt, men kvaliteten er i orden.",
        ),
        (
            3,
            "neutral",
            "Helt fint",
            "Kaffen var fin, kagen var lidt tør. Ikke noget at klage over, men heller ikke noget særligt.",
        ),
        (
            3,
            "mixed",
            "Gode boller, lang kø",
            "Rundstykkerne er de bedste i kvarteret, men køen om morgenen er alt for lang.",
        ),
        (
            1,
            "delivery",
            "Levering en hel uge forsinket",
            "Min ordre skulle leveres fredag, men kom først ugen efter. Kagen var selvfølgelig ødelagt.",
        ),
        (
            1,
            "staff",
            "Uhøflig ekspedient",
            "Ekspedienten var direkte uhøflig og grinede af min udtale. Jeg kommer ikke igen.",
        ),
        (
            1,
            "double_charge",
            "Trukket to gange",
            "Beløbet er trukket to gange på mit kort, og jeg har ventet tre uger på at få pengene tilbage.",
        ),
        (
            1,
            "food_poisoning",
            "Madforgiftning",
            "Jeg blev syg efter at have spist jeres laksesandwich. Fødevarestyrelsen er kontaktet.",
        ),
        (
            1,
            "legal",
            "Sagen går til Forbrugerklagenævnet",
            "I nægter at refundere et depositum for en aflyst bestilling. Jeg har kontaktet en advokat.",
        ),
        (
            1,
            "data_leak",
            "I har lækket mine oplysninger",
            "Min adresse og telefonnummer dukkede op i en mail til en anden kunde. Det er et brud på GDPR.",
        ),
        (5, "emoji", "🥐❤️", "Bedste morgenmad i byen 🥐☕️ tak for et smil 😊"),
        (
            1,
            "shouting",
            "ELENDIG SERVICE",
            "INGEN SVARER PÅ TELEFONEN OG MIN ORDRE ER FORSVUNDET. JEG VIL HAVE MINE PENGE TILBAGE!!!",
        ),
    ],
    "ru": [
        (
            5,
            "praise",
            "Лучшие булочки с корицей",
            "Очень вкусная выпечка и приятные бариста. Кофе сварен идеально. Обязательно вернёмся!",
        ),
        (
            4,
            "praise",
            "Уютное место",
            "Хорошая кофейня, можно спокойно поработать. Цены немного выше среднего, но качество того стоит.",
        ),
        (3, "neutral", "Нормально", "Кофе обычный, десерт неплохой. Ничего выдающегося, но и претензий нет."),
        (3, "mixed", "Вкусно, но долго", "Торт был отличный, но заказ ждали почти полчаса, хотя в зале было пусто."),
        (
            1,
            "delivery",
            "Доставка опоздала на три дня",
            "Заказывала торт на юбилей мамы, привезли через три дня после праздника. "
            "Дозвониться до поддержки невозможно.",
        ),
        (
            1,
            "staff",
            "Хамство персонала",
            "Кассир нагрубил моей пожилой маме и отказался поменять заказ. Такого отношения не ожидала.",
        ),
        (
            1,
            "double_charge",
            "Списали деньги дважды",
            "С карты дважды списали оплату за один заказ. Прошло две недели, деньги так и не вернули.",
        ),
        (
            1,
            "food_poisoning",
            "Отравление после салата",
            "После вашего салата с курицей у меня и у ребёнка было сильное отравление. Проверьте свежесть продуктов!",
        ),
        (
            1,
            "legal",
            "Обращусь в суд",
            "Вы отказываетесь вернуть предоплату за отменённый вами же заказ. "
            "Если деньги не вернут, подаю претензию и иду в суд.",
        ),
        (
            1,
            "data_leak",
            "Утечка персональных данных",
            "После регистрации в вашей программе лояльности мне начали звонить мошенники и называть меня по имени. "
            "Кому вы передали мои данные?",
        ),
        (5, "emoji", "🔥☕️", "Кофе огонь 🔥 круассаны тают во рту 🥐😋"),
        (1, "shouting", "УЖАСНЫЙ СЕРВИС", "ЗАКАЗ ПОТЕРЯЛИ, ДЕНЬГИ НЕ ВЕРНУЛИ, НА ЗВОНКИ НЕ ОТВЕЧАЮТ!!! НЕ СОВЕТУЮ!!!"),
    ],
    "lv": [
        (
            5,
            "praise",
            "Labākās kanēļmaizītes Rīgā",
            "Svaigas un smaržīgas maizītes, laipni darbinieki. Noteikti atgriezīsimies!",
        ),
        (
            4,
            "praise",
            "Jauka kafejnīca",
            "Garšīga kafija un mierīga vieta, kur pastrādāt. Nedaudz dārgi, bet kvalitāte laba.",
        ),
        (3, "neutral", "Viss normāli", "Kafija bija parasta, kūka laba. Nekā īpaša, bet arī nav par ko sūdzēties."),
        (3, "mixed", "Garšīgi, bet lēni", "Kūka bija lieliska, taču pasūtījumu gaidījām gandrīz pusstundu."),
        (
            1,
            "delivery",
            "Piegāde kavējās par nedēļu",
            "Pasūtīju kafijas pupiņas, bet tās atnāca tikai pēc nedēļas. Neviens neatbildēja uz e-pastiem.",
        ),
        (
            1,
            "staff",
            "Nepieklājīgs personāls",
            "Pārdevēja bija ļoti nelaipna un runāja ar mani pacelta balsī. Vairs nenākšu.",
        ),
        (
            1,
            "double_charge",
            "Nauda noņemta divreiz",
            "No kartes divreiz noņēma naudu par vienu pasūtījumu, un atmaksu joprojām neesmu saņēmusi.",
        ),
        (
            1,
            "food_poisoning",
            "Saindēšanās ar pārtiku",
            "Pēc jūsu sviestmaizes ar vistu visu nakti bija slikti. Lūdzu, pārbaudiet produktu svaigumu!",
        ),
        (
            1,
            "legal",
            "Vērsīšos PTAC",
            "Jūs atsakāties atmaksāt priekšapmaksu par atceltu pasūtījumu. Vēršos Patērētāju tiesību "
            "aizsardzības centrā.",
        ),
        (
            1,
            "data_leak",
            "Mani dati ir nopludināti",
            "Pēc reģistrācijas jūsu lojalitātes programmā man sāka zvanīt svešas firmas. Kam jūs nodevāt manus datus?",
        ),
        (5, "emoji", "🥰☕️", "Vislabākā kafija ☕️ un smaidīgi baristas 🥰👍"),
        (1, "shouting", "BRIESMĪGI", "GAIDĪJU STUNDU UN PASŪTĪJUMS TĀ ARĪ NEATNĀCA. NAUDU ATPAKAĻ!!!"),
    ],
    "tl": [
        (
            5,
            "praise",
            "Sobrang sarap ng ensaymada",
            "Malambot at hindi masyadong matamis. Ang babait ng mga staff. Babalik kami ulit!",
        ),
        (
            4,
            "praise",
            "Maganda ang lugar",
            "Masarap ang kape at tahimik, magandang magtrabaho dito. Medyo mahal pero sulit.",
        ),
        (3, "neutral", "Okay lang", "Okay lang ang kape, walang espesyal. Medyo siksikan tuwing tanghali."),
        (
            3,
            "mixed",
            "Masarap pero matagal",
            "Masarap ang cake pero halos kalahating oras kaming naghintay para sa dalawang kape.",
        ),
        (
            1,
            "delivery",
            "Sobrang late ng delivery",
            "Dalawang araw na late dumating ang cake na inorder ko para sa birthday. Walang sumasagot sa tawag.",
        ),
        (
            1,
            "staff",
            "Bastos ang staff",
            "Sinigawan ako ng cashier dahil lang nagtanong ako tungkol sa presyo. Hindi na ako babalik.",
        ),
        (
            1,
            "double_charge",
            "Dalawang beses akong siningil",
            "Dalawang beses na-charge ang card ko sa iisang order. Hanggang ngayon wala pa ring refund.",
        ),
        (
            1,
            "food_poisoning",
            "Nalason kami sa pagkain",
            "Sumakit ang tiyan naming buong pamilya matapos kumain ng chicken sandwich ninyo. Pakisuri ang pagkain!",
        ),
        (
            1,
            "legal",
            "Magsasampa ako ng reklamo",
            "Ayaw ninyong ibalik ang downpayment kahit kayo ang nag-cancel. Idudulog ko ito sa DTI at sa abogado ko.",
        ),
        (
            1,
            "data_leak",
            "Na-leak ang personal data ko",
            "Pagkatapos kong mag-register sa loyalty app ninyo, may mga scammer nang tumatawag sa akin gamit ang "
            "pangalan ko. Kanino ninyo ibinigay ang data ko?",
        ),
        (5, "emoji", "😋☕️", "Ang sarap ng kape ☕️ at ensaymada 😋💯"),
        (
            1,
            "shouting",
            "PINAKAMASAMANG SERBISYO",
            "ISANG ORAS AKONG NAGHINTAY AT MALI PA ANG ORDER!!! HINDI NA AKO BABALIK!!!",
        ),
    ],
    "de": [
        (5, "praise", "Tolle Zimtschnecken", "Frisch, fluffig und super freundliches Personal. Gerne wieder!"),
        (
            1,
            "double_charge",
            "Doppelt abgebucht",
            "Mir wurde die Bestellung zweimal abgebucht und niemand meldet sich zurück. Sehr ärgerlich.",
        ),
        (3, "mixed", "Lecker, aber teuer", "Der Kuchen war super, die Preise sind allerdings happig."),
    ],
    "fr": [
        (5, "praise", "Un régal", "Les brioches à la cannelle sont délicieuses et l'accueil est chaleureux."),
        (
            1,
            "delivery",
            "Livraison jamais reçue",
            "Commande payée il y a dix jours, toujours rien reçu. Le service client ne répond pas.",
        ),
        (2, "staff", "Accueil froid", "Le serveur était désagréable et nous a fait attendre sans raison."),
    ],
    "pl": [
        (5, "praise", "Pyszne drożdżówki", "Świeże wypieki i bardzo miła obsługa. Polecam!"),
        (
            1,
            "food_poisoning",
            "Zatrucie pokarmowe",
            "Po kanapce z kurczakiem całą noc wymiotowałem. Proszę sprawdzić świeżość produktów.",
        ),
        (2, "delivery", "Spóźniona dostawa", "Tort przyjechał dzień po urodzinach. Bardzo rozczarowujące."),
    ],
    "no": [
        (5, "praise", "Kjempegode kanelboller", "Ferske boller og hyggelig betjening. Anbefales!"),
        (1, "staff", "Frekk betjening", "Den ansatte var frekk og ignorerte oss i ti minutter."),
        (3, "neutral", "Greit nok", "Helt grei kaffe, men ingenting spesielt."),
    ],
    "fi": [
        (5, "praise", "Parhaat korvapuustit", "Tuoreita ja herkullisia, ystävällinen palvelu. Tulemme uudestaan!"),
        (
            1,
            "double_charge",
            "Veloitettiin kahdesti",
            "Kortiltani veloitettiin sama tilaus kahdesti, eikä rahoja ole palautettu.",
        ),
        (3, "mixed", "Hyvää mutta hidasta", "Kakku oli hyvää, mutta jonottaminen kesti ikuisuuden."),
    ],
}

# Owner replies, in the reviewer's language. `{name}` is the reviewer's first name.
REPLIES: dict[str, list[str]] = {
    "en": [
        "Hi {name}, that must have been really frustrating, and we are sorry. Could you email us at "
        "care@acme.example with your order number? We want to put this right.",
        "Thank you for the kind words, {name}! We will pass them on to the team.",
    ],
    "sv": [
        "Hej {name}, vi förstår att det var frustrerande och ber om ursäkt. Mejla oss på care@acme.example "
        "med ditt ordernummer så löser vi det.",
        "Tack för fina ord, {name}! Vi hälsar till bagarna.",
    ],
    "da": [
        "Hej {name}, det lyder virkelig frustrerende, og vi beklager. Skriv til care@acme.example med dit "
        "ordrenummer, så finder vi en løsning.",
        "Tusind tak, {name}! Vi giver rosen videre til holdet.",
    ],
    "ru": [
        "Здравствуйте, {name}! Понимаем, как это неприятно, и приносим извинения. Напишите нам на "
        "care@acme.example с номером заказа — мы всё исправим.",
        "Спасибо за тёплый отзыв, {name}! Передадим команде.",
    ],
    "lv": [
        "Labdien, {name}! Saprotam, cik tas bija nepatīkami, un atvainojamies. Lūdzu, rakstiet uz "
        "care@acme.example ar pasūtījuma numuru, un mēs to atrisināsim.",
        "Paldies par jaukajiem vārdiem, {name}!",
    ],
    "tl": [
        "Hi {name}, pasensya na po sa abala, naiintindihan namin ang inis ninyo. Paki-email po kami sa "
        "care@acme.example kasama ang order number para maayos namin ito.",
        "Maraming salamat po, {name}! Ipaparating namin sa team.",
    ],
    "de": ["Hallo {name}, das tut uns sehr leid. Bitte schreiben Sie uns an care@acme.example."],
    "fr": ["Bonjour {name}, nous sommes désolés. Écrivez-nous à care@acme.example, nous allons régler cela."],
    "pl": ["Dzień dobry {name}, bardzo przepraszamy. Prosimy o kontakt: care@acme.example."],
    "no": ["Hei {name}, det beklager vi virkelig. Send oss en e-post på care@acme.example."],
    "fi": ["Hei {name}, pahoittelemme tapahtunutta. Ota yhteyttä: care@acme.example."],
}

# What a reviewer adds after the business resolved the problem (the rating goes up with it).
UPDATES: dict[str, list[str]] = {
    "en": [
        "Update: the manager called me, apologised and refunded the order. Fair enough, thank you.",
        "Update: they sorted it out within a day. Raising my rating.",
    ],
    "sv": ["Uppdatering: de ringde upp, bad om ursäkt och betalade tillbaka. Bra hanterat."],
    "da": ["Opdatering: de ringede og refunderede hele beløbet. Godt håndteret, tak."],
    "ru": ["Обновление: со мной связался управляющий, извинился и вернул деньги. Спасибо, что решили вопрос."],
    "lv": ["Atjauninājums: vadītājs piezvanīja, atvainojās un atmaksāja naudu. Paldies!"],
    "tl": ["Update: tinawagan ako ng manager at ibinalik ang bayad ko. Salamat sa mabilis na aksyon."],
    "de": ["Nachtrag: Das Geld wurde inzwischen erstattet. Danke für die schnelle Hilfe."],
    "fr": ["Mise à jour : j'ai été remboursé rapidement. Merci."],
    "pl": ["Aktualizacja: pieniądze zostały zwrócone, dziękuję za kontakt."],
    "no": ["Oppdatering: de ringte og ba om unnskyldning. Greit håndtert."],
    "fi": ["Päivitys: rahat palautettiin nopeasti. Kiitos."],
}

# Small second thoughts: an edit that changes the text without a reply.
AFTERTHOUGHTS: dict[str, str] = {
    "en": "Edit: went back a second time and it was just as good.",
    "sv": "Edit: var där igen och det var lika bra.",
    "da": "Edit: var der igen, og det var lige så godt.",
    "ru": "Дополнение: зашли ещё раз — всё так же хорошо.",
    "lv": "Papildinājums: atnācām vēlreiz, un viss bija tikpat labi.",
    "tl": "Edit: bumalik kami ulit at masarap pa rin.",
    "de": "Nachtrag: Beim zweiten Besuch genauso gut.",
    "fr": "Edit : deuxième visite, toujours aussi bien.",
    "pl": "Edycja: byliśmy drugi raz i nadal super.",
    "no": "Edit: var der igjen, like bra.",
    "fi": "Muokkaus: kävimme uudestaan, yhtä hyvää.",
}

NAMES: dict[str, list[str]] = {
    "en": ["Olivia H.", "James W.", "Priya S.", "Tom B.", "Grace O.", "Daniel K."],
    "sv": ["Anna L.", "Erik J.", "Maja S.", "Lars N.", "Elin B.", "Johan P."],
    "da": ["Mette K.", "Søren H.", "Freja M.", "Anders L.", "Ida N."],
    "ru": ["Ольга С.", "Дмитрий К.", "Наталья В.", "Игорь П.", "Мария Л."],
    "lv": ["Līga B.", "Jānis K.", "Ilze O.", "Kārlis V.", "Santa Z."],
    "tl": ["Maria C.", "Jose R.", "Angelica D.", "Paolo M.", "Kristine L."],
    "de": ["Jonas W.", "Lena S."],
    "fr": ["Camille D.", "Hugo M."],
    "pl": ["Kasia W.", "Tomasz N."],
    "no": ["Ingrid H.", "Ola N."],
    "fi": ["Aino K.", "Mikko L."],
}

PLACES: dict[str, list[str]] = {
    "en": ["London, GB", "Dublin, IE", "Manchester, GB"],
    "sv": ["Stockholm, SE", "Uppsala, SE", "Göteborg, SE"],
    "da": ["København, DK", "Aarhus, DK"],
    "ru": ["Рига, LV", "Таллин, EE"],
    "lv": ["Rīga, LV", "Jūrmala, LV"],
    "tl": ["Manila, PH", "Cebu, PH", "Stockholm, SE"],
    "de": ["Berlin, DE"],
    "fr": ["Lyon, FR"],
    "pl": ["Gdańsk, PL"],
    "no": ["Oslo, NO"],
    "fi": ["Helsinki, FI"],
}
