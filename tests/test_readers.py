from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.formats import READER_NAMES
from storyline.ingest import Source, expand, read, sniff
from storyline.model import Article, ContentKind

from .helpers import PageTransport, make_warc, page


def _read(path: Path, config: IngestConfig | None = None, **kw: object) -> list[Article | InputError]:
    return list(read(Source(str(path), path=path), config or IngestConfig(), **kw))  # type: ignore[arg-type]


def _articles(items: list[Article | InputError]) -> list[Article]:
    assert not [i for i in items if isinstance(i, InputError)], items
    return [i for i in items if isinstance(i, Article)]


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"Title\nbody", "text"),
        ("a.md", b"# Title", "text"),
        ("noext", b"Title\nbody", "text"),
        ("page.html", b"<!doctype html><html>", "html"),
        ("page.xml", b'<?xml version="1.0"?><rss version="2.0">', "feed"),
        ("feed.atom", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        ("x.json", b"[{}]", "json"),
        ("x.jsonl", b'{"a":1}\n{"a":2}', "jsonl"),
        ("x.csv", b"id,text", "csv"),
        ("x.warc", b"WARC/1.0", "warc"),
        ("noext", b"WARC/1.1\r\n", "warc"),
        ("noext", b'{"text": "x"}\n', "jsonl"),
        ("noext", b"<html><body>", "html"),
    ],
)
def test_sniff(name: str, head: bytes, expected: str) -> None:
    assert sniff(Source(name, path=Path(name)), head) == expected


def test_sniff_stdin_by_content() -> None:
    assert sniff(Source("<stdin>", data=b"<rss>"), b"<rss version='2.0'>") == "feed"
    assert sniff(Source("<stdin>", data=b"x"), b"Title\nText") == "text"


def test_every_format_name_has_a_reader(tmp_path: Path) -> None:
    f = tmp_path / "x"
    f.write_bytes(b"Title\nSome body text here.")
    for fmt in READER_NAMES:
        items = _read(f, IngestConfig(format=fmt))
        assert items, fmt
        assert not any(isinstance(i, InputError) and i.code == "unsupported" for i in items), fmt


def test_text_reader(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text("Title\n01 Jun 2017\n\nBody.", encoding="utf-8")
    (article,) = _articles(_read(f))
    assert article.kind is ContentKind.SCRAPED_TEXT
    assert article.source_id == str(f) and article.origin == str(f)
    assert article.content == f.read_bytes()


def test_expand_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("x")
    (tmp_path / "store.db").write_text("x")
    names = [s.name for s in expand([str(tmp_path)]) if isinstance(s, Source)]
    assert names == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_expand_stdin_and_missing() -> None:
    items = list(expand(["-", "/no/such/file"], stdin=io.BytesIO(b"Title\nBody")))
    assert isinstance(items[0], Source) and items[0].data == b"Title\nBody"
    assert isinstance(items[1], InputError) and items[1].code == "unreadable"
    assert "no such file" in str(items[1])


def test_json_list_object_and_container(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "r1", "title": "T", "body": "Text one.", "link": "https://x.example/a"}))
    (a,) = _articles(_read(one))
    assert a.source_id == "r1" and a.fields.title == "T" and a.fields.url == "https://x.example/a"
    assert a.content == "Text one." and a.kind is ContentKind.BODY_TEXT

    many = tmp_path / "many.json"
    many.write_text(json.dumps({"articles": [{"text": "A."}, {"content": "<p>B.</p>", "date": 1538729400}]}))
    a1, a2 = _articles(_read(many))
    assert a1.origin.endswith("#item=1") and a1.source_id == a1.origin
    assert a2.kind is ContentKind.HTML_FRAGMENT
    assert a2.fields.published == "2018-10-05T08:50:00+00:00"


def test_jsonl_bad_line_does_not_stop_the_rest(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    f.write_bytes(
        b'{"id": "1", "text": "One."}\n{"id": "2", "text": \n\n{"id": "3"}\n[1,2]\n{"id": "4", "text": "Four."}\n'
    )
    items = _read(f)
    ok = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, InputError)]
    assert [a.source_id for a in ok] == ["1", "4"]
    assert [(e.origin.rsplit("#", 1)[1], e.code) for e in bad] == [
        ("line=2", "malformed"),
        ("line=4", "no-text"),
        ("line=5", "malformed"),
    ]
    assert "invalid JSON" in str(bad[0])


def test_jsonl_gzip(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl.gz"
    f.write_bytes(gzip.compress(b'{"text": "One."}\n{"text": "Two."}\n'))
    assert len(_articles(_read(f))) == 2


def test_field_mapping(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({"story": "Body.", "hed": "Head", "when": "2018-05-21"}) + "\n")
    (err,) = _read(f)
    assert isinstance(err, InputError) and "--field text=NAME" in err.reason
    config = IngestConfig(field_map={"text": "story", "title": "hed", "published": "when"})
    (a,) = _articles(_read(f, config))
    assert a.content == "Body." and a.fields.title == "Head" and a.fields.published == "2018-05-21"


def test_csv_reader_with_rows_in_error(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text(
        'id,headline,body,link\n1,"A, b","Text, with comma.",https://x.example/1\n2,short row\n3,C,"Multi\nline",u\n',
        encoding="utf-8",
    )
    items = _read(f, IngestConfig(field_map={"title": "headline"}))
    ok = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, InputError)]
    assert [(a.source_id, a.fields.title, a.content) for a in ok] == [
        ("1", "A, b", "Text, with comma."),
        ("3", "C", "Multi\nline"),
    ]
    assert len(bad) == 1 and bad[0].origin.endswith("#row=3") and "2 fields" in bad[0].reason


def test_feed_reader_rss_and_atom(tmp_path: Path) -> None:
    rss = tmp_path / "f.rss"
    rss.write_text(
        """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
        <title>Wire</title><item><title>One</title><link>https://x.example/1</link><guid>g1</guid>
        <pubDate>Fri, 05 Oct 2018 08:50:00 +0530</pubDate><description>Short.</description>
        <content:encoded><![CDATA[<p>Para one.</p><p>Para two.</p>]]></content:encoded></item>
        <item><title>Two</title><link>https://x.example/2</link>
        <description>Only a summary.</description></item></channel></rss>"""
    )
    a1, a2 = _articles(_read(rss))
    assert a1.source_id == "g1" and a1.fields.source == "Wire" and a1.kind is ContentKind.HTML_FRAGMENT
    assert "Para two" in str(a1.content) and a1.fields.published == "Fri, 05 Oct 2018 08:50:00 +0530"
    assert a2.content == "Only a summary." and a2.source_id == "https://x.example/2"
    atom = tmp_path / "f.atom"
    atom.write_text(
        """<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title><entry><title>A</title><id>tag:a</id>
        <link href="https://x.example/a"/><published>2019-09-04T10:00:00+03:00</published>
        <content type="html">&lt;p&gt;Atom body.&lt;/p&gt;</content></entry></feed>"""
    )
    (a,) = _articles(_read(atom))
    assert a.source_id == "tag:a" and "Atom body" in str(a.content)


def test_feed_fetch_links_through_transport_and_fallback(tmp_path: Path) -> None:
    rss = tmp_path / "f.rss"
    rss.write_text(
        """<rss version="2.0"><channel><title>W</title>
        <item><title>One</title><link>https://x.example/1</link><description>Feed text one.</description></item>
        <item><title>Two</title><link>https://x.example/2</link><description>Feed text two.</description></item>
        </channel></rss>"""
    )
    transport = PageTransport({"https://x.example/1": page("One", "The full page text.")})
    items = list(read(Source(str(rss), path=rss), IngestConfig(fetch_links=True), transport))
    assert transport.calls == ["https://x.example/1", "https://x.example/2"]
    page_article = items[0]
    assert isinstance(page_article, Article) and page_article.kind is ContentKind.HTML_PAGE
    assert (
        isinstance(items[1], InputError) and items[1].code == "timeout" and "using the feed's text" in items[1].reason
    )
    assert isinstance(items[2], Article) and items[2].content == "Feed text two."


def test_warc_reader(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    make_warc(
        f, [("https://x.example/a", page("A", "Article A text.")), ("https://x.example/b", page("B", "Article B."))]
    )
    a, b = _articles(_read(f))
    assert a.kind is ContentKind.HTML_PAGE and a.fields.url == "https://x.example/a"
    assert a.source_id.startswith("<urn:uuid:") and a.origin == f"{f}#https://x.example/a"
    assert a.fetched_at is not None and a.fetched_at.year == 2019
    assert b"Article B" in bytes(b.content)  # type: ignore[arg-type]


def test_warc_truncated_keeps_what_was_read(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc"
    make_warc(
        f, [(f"https://x.example/{i}", page(str(i), f"Article {i} " * 200)) for i in range(3)], gzip_records=False
    )
    data = f.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: int(len(data) * 0.75)])
    items = _read(cut)
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert 1 <= len(articles) <= 2
    assert len(errors) == 1 and errors[0].code == "truncated" and f"after {len(articles)} page" in errors[0].reason
