#!/usr/bin/env python3
"""Build the sample WARC archive for the storyline example corpus.

Reads the HTML pages in ``examples/warc_source/*.html`` and writes
``examples/corpus/archive/crawl-2019.warc.gz`` containing:

* one ``warcinfo`` record (first),
* one ``response`` record for ``/robots.txt`` (text/plain),
* for every page, a ``request`` record and a ``response`` record
  (HTTP/1.1 200, ``Content-Type: text/html; charset=utf-8``),
* one ``response`` record for a small PNG image, which readers should skip.

The target URI of each page is taken from its ``<link rel="canonical">``.
The output is deterministic: WARC-Date values are fixed, record ids are
UUID5 values derived from the record type and target URI, and the gzip
members carry no timestamp.  Running the script twice gives identical bytes.

Usage (needs warcio)::

    python examples/make_warc.py
"""

import glob
import os
import re
import uuid
from datetime import datetime, timedelta, timezone
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.join(HERE, "warc_source")
OUTPUT = os.path.join(HERE, "corpus", "archive", "crawl-2019.warc.gz")

HOST = "www.kaveripost.example"
ROBOTS_URI = "http://%s/robots.txt" % HOST
IMAGE_URI = "http://%s/static/img/logo-small.png" % HOST
IP_ADDRESS = "192.0.2.44"  # TEST-NET-1, documentation range

CRAWL_START = datetime(2019, 8, 14, 6, 0, 0, tzinfo=timezone.utc)
RECORD_NS = uuid.UUID("6f1c2a7e-3b52-4c8e-9d1f-5a0b7c3e2d41")

ROBOTS_TXT = (
    b"User-agent: *\n"
    b"Disallow: /search/\n"
    b"Disallow: /login/\n"
    b"Sitemap: http://www.kaveripost.example/sitemap.xml\n"
)

# A valid 1x1 transparent PNG (67 bytes).
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000a49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)

CANONICAL_RX = re.compile(r'<link\s+rel="canonical"\s+href="([^"]+)"', re.I)


def record_id(kind, uri):
    return "<urn:uuid:%s>" % uuid.uuid5(RECORD_NS, kind + " " + uri)


def warc_date(step):
    return (CRAWL_START + timedelta(seconds=30 * step)).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(step):
    return (CRAWL_START + timedelta(seconds=30 * step)).strftime("%a, %d %b %Y %H:%M:%S GMT")


def path_of(uri):
    rest = uri.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def write_request(writer, uri, step, concurrent_to):
    headers = [
        ("Host", HOST),
        ("User-Agent", "storyline-example-crawler/1.0 (+http://crawler.example/about)"),
        ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
        ("Accept-Encoding", "identity"),
        ("Connection", "close"),
    ]
    http_headers = StatusAndHeaders("GET %s HTTP/1.1" % path_of(uri), headers, is_http_request=True)
    record = writer.create_warc_record(
        uri, "request",
        payload=BytesIO(b""), length=0,
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Record-ID": record_id("request", uri),
            "WARC-Date": warc_date(step),
            "WARC-Concurrent-To": concurrent_to,
            "WARC-IP-Address": IP_ADDRESS,
        },
    )
    writer.write_record(record)


def write_response(writer, uri, step, body, content_type):
    headers = [
        ("Date", http_date(step)),
        ("Server", "nginx"),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    ]
    http_headers = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    rid = record_id("response", uri)
    record = writer.create_warc_record(
        uri, "response",
        payload=BytesIO(body), length=len(body),
        http_headers=http_headers,
        warc_headers_dict={
            "WARC-Record-ID": rid,
            "WARC-Date": warc_date(step),
            "WARC-IP-Address": IP_ADDRESS,
        },
    )
    writer.write_record(record)
    return rid


def write_warcinfo(writer, filename):
    fields = (
        "software: warcio (storyline examples/make_warc.py)\r\n"
        "format: WARC File Format 1.0\r\n"
        "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
        "isPartOf: storyline-example-crawl-2019\r\n"
        "description: Sample crawl of a fictional news site for the storyline example corpus\r\n"
        "robots: obey\r\n"
        "http-header-user-agent: storyline-example-crawler/1.0\r\n"
    ).encode("utf-8")
    record = writer.create_warc_record(
        "", "warcinfo",
        payload=BytesIO(fields), length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": record_id("warcinfo", filename),
            "WARC-Date": warc_date(0),
            "WARC-Filename": filename,
        },
    )
    writer.write_record(record)


def load_pages():
    pages = []
    for path in sorted(glob.glob(os.path.join(SOURCE_DIR, "*.html"))):
        with open(path, "rb") as fh:
            body = fh.read()
        match = CANONICAL_RX.search(body.decode("utf-8"))
        if not match:
            raise SystemExit("no canonical link in %s" % path)
        pages.append((match.group(1), body))
    return pages


def main():
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    pages = load_pages()
    with open(OUTPUT, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        write_warcinfo(writer, os.path.basename(OUTPUT))
        step = 1
        write_response(writer, ROBOTS_URI, step, ROBOTS_TXT, "text/plain")
        for uri, body in pages:
            step += 1
            resp_id = record_id("response", uri)
            write_request(writer, uri, step, resp_id)
            write_response(writer, uri, step, body, "text/html; charset=utf-8")
        step += 1
        write_response(writer, IMAGE_URI, step, PNG_BYTES, "image/png")
    print("wrote %s (%d pages)" % (OUTPUT, len(pages)))


if __name__ == "__main__":
    main()
