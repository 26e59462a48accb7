"""Every input accounted for: each thing a reader is given comes out as documents or one clear
error naming it and the reason, and the rest of the batch goes on (a tester's report: files of a
form, folders that cannot be listed, links, FIFOs and vanished files in a folder, whole-file
gzipped and cut web archives, invisible text, feed entries with no link, cut feeds)."""

from __future__ import annotations

import gzip
import io
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from storyline.clean.cleaner import Cleaner
from storyline.config import IngestConfig
from storyline.errors import InputError
from storyline.ingest import Source, expand, read
from storyline.model import Article, ContentKind, Document

from .helpers import PageTransport, make_warc, page

CONFIG = IngestConfig()
STORY = (
    "The foreign minister of Ruritania visited the port city of Zenda on Monday, meeting local officials "
    "to discuss trade. Officials said the talks covered shipping and tariffs."
)


def _read(path: Path, config: IngestConfig = CONFIG, transport: Any = None) -> list[Article | InputError]:
    return list(read(Source(str(path), path=path), config, transport))


def _split(items: list[Any]) -> tuple[list[Any], list[InputError]]:
    return [i for i in items if not isinstance(i, InputError)], [i for i in items if isinstance(i, InputError)]


# -- 1. the REST API reads every file of a form ------------------------------------------------------


def test_every_file_sent_under_one_form_field_is_ingested(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    import storyline
    from storyline.config import ServerConfig
    from storyline.server.app import create_app

    db = tmp_path / "api.db"
    storyline.open(db).close()
    auth = {"Authorization": "Bearer t0ken-for-tests"}
    files = [
        ("files", (f"{city.lower()}.txt", f"Talks in {city}\n\n{STORY} They met in {city}.".encode(), "text/plain"))
        for city in ("Zenda", "Strelsau", "Tarlenheim")
    ]  # as curl -F files=@a -F files=@b, or a browser's <input multiple>, sends them
    with TestClient(create_app(db, ServerConfig(token="t0ken-for-tests")), raise_server_exceptions=False) as c:
        report = c.post("/api/ingest", files=files, headers=auth).json()
        assert report["inputs"] == 3 and report["failed"] == 0, report
        assert c.get("/api/stats").json()["documents"] == 3


# -- 2. folders: every entry is read or reported, and the walk goes on -------------------------------


def _tree(root: Path) -> None:
    for name in ("a.txt", "locked/inside.txt", "m/b.txt", "z.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"{name}\n\n{STORY}", encoding="utf-8")


def _deny(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """``folder`` cannot be listed, as with mode 000 for a user without CAP_DAC_OVERRIDE (the
    tests may run as root, whom a mode does not stop)."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(os.fsdecode(path)) == folder:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    _deny(monkeypatch, tmp_path / "locked")
    sources, errors = _split(list(expand([str(tmp_path)])))
    assert [s.name for s in sources] == [str(tmp_path / n) for n in ("a.txt", "z.txt", "m/b.txt")]
    assert [(e.origin, e.code) for e in errors] == [(str(tmp_path / "locked"), "unreadable")]
    assert "permission denied" in errors[0].reason


def test_an_unreadable_folder_given_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    _deny(monkeypatch, tmp_path)
    (error,) = expand([str(tmp_path)])
    assert isinstance(error, InputError) and error.origin == str(tmp_path) and "permission denied" in error.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_and_links_to_folders_in_a_folder_are_reported(tmp_path: Path) -> None:
    _tree(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "m" / "up").symlink_to(tmp_path, target_is_directory=True)  # a loop, were it followed
    (tmp_path / "elsewhere").symlink_to(tmp_path / "m", target_is_directory=True)
    sources, errors = _split(list(expand([str(tmp_path)])))
    assert len(sources) == 4
    reasons = {Path(e.origin).relative_to(tmp_path).as_posix(): e.reason for e in errors}
    assert reasons == {
        "pipe.txt": "not a regular file or folder",
        "elsewhere": "symbolic link to a folder, not followed",
        "m/up": "symbolic link to a folder, not followed",
    }
    assert all(e.code == "unreadable" for e in errors)


def test_files_removed_while_a_folder_is_read_are_reported(tmp_path: Path) -> None:
    _tree(tmp_path)
    walk = expand([str(tmp_path)])
    first = next(walk)
    assert isinstance(first, Source) and first.name == str(tmp_path / "a.txt")
    (tmp_path / "z.txt").unlink()  # listed with the folder, gone before it is looked at
    second = next(walk)
    assert isinstance(second, InputError) and second.origin == str(tmp_path / "z.txt")
    assert second.code == "unreadable" and "removed" in second.reason
    third = next(walk)
    assert isinstance(third, Source)
    Path(third.name).unlink()  # looked at, gone before it is read
    (gone,) = read(third, CONFIG)
    assert isinstance(gone, InputError) and gone.origin == third.name and "removed" in gone.reason
    assert [s.name for s in walk] == [str(tmp_path / "m" / "b.txt")]


# -- 3., 4. and 7. web archives ----------------------------------------------------------------------

PAGES = [(f"https://x.example/{i}", page(f"Page {i}", f"Distinct article number {i}. " * 40)) for i in range(3)]


def _small_warc(*, gzip_records: bool) -> tuple[bytes, list[int]]:
    """Three small HTML responses, and where each record ends."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_records)
    ends = []
    for i in range(3):
        body = f"<html><body><p>Page {i} of the archive.</p></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"http://e.example/{i}", "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
        )
        ends.append(out.tell())
    return out.getvalue(), ends


def test_a_warc_gzipped_whole_is_read_in_full(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    make_warc(plain, PAGES, gzip_records=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))  # one gzip stream over every record
    articles, errors = _split(_read(whole))
    assert not errors and [a.fields.url for a in articles] == [u for u, _ in PAGES]
    cut = tmp_path / "whole-cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[:-100])
    articles, errors = _split(_read(cut))
    assert [e.code for e in errors] == ["truncated"]
    assert f"after {len(articles)} page(s)" in errors[0].reason


def test_a_warc_gz_cut_inside_the_last_records_headers_is_reported(tmp_path: Path) -> None:
    data, ends = _small_warc(gzip_records=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.8)])  # inside the third record's gzip member
    assert ends[1] < int(len(data) * 0.8) < ends[2]
    articles, errors = _split(_read(cut))
    assert len(articles) == 2
    assert [(e.origin, e.code) for e in errors] == [(str(cut), "truncated")]
    assert "after 2 page(s)" in errors[0].reason


@pytest.mark.parametrize("gzip_records", [False, True], ids=["warc", "warc.gz"])
def test_a_warc_cut_anywhere_is_whole_records_and_then_one_error(gzip_records: bool) -> None:
    data, ends = _small_warc(gzip_records=gzip_records)
    # an uncompressed record ends in two line ends, which a cut may leave off
    whole = {n for end in ends for n in range(end - (0 if gzip_records else 4), end + 1)}
    for n in range(2, len(data)):  # (a single byte is not sniffed as an archive)
        name = "cut.warc.gz" if gzip_records else "cut.warc"
        articles, errors = _split(list(read(Source(name, data=data[:n]), CONFIG)))
        whole_records = sum(end <= n for end in ends)
        # (a page read whole is kept, even when what closes its record is cut off)
        assert whole_records <= len(articles) <= whole_records + 1, n
        if n in whole:
            assert not errors, (n, errors)
        else:
            assert [e.code for e in errors] == ["truncated"], (n, errors)
            assert "NoneType" not in errors[0].reason and "non-chunked" not in errors[0].reason, errors


def test_warc_damage_is_said_in_readable_words(tmp_path: Path) -> None:
    data, ends = _small_warc(gzip_records=False)
    cut = tmp_path / "cut.warc"
    for inside in (60, 200):  # inside the second record's WARC headers, before and after its URI
        cut.write_bytes(data[: ends[0] + inside])
        articles, (error,) = _split(_read(cut))
        assert len(articles) == 1 and error.code == "truncated" and "NoneType" not in error.reason
        assert "after 1 page(s) (truncated inside a record" in error.reason or "cut short" in error.reason
    noise = tmp_path / "noise.warc"
    noise.write_bytes(bytes(range(256)) * 16)  # 4 kB of bytes that are no archive
    (error,) = _read(noise)
    assert isinstance(error, InputError) and error.code == "malformed" and "not a WARC" in error.reason
    quoted = error.reason.split("(", 1)[1]
    assert len(quoted) < 100 and all(c.isprintable() for c in error.reason), error.reason


# -- 5. text of invisible characters is no text ------------------------------------------------------


def _clean(text: str) -> Document | InputError:
    article = Article(text, ContentKind.BODY_TEXT, "probe.txt", "probe.txt")
    return Cleaner(CONFIG).clean_many([article])[0]


@pytest.mark.parametrize(
    "text",
    [
        "\u202e" * 100,
        "\u200e" * 100,
        "\u2066\u2067\u2068\u2069" * 100,
        "".join(chr(c) for c in range(0xE0020, 0xE007A)) * 3,
        "\u0301" * 300,
        "\ufe0f" * 300,
        "\u200f\u0301" * 50 + "\n\n" + "\u2067\ufe0f" * 50,
    ],
    ids=["rlo", "lrm", "isolates", "tags", "combining", "variation", "mixed"],
)
def test_text_of_invisible_characters_is_no_text(text: str) -> None:
    result = _clean(text)
    assert isinstance(result, InputError) and result.code == "no-text", result
    assert "do not show" in result.reason and len(result.reason) < 200, result.reason


@pytest.mark.parametrize(
    "text",
    [
        "\u200fהשר הגיע לעיר הנמל ביום שני\u200f ונפגש עם פקידים.",  # Hebrew with right-to-left marks
        "\u200fوصل الوزير إلى المدينة يوم الاثنين\u200f والتقى بالمسؤولين.",  # Arabic, the same
        unicodedata.normalize("NFD", "Le ministre a visité Zénda. Réunion à l'hôtel de ville."),
        "Zalgo: Z\u0301\u0302a\u0303l\u0304g\u0305o met the minister in Zenda on Monday.",
    ],
    ids=["hebrew", "arabic", "decomposed-accents", "marks-on-letters"],
)
def test_real_text_with_marks_is_kept_as_it_was(text: str) -> None:
    result = _clean(text)
    assert isinstance(result, Document), result
    assert result.text == unicodedata.normalize("NFC", text).strip()


def test_a_short_text_padded_with_marks_is_still_short() -> None:
    result = _clean("Only ten." + "\u200e" * 40)
    assert isinstance(result, InputError) and "only 9 characters" in result.reason, result


# -- 6. feeds with --fetch-links ---------------------------------------------------------------------


def test_fetch_links_reads_an_entry_with_no_link_from_its_text_once(tmp_path: Path) -> None:
    feed = tmp_path / "links.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><guid>l4</guid><title>No link</title><description>{STORY}</description></item>"
        f"<item><guid isPermaLink='false'>l5</guid><title>Not a link</title><description>{STORY}!</description></item>"
        "<item><guid>l6</guid><title>Gone, and no text</title><link>https://x.example/gone</link></item>"
        "<item><guid>l7</guid><title>Nothing</title></item>"
        "<item><guid>https://x.example/p</guid><title>Guid is the link</title><description>t</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    pages = PageTransport({"https://x.example/p": page("P", STORY)}, failure="404")
    items = _read(feed, IngestConfig(fetch_links=True), pages)
    assert pages.calls == ["https://x.example/gone", "https://x.example/p"]  # "l4" is a name, not a link
    origins = [i.origin.rsplit("#", 1)[1] for i in items]
    assert origins == ["l4", "l5", "l6", "l7", "https://x.example/p"]  # one item per entry
    articles, errors = _split(items)
    assert [a.fields.url for a in articles] == [None, None, "https://x.example/p"]
    assert [(e.code, e.reason) for e in errors] == [
        ("fetch", "linked page not fetched and the entry has no text (HTTP 404 Not Found)"),
        ("no-text", "feed entry has no text and no link"),
    ]
    assert not any("--fetch-links" in e.reason for e in errors)


# -- 8. a feed cut short is said to be -----------------------------------------------------------------

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>\n'
    f"<item><guid>g1</guid><title>One &amp; more</title><description>{STORY} caf&eacute;</description></item>\n"
    f"<item><guid>g2</guid><title>Two</title><description><![CDATA[<p>{STORY}</p>]]></description></item>\n"
    "</channel></rss>\n"
)


def test_a_feed_cut_inside_an_entry_is_reported_truncated(tmp_path: Path) -> None:
    cut = tmp_path / "cut.rss"
    cut.write_text(FEED[: FEED.index("to discuss", FEED.index("CDATA"))], encoding="utf-8")
    articles, errors = _split(_read(cut))
    assert [a.origin for a in articles] == [f"{cut}#g1"]
    assert [(e.origin, e.code) for e in errors] == [(str(cut), "truncated")]
    assert "cut short" in errors[0].reason and "1 of 2 entries" in errors[0].reason
    first_only = tmp_path / "first.rss"
    first_only.write_text(FEED[: FEED.index("<item><guid>g2") + 40], encoding="utf-8")
    (error,) = _read(first_only)[1:]
    assert isinstance(error, InputError) and error.code == "truncated"


def test_a_whole_feed_with_an_html_entity_is_not_truncated(tmp_path: Path) -> None:
    whole = tmp_path / "whole.rss"
    whole.write_text(FEED, encoding="utf-8")  # &eacute; is no XML entity: feedparser sets bozo
    articles, errors = _split(_read(whole))
    assert len(articles) == 2 and not errors


# -- a date given and not used is said ----------------------------------------------------------------


@pytest.mark.parametrize("given", ["9999-12-31T23:59:59+14:00", "0000-00-00", "sometime soon"])
def test_a_date_given_and_not_used_is_noted(given: str) -> None:
    from storyline.model import SourceFields

    text = "The council met on the harbour plan and voted to fund the new quay next spring."
    article = Article(text, ContentKind.BODY_TEXT, "probe.jsonl", "probe.jsonl", fields=SourceFields(published=given))
    doc = Cleaner(CONFIG).clean_many([article])[0]
    assert isinstance(doc, Document) and doc.published is None
    assert any(note.startswith(f"date {given!r} not used") for note in doc.notes), doc.notes
    kept = Article(
        text, ContentKind.BODY_TEXT, "probe.jsonl", "probe.jsonl", fields=SourceFields(published="2020-01-01")
    )
    dated = Cleaner(CONFIG).clean_many([kept])[0]
    assert isinstance(dated, Document) and dated.published is not None
    assert not any(note.startswith("date ") for note in dated.notes)


@pytest.mark.parametrize("separator", [" ", "\n", "\t "])
def test_invisible_marks_between_spaces_are_no_text(separator: str) -> None:
    doc = _clean(("\u200f" + separator) * 60)
    assert isinstance(doc, InputError) and doc.code == "no-text"


def test_a_warc_gz_with_a_newline_after_its_last_member_is_whole(tmp_path: Path) -> None:
    data, _ = _small_warc(gzip_records=True)  # one gzip member a record
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data + b"\n")
    articles, errors = _split(_read(path))
    assert not errors and len(articles) == 3, errors
