"""Caption splitting on web pages no caption rule was written on: trafilatura's evaluation pages.

storyline's caption gold (``storyline eval captions``) is news text scraped with its captions left
in. This check reads other text, never used to write the caption rules or train the caption
model: the HTML pages of trafilatura's evaluation set (about a thousand pages of news, blogs and
institutional sites in English, German and other languages), with their hand-picked ``with``
snippets (text an extractor must keep). The pages are not shipped; fetch trafilatura's
repository and pass its ``tests`` folder (``tests/eval/*.html`` and ``tests/evaldata.json``).

Each page becomes the text a scraper that kept captions would give: the block elements of the
page (paragraphs, headings, list items, quotations and ``<figcaption>``) in document order, each
on its own line, keeping the blocks trafilatura extracts as the article and every figure caption
(a ``<figcaption>``, or a block whose class or id says caption or credit) that stands between
the article's first and last block. Then storyline's leftover split (rules and caption model)
reads each page's lines and the script counts:

- **story lines removed**: of the lines holding a ``with`` snippet (certainly the article's text),
  how many storyline takes out of the body. This is the error that matters most;
- **captions removed**: of the figure-caption lines, how many storyline takes out. Web captions
  differ from the agency and local-news captions of the gold (many are a blog's own picture
  titles), so this figure is a floor, not the recall to quote;
- all article lines removed: an upper bound on wrong removals, since pages also put credits and
  captions in plain paragraphs.

    python benchmarks/captions_web.py /path/to/trafilatura/tests [--errors 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from storyline.clean import leftovers

sys.path.insert(0, str(Path(__file__).resolve().parent))  # extraction.py, beside this script

_SPACES = re.compile(r"\s+")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td")
_CAPTION_CLASS = re.compile(r"caption|credit|bildunterschrift|legende", re.IGNORECASE)


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def page_lines(html: bytes) -> list[tuple[str, bool]] | None:
    """The page's text as (line, is a figure caption) pairs, or None when trafilatura finds no
    article in it."""
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)  # decoded once, as its charset says; extraction reads a copy
        text = trafilatura.extract(tree, include_comments=False, include_tables=False) if tree is not None else None
    except Exception:  # a page trafilatura or lxml cannot read is left out and counted
        return None
    if not text:
        return None
    article = {_norm(line) for line in text.split("\n") if _norm(line)}
    for junk in tree.xpath("//script|//style|//noscript"):
        junk.drop_tree()
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for element in tree.iter(*_BLOCKS):
        line = _norm(element.text_content())
        if not line or line in seen:
            continue
        around = (element, element.getparent())
        marks = " ".join(f"{e.get('class') or ''} {e.get('id') or ''}" for e in around if e is not None)
        if element.tag == "figcaption" or _CAPTION_CLASS.search(marks):
            seen.add(line)
            out.append((line, True))
        elif line in article:
            seen.add(line)
            out.append((line, False))
    inside = [i for i, (_, caption) in enumerate(out) if not caption]
    return out[inside[0] : inside[-1] + 1] if inside else None


def pages(folder: Path) -> Iterator[tuple[str, list[tuple[str, bool]] | None, list[str]]]:
    """Each evaluation page's name, lines and ``with`` snippets: the pages and snippets of
    ``benchmarks/extraction.py``'s corpus (in ``eval/`` or ``cache/``), a page named by several
    records read once."""
    from extraction import text_corpus

    snippets: dict[Path, list[str]] = {}
    for record in text_corpus(folder):
        snippets.setdefault(Path(record["path"]), []).extend(_norm(s) for s in record.get("with") or [] if _norm(s))
    for path in sorted(snippets, key=lambda p: p.name):
        yield path.name, page_lines(path.read_bytes()), snippets[path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tests", type=Path, help="trafilatura's tests folder (evaldata.json, eval/, cache/)")
    parser.add_argument("--errors", type=int, default=0, help="list this many story lines removed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    keys = ("pages", "unread", "story", "story_removed", "captions", "captions_removed", "article", "article_removed")
    counts = dict.fromkeys(keys, 0)
    wrong: list[tuple[str, str, str]] = []
    for name, lines, snippets in pages(args.tests):
        if lines is None:
            counts["unread"] += 1
            continue
        counts["pages"] += 1
        kinds = leftovers.classify_lines([line for line, _ in lines])
        for (line, caption), kind in zip(lines, kinds, strict=True):
            removed = kind is not leftovers.LineKind.BODY
            if caption:
                counts["captions"] += 1
                counts["captions_removed"] += removed
                continue
            counts["article"] += 1
            counts["article_removed"] += removed
            if any(s in line for s in snippets):
                counts["story"] += 1
                counts["story_removed"] += removed
                if removed:
                    wrong.append((name, kind.value, line))
    if args.json:
        print(json.dumps(counts))
    else:
        c = counts
        print(f"{c['pages']} pages read ({c['unread']} without an article)")
        print(f"story lines (holding a 'with' snippet) removed: {c['story_removed']} of {c['story']}")
        print(f"figure-caption lines removed: {c['captions_removed']} of {c['captions']}")
        print(
            "all article lines removed (wrong or unmarked captions and credits): "
            f"{c['article_removed']} of {c['article']}"
        )
    for name, kind, line in wrong[: args.errors]:
        print(f"  {name}: {kind}: {line[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
