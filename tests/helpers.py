"""Builders for test inputs (made here, at test time; nothing is downloaded)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from storyline.errors import FetchError
from storyline.ingest.transport import Fetched


def page(title: str, body: str, *, published: str | None = None, caption: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    figure = f"<figure><img src='x.jpg'><figcaption>{caption}</figcaption></figure>" if caption else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{title} | Test Site</title>{meta}"
        f'<meta property="og:site_name" content="Test Site"></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{figure}{paragraphs}</article>"
        f"<footer>Copyright 2019 Test Site</footer></body></html>"
    ).encode()


def make_warc(path: Path, pages: list[tuple[str, bytes]], *, gzip_records: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gzip_records)
        for uri, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2019-09-05T08:00:00Z"},
            )  # fmt: skip
            writer.write_record(record)
        png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"),
                length=8,
                http_headers=png,
            )
        )


def run_cli(*args: str) -> tuple[int, str, str]:
    """``storyline ARGS`` run in this process: its exit code, stdout and stderr."""
    from typer.testing import CliRunner

    from storyline.cli.app import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def analyzed_records(folder: Path, records: list[dict[str, str]]) -> str:
    """``records`` written as JSON Lines to ``folder`` and analyzed (English and German) into a new
    store there with ``storyline analyze``, as a user runs it: the store's path."""
    import json

    path = folder / "reports.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = str(folder / "s.db")
    code, _, err = run_cli("analyze", str(path), "--db", db, "--languages", "en,de")
    assert code == 0, err
    return db


def analyzed_text(folder: Path, text: str, name: str = "article.txt") -> tuple[str, str]:
    """``text`` written to ``folder / name`` and analyzed into a new store there with
    ``storyline analyze``, as a user runs it: the store's path and the document's id."""
    from typer.testing import CliRunner

    import storyline
    from storyline.cli.app import app

    article = folder / name
    article.write_text(text, encoding="utf-8")
    db = str(folder / "s.db")
    result = CliRunner().invoke(app, ["analyze", str(article), "--db", db])
    assert result.exit_code == 0, result.output
    with storyline.open(db) as sl:
        (doc,) = sl.documents(limit=None)
    return db, doc.id


class PageTransport:
    """A transport serving the pages it holds and recording what it was asked for; any other URL
    fails as ``failure`` says: ``"timeout"`` (no answer) or ``"404"`` (a fetch error)."""

    def __init__(self, pages: dict[str, bytes], failure: str = "timeout") -> None:
        self.pages = pages
        self.failure = failure
        self.calls: list[str] = []

    def fetch(self, url: str, *, timeout: float, max_bytes: int) -> Fetched:
        self.calls.append(url)
        if url not in self.pages:
            if self.failure == "timeout":
                raise FetchError(url, "timeout", f"no answer within {timeout:g} s")
            raise FetchError(url, "fetch", "HTTP 404 Not Found")
        return Fetched(url, self.pages[url], "text/html", "utf-8", datetime(2020, 1, 1, tzinfo=UTC))
