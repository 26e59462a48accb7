"""The web UI in a real browser: headless Chromium (Debian's ``chromium`` and ``chromium-driver``)
driven by Selenium against a real uvicorn server over a store of the sample corpus. Every view is
opened, the main paths are clicked through, the keyboard is used, and a screenshot of each view is
saved to ``$STORYLINE_SCREENSHOTS`` (default ``benchmarks/out/screenshots/``).

The whole module skips when ``/usr/bin/chromium`` or ``/usr/bin/chromedriver`` is missing
(``make browser`` installs them)."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import uvicorn
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from storyline.config import ServerConfig
from storyline.server.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "ui-test-token-42"

pytestmark = [
    pytest.mark.skipif(
        not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
        reason="the browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium and "
        "/usr/bin/chromedriver); install them with `make browser`",
    ),
    pytest.mark.timeout(300),
]


def _screenshots() -> Path:
    folder = Path(os.environ.get("STORYLINE_SCREENSHOTS") or ROOT / "benchmarks" / "out" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """uvicorn serving the app in a background thread on a free port."""

    def __init__(self, db: Path, config: ServerConfig) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        app = create_app(db, config)
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, name="ui-test-server", daemon=True)

    def __enter__(self) -> _Server:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


@pytest.fixture(scope="module")
def store(analyzed_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("ui") / "corpus.db"
    shutil.copy(analyzed_corpus, copy)
    return copy


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with _Server(store, ServerConfig()) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    profile = tempfile.mkdtemp(prefix="storyline-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver: WebDriver, condition: Callable[[WebDriver], Any], what: str, timeout: float = 30) -> Any:
    """Wait until ``condition`` holds; an element the page re-rendered between finding it and reading
    it (stale) is asked for again at the next poll, not a failure."""
    try:
        wait = WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,))
        return wait.until(condition)
    except TimeoutException:
        errors = driver.find_elements(By.CSS_SELECTOR, ".error")
        shown = "; ".join(e.text for e in errors) or driver.find_element(By.ID, "view").text[:500]
        raise AssertionError(f"timed out waiting for {what}; the page shows: {shown}") from None


def _all(driver: WebDriver, css: str) -> Callable[[WebDriver], list[WebElement] | bool]:
    def found(d: WebDriver) -> list[WebElement] | bool:
        return d.find_elements(By.CSS_SELECTOR, css) or False

    return found


def _open(driver: WebDriver, url: str, css: str, what: str) -> list[WebElement]:
    driver.get(url)
    result: list[WebElement] = _wait(driver, _all(driver, css), what)
    return result


def _shot(driver: WebDriver, name: str) -> None:
    driver.execute_script("window.scrollTo(0, 0)")
    path = _screenshots() / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"could not save {path}"


def _script_errors(driver: WebDriver) -> list[str]:
    """Errors the page's scripts raised (failed requests, which the UI reports itself, are not)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]
    ]


def _hash(driver: WebDriver) -> str:
    return str(driver.execute_script("return location.hash"))


def test_timeline_is_the_first_view(browser: WebDriver, server: str) -> None:
    browser.get(server)
    markers = _wait(browser, _all(browser, "#timeline-chart .mk"), "the timeline markers")
    rendered = browser.execute_script("return document.body.dataset.renderedMs")
    assert rendered is not None
    print(f"\nfirst view (timeline) rendered {float(rendered):.0f} ms after navigation start, {len(markers)} markers")
    lanes = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#timeline-chart .tl-label")]
    assert any("India – Russia" in lane for lane in lanes), lanes
    assert any("No storyline" in lane for lane in lanes)
    statuses = {m.get_attribute("data-status") for m in markers}
    assert {"occurred", "planned", "referenced"} <= statuses
    # planned and held markers differ in shape or fill, not only in colour
    styles = browser.execute_script(
        "const get = (s) => document.querySelector('#timeline-chart .mk[data-status=' + s + ']');"
        "return ['occurred', 'planned', 'referenced'].map((s) => {"
        "  const c = getComputedStyle(get(s)); return [c.backgroundColor, c.transform, c.borderStyle].join('|'); });"
    )
    assert len(set(styles)) == 3, styles
    assert "planned" in browser.find_element(By.CSS_SELECTOR, ".legend").text
    assert browser.find_element(By.CSS_SELECTOR, '[data-route="timeline"]').get_attribute("aria-current") == "page"
    _shot(browser, "timeline")
    assert not _script_errors(browser)


def test_timeline_filters(browser: WebDriver, server: str) -> None:
    url = server + "#/timeline?entity=" + quote("Narendra Modi") + "&entity=" + quote("Vladimir Putin")
    url += "&from=2018&to=2018"
    markers = _open(browser, url, "#timeline-chart .mk", "the filtered timeline")
    for m in markers:
        assert m.get_attribute("data-date").startswith("2018"), m.get_attribute("aria-label")
    everything = browser.execute_script("return fetch('/api/timeline?limit=1').then((r) => r.json())")
    assert len(markers) < everything["total"]
    assert "Narendra Modi" in browser.find_element(By.ID, "timeline-summary").text
    # the form round-trips its values
    entity = browser.find_element(By.CSS_SELECTOR, "form.filters input[name=entity]")
    assert entity.get_attribute("value") == "Narendra Modi; Vladimir Putin"
    entity.clear()
    entity.send_keys("Nobody Atall", Keys.ENTER)
    # a name that stands for no entity is said to be unknown, not shown as an empty timeline
    _wait(browser, lambda d: "no entity 'Nobody Atall'" in d.find_element(By.ID, "view").text, "not found")


def test_timeline_filters_for_doubt_and_kind_and_the_download(browser: WebDriver, server: str) -> None:
    """The analyst's "which meetings were only planned?": the status filter of the form, its
    answer the API's, and a download of exactly what is shown."""
    _open(browser, server + "#/timeline", "#timeline-chart .mk", "the timeline")
    form = browser.find_element(By.CSS_SELECTOR, "form.filters")
    Select(form.find_element(By.NAME, "status")).select_by_value("planned")
    form.find_element(By.NAME, "min_sources").send_keys("1")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, lambda d: "status=planned" in d.current_url, "the filtered address")
    markers = _open(browser, browser.current_url, "#timeline-chart .mk", "the planned happenings")
    assert markers and {m.get_attribute("data-status") for m in markers} == {"planned"}
    expected = browser.execute_script(
        "return fetch('/api/timeline?status=planned&min_sources=1&limit=500').then((r) => r.json())"
    )
    assert len(markers) == expected["total"] > 0
    link = browser.find_element(By.ID, "timeline-download")
    assert "status=planned" in link.get_attribute("href") and link.get_attribute("download") == "timeline.json"
    downloaded = browser.execute_script(
        "return fetch(document.getElementById('timeline-download').href).then((r) => r.json())"
    )
    assert [e["event_id"] for e in downloaded] == [e["event_id"] for e in expected["items"]]
    assert Select(browser.find_element(By.NAME, "status")).first_selected_option.text == "planned"
    _shot(browser, "timeline-planned")
    assert not _script_errors(browser)


def test_a_storyline_by_its_label_in_the_address(browser: WebDriver, server: str) -> None:
    """`#/timeline?storyline=india-russia` shows the India – Russia storyline, as its id does."""
    by_label = _open(browser, server + "#/timeline?storyline=india-russia", "#timeline-chart .mk", "the storyline")
    labelled = sorted(m.get_attribute("href") for m in by_label)
    story = browser.execute_script("return fetch('/api/storylines/india-russia').then((r) => r.json())")
    assert story["label"] == "India – Russia"
    by_id = _open(browser, server + "#/timeline?storyline=" + story["id"], "#timeline-chart .mk", "the same, by id")
    assert sorted(m.get_attribute("href") for m in by_id) == labelled and len(labelled) > 10
    _open(browser, server + "#/timeline?storyline=atlantis", "#view", "an unknown storyline")
    _wait(browser, lambda d: "no storyline 'atlantis'" in d.find_element(By.ID, "view").text, "not found")


def test_timeline_to_event_to_article(browser: WebDriver, server: str) -> None:
    browser.get(server + "#/timeline?from=2018-05&to=2018-05")
    markers = _wait(browser, _all(browser, "#timeline-chart .mk"), "the timeline markers")
    both = [
        m
        for m in markers
        if "Narendra Modi" in (m.get_attribute("aria-label") or "")
        and "Vladimir Putin" in (m.get_attribute("aria-label") or "")
        and m.get_attribute("data-status") == "occurred"
    ]
    # the Sochi summit itself (a meeting or visit) rather than what was said there, where there is one
    meeting = next(
        (m for m in both if any(w in (m.get_attribute("aria-label") or "") for w in ("visit", "meeting"))), both[0]
    )
    meeting.click()
    sources = _wait(browser, _all(browser, "#view ul.plain li a[href^='#/doc/']"), "the happening's sources")
    assert _hash(browser).startswith("#/event/C")
    page = browser.find_element(By.ID, "view").text
    assert "Vladimir Putin" in page and "Narendra Modi" in page
    assert browser.find_elements(By.CSS_SELECTOR, "blockquote.evidence")
    _shot(browser, "event")

    sources[0].click()
    _wait(browser, _all(browser, "#doc-text .hl.ent"), "the article's highlights")
    assert _hash(browser).startswith("#/doc/")
    titles = {e.get_attribute("title") for e in browser.find_elements(By.CSS_SELECTOR, "#doc-text .hl.ent")}
    joined = "\n".join(t or "" for t in titles)
    assert "entity: Narendra Modi" in joined and "entity: Vladimir Putin" in joined, joined
    for kind in ("place", "time", "trig"):
        assert browser.find_elements(By.CSS_SELECTOR, f"#doc-text .hl.{kind}"), kind
    # the highlighted text is the article's text, whole and unchanged
    shown = browser.execute_script("return document.getElementById('doc-text').textContent")
    doc_id = _hash(browser).split("/")[-1]
    text = browser.execute_script(f"return fetch('/api/documents/{doc_id}').then((r) => r.json()).then((d) => d.text)")
    assert shown == text
    events = browser.find_elements(By.CSS_SELECTOR, "aside a[href^='#/event/']")
    assert events, "the article lists its events with their happenings"
    _shot(browser, "article")
    assert not _script_errors(browser)


def test_article_escapes_html(browser: WebDriver, analyzed_corpus: Path, tmp_path: Path) -> None:
    # a document whose title and text hold markup is shown as text, never run as HTML
    import storyline

    copy = tmp_path / "markup.db"
    shutil.copy(analyzed_corpus, copy)
    with storyline.open(copy) as sl:
        report = sl.analyze(sources=[_source_with_markup()])
    doc_id = report.stored_ids[0]
    with _Server(copy, ServerConfig()) as own:
        _open(browser, own.url + f"#/doc/{doc_id}", "#doc-text .hl", "the article")
        assert browser.execute_script("return window.__pwned === undefined")
        assert "<img" in browser.find_element(By.ID, "doc-text").text
        assert "<b>bold</b>" in browser.find_element(By.TAG_NAME, "h1").text
        assert not browser.find_elements(By.CSS_SELECTOR, "#view img, #view b, #view script")


def _source_with_markup() -> Any:
    from storyline.ingest.sources import Source

    line = (
        '{"id": "markup-test", "title": "Putin <b>bold</b> <img src=x onerror=\\"window.__pwned=1\\">", '
        '"published": "2019-01-02", "text": "Vladimir Putin met Narendra Modi in Moscow on Tuesday. '
        '<img src=x onerror=\\"window.__pwned=1\\"> The talks & the <script>window.__pwned=2</script> dinner."}'
    )
    return Source("markup.jsonl", data=line.encode("utf-8"))


def test_map(browser: WebDriver, server: str) -> None:
    points = _open(browser, server + "#/map", "#map .mpoint circle", "the map's happenings")
    countries = browser.find_elements(By.CSS_SELECTOR, "#map path.country")
    assert len(countries) > 150
    assert browser.find_elements(By.CSS_SELECTOR, "#map circle.mention")
    assert browser.find_elements(By.CSS_SELECTOR, "#map circle.plan"), "planned happenings are drawn as rings"
    assert len(points) >= 5
    # the largest point is drawn first; select it by its button in the list and by clicking
    browser.find_element(By.CSS_SELECTOR, "#view aside li button").click()
    links = _wait(browser, _all(browser, "#map-events a[href^='#/event/']"), "the place's happenings")
    assert links
    _shot(browser, "map")
    largest = browser.find_element(By.CSS_SELECTOR, "#map .mpoint")
    name = largest.get_attribute("aria-label")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", largest)
    _wait(browser, lambda d: d.find_element(By.ID, "map-place").text.split(" (")[0] in (name or ""), "the panel")
    browser.find_element(By.CSS_SELECTOR, "#map-events a").click()
    _wait(browser, _all(browser, "blockquote.evidence"), "the happening")
    assert not _script_errors(browser)


def test_graph(browser: WebDriver, server: str) -> None:
    browser.get(server + "#/graph?entity=" + quote("Narendra Modi"))
    _wait(browser, _all(browser, "#graph .gnode, #graph .error"), "the graph or its error")
    errors = browser.find_elements(By.CSS_SELECTOR, "#graph .error")
    assert not errors, errors[0].text
    nodes = browser.find_elements(By.CSS_SELECTOR, "#graph .gnode")
    assert len(nodes) >= 3
    pairs = {
        frozenset((e.get_attribute("data-source"), e.get_attribute("data-target")))
        for e in browser.find_elements(By.CSS_SELECTOR, "#graph line.gedge")
    }
    assert frozenset(("Narendra Modi", "Vladimir Putin")) in pairs, pairs
    centre = browser.find_element(By.CSS_SELECTOR, "#graph .gnode.center")
    assert centre.get_attribute("data-name") == "Narendra Modi"
    assert (
        browser.find_element(By.ID, "graph-docs")
        .get_attribute("href")
        .endswith("#/search?entity=" + quote("Narendra Modi").replace("%20", "+"))
    )
    _shot(browser, "graph")
    putin = browser.find_element(By.CSS_SELECTOR, "#graph .gnode[data-name='Vladimir Putin']")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", putin)
    _wait(
        browser,
        lambda d: (
            [e.get_attribute("data-name") for e in d.find_elements(By.CSS_SELECTOR, "#graph .gnode.center")]
            == ["Vladimir Putin"]
        ),
        "the graph re-centred on Putin",
    )
    assert not _script_errors(browser)


def _sochi_documents(browser: WebDriver) -> list[str]:
    found = browser.execute_script("return fetch('/api/search?q=Sochi&limit=5').then((r) => r.json())")
    return [item["id"] for item in found["items"]]


def test_compare(browser: WebDriver, server: str) -> None:
    browser.get(server + "#/compare")
    _wait(browser, _all(browser, "#pick-a"), "the pickers")
    a, b = _sochi_documents(browser)[:2]
    # the first by words, the second by id
    browser.find_element(By.ID, "pick-a").send_keys("informal summit Sochi", Keys.ENTER)
    choice = _wait(browser, _all(browser, ".picker li button"), "the picker's matches")
    choice[0].click()
    _wait(browser, lambda d: "Chosen" in d.find_element(By.ID, "chosen-a").text, "the first article chosen")
    browser.find_element(By.ID, "pick-b").send_keys(b[:10], Keys.ENTER)
    _wait(browser, lambda d: "Chosen" in d.find_element(By.ID, "chosen-b").text, "the second article chosen")
    browser.find_element(By.ID, "compare-go").click()
    verdict = _wait(browser, _all(browser, "#verdict"), "the verdict")[0]
    assert verdict.text in {"duplicate", "same event", "same storyline, different event", "related", "unrelated"}
    assert len(browser.find_elements(By.CSS_SELECTOR, "#compare-result .bar")) == 7
    assert browser.find_elements(By.CSS_SELECTOR, "#reasons li")
    assert _hash(browser).startswith("#/compare?a=")

    _open(browser, server + f"#/compare?a={a}&b={b}", "#verdict", "the verdict")
    assert browser.find_element(By.ID, "verdict").text
    _shot(browser, "compare")
    assert not _script_errors(browser)


def test_search(browser: WebDriver, server: str) -> None:
    results = _open(browser, server + "#/search?q=Sochi", "#search-results li.result", "the search results")
    marks = browser.find_elements(By.CSS_SELECTOR, "#search-results mark")
    # the place's own name, and its names in other languages (the German report's "Sotschi")
    marked = {m.text.lower() for m in marks}
    assert "sochi" in marked and marked <= {"sochi", "sotschi"}, [m.text for m in marks]
    assert not browser.find_elements(By.XPATH, "//*[@id='search-results']//*[contains(text(), '[Sochi]')]")
    assert "match" in browser.find_element(By.ID, "search-summary").text
    _shot(browser, "search")
    results[0].find_element(By.CSS_SELECTOR, "h3 a").click()
    _wait(browser, _all(browser, "#doc-text"), "the article")
    # filters: a language narrows the results, and paging moves on
    browser.get(server + "#/search?language=de")
    _wait(browser, lambda d: "1 document" in d.find_element(By.ID, "search-summary").text, "one German document")
    browser.get(server + "#/search")
    _wait(browser, _all(browser, "#search-results li.result"), "all documents")
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    _wait(browser, lambda d: "showing 21–" in d.find_element(By.ID, "search-summary").text, "the second page")
    assert not _script_errors(browser)


def test_keyboard(browser: WebDriver, server: str) -> None:
    browser.get(server + "#/timeline")
    _wait(browser, _all(browser, "#timeline-chart .mk"), "the timeline markers")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    assert browser.switch_to.active_element.get_attribute("id") == "quick-q"
    for _ in range(30):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        if "mk" in (active.get_attribute("class") or "").split():
            break
    else:
        raise AssertionError("Tab never reached a timeline event")
    first = browser.find_element(By.CSS_SELECTOR, "#timeline-chart .mk")
    assert active == first
    outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused marker shows focus"
    _shot(browser, "timeline-keyboard-focus")
    active.send_keys(Keys.ENTER)
    _wait(browser, lambda d: _hash(d).startswith("#/event/"), "the event view after Enter")
    # the search box: "/" then words and Enter
    _wait(browser, _all(browser, "blockquote.evidence"), "the happening")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    browser.switch_to.active_element.send_keys("Sochi", Keys.ENTER)
    _wait(browser, _all(browser, "#search-results mark"), "search results from the header box")


def test_errors_show_in_the_page(browser: WebDriver, server: str) -> None:
    error = _open(browser, server + "#/doc/ffffffffffff", "#view .error", "the error")[0]
    assert "404" in error.text and "ffffffffffff" in error.text
    error = _open(browser, server + "#/event/Cnothing", "#view .error", "the error")[0]
    assert "no happening" in error.text
    error = _open(browser, server + "#/search?from=notadate", "#view .error", "the error")[0]
    assert error.text
    error = _open(browser, server + "#/nowhere", "#view .error", "the error")[0]
    assert "nowhere" in error.text
    assert not _script_errors(browser)


def test_token_for_private_reads(browser: WebDriver, store: Path) -> None:
    with _Server(store, ServerConfig(token=TOKEN, public_reads=False)) as private:
        browser.get(private.url + "#/search?q=Sochi")
        error = _wait(browser, _all(browser, "#view .error"), "the 401 error")[0]
        assert "401" in error.text
        error.find_element(By.TAG_NAME, "button").click()
        field = browser.switch_to.active_element
        assert field.get_attribute("id") == "token-input"
        field.send_keys(TOKEN, Keys.ENTER)
        _wait(browser, _all(browser, "#search-results mark"), "results with the token")
        assert browser.execute_script("return sessionStorage.getItem('storyline.token')") == TOKEN
        browser.execute_script("sessionStorage.clear()")


def test_article_lists_its_corrected_spellings(browser: WebDriver, server: str, analyzed_corpus: Path) -> None:
    import storyline

    with storyline.open(analyzed_corpus) as sl:
        (doc,) = [d for d in sl.documents(limit=None) if "Mode" in d.text and "St. Petersburg" in d.text]
    _open(browser, server + f"#/doc/{doc.id}", "#doc-variants", "the article's corrected spellings")
    notes = browser.find_element(By.ID, "doc-variants").text
    assert "Mode → Narendra Modi" in notes and "spelling" in notes
    # each event says how likely it is to be right; doubtful ones are listed last, hidden until asked
    shown = [li for li in browser.find_elements(By.CSS_SELECTOR, "#doc-events > li") if li.is_displayed()]
    assert shown and all("likely right" in li.text for li in shown)
    classes = [li.get_attribute("class") or "" for li in browser.find_elements(By.CSS_SELECTOR, "#doc-events > li")]
    assert classes == sorted(classes, key=lambda c: "doubtful" in c)


def test_article_shows_the_words_that_named_a_person(browser: WebDriver, server: str, analyzed_corpus: Path) -> None:
    import storyline

    with storyline.open(analyzed_corpus) as sl:
        (doc,) = [d for d in sl.documents(limit=None) if "The Russian leader accepted" in d.text and "chart" in d.title]
    _open(browser, server + f"#/doc/{doc.id}", "#doc-events > li", "the article's events")
    events = browser.find_element(By.ID, "doc-events").text
    assert "Vladimir Putin ('Russian leader')" in events  # resolved from a description, with its words
    assert "('Modi')" not in events and "('Narendra Modi')" not in events  # a name is shown by name
    assert not _script_errors(browser)


# -- exports and labels ------------------------------------------------------------------------------
#: Records every blob the page saves (saveBlob: an object URL, a link clicked) instead of
#: downloading it, so that a test can read what a button would save.
_CAPTURE_SAVES = """
window.__saved = [];
const made = URL.createObjectURL.bind(URL);
URL.createObjectURL = (blob) => { const url = made(blob); window.__saved.push({url, blob}); return url; };
HTMLAnchorElement.prototype.click = function () {
  const saved = window.__saved.find((x) => x.url === this.href);
  if (saved) saved.name = this.download;
};
"""
_READ_SAVED = """
const done = arguments[arguments.length - 1];
const saved = window.__saved.find((x) => x.name === arguments[0]);
if (!saved) { done(null); return; }
const reader = new FileReader();
reader.onload = () => done(reader.result);
reader.readAsDataURL(saved.blob);
"""
#: The screen boxes of the visible labels matching a selector, and the pairs that overlap.
_LABEL_BOXES = """
const shown = [...document.querySelectorAll(arguments[0])].filter((e) => {
  const r = e.getBoundingClientRect();
  return e.getAttribute('display') !== 'none' && getComputedStyle(e).display !== 'none' && r.width > 0;
});
const boxes = shown.map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
const clashes = [];
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const a = boxes[i], b = boxes[j];
  if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])
    clashes.push([shown[i].textContent, shown[j].textContent]);
}
return {texts: shown.map((e) => e.textContent), clashes};
"""


def _fetch_text(driver: WebDriver, element_id: str) -> str:
    """What the export link downloads, fetched by the page (so the page's own address is used)."""
    return str(
        driver.execute_script(f"return fetch(document.getElementById('{element_id}').href).then((r) => r.text())")
    )


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _saved(driver: WebDriver, name: str) -> bytes:
    import base64

    _wait(
        driver,
        lambda d: d.execute_script("return window.__saved.some((x) => x.name === arguments[0])", name),
        f"{name} saved",
    )
    data = driver.execute_async_script(_READ_SAVED, name)
    assert data, f"nothing saved as {name}"
    return base64.b64decode(str(data).split(",", 1)[1])


def test_timeline_exports(browser: WebDriver, server: str) -> None:
    from storyline.exports.tables import HAPPENING_FIELDS, TIMELINE_FIELDS

    url = server + "#/timeline?entity=" + quote("Narendra Modi") + "&from=2018&to=2019"
    markers = _open(browser, url, "#timeline-chart .mk", "the filtered timeline")
    bar = browser.find_element(By.ID, "timeline-exports")
    ids = [e.get_attribute("id") for e in bar.find_elements(By.CSS_SELECTOR, ".export")]
    assert ids == ["timeline-csv", "timeline-download", "happenings-csv", "timeline-svg", "timeline-png"]
    csv_link = browser.find_element(By.ID, "timeline-csv")
    assert csv_link.get_attribute("download") == "timeline.csv"
    assert "from=2018" in (csv_link.get_attribute("href") or "")
    header, rows = _csv_rows(_fetch_text(browser, "timeline-csv"))
    assert header == list(TIMELINE_FIELDS)
    # the rows are the markers of the view, every one
    shown = {(m.get_attribute("href") or "").rsplit("/", 1)[-1] for m in markers}
    assert {r["event_id"] for r in rows} == shown and len(rows) == len(markers)
    header, happenings = _csv_rows(_fetch_text(browser, "happenings-csv"))
    assert header == list(HAPPENING_FIELDS) and {r["id"] for r in happenings} >= shown
    assert not _script_errors(browser)


def test_search_and_map_and_graph_exports(browser: WebDriver, server: str) -> None:
    import json
    import xml.etree.ElementTree as ET

    from storyline.exports import DOCUMENT_FIELDS

    _open(browser, server + "#/search?q=Sochi", "#search-results li.result", "the search results")
    page = browser.execute_script("return fetch('/api/documents?q=Sochi&limit=1000').then((r) => r.json())")
    header, rows = _csv_rows(_fetch_text(browser, "documents-csv"))
    assert header == list(DOCUMENT_FIELDS)
    assert [r["id"] for r in rows] == [d["id"] for d in page["items"]] and len(rows) == page["total"]
    as_json = json.loads(_fetch_text(browser, "documents-json"))
    assert [d["id"] for d in as_json] == [r["id"] for r in rows]

    _open(browser, server + "#/map", "#map .mpoint", "the map")
    _, places = _csv_rows(_fetch_text(browser, "map-csv"))
    assert len(places) == len(browser.find_elements(By.CSS_SELECTOR, "#map .mpoint"))
    assert len(json.loads(_fetch_text(browser, "map-json"))) == len(places)

    _open(browser, server + "#/graph?entity=" + quote("Narendra Modi"), "#graph .gnode", "the graph")
    gexf = browser.find_element(By.ID, "graph-gexf")
    assert gexf.get_attribute("download") == "graph.gexf"
    root = ET.fromstring(_fetch_text(browser, "graph-gexf").encode("utf-8"))
    nodes = root.findall("./{http://gexf.net/1.3}graph/{http://gexf.net/1.3}nodes/{http://gexf.net/1.3}node")
    drawn = {e.get_attribute("data-name") for e in browser.find_elements(By.CSS_SELECTOR, "#graph .gnode")}
    assert {n.get("label") for n in nodes} == drawn and len(nodes) == len(drawn)
    assert browser.find_element(By.ID, "graph-graphml").get_attribute("download") == "graph.graphml"
    assert len(json.loads(_fetch_text(browser, "graph-json"))["nodes"]) == len(drawn)
    assert not _script_errors(browser)


def test_record_views_export_their_json(browser: WebDriver, server: str) -> None:
    import json

    _open(browser, server + "#/timeline", "#timeline-chart .mk", "the timeline")
    event = (browser.find_element(By.CSS_SELECTOR, "#timeline-chart .mk").get_attribute("href") or "").rsplit("/")[-1]
    _open(browser, server + f"#/event/{event}", "#event-json", "the happening's export")
    assert browser.find_element(By.ID, "event-json").get_attribute("download") == f"happening-{event}.json"
    assert json.loads(_fetch_text(browser, "event-json"))["id"] == event
    doc = json.loads(_fetch_text(browser, "event-json"))["sources"][0]["document_id"]
    _open(browser, server + f"#/doc/{doc}", "#doc-json", "the article's export")
    assert json.loads(_fetch_text(browser, "doc-json"))["id"] == doc


@pytest.mark.parametrize(
    ("view", "address", "ready", "labels"),
    [
        ("timeline", "#/timeline", "#timeline-chart .mk", ".tl-tag"),
        ("map", "#/map", "#map .mpoint", ".map-labels text"),
        ("graph", "#/graph", "#graph .gnode", "#graph .labels text"),
    ],
)
def test_pictures_export_as_svg_and_png(
    browser: WebDriver, server: str, view: str, address: str, ready: str, labels: str
) -> None:
    import struct
    import xml.etree.ElementTree as ET

    _open(browser, server + address, ready, f"the {view}")
    browser.execute_script(_CAPTURE_SAVES)
    browser.find_element(By.ID, f"{view}-svg").click()
    svg = _saved(browser, f"{view}.svg").decode("utf-8")
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    shown = browser.execute_script(_LABEL_BOXES, labels)["texts"]
    assert shown and set(shown) <= texts, "the picture carries the visible labels"
    browser.find_element(By.ID, f"{view}-png").click()
    png = _saved(browser, f"{view}.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 2 * int(root.get("width") or 0) and height == 2 * int(root.get("height") or 0)
    (_screenshots() / f"export-{view}.png").write_bytes(png)
    assert not _script_errors(browser)


def test_labels_do_not_overlap(browser: WebDriver, server: str) -> None:
    browser.set_window_size(1400, 1500)
    time.sleep(0.5)  # the resize redraws the view shown (after 150 ms): let that pass first
    try:
        _open(browser, server + "#/timeline", "#timeline-chart .mk", "the timeline")
        found = browser.execute_script(_LABEL_BOXES, ".tl-tag")
        assert len(found["texts"]) >= 5 and not found["clashes"], found
        # the labels are the entries most articles report; every marker keeps its tooltip
        untitled = "return [...document.querySelectorAll('#timeline-chart .mk')].filter((m) => !m.title).length"
        assert browser.execute_script(untitled) == 0
        browser.find_element(By.ID, "timeline-chart").screenshot(str(_screenshots() / "timeline-labels.png"))

        _open(browser, server + "#/map", "#map .map-labels text", "the map's labels")
        found = browser.execute_script(_LABEL_BOXES, ".map-labels text")
        assert len(found["texts"]) >= 5 and not found["clashes"], found
        assert "New Delhi" in found["texts"]
        tips = browser.find_elements(By.CSS_SELECTOR, "#map .mpoint > title")
        assert len(tips) == len(browser.find_elements(By.CSS_SELECTOR, "#map .mpoint")), "every circle on hover"
        browser.find_element(By.ID, "map").screenshot(str(_screenshots() / "map-labels.png"))
        for _ in range(2):  # zoomed in, the labels are placed again, still apart
            browser.find_element(By.CSS_SELECTOR, "#map .map-tools button").click()
            found = browser.execute_script(_LABEL_BOXES, ".map-labels text")
            assert found["texts"] and not found["clashes"], found

        for address in ("#/graph", "#/graph?limit=120", "#/graph?entity=" + quote("Narendra Modi")):
            _open(browser, server + address, "#graph .gnode", "the graph")
            found = browser.execute_script(_LABEL_BOXES, "#graph .labels text")
            assert len(found["texts"]) >= 15 and not found["clashes"], (address, found)
        browser.find_element(By.ID, "graph").screenshot(str(_screenshots() / "graph-labels.png"))
        assert not _script_errors(browser)
    finally:
        browser.set_window_size(1400, 900)
        time.sleep(0.5)


def test_alerts_view_lists_what_watch_told(browser: WebDriver, tmp_path: Path) -> None:
    # a watch on the two leaders, a folder source that receives the announcement, then the report
    import storyline
    from storyline.follow import WatchConfig

    from .conftest import CORPUS

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = tmp_path / "alerts.db"
    config = WatchConfig(host_delay=0.0, workers=1, settle=0.0)
    with storyline.open(path) as sl:
        sl.following.add_source(str(inbox), name="Desk drop folder")
        sl.following.add_alert(entity=["Narendra Modi", "Vladimir Putin"], name="Modi and Putin")
        for name in ("modi-to-fly-to-sochi.txt", "sochi-informal-summit-report.md"):
            shutil.copy(CORPUS / "txt" / name, inbox / name)
            sl.following.watcher(config).round(every_source=True)
        told = sl.following.alerts()
    change = next(a for a in told if a.kind == "status-change")
    with _Server(path, ServerConfig()) as own:
        items = _open(browser, own.url + "#/alerts", "#alerts-list > li", "the alerts")
        assert len(items) == len(told)
        first = items[0]  # newest first: the status change
        assert first.get_attribute("data-kind") == "status-change"
        assert "planned -> held" in first.text and "before:" in first.text and "after:" in first.text
        assert "Modi and Putin" in browser.find_element(By.ID, "alert-watches").text
        assert "Desk drop folder" in browser.find_element(By.ID, "watched-sources").text
        assert browser.find_element(By.ID, "alerts-atom").get_attribute("href").endswith("/api/alerts.atom")
        _shot(browser, "alerts")
        first.find_element(By.LINK_TEXT, "the happening").click()
        _wait(browser, lambda d: _hash(d) == f"#/event/{change.happening_id}", "the happening's page")
        assert not _script_errors(browser)


def test_an_undated_article_gets_its_date_in_the_page(browser: WebDriver, tmp_path: Path) -> None:
    # the announcement of the Sochi summit with its dateline cut off: undated, until the reader
    # gives it its date in the article's page (the API token needed)
    import storyline
    from storyline.ingest.sources import Source

    from .conftest import CORPUS

    text = (CORPUS / "txt" / "modi-to-fly-to-sochi.txt").read_text(encoding="utf-8").split("\n")
    body = "\n".join(line for line in text if line.strip() != "May 18, 2018")
    path = tmp_path / "undated.db"
    with storyline.open(path) as sl:
        report = sl.analyze(sources=[Source("announcement.txt", data=body.encode("utf-8"))])
        doc_id = report.stored_ids[0]
        assert sl.get(doc_id).published is None
    with _Server(path, ServerConfig(token=TOKEN)) as own:
        browser.get(own.url)
        browser.execute_script("sessionStorage.setItem('storyline.token', arguments[0])", TOKEN)
        field = _open(browser, own.url + f"#/doc/{doc_id}", "#set-date-input", "the date form")[0]
        field.send_keys("not a date", Keys.ENTER)
        said = _wait(browser, lambda d: d.find_element(By.ID, "set-date-said").text.startswith("'not"), "the refusal")
        assert said
        field = browser.find_element(By.ID, "set-date-input")
        field.clear()
        field.send_keys("2018-05-18", Keys.ENTER)
        _wait(
            browser,
            lambda d: (
                not d.find_elements(By.ID, "set-date-form")
                and "2018" in d.find_element(By.CSS_SELECTOR, "dl.facts").text
            ),
            "the dated article",
            timeout=120,
        )
        facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert "given" in facts and "Main happening" in facts
        browser.execute_script("sessionStorage.clear()")
    with storyline.open(path) as sl:
        doc = sl.get(doc_id)
        assert doc.published is not None and doc.published.value.date().isoformat() == "2018-05-18"
        assert any(
            c.start == "2018-05-21" and c.status == "planned" for c in sl.happenings(include_tentative=True, limit=None)
        )
