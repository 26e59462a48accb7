"""Stores named by URL: which paths are URLs, and URLs as messages may show them (no password).
Standard library only: the CLI's messages use these without importing a backend."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: The URL schemes of the PostgreSQL store (libpq's).
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_SECRET_PARAM = re.compile(r"(^|&)(password|sslpassword)=[^&]*")


def is_url(path: str) -> bool:
    """Whether ``path`` names a store by URL (a server's) rather than a file."""
    return "://" in path and not path.startswith("file://")


def redact(url: str) -> str:
    """The URL without its password (in the user part or as a parameter), for messages; a path
    that is no URL as it is."""
    if not is_url(url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r":[^:@/]*@", ":***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = _SECRET_PARAM.sub(r"\1\2=***", parts.query)
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    # not urlunsplit: it drops an empty host ("postgresql:///db", a local socket)
    return (
        f"{parts.scheme}://{netloc}{parts.path}"
        + (f"?{query}" if query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )
