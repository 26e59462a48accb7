"""Site notices scraped as if they were the story: consent banners, cookie and privacy notices, and
the pages a site serves a scraper instead of the article (an anti-robot check).

A notice is the site speaking of itself and its reader's data. Read sentence by sentence, a
paragraph is a notice when:

- some of its sentences are in the site's voice (:data:`VOICE`: "we use cookies", "this site
  uses cookies", "we and our partners store", "sammeln wir"), speak to the reader or of the site
  itself (:data:`READER`: "you", "Ihnen", "vos", "on our website"), are not opened by a
  quotation and hold no word of reported speech (:data:`SPEECH`);
- those sentences name the site's machinery (:data:`ANCHOR`: cookies, the website, a button to
  click, a robot check);
- they and the sentences that name the machinery and a notion ("This includes cookies from
  third-party ad networks", not reported speech) name at least :data:`NOTICE_NOTIONS` of a
  notice's notions (:data:`NOTIONS`: cookies, the reader's IP address
  or browser, privacy, personal data and its processing, advertising, consent, a robot check) and
  make up :data:`NOTICE_SHARE` of the paragraph, so that a story scraped as one paragraph with a
  banner's sentence glued in stays.

"Your browser", "by clicking", "your consent" and "I am not a robot" are not the site's voice on
their own: consumer advice, crime reports and stories about captchas say them. Every notice also
names cookies, privacy or data protection, or a robot check (:data:`_GATE`): a paragraph without
any of those words is let go after a few substring tests, as nearly every story paragraph is.

The words cover English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian,
Turkish and Arabic, written from how such notices are worded; docs/formats.md says on which texts
they were checked.

- :func:`is_notice`: a paragraph that is a notice, whatever its length (banners run to a thousand
  characters), goes to the boilerplate.
- :func:`notice_page`: a short page that tells its reader of unusual traffic from their own IP
  address and asks them to show they are not a robot (an anti-robot page, whose lines say one
  each) is not an article: the cleaner refuses it, saying so. So is a page left with no text once
  its notice paragraphs are out (a consent wall served instead of the article).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyline.clean.patterns import LinePattern

_I = re.IGNORECASE

#: Cookies, in the languages read here: a notion and the site's machinery both.
_COOKIES = r"cookie|ciastecz|çerez|куки|كوكيز|ملفات تعريف الارتباط"
#: A robot check: a notion and the site's machinery both.
_ROBOT = r"\brobots?\b|\broboter\b|\brobotem\b|captcha|\bне робот"

#: What a notice speaks of, one pattern per notion (each counted once).
NOTIONS: tuple[LinePattern, ...] = tuple(
    LinePattern(p, _I)
    for p in (
        _COOKIES,  # cookies and trackers
        # the reader's address or browser
        r"\bip\b|\bip-adress|browser|navigateur|navegador|przeglądar|tarayıcı|браузер|متصفح",
        # privacy and data protection
        r"privacy|datenschutz|prywatnoś|confidentialité|privacidad|riservatezza|gizlilik|privacidade"
        r"|конфиденциальн|الخصوصية|\brodo\b|\bgdpr\b|\bdsgvo\b|\brgpd\b|\bkvkk\b",
        # personal data and its processing
        r"personal data|persönliche[nr]? (?:daten|informationen)|personenbezogen|données personnelles"
        r"|datos personales|dati personali|dados pessoais|persoonsgegevens|danych osobowych|dane osobowe"
        r"|przetwarzani\w* danych|kişisel veri|персональн\w* данн|البيانات الشخصية|datenverarbeitung"
        r"|data processing|traitement des données|tratamiento de datos|informacje techniczne|analysetechnik",
        # advertising
        r"advertis|\bads\b|\bad networks?\b|werbung|werbenetzwerk|reklam|publicité|publicidad|pubblicità"
        r"|publicidade|advertentie|реклам|إعلانات",
        # consent
        r"\bconsent|einwilligung|zgod[ęy] na|consentement|consentimiento|consentimento|toestemming"
        r"|açık rıza|согласие на обработку|الموافقة على",
        _ROBOT,
    )
)

#: The site's machinery, which the voiced sentences must name: cookies, the website, a button to
#: click, a robot check.
ANCHOR = LinePattern(
    _COOKIES + "|" + _ROBOT + r"|website|webseite|\bweb ?site|\b(?:this|our) site\b|site web|sitio web|sito web"
    r"|witryn|stron\w* internetow|internetauftritt|\bсайт|الموقع الإلكتروني|موقعنا الإلكتروني|\bsitemiz|\bsiteye"
    r"|\bclick|\bklick|\bklik"
    r"|\bcliqu|\bclic\b|\bclicar\b|hacer clic|cliccando|\bklikaj|\bklikając|tıkla|\bнажим|بالضغط على",
    _I,
)

#: The site speaking of itself and its reader's data, in the words a banner opens with and a story
#: does not use of itself: "we use cookies", "this site uses cookies", "we and our partners store",
#: "sammeln wir", "zbieramy informacje". Not "your browser" or "by clicking" alone: consumer advice
#: and crime reports say those of their readers and victims.
VOICE = LinePattern(
    r"\bwe (?:use|collect|store|process) (?:cookies|data|information|anonymous)\b"
    r"|\bwe and our (?:\w+ )?partners (?:use|store|process|collect|access)\b"
    r"|\b(?:this|our) (?:web ?)?site uses (?:cookies|technologies)\b|\bcookies must be enabled\b"
    r"|\bwir und unsere partner (?:speichern|verwenden|nutzen|verarbeiten)\b"
    r"|\bnous et nos partenaires (?:utilisons|stockons|traitons)\b"
    r"|\bwir (?:verwenden|nutzen|setzen) (?:auf unserer (?:website|webseite) )?cookies\b"
    r"|\bauf unserer (?:website|webseite) werden cookies\b|\bsammeln wir (?:technische|anonym|daten|informationen)"
    r"|\bnous utilisons (?:des )?(?:cookies|traceurs)\b|\b(?:utilizamos|usamos) (?:cookies|galletas)\b"
    r"|\butilizziamo (?:i )?cookie\b|\bquesto sito (?:web )?utilizza (?:i )?cookie\b|\b(?:wij|we) gebruiken cookies\b"
    r"|\bużywamy (?:plików )?cookie|\bzbieramy (?:anonimowe )?(?:informacje|dane)\b"
    r"|\bçerez(?:ler)?(?:i)? kullan(?:ıyoruz|maktayız)\b|\bмы используем (?:файлы )?(?:cookie|куки)"
    r"|نستخدم ملفات تعريف الارتباط",
    _I,
)
#: ...and a voiced sentence speaks to its reader or of its own site ("you", "Ihnen", "vos données",
#: "on our website", "sitemizde"), as a banner does and a newsroom's "we use data from ..." does not.
READER = LinePattern(
    r"\byou\b|\byour\b|\b(?:our|this) (?:web ?)?site\b|\bsie\b|\bihnen\b|\bihre[mnrs]?\b|\bunserer (?:website|webseite)"
    r"|\bvous\b|\bvotre\b|\bvos\b|\bnotre site\b|\busted\b|\bmostrarle\b|\bofrecerle\b|\btu navegador\b"
    r"|\bnuestr[oa] (?:sitio|web|página)\b|\bil tuo\b|\bla tua\b|\bquesto sito\b|\bvocê\b|\bsua experiência\b"
    r"|\bo seu\b|\bnosso site\b|\buw\b|\bonze website\b|\bdeze website\b|\bciebie\b|\bcię\b|\btwoj\w*|\btwój\b"
    r"|\bo państwie\b|\bpaństwu\b|\bswoją witrynę\b|\bnaszej (?:stronie|witrynie)\b|\bnaszych stron|\bsitemiz"
    r"|\bвам\b|\bваш\w*|\bнашем сайте\b|موقعنا|تجربتك|متصفحك",
    _I,
)

#: Words that report what someone said: a sentence holding one is a story's, whatever it quotes
#: ("We use cookies for advertising, Google argues"). So is one whose voice a quotation opens.
SPEECH = LinePattern(
    r"\b(?:said|says|say|told|tells|wrote|writes|added|adds|stated|states|argued|argues|claimed|claims"
    r"|explained|explains|noted|notes|boasted|boasts|joked|reads|according to|statement|spokes\w+"
    r"|sagte|sagt|sagten|erklärte|erklärt|schreibt|schrieb|betonte|urteilte|kritisier\w+|so ein\w*|laut"
    r"|a déclaré|a dit|affirme|explique|selon|dijo|afirmó|explicó|según|disse|afirmou|ha detto|ha spiegato"
    r"|secondo|zei|aldus|powiedział\w*|mówi|stwierdził\w*|czytamy|dedi|açıkladı|konuştu"
    r"|заявил\w*|сказал\w*|отметил\w*|сообщил\w*)\b|قال|وأوضح|أوضح|صرح",
    _I,
)
_QUOTES = frozenset('"“”„«»‹›‘')
_SINGLE_OPENING = re.compile(r"(?:^|\s)'\w")

#: Every notice names one of these (cookies, privacy or data protection, a robot check):
#: a paragraph without any is let go after a few substring tests, as nearly every story paragraph is.
_GATE = (
    "cookie", "ciastecz", "çerez", "куки", "كوكيز", "ملفات تعريف", "robot", "captcha", "privacy", "datenschutz",
    "prywatnoś", "confidentialité", "privacidad", "riservatezza", "gizlilik", "privacidade", "конфиденциальн",
    "الخصوصية", "gdpr", "dsgvo", "rgpd", "kvkk",
)  # fmt: skip

#: Notions the voiced sentences, with those naming the machinery and a notion, must name.
NOTICE_NOTIONS = 2
#: ...and the share of the paragraph's characters they must make up. Set by hand: the banners seen
#: are nearly all such sentences; a story quoting a company, or scraped as one paragraph with a
#: banner's sentence glued in, has a few percent.
NOTICE_SHARE = 0.5
#: Where a paragraph's sentences end: a stop (and any closing quote or bracket) before a space, a
#: line break (a page read whole), or a stop glued to the next sentence's capital ("...Sie.Details",
#: "połączeń.Zauważmy").
_SENTENCE_END = re.compile(
    r"\n+|(?<=[.!?])\s+|(?<=[.!?][\"'”’“»«›)\]])\s+"
    r"|(?<=[a-zà-ÿąćęłńóśźżа-яё][.!?])(?=[A-ZÀ-ÞĄĆĘŁŃÓŚŹŻА-ЯЁ])"
)
#: A page whose remaining text is at most this long is read whole for a notice (an anti-robot
#: page of four short lines); a longer text is an article that has a notice in it somewhere.
NOTICE_PAGE_CHARS = 1000


def _quoted_before(sentence: str, at: int) -> bool:
    """Whether a quotation opens before ``at``: a quotation mark, or a single quote that opens a
    word ("the familiar 'I am ..." but not "Google's")."""
    head = sentence[:at]
    return any(c in _QUOTES for c in head) or _SINGLE_OPENING.search(head) is not None


def _voiced(sentence: str) -> bool:
    """A sentence in the site's voice: a :data:`VOICE` phrase that no quotation opens before (a
    button's label may be quoted after it), speaking to its reader or of its own site
    (:data:`READER`), with no word of reported speech."""
    found = VOICE.pattern.search(sentence)
    if found is None or _quoted_before(sentence, found.start()) or not READER.search(sentence):
        return False
    return not SPEECH.search(sentence)


def _about(sentence: str) -> bool:
    """A sentence that names the site's machinery and a notion ("This includes cookies from
    third-party ad networks"), not reported speech."""
    return bool(ANCHOR.search(sentence)) and any(p.search(sentence) for p in NOTIONS) and not SPEECH.search(sentence)


def is_notice(line: str, low: str | None = None) -> bool:
    """Whether a paragraph is a site's notice to its reader (see the module's docstring); ``low``:
    the paragraph lower-cased, when the caller has it. The share counts the sentences in the
    site's voice and those that name its machinery and a notion ("This includes cookies from
    third parties")."""
    text = low if low is not None else line.lower()
    for word in _GATE:  # (a loop costs less than any() over a generator)
        if word in text:
            break
    else:
        return False
    sentences = [s for s in _SENTENCE_END.split(line) if s.strip()]
    voiced = [_voiced(s) for s in sentences]
    if not any(voiced) or not ANCHOR.search(" ".join(s for s, v in zip(sentences, voiced, strict=True) if v)):
        return False
    # (a banner's other sentences too)
    about = [s for s, v in zip(sentences, voiced, strict=True) if v or _about(s)]
    spoken = " ".join(about)
    notions = sum(1 for pattern in NOTIONS if pattern.search(spoken))
    if notions < NOTICE_NOTIONS:
        return False
    return sum(len(s) for s in about) >= NOTICE_SHARE * sum(len(s) for s in sentences)


#: What an anti-robot page asks of its reader, quoted or not ("zaznacz „NIE JESTEM ROBOTEM”").
ROBOT_CHECK = LinePattern(
    r"\b(?:i am|i'm|you are|you're) not a robot\b|\bich bin kein roboter\b|\bje ne suis pas un robot\b"
    r"|\bno soy un robot\b|\bnon sono un robot\b|\bn[ãa]o sou um rob[ôo]\b|\bik ben geen robot\b"
    r"|\bnie jestem robotem\b|\brobot değilim\b|\bя не робот\b|لست روبوت",
    _I,
)
#: ...the reader's own address ("your IP address", "z adresu IP, z którego się łączysz")...
YOUR_ADDRESS = LinePattern(
    r"\byour ip\b|\bihre[rn]? ip-adresse|\bvotre adresse ip\b|\b(?:su|tu) dirección ip\b|\bil tuo indirizzo ip\b"
    r"|\bo seu endereço ip\b|\buw ip-adres\b|\btwój adres ip\b|\bz którego (?:się łączysz|się łączy)\b"
    r"|\bваш ip|\bip adresiniz|عنوان ip الخاص بك",
    _I,
)
#: ...and the traffic that raised the check ("unusual traffic", "ogromną liczbę połączeń").
TRAFFIC = LinePattern(
    r"\bunusual traffic\b|\btoo many requests\b|\bautomated (?:queries|requests)\b|\bungewöhnlich\w* "
    r"(?:datenverkehr|anfragen)|\btrafic inhabituel\b|\btráfico inusual\b|\btraffico insolito\b"
    r"|\btráfego incomum\b|\bongebruikelijk verkeer\b|\b(?:ogromną|dużą) (?:ilość|liczbę) połączeń\b"
    r"|\bнеобычный трафик\b|\bolağandışı trafik\b|حركة مرور غير عادية",
    _I,
)


def notice_page(lines: Sequence[str]) -> bool:
    """Whether short remaining text, read whole, is an anti-robot page rather than an article: it
    tells its reader of unusual traffic from their own IP address and asks them to show they are
    not a robot, and reports nobody's words. (A consent wall served instead of the article is a
    notice paragraph and nothing else: the cleaner refuses it when the paragraph is taken out and
    no text is left.)"""
    text = "\n".join(lines)
    if not 0 < len(text) <= NOTICE_PAGE_CHARS or SPEECH.search(text):
        return False
    return all(pattern.search(text) for pattern in (ROBOT_CHECK, YOUR_ADDRESS, TRAFFIC))
