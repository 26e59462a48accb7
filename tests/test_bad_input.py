"""Bad input: one clear line naming the input and the reason, the rest of the batch stored,
exit code 1, and a summary that counts stored, duplicate and failed inputs."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app

from .helpers import make_warc, page

runner = CliRunner()
GOOD = "A good article\n2019-05-02\n\nThis article is fine and should be stored whatever else is in the batch.\n"


def ingest(tmp_path: Path, bad: Path | str, *extra: str) -> tuple[int, list[str], Path]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["ingest", str(bad), str(good), "--db", str(db), "--languages", "en,de,fr", *extra])
    return result.exit_code, result.stderr.strip().splitlines(), db


def stored_titles(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT title FROM documents ORDER BY title")]


def check(tmp_path: Path, bad: Path | str, reason: str, *extra: str, stored: int = 1, failed: int = 1) -> list[str]:
    code, lines, db = ingest(tmp_path, bad, *extra)
    errors = [line for line in lines if line.startswith("error:")]
    assert code == 1, lines
    assert len(errors) == failed, lines
    assert str(bad).split("#")[0] in errors[0] and reason in errors[0], errors
    assert "A good article" in stored_titles(db)
    assert (
        lines[-1].startswith(f"stored {stored} document")
        and lines[-1].endswith(")")
        and f"{failed} failed" in lines[-1]
    ), lines
    return errors


def test_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    check(tmp_path, bad, "empty input (0 bytes)")


def test_whitespace_only_file(tmp_path: Path) -> None:
    bad = tmp_path / "blank.txt"
    bad.write_bytes(b"  \n\n\t \n")
    check(tmp_path, bad, "empty input")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF document"),
        (os.urandom(4096) + b"\x00" * 64, "binary"),
    ],
)
def test_binary_file(tmp_path: Path, data: bytes, what: str) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(data)
    check(tmp_path, bad, what)


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    bad = tmp_path / "huge.txt"
    with bad.open("wb") as f:
        f.write(b"Huge title\n\n")
        line = b"This sentence repeats to make a very large text file for the size limit test.\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    assert bad.stat().st_size > 50_000_000
    errors = check(tmp_path, bad, "over the 10.5 MB limit for one document (52.4 MB)")
    assert "--max-bytes" in errors[0]


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    bad = tmp_path / "big.txt"
    bad.write_text("Title\n\n" + "Words in a body that is longer than the limit. " * 100, encoding="utf-8")
    check(tmp_path, bad, "limit for one document", "--max-bytes", "1000")
    code, lines, _ = ingest(
        tmp_path / "again" if (tmp_path / "again").mkdir() is None else tmp_path, bad, "--max-bytes", "100000"
    )
    assert code == 0, lines


def test_invalid_utf8_that_is_another_encoding_is_read_with_a_note(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes(
        "Caf\u00e9 prices rise\n\nOwners of caf\u00e9s in the old town said prices would rise by a fifth.\n".encode(
            "cp1252"
        )
    )
    code, lines, db = ingest(tmp_path, latin)
    assert code == 0, lines
    assert any(
        line.startswith("note:") and "latin.txt" in line and "not UTF-8; decoded as" in line for line in lines
    ), lines
    assert "Café prices rise" in stored_titles(db)


def test_invalid_utf8_that_fits_no_encoding(tmp_path: Path) -> None:
    bad = tmp_path / "garbled.txt"
    bad.write_bytes(b"Title line\n\n" + bytes([0x80 + (i * 37) % 127 for i in range(3000)]))
    check(tmp_path, bad, "invalid UTF-8")


def test_malformed_html_is_recovered_or_reported(tmp_path: Path) -> None:
    recoverable = tmp_path / "broken.html"
    recoverable.write_text(
        "<html><head><title>Broken page</title><body><div><p>Unclosed paragraph about the summit talks "
        "held in Sochi on Monday"
        "<p>Another paragraph without a closing tag, officials said, as the leaders met for hours.<div></body>",
        encoding="utf-8",
    )
    code, lines, db = ingest(tmp_path, recoverable)
    assert code == 0, lines
    assert len(stored_titles(db)) == 2
    empty = tmp_path / "nothing.html"
    empty.write_text(
        "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav><div></div></body></html>"
    )
    check(
        tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path,
        empty,
        "no article text found: only 4 characters ('Home')",
    )


def test_malformed_feed_xml(tmp_path: Path) -> None:
    bad = tmp_path / "broken.rss"
    bad.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Half an item', encoding="utf-8"
    )
    check(tmp_path, bad, "feed")


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    bad = tmp_path / "data.xml"
    bad.write_text('<?xml version="1.0"?><catalog><book id="1"><title>A</title></book></catalog>', encoding="utf-8")
    check(tmp_path, bad, "feed")


def test_malformed_json(tmp_path: Path) -> None:
    bad = tmp_path / "records.json"
    bad.write_text('[{"title": "A", "text": "B"}, {"title": ', encoding="utf-8")
    check(tmp_path, bad, "invalid JSON at line 1 column")


def test_malformed_jsonl_line_keeps_the_other_lines(tmp_path: Path) -> None:
    bad = tmp_path / "records.jsonl"
    bad.write_text(
        '{"title": "Line one", "text": "The first record has enough text to be an article."}\n{"title": broken\n',
        encoding="utf-8",
    )
    check(tmp_path, bad, "line=2: invalid JSON", stored=2)


def test_malformed_csv(tmp_path: Path) -> None:
    bad = tmp_path / "briefs.csv"
    bad.write_text(
        'id,title,text\n1,"Row one","The text of row one is long enough to keep."\n2,"Unterminated,"never closed\n',
        encoding="utf-8",
    )
    check(tmp_path, bad, "row=3: malformed CSV", stored=2)


def test_truncated_warc(tmp_path: Path) -> None:
    full = tmp_path / "full.warc.gz"
    make_warc(
        full, [(f"https://x.example/{i}", page(f"Page {i}", f"Distinct article number {i}. " * 80)) for i in range(3)]
    )
    data = full.read_bytes()
    bad = tmp_path / "cut.warc.gz"
    bad.write_bytes(data[: int(len(data) * 0.8)])
    check(tmp_path, bad, "archive is truncated or corrupt after", stored=3)


def test_missing_path_and_broken_link(tmp_path: Path) -> None:
    check(tmp_path, tmp_path / "does-not-exist.txt", "no such file or folder")
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    folder = tmp_path / "f"
    folder.mkdir()
    check(folder, link, "broken symbolic link")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "secret.txt"
    bad.write_text(GOOD)
    bad.chmod(0)
    check(tmp_path, bad, "permission denied")


@pytest.fixture
def silent_server() -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    sock.close()


def test_feed_url_that_times_out(tmp_path: Path, silent_server: str) -> None:
    errors = check(tmp_path, silent_server, "no answer within 0.5 s", "--allow-private", "--timeout", "0.5")
    assert errors[0] == f"error: {silent_server}: no answer within 0.5 s"


def test_private_url_refused_without_flag(tmp_path: Path, silent_server: str) -> None:
    check(tmp_path, silent_server, "resolves to non-public address 127.0.0.1; pass --allow-private")


def test_nothing_stored_is_lost_when_a_later_batch_fails(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text("First article\n\nAn article stored in an earlier run that must survive.\n")
    db = tmp_path / "s.db"
    assert runner.invoke(app, ["ingest", str(first), "--db", str(db), "--languages", "en,de"]).exit_code == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, _ = ingest(tmp_path, empty)
    assert code == 1
    assert stored_titles(db) == ["A good article", "First article"]
