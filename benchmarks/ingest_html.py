"""Throughput of storyline's HTML ingest, set against trafilatura by itself.

What is measured
----------------
The script first writes N synthetic news pages (``page_00001.html`` ...) into a temporary
folder. They come from a seeded ``random.Random``, so the same seed always gives the same
pages. Each page looks like a real article page: a ``<head>`` with title, ``og:site_name``,
``article:published_time`` and an author meta tag, then a navigation menu, a cookie banner,
a "Trending" sidebar, an ``<article>`` (headline, byline, captioned figure, 6-12 paragraphs
of roughly 400-700 words in total, an "Also Read:" link) and a copyright footer. Sentences
are drawn from a few hundred words, names, places and numbers, so no two pages are
near-copies of one another.

Then, in the same run and on the same files, it times:

* **trafilatura alone**: one process reads each file's bytes and calls
  ``trafilatura.bare_extraction(..., with_metadata=True, include_comments=False,
  include_tables=False)``. A page counts as a document when text came out.
* **storyline**: ``storyline.open(db).ingest(folder, workers=w)`` with the default
  configuration, into a new SQLite file for every worker count in ``--workers``. Beyond
  extraction this also decodes bytes, cleans the text and splits off leftovers, resolves
  publication dates, identifies the language, looks for near-duplicates with MinHash, and
  writes every document to SQLite with its FTS5 index.

Both sides get one untimed warm-up call first (imports, the language model), so the
figures are steady-state throughput. With more than one worker, starting the worker
processes (each loads its own language model) is inside the timing.

Throughput is documents per second; the ratio column is storyline's docs/s divided by
trafilatura's docs/s (1.00 would mean storyline's extra work costs nothing).

Running it
----------
``make bench`` runs ``python benchmarks/ingest_html.py`` with the defaults (10,000 pages,
storyline with 1 and then 2 worker processes). Options::

    python benchmarks/ingest_html.py --n 500 --workers 1,2,4 --seed 7
    python benchmarks/ingest_html.py --keep /tmp/pages   # keep the generated pages
    python benchmarks/ingest_html.py --json              # also print one JSON object
    python benchmarks/ingest_html.py --repeat 3          # alternate rounds, keep each one's best
    python benchmarks/ingest_html.py --cold --repeat 3   # whole commands, as a user runs them

With ``--cold`` both sides are timed as whole commands, each a new process started from outside
(interpreter start, imports and model loads inside the clock), alternating round by round: a
Python process that imports trafilatura and runs the same ``bare_extraction`` loop
(``ingest_html.py --extract-only DIR``), and ``storyline ingest DIR --db NEW --workers W``. It
prints each round's pair and ratio, the best against the best, and all rounds summed.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import trafilatura

# storyline is imported where it is used, so that the cold baseline's process (--extract-only)
# imports trafilatura alone.

STORYLINE_EXTRAS = (
    "byte decoding, text cleaning and leftover split, publication dates, language id, "
    "MinHash near-duplicate search, SQLite + FTS5 writes"
)

# -- vocabulary --------------------------------------------------------------------------

FIRST_NAMES = (
    "Amara", "Bilal", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines",
    "Jonas", "Kavya", "Lukas", "Maryam", "Nikolai", "Olga", "Pedro", "Quentin", "Rosa",
    "Samir", "Tamara", "Umar", "Valentina", "Wei", "Ximena", "Yusuf", "Zofia", "Arjun",
    "Beatriz", "Conor", "Daniela", "Emeka", "Fatima", "Gustavo", "Hannah", "Ivan", "Julia",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Lindqvist", "Moreau", "Petrov", "Haddad", "Tanaka", "Silva", "Kowalski",
    "Novak", "Fischer", "Mensah", "Rahman", "Costa", "Ivanova", "Bauer", "Iyer", "Nakamura",
    "Garcia", "Abebe", "Schmidt", "Rossi", "Yilmaz", "Dubois", "Jensen", "Chen", "Mwangi",
    "Santos", "Kaur", "Horvat", "Ortega", "Popescu", "Ahmadi", "Larsen", "Volkova", "Reyes",
)  # fmt: skip
ROLES = (
    "the finance minister", "the city's mayor", "a senior economist", "the union leader",
    "the company's chief executive", "a government spokesperson", "the opposition leader",
    "the central bank governor", "a regional official", "the health minister",
    "a climate scientist", "the defence secretary", "a local councillor", "the trade envoy",
    "a hospital director", "the police commissioner", "a university professor",
)  # fmt: skip
PLACES = (
    "Lisbon", "Nairobi", "Osaka", "Gdansk", "Valparaiso", "Tbilisi", "Accra", "Hanoi",
    "Rotterdam", "Marrakesh", "Chennai", "Quito", "Tallinn", "Brisbane", "Izmir", "Leipzig",
    "Montevideo", "Cebu", "Lyon", "Dakar", "Almaty", "Bergen", "Cordoba", "Pune", "Kigali",
    "Seville", "Surabaya", "Winnipeg", "Bratislava", "Mombasa", "Porto Alegre", "Busan",
    "Thessaloniki", "Aarhus", "Medellin", "Lahore", "Tampere", "Da Nang", "Antwerp", "Perth",
)  # fmt: skip
ORGS = (
    "the port authority", "the national rail operator", "the electricity regulator",
    "the statistics office", "the farmers' cooperative", "the teachers' union",
    "the water utility", "the central bank", "the shipping consortium", "the energy ministry",
    "the parliament's budget committee", "the regional development fund",
    "the airline", "the steelmaker", "the telecom group", "the election commission",
    "the supreme court", "the housing agency", "the fisheries council", "the chip maker",
)  # fmt: skip
NOUNS = (
    "budget", "tariff", "pipeline", "reservoir", "harbour", "railway", "vaccine", "drought",
    "wildfire", "election", "strike", "merger", "subsidy", "loan", "bridge", "refinery",
    "harvest", "inflation", "pension", "contract", "reform", "ceasefire", "treaty", "census",
    "shortage", "surplus", "deficit", "protest", "audit", "forecast", "airport", "factory",
    "tunnel", "wind farm", "grid", "curriculum", "ferry", "levee", "warehouse", "mine",
    "clinic", "motorway", "tram line", "solar park", "dam", "shipyard", "fleet", "stadium",
)  # fmt: skip
ADJECTIVES = (
    "sharp", "unexpected", "modest", "record", "temporary", "long-awaited", "controversial",
    "sweeping", "gradual", "costly", "fragile", "ambitious", "delayed", "disputed", "steady",
    "emergency", "cautious", "landmark", "partial", "renewed", "prolonged", "quiet", "bold",
)  # fmt: skip
VERBS_PAST = (
    "approved", "rejected", "postponed", "announced", "criticised", "defended", "expanded",
    "suspended", "reviewed", "blocked", "funded", "questioned", "welcomed", "revised",
    "cancelled", "extended", "investigated", "endorsed", "scrapped", "unveiled", "doubled",
)  # fmt: skip
VERBS = (
    "raise", "cut", "delay", "speed up", "review", "renegotiate", "expand", "freeze",
    "replace", "audit", "privatise", "rebuild", "reopen", "restrict", "subsidise", "modernise",
)  # fmt: skip
GROUPS = (
    "residents", "commuters", "farmers", "nurses", "small businesses", "students",
    "pensioners", "dock workers", "fishermen", "investors", "truck drivers", "tenants",
    "exporters", "teachers", "shopkeepers", "tourists", "engineers", "miners",
)  # fmt: skip
CONNECTORS = (
    "Meanwhile,", "However,", "In a statement,", "Separately,", "Earlier this week,",
    "By contrast,", "On Tuesday,", "Late on Friday,", "According to officials,",
    "In response,", "For now,", "Last month,", "At the same time,", "Critics say",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
SECTIONS = ("world", "business", "politics", "economy", "environment", "health", "local")
OUTLETS = (
    ("The Harbour Courier", "harbourcourier.example"),
    ("Daily Meridian", "dailymeridian.example"),
    ("Northgate Post", "northgatepost.example"),
    ("The Riverside Ledger", "riversideledger.example"),
    ("Coastline Times", "coastlinetimes.example"),
    ("Evening Compass", "eveningcompass.example"),
    ("The Summit Herald", "summitherald.example"),
    ("Metro Dispatch", "metrodispatch.example"),
    ("Plains Observer", "plainsobserver.example"),
    ("Global Wire Today", "globalwiretoday.example"),
)
AGENCIES = ("Wire Service", "Staff photographer", "City Press Images", "Pool photo")
OFFSETS = (0, 60, 120, 180, 330, 420, 540, -180, -300, -420)  # minutes from UTC

SENTENCES = (
    "{Person} said on {weekday} that {org} would {verb} the {noun} in {place}.",
    "{Role}, {person}, told reporters the {adj} {noun} could cost {money}.",
    "The {noun} in {place} was {verb_past} by {org} after {k} days of talks.",
    "{Connector} {org} {verb_past} {a_adj} plan covering {n} {groups}.",
    "Figures published in {month} showed a {pct} rise in {noun} costs across {place}.",
    "\u201cWe cannot {verb} the {noun} without the support of {groups},\u201d {person} said.",
    "{Groups} in {place} have waited {k} months for the {noun} to open.",
    "The {adj} {noun} near {place} is expected to be finished by {year}.",
    "{Person}, who leads {org}, warned that the {noun} faces a {money} shortfall.",
    "Some {n} {groups} gathered outside the offices of {org} in {place} on {weekday}.",
    "Analysts at a bank in {place} put the chance of {a_adj} {noun} at {pct}.",
    "{Connector} {role} {verb_past} the {noun}, calling it {adj} but necessary.",
    "Officials in {place} said {n} people were affected by the {noun} so far.",
    "The vote on the {noun} was {n2} to {n3}, with {n4} members abstaining.",
    "{Org_cap} has {verb_past} its {noun} forecast twice since {month} {year}.",
    "A report by {org} found that {pct} of {groups} in {place} backed the {noun}.",
    "Asked about the {noun}, {person} declined to comment on the {adj} timetable.",
    "Traffic through {place} fell by {pct} while the {noun} remained closed.",
    "{Person} and {person2} met in {place} to discuss the {adj} {noun}.",
    "The {noun} had been {verb_past} in {year}, when {role} was {person}.",
    "{Connector} {groups} from {place} and {place2} plan to {verb} the {noun}.",
    "Prices for the {noun} climbed to {money} in {month}, the highest since {year}.",
    "The ministry said the {adj} {noun} would employ about {n} {groups}.",
    "{Role} admitted the {noun} in {place} was running {k} weeks late.",
    "Under the new rules, {org} must {verb} the {noun} within {k} days.",
    "Residents of {place} said the {noun} had changed little in {k} years.",
    "{Person} urged {org} to {verb} the {noun} before the winter season.",
    "The {noun} dispute between {place} and {place2} dates back to {year}.",
)  # fmt: skip
HEADLINES = (
    "{Org_cap} {verb_past} {adj} {noun} plan in {place}",
    "{Place} {groups} protest over {noun} as talks stall",
    "{Person} vows to {verb} {noun} after {pct} jump",
    "{Adj_cap} {noun} in {place} {verb_past} after {k}-day standoff",
    "Why the {noun} in {place} matters for {groups}",
    "{Place} and {place2} sign {adj} {noun} deal worth {money}",
)
TRENDING = (
    "{Place} braces for {adj} {noun}",
    "{Person}: the {noun} is not finished",
    "{N} {groups} left without {noun} in {place}",
    "What the {noun} vote means for {place}",
    "{Org_cap} names new head after {noun} row",
)


@dataclass(frozen=True, slots=True)
class Page:
    html: str
    body_words: int


class PageMaker:
    """Builds distinct, realistic news pages from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.start = datetime(2022, 1, 1, tzinfo=UTC)

    def _person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _money(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return f"{r.randint(2, 950)} million {r.choice(('euros', 'dollars', 'pounds'))}"
        return f"${r.randint(1, 40)}.{r.randint(0, 9)} billion"

    def _fill(self, template: str) -> str:
        r = self.rng
        org = r.choice(ORGS)
        adj = r.choice(ADJECTIVES)
        groups = r.choice(GROUPS)
        place = r.choice(PLACES)
        role = r.choice(ROLES)
        n = r.randint(2, 4000)
        values = {
            "person": self._person(),
            "person2": self._person(),
            "role": role,
            "place": place,
            "place2": r.choice(PLACES),
            "org": org,
            "noun": r.choice(NOUNS),
            "adj": adj,
            "verb": r.choice(VERBS),
            "verb_past": r.choice(VERBS_PAST),
            "groups": groups,
            "weekday": r.choice(WEEKDAYS),
            "month": r.choice(MONTHS),
            "year": str(r.randint(1995, 2027)),
            "n": str(n),
            "k": str(r.randint(2, 60)),
            "a_adj": ("an " if adj[0] in "aeiou" else "a ") + adj,
            "n2": str(r.randint(100, 300)),
            "n3": str(r.randint(20, 200)),
            "n4": str(r.randint(0, 40)),
            "pct": f"{r.randint(1, 99)}.{r.randint(0, 9)} percent",
            "money": self._money(),
            "connector": r.choice(CONNECTORS),
        }
        values["Person"] = values["person"]
        values["Role"] = role[0].upper() + role[1:]
        values["Place"] = place
        values["Org_cap"] = org[0].upper() + org[1:]
        values["Adj_cap"] = adj[0].upper() + adj[1:]
        values["Groups"] = groups[0].upper() + groups[1:]
        values["Connector"] = values["connector"]
        values["N"] = str(n)
        return template.format(**values)

    def _sentence(self) -> str:
        return self._fill(self.rng.choice(SENTENCES))

    def make(self, index: int) -> Page:
        r = self.rng
        site, domain = r.choice(OUTLETS)
        section = r.choice(SECTIONS)
        author = self._person()
        headline = self._fill(r.choice(HEADLINES))
        slug = "-".join("".join(c for c in w if c.isalnum()) for w in headline.lower().split())
        offset = timezone(timedelta(minutes=r.choice(OFFSETS)))
        moment = self.start + timedelta(minutes=r.randint(0, 3 * 365 * 24 * 60))
        published = moment.astimezone(offset).replace(second=0, microsecond=0)
        iso = published.isoformat()
        human = f"{published.day} {MONTHS[published.month - 1]} {published.year}"

        target = r.randint(395, 685)
        sentences: list[str] = []
        words = 0
        while words < target:
            s = self._sentence()
            sentences.append(s)
            words += len(s.split())
        n_par = min(r.randint(6, 12), len(sentences))
        cuts = sorted(r.sample(range(1, len(sentences)), n_par - 1))
        bounds = zip([0, *cuts], [*cuts, len(sentences)], strict=True)
        paragraphs = [" ".join(sentences[a:b]) for a, b in bounds]

        e = html.escape
        caption = f"{self._sentence()} Photo: {self._person()} / {r.choice(AGENCIES)}"
        also_read = self._fill(r.choice(HEADLINES))
        items: list[str] = []
        for _ in range(5):
            href = f"/{section}/t{r.randint(1000, 99999)}"
            title = e(self._fill(r.choice(TRENDING)))
            items.append(f'        <li><a href="{href}">{title}</a></li>')
        trending = "\n".join(items)
        body = "\n".join(f"      <p>{e(p)}</p>" for p in paragraphs)
        url = f"https://www.{domain}/{section}/{published:%Y/%m/%d}/{slug}-{index}"
        page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(headline)} | {e(site)}</title>
  <meta name="description" content="{e(sentences[0])}">
  <meta name="author" content="{e(author)}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{e(headline)}">
  <meta property="og:site_name" content="{e(site)}">
  <meta property="og:url" content="{url}">
  <meta property="article:published_time" content="{iso}">
  <meta property="article:section" content="{section.title()}">
  <link rel="canonical" href="{url}">
  <link rel="stylesheet" href="https://static.{domain}/css/main.css">
</head>
<body>
  <header class="site-header">
    <a class="logo" href="https://www.{domain}/">{e(site)}</a>
    <nav class="main-menu">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/world">World</a></li>
        <li><a href="/business">Business</a></li>
        <li><a href="/politics">Politics</a></li>
        <li><a href="/environment">Environment</a></li>
        <li><a href="/sport">Sport</a></li>
        <li><a href="/opinion">Opinion</a></li>
        <li><a href="/subscribe">Subscribe</a></li>
      </ul>
    </nav>
  </header>
  <div class="cookie-banner" id="cookie-consent">
    <p>We use cookies to improve your experience and to show relevant advertising.
    By continuing to browse {e(site)} you agree to our use of cookies.</p>
    <button type="button">Accept all</button> <button type="button">Manage settings</button>
  </div>
  <main class="layout">
    <article class="story">
      <h1>{e(headline)}</h1>
      <p class="byline">By <a rel="author" href="/authors/{index}">{e(author)}</a>
        &middot; <time datetime="{iso}">{human}</time> &middot; {section.title()}</p>
      <figure class="lead-image">
        <img src="https://static.{domain}/img/{index}.jpg" alt="{e(headline)}">
        <figcaption>{e(caption)}</figcaption>
      </figure>
{body}
      <p class="also-read"><strong>Also Read:</strong>
        <a href="/{section}/{r.randint(100000, 999999)}">{e(also_read)}</a></p>
    </article>
    <aside class="sidebar">
      <h2>Trending</h2>
      <ol>
{trending}
      </ol>
    </aside>
  </main>
  <footer class="site-footer">
    <ul>
      <li><a href="/about">About us</a></li>
      <li><a href="/privacy">Privacy policy</a></li>
      <li><a href="/terms">Terms of use</a></li>
      <li><a href="/contact">Contact</a></li>
    </ul>
    <p>&copy; {published.year} {e(site)}. All rights reserved.</p>
  </footer>
</body>
</html>
"""
        return Page(page, words)


def generate(folder: Path, n: int, seed: int) -> tuple[int, int, int, int]:
    """Write n pages into folder; return (total bytes, min, max, mean body words)."""
    maker = PageMaker(seed)
    width = max(5, len(str(n)))
    total = 0
    counts: list[int] = []
    for i in range(1, n + 1):
        page = maker.make(i)
        data = page.html.encode("utf-8")
        (folder / f"page_{i:0{width}d}.html").write_bytes(data)
        total += len(data)
        counts.append(page.body_words)
    return total, min(counts), max(counts), round(sum(counts) / len(counts))


# -- measurements ----------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    method: str
    documents: int
    seconds: float
    workers: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0


def _extract(data: bytes) -> bool:
    """True when trafilatura gets article text out of the page."""
    result: Any = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    if result is None:
        return False
    text = result.get("text") if isinstance(result, dict) else result.text
    return bool(text and text.strip())


def time_trafilatura(folder: Path) -> Result:
    start = time.perf_counter()
    ok = 0
    for path in sorted(folder.glob("page_*.html")):
        if _extract(path.read_bytes()):
            ok += 1
    return Result("trafilatura alone (1 process)", ok, time.perf_counter() - start)


def time_storyline(folder: Path, db: Path, workers: int) -> Result:
    start = time.perf_counter()
    from storyline.api import open as open_store

    with open_store(db) as sl:
        report = sl.ingest(folder, workers=workers)
    seconds = time.perf_counter() - start
    counts = {
        "inputs": report.inputs,
        "stored": report.stored,
        "failed": report.failed,
        "near_duplicates": report.near_duplicates,
        "already_stored": report.already_stored,
    }
    label = f"storyline, {workers} worker{'s' if workers != 1 else ''}"
    return Result(label, report.stored, seconds, workers, counts)


def warm_up(first_page: Path, scratch: Path) -> None:
    """Untimed: load both libraries, their models and caches once in this process."""
    _extract(first_page.read_bytes())
    from storyline.api import open as open_store

    with open_store(scratch / "warm-up.db") as sl:
        sl.ingest(first_page)


# -- command line ----------------------------------------------------------------------


def parse_workers(value: str) -> list[int]:
    try:
        workers = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers such as 1,2 - got {value!r}") from None
    if not workers or any(w < 1 for w in workers):
        raise argparse.ArgumentTypeError(f"worker counts must be 1 or more, got {value!r}")
    return workers


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Documents per second: storyline's HTML ingest next to trafilatura alone."
    )
    parser.add_argument("--n", type=int, default=10_000, help="pages to generate (10000)")
    parser.add_argument(
        "--workers",
        type=parse_workers,
        default=[1, 2],
        help="comma-separated storyline worker-process counts to run (1,2)",
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the pages here and keep")
    parser.add_argument("--cold", action="store_true", help="time whole commands, each a new process")
    parser.add_argument("--extract-only", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=20240601, help="page generator seed")
    parser.add_argument("--json", action="store_true", help="end with the results as JSON")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of every method, alternating; each keeps its best (1). The baseline moves by "
        "a tenth between runs on this machine, so a ratio from one round is rough",
    )
    args = parser.parse_args(argv)
    if args.extract_only is not None:
        return args
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: folder is not empty (storyline ingests all of it)")
    return args


def run(args: argparse.Namespace, pages: Path, scratch: Path) -> dict[str, Any]:
    import storyline

    n: int = args.n
    print(f"generating {n} pages in {pages} ...", flush=True)
    started = time.perf_counter()
    size, low, high, mean = generate(pages, n, args.seed)
    print(
        f"  {size / 1e6:.1f} MB, {low}-{high} body words (mean {mean}), "
        f"seed {args.seed}, {time.perf_counter() - started:.1f}s (not timed below)",
        flush=True,
    )

    warm_up(sorted(pages.glob("page_*.html"))[0], scratch)
    rounds: list[list[Result]] = []
    for round_ in range(args.repeat):
        done: list[Result] = []
        print(f"round {round_ + 1} of {args.repeat}: timing trafilatura alone ...", flush=True)
        done.append(time_trafilatura(pages))
        for w in args.workers:
            print(f"round {round_ + 1} of {args.repeat}: timing storyline with {w} worker(s) ...", flush=True)
            db = scratch / f"bench-w{w}.db"
            for stale in scratch.glob(f"bench-w{w}.db*"):
                stale.unlink()
            done.append(time_storyline(pages, db, w))
        print("  " + ", ".join(f"{r.method}: {r.seconds:.2f} s" for r in done), flush=True)
        rounds.append(done)
    # each method's best round (the least disturbed by the rest of the machine)
    results = [min((r[i] for r in rounds), key=lambda r: r.seconds) for i in range(len(rounds[0]))]

    base = results[0].docs_per_s
    print()
    print(f"pages:     N = {n} generated HTML news articles ({size / 1e6:.1f} MB)")
    print(f"machine:   {os.cpu_count()} cores (os.cpu_count()), {platform.machine()}")
    print(f"python:    {platform.python_version()} ({platform.python_implementation()})")
    print(f"versions:  storyline {storyline.__version__}, trafilatura {trafilatura.__version__}")
    print(f"storyline on top of extraction: {STORYLINE_EXTRAS}")
    print()
    header = f"{'method':<32}{'documents':>10}{'seconds':>10}{'docs/s':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = r.docs_per_s / base if base else 0.0
        cells = f"{r.documents:>10}{r.seconds:>10.2f}{r.docs_per_s:>10.1f}{ratio:>8.2f}"
        print(f"{r.method:<32}{cells}")
    print("ratio = method docs/s divided by trafilatura-alone docs/s")
    print()
    for r in results[1:]:
        c = r.counts
        print(
            f"{r.method}: stored {c['stored']}, failed {c['failed']}, "
            f"near-duplicates {c['near_duplicates']} (of {c['inputs']} inputs)"
        )

    return {
        "n": n,
        "seed": args.seed,
        "bytes": size,
        "body_words": {"min": low, "max": high, "mean": mean},
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "storyline_version": storyline.__version__,
        "trafilatura_version": trafilatura.__version__,
        "storyline_extras": STORYLINE_EXTRAS,
        "results": [
            {
                **{k: v for k, v in asdict(r).items() if k != "counts"},
                "docs_per_s": round(r.docs_per_s, 2),
                "ratio": round(r.docs_per_s / base, 4) if base else None,
                **({"counts": r.counts} if r.counts else {}),
            }
            for r in results
        ],
    }


def run_cold(args: argparse.Namespace, pages: Path, scratch: Path) -> dict[str, Any]:
    """Both sides as whole commands, each a new process timed from outside, alternating."""
    import subprocess

    print(f"generating {args.n} pages in {pages} ...", flush=True)
    generate(pages, args.n, args.seed)
    here = Path(__file__).resolve()
    script = Path(sys.executable).with_name("storyline")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "storyline.cli"]
    rounds: list[dict[str, float]] = []
    for round_ in range(args.repeat):
        times: dict[str, float] = {}
        start = time.perf_counter()
        subprocess.run([sys.executable, str(here), "--extract-only", str(pages)], check=True, capture_output=True)
        times["trafilatura"] = time.perf_counter() - start
        for w in args.workers:
            db = scratch / f"cold-w{w}-{round_}.db"
            start = time.perf_counter()
            subprocess.run(
                [*command, "ingest", str(pages), "--db", str(db), "--workers", str(w)], check=True, capture_output=True
            )
            times[f"storyline, {w} workers"] = time.perf_counter() - start
        rounds.append(times)
        base = times["trafilatura"]
        cells = [f"{k} {v:.2f} s" + ("" if k == "trafilatura" else f" ({base / v:.2f})") for k, v in times.items()]
        print(f"round {round_ + 1}: " + ", ".join(cells), flush=True)
    out: dict[str, Any] = {"n": args.n, "rounds": rounds, "ratios": {}}
    for key in rounds[0]:
        if key == "trafilatura":
            continue
        best = min(r["trafilatura"] for r in rounds) / min(r[key] for r in rounds)
        summed = sum(r["trafilatura"] for r in rounds) / sum(r[key] for r in rounds)
        out["ratios"][key] = {"best_over_best": round(best, 3), "sum_over_sum": round(summed, 3)}
        print(f"{key}: best / best {best:.2f}, all rounds {summed:.2f} (extraction alone's time / storyline's)")
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.extract_only is not None:  # the cold baseline's process
        time_trafilatura(args.extract_only)
        return 0
    if args.cold:
        with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
            pages = args.keep or Path(tmp) / "pages"
            pages.mkdir(parents=True, exist_ok=True)
            summary = run_cold(args, pages, Path(tmp))
        if args.json:
            print(json.dumps(summary))
        return 0
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        scratch = Path(tmp)
        if args.keep is not None:
            pages: Path = args.keep
            pages.mkdir(parents=True, exist_ok=True)
        else:
            pages = scratch / "pages"
            pages.mkdir()
        summary = run(args, pages, scratch)
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
