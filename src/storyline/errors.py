"""Exceptions raised by storyline.

::

    StorylineError              base of everything storyline raises on purpose
    ├── ConfigError             a setting is out of range or unknown
    ├── InputError              one input could not be read or cleaned; the batch goes on
    │   └── FetchError          a URL could not be fetched
    │       └── BlockedAddressError   the URL points at a private, loopback or link-local address
    └── StoreError              the store cannot be opened or written
        ├── StoreLockedError    another process is writing to the same store
        ├── StoreSchemaError    the store was written by an incompatible version or settings
        └── AmbiguousIdError    an id prefix fits several documents (also a ValueError)

An :class:`InputError` carries the input's ``origin`` and a short ``code`` (see
:data:`INPUT_ERROR_CODES`) so that programs can sort failures without parsing text.
"""

from __future__ import annotations

INPUT_ERROR_CODES: dict[str, str] = {
    "empty": "the input holds no bytes or only white space",
    "binary": "the input is binary data, not text",
    "too-large": "the input is over the configured size limit",
    "encoding": "the bytes are not text in any encoding that fits",
    "malformed": "the input is not valid for its format (JSON, CSV, XML, WARC, ...)",
    "unreadable": "the path does not exist or cannot be read",
    "no-text": "no article text was found in the input",
    "unsupported": "the input's format is not one storyline reads",
    "fetch": "the URL could not be fetched",
    "timeout": "the URL did not answer in time",
    "blocked-address": "the URL points at a private, loopback or link-local address",
    "robots": "the site's robots.txt does not let storyline fetch the URL",
    "truncated": "the input ends in the middle of a record",
    "not-one-article": "the input holds no article or several where exactly one is needed",
    "internal": "storyline failed on this input in a way it does not expect (a bug: please report it)",
}


class StorylineError(Exception):
    """Base class of all errors storyline raises on purpose."""


class ConfigError(StorylineError, ValueError):
    """A setting is invalid."""


class UsageError(StorylineError, ValueError):
    """A caller asked for something that cannot be given: an unknown filter value (``code``
    ``invalid``), a name or id that matches nothing (``not-found``) or more than one thing
    (``ambiguous``, with the ``candidates`` it could mean, as "label [id]" lines). The CLI exits
    with 1 for ``not-found`` and 2 otherwise; the REST API answers 404 and 400."""

    def __init__(self, message: str, code: str = "invalid", candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.candidates = candidates


class InputError(StorylineError):
    """One input could not be read or cleaned.

    The message is one line naming the input and the reason, e.g.
    ``notes/empty.txt: empty input (0 bytes)``.
    """

    def __init__(self, origin: str, code: str, reason: str) -> None:
        if code not in INPUT_ERROR_CODES:
            raise ValueError(f"unknown input error code {code!r}")
        reason = " ".join(reason.split())  # one line, whatever a library's message held
        origin = " ".join(origin.split())  # (a feed entry's id may hold a line break)
        self.origin = origin
        self.code = code
        self.reason = reason
        super().__init__(f"{origin}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from its three fields when it crosses a process boundary (worker pools)
        return (type(self), (self.origin, self.code, self.reason))


def internal_error(origin: str, exc: BaseException) -> InputError:
    """The InputError for an exception storyline did not expect while reading or cleaning one
    input: the batch goes on, and the message names the exception so it can be reported."""
    detail = " ".join(str(exc).split())[:200]
    return InputError(origin, "internal", f"internal error {type(exc).__name__}{': ' + detail if detail else ''}")


class FetchError(InputError):
    """A URL could not be fetched."""


class BlockedAddressError(FetchError):
    """A URL resolved to an address the transport refuses."""


class StoreError(StorylineError):
    """The store cannot be opened or written."""


class StoreLockedError(StoreError):
    """Another process holds the store's writer lock."""


class StoreSchemaError(StoreError):
    """The store's schema or settings do not match this version of storyline."""


class AmbiguousIdError(StoreError, ValueError):
    """An id prefix matches more than one stored document."""
