"""Site notices (cookie and consent banners, anti-robot pages) are kept out of the story: a banner
paragraph goes to the boilerplate, an anti-robot page or a page that is only a banner is refused
with its reason, and news that speaks of cookies, privacy, consent or robots stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import Cleaner
from storyline.clean.leftovers import LineKind, classify
from storyline.clean.notices import is_notice, notice_page
from storyline.errors import InputError
from storyline.model import Article, ContentKind, Document

STORY = (
    "The harbour authority reopened the northern quay on Friday after divers cleared the wreck of a "
    "fishing boat that sank there in March, the port's director told reporters. Ferries to the islands "
    "will resume their summer timetable next week, he said, and the fish market will move back to the "
    "quay by the end of the month."
)

BANNERS = [
    # written for this test, in each language's usual wording
    "We and our partners store and access information on your device, such as cookies, to show you "
    "personalised advertising and to measure how the site is used. By clicking Accept you consent to this.",
    "Wir und unsere Partner speichern Informationen auf Ihrem Gerät, etwa Cookies, um Ihnen Werbung zu zeigen. "
    "Mit einem Klick auf Akzeptieren stimmen Sie der Datenverarbeitung zu (siehe Datenschutzerklärung).",
    "Nous utilisons des cookies et nos partenaires traitent vos données pour vous proposer de la publicité. "
    "En cliquant sur Accepter, vous consentez à ce traitement (voir notre politique de confidentialité).",
    "Utilizamos cookies propias y de terceros para mostrarle publicidad. Al hacer clic en Aceptar, usted "
    "acepta nuestra política de privacidad.",
    "Używamy plików cookie, aby wyświetlać reklamy dopasowane do Ciebie. Klikając Akceptuję, wyrażasz zgodę "
    "na przetwarzanie danych osobowych przez nas i naszych partnerów.",
    "Sitemizde çerezler kullanıyoruz. Siteye devam ederek gizlilik politikamızı ve çerez kullanımını kabul "
    "etmiş olursunuz.",
    "Wij gebruiken cookies op onze website om advertenties te tonen. Door op Akkoord te klikken geeft u toestemming.",
    "Мы используем файлы cookie, чтобы показывать вам рекламу. Нажимая «Принять», вы даёте согласие на "
    "обработку персональных данных.",
    "Questo sito utilizza cookie per mostrarti pubblicità. Cliccando accetti la nostra informativa privacy.",
    "Utilizamos cookies para melhorar a sua experiência e mostrar publicidade. Ao clicar em Aceitar, concorda "
    "com a nossa política de privacidade.",
    "نستخدم ملفات تعريف الارتباط على موقعنا لعرض الإعلانات. بالضغط على موافق فإنك توافق على سياسة الخصوصية.",
]

PROBES = [
    line.replace("\\n", "\n")
    for line in (Path(__file__).parent / "data" / "notice_probes.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize("banner", BANNERS)
def test_a_banner_in_any_of_the_languages_is_a_notice_and_boilerplate(banner: str) -> None:
    assert is_notice(banner)
    assert classify(banner) is LineKind.BOILERPLATE


@pytest.mark.parametrize(
    "story",
    [
        STORY,
        # a story scraped as one paragraph, with a banner's sentences glued in: the share keeps it
        "Officials said the bridge would stay closed. This website uses cookies to show you advertising and to "
        "measure your visits. " + STORY + " " + STORY,
        # a company's words, quoted, or reported without quotes
        '"We use cookies to keep ads relevant. We will never sell your personal data," a spokeswoman said.',
    ],
)
def test_story_paragraphs_that_speak_of_cookies_or_privacy_stay(story: str) -> None:
    assert not is_notice(story)
    assert classify(story) is LineKind.BODY


def test_the_site_s_words_reported_without_quotes_are_not_its_voice() -> None:
    # (a short line opening with "We use cookies" is boilerplate by an older rule all the same)
    assert not is_notice("We use cookies to show relevant advertising and we respect privacy, Google argues.")
    assert is_notice("We use cookies to show relevant advertising and we respect your privacy.")


def test_news_about_cookies_privacy_and_robots_is_neither_a_notice_nor_refused(cleaner: Cleaner) -> None:
    assert len(PROBES) >= 80
    flagged = [p for p in PROBES for paragraph in p.split("\n") if is_notice(paragraph)]
    assert flagged == []
    assert [p for p in PROBES if notice_page(p.split("\n"))] == []
    briefs = [Article(p + "\n\n" + STORY, ContentKind.SCRAPED_TEXT, f"probe {i}", f"probe {i}") for i, p in
              enumerate(PROBES)]  # fmt: skip
    results = cleaner.clean_many(briefs)
    assert [str(r) for r in results if isinstance(r, InputError)] == []
    assert [r.boilerplate for r in results if isinstance(r, Document) and r.boilerplate] == []


def test_an_anti_robot_page_is_read_whole() -> None:
    page = [
        "Sorry, we have detected unusual traffic from your IP address.",
        "To continue, please confirm that you are not a robot.",
        "Your IP address: 203.0.113.7",
    ]
    # the second line alone is in the site's voice and names the robot check, one notion only
    assert not any(is_notice(line) for line in page)
    assert notice_page(page)
    assert not notice_page([*page, STORY * 3])  # a long text is an article with a notice in it
    # a story about the check, with no reader's address, is a story
    assert not notice_page(["The familiar 'I am not a robot' box will vanish, Google said.", STORY])


def test_the_cleaner_refuses_a_notice_page_and_moves_a_banner(cleaner: Cleaner) -> None:
    robot = "Sorry, we have detected unusual traffic from your IP address.\n\nPlease confirm you are not a robot."
    consent_only = "Harbour reopens\n\n" + BANNERS[1]
    with_banner = "Harbour reopens\n\n" + BANNERS[0] + "\n\n" + STORY
    results = cleaner.clean_many(
        [Article(text, ContentKind.SCRAPED_TEXT, name, name) for name, text in
         (("robot", robot), ("consent", consent_only), ("story", with_banner))]
    )  # fmt: skip
    refused = [r for r in results if isinstance(r, InputError)]
    assert [(r.origin, r.code) for r in refused] == [("robot", "no-text"), ("consent", "no-text")]
    assert all("a site's notice" in str(r) for r in refused)
    (stored,) = [r for r in results if isinstance(r, Document)]
    assert stored.text == STORY and stored.boilerplate == (BANNERS[0],)
