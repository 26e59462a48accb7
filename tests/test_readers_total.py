"""Each reader is a total function: one test per failure seen on real material (issue 13),
with inputs written here in the same shape. Every input comes out as documents or one-line
errors naming it; nothing raises, nothing is dropped without a word."""

from __future__ import annotations

import gzip
import json
import pickle
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.clean.cleaner import Cleaner
from storyline.cli.app import app
from storyline.config import IngestConfig
from storyline.encoding import decode
from storyline.errors import BlockedAddressError, FetchError, InputError
from storyline.ingest import Source, read, sniff
from storyline.model import Article

from .fuzzing import HANDWRITTEN
from .helpers import page

runner = CliRunner()
CONFIG = IngestConfig()
BODY = (
    "The new bridge over the river opened to traffic on Saturday after four years of work, the city council said. "
    "Engineers said it would carry thirty thousand vehicles a day."
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # inputs are written as files under their own names


def results(name: str, data: bytes) -> tuple[list[Article], list[InputError]]:
    """What the readers make of ``data`` saved as the file ``name`` (in the test's folder)."""
    articles: list[Article] = []
    errors: list[InputError] = []
    path = Path(name)
    path.write_bytes(data)
    for item in read(Source(name, path=path), CONFIG):
        (errors if isinstance(item, InputError) else articles).append(item)  # type: ignore[arg-type]
    return articles, errors


def cleaned(name: str, data: bytes) -> tuple[list[object], list[InputError]]:
    articles, errors = results(name, data)
    docs: list[object] = []
    for result in Cleaner(CONFIG).clean_many(articles):
        (errors if isinstance(result, InputError) else docs).append(result)  # type: ignore[arg-type]
    return docs, errors


def assert_clear(errors: list[InputError], name: str) -> None:
    for error in errors:
        assert error.code != "internal", str(error)
        assert "\n" not in str(error) and str(error).startswith(name), str(error)


# -- errors cross process boundaries ---------------------------------------------------------------


@pytest.mark.parametrize("cls", [InputError, FetchError, BlockedAddressError])
def test_input_errors_survive_pickling(cls: type[InputError]) -> None:
    error = cls("pages/a.html", "no-text", "no article text found")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls
    assert (again.origin, again.code, again.reason, str(again)) == (
        "pages/a.html",
        "no-text",
        "no article text found",
        "pages/a.html: no article text found",
    )


def test_error_messages_are_one_line() -> None:
    error = InputError("x.warc", "truncated", "archive is corrupt\n  Offset: 12\n  Remainder: b'...'")
    assert str(error) == "x.warc: archive is corrupt Offset: 12 Remainder: b'...'"


def test_ingest_with_two_workers_keeps_the_batch_when_one_page_fails(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(5):
        (folder / f"good{i}.html").write_bytes(page(f"Bridge {i} opens", f"Story {i}. {BODY}"))
    (folder / "bad.html").write_bytes(b"<html><body><nav>Home | News | Sport</nav></body></html>")
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "2", "--batch-size", "4"])
    assert result.exit_code == 1, result.stderr
    assert "bad.html" in result.stderr and "Traceback" not in result.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


# -- records ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_malformed_not_a_crash(name: str) -> None:
    data = b"[" * 100_000 + b"]" * 100_000 + b"\n"
    articles, errors = results(name, data)
    assert not articles and len(errors) == 1
    assert errors[0].code == "malformed" and "nested too deeply" in errors[0].reason


def test_lone_surrogate_escapes_become_replacement_characters() -> None:
    record = b'{"title": "Talks \\ud800 end", "text": "Leaders met on Monday \\udfff in the capital."}'
    docs, errors = cleaned("half.json", record)
    assert not errors and len(docs) == 1
    doc = docs[0]
    assert "\ufffd" in doc.text and "\ud800" not in doc.text  # type: ignore[attr-defined]
    doc.text.encode("utf-8")  # type: ignore[attr-defined]


@pytest.mark.parametrize("published", ["NaN", "Infinity", "1e300", "99999999999999999999"])
def test_impossible_epoch_dates_leave_the_record_undated(published: str) -> None:
    record = f'{{"title": "Talks", "text": "Leaders met on Monday in the capital.", "published": {published}}}'
    docs, errors = cleaned("epoch.json", record.encode())
    assert not errors and len(docs) == 1
    assert docs[0].published is None  # type: ignore[attr-defined]


def test_impossible_zone_offset_leaves_the_record_undated() -> None:
    record = json.dumps(
        {"title": "T", "text": "Leaders met on Monday in the capital.", "published": "2018-05-21T10:00:00+99:99"}
    )
    docs, errors = cleaned("zone.json", record.encode())
    assert not errors and len(docs) == 1
    assert docs[0].published is None  # type: ignore[attr-defined]


def test_empty_json_list_and_header_only_csv_are_reported() -> None:
    for name, data in (("none.json", b"[]"), ("rows.csv", b"title,text,published\n")):
        articles, errors = results(name, data)
        assert not articles and len(errors) == 1 and errors[0].code == "empty", (name, errors)


# -- compressed inputs -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.json.gz", "a.jsonl.gz", "a.csv.gz", "a.txt.gz", "a.html.gz"])
@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_damaged_gzip_is_one_clear_error(name: str, damage: str) -> None:
    inner = {
        "a.json.gz": HANDWRITTEN["record.json"],
        "a.jsonl.gz": HANDWRITTEN["records.jsonl"] * 200,
        "a.csv.gz": HANDWRITTEN["rows.csv"] + b"More,Another row of text.,2019-01-01\n" * 200,
        "a.txt.gz": HANDWRITTEN["note.txt"] * 50,
        "a.html.gz": page("Bridge opens", BODY) * 20,
    }[name]
    packed = gzip.compress(inner, mtime=0)
    if damage == "truncated":
        data = packed[: len(packed) // 2]
    else:
        middle = len(packed) // 2
        data = packed[:middle] + bytes(b ^ 0xFF for b in packed[middle : middle + 16]) + packed[middle + 16 :]
    docs, errors = cleaned(name, data)
    assert errors, docs
    assert_clear(errors, name)
    assert any(e.code in ("truncated", "malformed", "encoding") for e in errors), errors


# -- feeds and archives by content -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"<!-- generated by a CMS -->\n" + HANDWRITTEN["feed.rss"].split(b"?>", 1)[1],
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n' + HANDWRITTEN["feed.rss"].split(b"?>", 1)[1],
        HANDWRITTEN["feed.rdf"],
        HANDWRITTEN["feed.rss"].decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"),
        HANDWRITTEN["feed.rss"].decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16-le"),
    ],
    ids=["comment", "doctype", "rdf", "utf16-bom", "utf16-no-bom"],
)
@pytest.mark.parametrize("name", ["feed", "feed.xml", "feed.txt"])
def test_feeds_are_recognised_after_prologs_and_in_utf16(data: bytes, name: str) -> None:
    Path(name).write_bytes(data)
    source = Source(name, path=Path(name))
    assert sniff(source, source.head()) == "feed"
    articles, errors = results(name, data)
    assert not errors and len(articles) == 1
    assert articles[0].fields.title in ("Talks held", "Port reopens")


def test_a_feed_cut_short_says_how_many_entries_were_lost() -> None:
    full = HANDWRITTEN["feed.rss"].replace(
        b"</channel>",
        b"<item><title>Second</title><description>Second story text.</description></item>"
        b"<item><title>Third</title><description>Third story</description></item></channel>",
    )
    cut = full[: full.index(b"<item><title>Third")] + b"<item><title>Thi"
    articles, errors = results("cut.rss", cut)
    assert [a.fields.title for a in articles][:2] == ["Talks held", "Second"]
    assert len(articles) + len(errors) >= 3  # every opened entry is a document or an error
    assert any(e.code in ("truncated", "no-text") for e in errors), errors


def test_arc_archives_are_read_not_stored_as_text() -> None:
    html = page("Dam opens", BODY)
    payload = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    desc_body = b"1 0 Storyline\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = (
        b"filedesc://test.arc 0.0.0.0 20190101000000 text/plain %d\n" % len(desc_body)
        + desc_body
        + b"\nhttp://example.org/dam 93.184.216.34 20190101000000 text/html %d\n" % len(payload)
        + payload
        + b"\n"
    )
    for name in ("crawl.arc", "crawl"):
        docs, errors = cleaned(name, arc)
        assert not errors and len(docs) == 1, errors
        assert docs[0].title == "Dam opens" and docs[0].url == "http://example.org/dam"  # type: ignore[attr-defined]


def test_a_warc_with_cut_http_headers_is_one_clear_error(tmp_path: Path) -> None:
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/ht"
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/x\r\n"
        b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % len(payload) + payload + b"\r\n\r\n"
    )
    docs, errors = cleaned("cut.warc", record)
    assert not docs and errors
    assert_clear(errors, "cut.warc")


# -- decoding --------------------------------------------------------------------------------------


def test_one_stray_byte_in_utf8_keeps_the_page_utf8() -> None:
    html = page("Café opens", "The café on the quay — long closed — opened again on Friday. " + BODY)
    at = html.index(b"opened")
    text, note = decode(html[:at] + b"\x96" + html[at:], "p.html")
    assert "Café" in text and "café" in text and "—" in text and "Ã" not in text
    assert note is not None and "1 invalid byte" in note


def test_an_undefined_declared_charset_is_ignored() -> None:
    data = page("Bridge opens", BODY).replace(b"<head>", b'<head><meta charset="x-no-such-charset">')
    docs, errors = cleaned("odd.html", data)
    assert not errors and len(docs) == 1
    text, _ = decode(b"<p>Un caf\xe9 cr\xe8me, s'il vous pla\xeet.</p>", "o.html", declared="x-no-such-charset")
    assert "caf\xe9" in text


def test_control_characters_in_a_caption_are_dropped() -> None:
    data = page("Bridge opens", BODY, caption="The bridge\x07 at dawn\x1b[0m (Photo: City)")
    docs, errors = cleaned("ctrl.html", data)
    assert not errors and len(docs) == 1
    assert not any(ord(c) < 32 and c not in "\n\t" for c in docs[0].text)  # type: ignore[attr-defined]


# -- pathological sizes ----------------------------------------------------------------------------


def test_hard_wrapped_lines_join_in_linear_time() -> None:
    # 4,000 lower-case lines with no full stop: each joins the one before (this was quadratic)
    data = b"Title\n\n" + b"lower case text with no full stop here\n" * 4000
    docs, errors = cleaned("wrapped.txt", data)
    assert not errors and len(docs) == 1
    assert docs[0].text.count("lower case text") == 4000  # type: ignore[attr-defined]


def test_xml_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    feed = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://' + str(secret).encode() + b'">]>\n'
        b"<rss version='2.0'><channel><title>Wire</title><item><title>Talks &leak;</title>"
        b"<description>The leaders met on Friday in the capital and spoke of trade &leak;.</description>"
        b"</item></channel></rss>"
    )
    articles, errors = results("leak.rss", feed)
    assert_clear(errors, "leak.rss")
    seen = " ".join(str(a.content) + str(a.fields.title) for a in articles) + " ".join(map(str, errors))
    assert "TOP-SECRET-VALUE" not in seen


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("brackets.txt", b"Title\n\n" + b"[*" * 50_000 + b"\nThe port reopened on Monday after the storm.\n"),
        ("links.md", b"# Title\n\n" + b"[" * 100_000 + b"x" + b"]" * 100_000 + b"\n\nThe port reopened on Monday.\n"),
        ("stars.md", b"# Title\n\nThe port reopened on Monday. " + b"*a " * 50_000 + b"\n"),
    ],
)
def test_runs_of_unclosed_markup_are_read(name: str, data: bytes) -> None:
    # shapes that once sent a pattern back over the whole line from every mark (minutes of work);
    # the fuzzing benchmark (make fuzz) is what watches the time
    docs, errors = cleaned(name, data)
    assert not errors and len(docs) == 1
    assert "The port reopened on Monday" in docs[0].text  # type: ignore[attr-defined]


def test_control_characters_in_a_feed_entry_are_dropped() -> None:
    feed = HANDWRITTEN["feed.rss"].replace(
        b"<description>The two leaders",
        b"<description>&lt;figure&gt;&lt;figcaption&gt;Leaders\x01 meet&lt;/figcaption&gt;&lt;/figure&gt;"
        b"Moscow\x01 desk &lt;p&gt;The two\x00 leaders",
    )
    docs, errors = cleaned("ctrl.rss", feed)
    assert not errors and len(docs) == 1, errors
    assert "The two leaders held talks" in docs[0].text  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["long.json", "long.jsonl"])
def test_a_number_too_long_to_read_is_malformed(name: str) -> None:
    data = b'{"title": "T", "text": "Leaders met on Monday in the capital.", "views": ' + b"9" * 10_000 + b"}\n"
    articles, errors = results(name, data)
    assert not articles and len(errors) == 1 and errors[0].code == "malformed", errors


def test_a_warc_record_without_its_target_is_damage() -> None:
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>x</p></body></html>"
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:2>\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
        % len(payload)
        + payload
        + b"\r\n\r\n"
    )
    docs, errors = cleaned("nouri.warc", record)
    assert not docs and errors
    assert_clear(errors, "nouri.warc")
