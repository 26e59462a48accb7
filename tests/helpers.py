"""Builders for test inputs (made here, at test time; nothing is downloaded)."""

from __future__ import annotations

import io
from pathlib import Path


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
