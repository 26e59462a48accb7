"""Typed settings. Every threshold lives here, with its reason, not buried in code."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.errors import ConfigError
from storyline.formats import READER_NAMES

#: Languages the detector chooses among by default (ISO 639-1). Restricting the set
#: keeps detection fast and avoids confusing close languages nobody asked for.
DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "hi", "zh", "ja",
)  # fmt: skip

#: Our field names and the source field names accepted for each, in order of preference.
DEFAULT_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "uuid", "doc_id", "article_id"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "content", "article", "maintext", "full_text"),
    "url": ("url", "link", "uri", "permalink"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime"),
    "source": ("source", "outlet", "publisher", "site", "site_name", "domain"),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang"),
}

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Near-duplicate detection by MinHash over word shingles.

    A syndicated copy shares nearly all of its 3-word shingles with the original
    (Jaccard > 0.9); a light rewrite keeps well over half; two reports of the same
    event by different outlets rarely reach 0.2. Hence the 0.5 default.
    """

    threshold: float = 0.5
    num_perm: int = 128
    shingle_words: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"dedup threshold must be between 0 and 1, got {self.threshold}")
        if self.num_perm < 16 or self.num_perm > 1024:
            raise ConfigError(f"dedup num_perm must be 16..1024, got {self.num_perm}")
        if not 1 <= self.shingle_words <= 10:
            raise ConfigError(f"dedup shingle_words must be 1..10, got {self.shingle_words}")


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Placing articles in happenings.

    ``days``: how far apart two articles may date one event of two named parties (a wire story
    filed after midnight, a summit over two days) for the event-level match of
    :mod:`storyline.cluster.events`. Every other placement is the happening model's
    (``cluster/data/happening.json``, whose thresholds were fit on the training splits of ECB+ and
    GVC, see :mod:`storyline.cluster.train`): ``neighbours`` nearest articles (by the embeddings of
    their openings) bring their happenings as candidates, each scored against at most
    ``max_members`` of its articles. ``tentative_below``: a happening reported by one article whose
    best event is less confident than this (or that has no event) is tentative, kept but hidden
    from listings unless asked for. It is set by hand, not fit on data: event confidences are not
    calibrated yet (on the sample corpus 30 of 377 events lie below 0.6, some meetings among them).
    ``model``: another happening model file to use instead of the shipped one."""

    days: int = 3
    neighbours: int = 10
    max_members: int = 8
    tentative_below: float = 0.6
    model: str | None = None
    hnsw_links: int = 32
    """Links per vector in the faiss HNSW index of document vectors (faiss's ``M``)."""
    hnsw_search: int = 64
    """Candidates the HNSW search keeps (faiss's ``efSearch``): higher finds more true neighbours, slower."""
    index_cache_from: int = 20_000
    """An index of at least this many vectors is kept in the cache folder (:mod:`storyline.cache`)
    and read back by the next process instead of being built again. Building costs 0.2 to 0.3 ms
    per vector on the 2-core test machine (100,000 in 19.6 s, 536,000 in 155 s); reading a kept
    one and bringing it up to date took 0.4 s at 100,000 and 3 to 4 s at 536,000; below this
    size a build takes under 6 s."""
    index_save_min: int = 2_000
    index_save_share: float = 0.02
    """The kept index is written again once the vectors added since it was written number at
    least ``index_save_min`` and ``index_save_share`` of the index: a process adds what the kept
    one lacks (0.2 to 0.3 ms each), so this bounds that work against the cost of writing the whole
    index (2.6 s at 103,000 vectors, 180 MB)."""

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ConfigError(f"days must be 0 or more, got {self.days}")
        if min(self.neighbours, self.max_members, self.hnsw_links, self.hnsw_search) < 1:
            raise ConfigError(
                f"neighbours, max_members, hnsw_links and hnsw_search must be at least 1, got {self.neighbours}, "
                f"{self.max_members}, {self.hnsw_links}, {self.hnsw_search}"
            )
        if not 0.0 <= self.tentative_below <= 1.0:
            raise ConfigError(f"tentative_below must be in [0, 1], got {self.tentative_below}")
        if min(self.index_cache_from, self.index_save_min) < 0 or not 0.0 <= self.index_save_share <= 1.0:
            raise ConfigError(
                "index_cache_from and index_save_min must be 0 or more and index_save_share in [0, 1], got "
                f"{self.index_cache_from}, {self.index_save_min}, {self.index_save_share}"
            )


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """How inputs are read and cleaned."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    max_document_bytes: int = 10 * MiB
    """Largest single document: a text or HTML file, one record's text, one archived page."""
    max_file_bytes: int = 4096 * MiB
    """Largest container file read as a stream (JSON Lines, CSV, feeds, WARC)."""
    field_map: dict[str, str] = field(default_factory=dict)
    """Our field name -> the source's field name, for JSON and CSV with other names."""
    format: str | None = None
    """Force a reader (text, html, json, jsonl, csv, feed, warc) instead of sniffing."""
    encoding: str | None = None
    """Force a character encoding for byte inputs instead of detecting it."""
    source: str | None = None
    """Outlet name for every document of this ingest when the input names none."""
    published: str | None = None
    """Publication date for every document of this ingest whose input carries none (ISO 8601,
    RFC 2822 or a dateline form such as ``May 21, 2018``); recorded with the source ``given``."""
    fetch_links: bool = False
    """Fetch the page behind each feed entry's link (through the transport)."""
    allow_private: bool = False
    """Let the transport fetch private, loopback and link-local addresses."""
    timeout: float = 20.0
    min_text_chars: int = 25
    """A body shorter than this is no article (a page whose only text is its menu, "Home")."""
    batch_size: int = 64
    dedup: DedupConfig = field(default_factory=DedupConfig)

    def __post_init__(self) -> None:
        if self.max_document_bytes <= 0 or self.max_file_bytes <= 0:
            raise ConfigError("size limits must be positive")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.timeout <= 0:
            raise ConfigError(f"timeout must be positive, got {self.timeout}")
        unknown = set(self.field_map) - set(DEFAULT_FIELD_NAMES)
        if unknown:
            raise ConfigError(
                f"unknown field(s) in field map: {', '.join(sorted(unknown))}; known: {', '.join(DEFAULT_FIELD_NAMES)}"
            )
        if self.published is not None:
            from storyline.clean.dates import parse_metadata_date

            if parse_metadata_date(self.published) is None:
                raise ConfigError(f"published: {self.published!r} is not a date (try 2018-05-21 or 'May 21, 2018')")
        if self.format is not None and self.format not in READER_NAMES:
            raise ConfigError(f"unknown format {self.format!r}; choose one of {', '.join(READER_NAMES)}")
        if self.encoding is not None:
            import codecs

            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ConfigError(f"unknown encoding {self.encoding!r}") from None

    def names_for(self, ours: str) -> tuple[str, ...]:
        """Source field names to look for, the user's mapping first."""
        mapped = self.field_map.get(ours)
        defaults = DEFAULT_FIELD_NAMES[ours]
        return (mapped, *defaults) if mapped else defaults


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The REST API and web UI (``storyline serve``).

    ``token``: the API token writes need (``Authorization: Bearer <token>`` or ``X-API-Token``);
    with none set, writes are refused. ``public_reads``: whether reads need the token too.
    ``max_upload``: the largest request body ``POST /api/ingest`` accepts, in bytes."""

    token: str | None = None
    public_reads: bool = True
    max_upload: int = 50 * MiB

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token) < 8:
            raise ConfigError("the API token must be at least 8 characters")
        if not self.public_reads and self.token is None:
            raise ConfigError("reads need the API token, but no token is set (STORYLINE_API_TOKEN or [server] token)")
        if self.max_upload < 1:
            raise ConfigError(f"max_upload must be at least 1 byte, got {self.max_upload}")

    @classmethod
    def load(cls, path: str | None = None, environ: dict[str, str] | None = None, **overrides: object) -> ServerConfig:
        """Settings from a TOML file's ``[server]`` table (``token``, ``public_reads``,
        ``max_upload_mb``), then the environment (``STORYLINE_API_TOKEN``,
        ``STORYLINE_PUBLIC_READS`` = true/false), then ``overrides`` that are not None."""
        import os
        import tomllib
        from pathlib import Path

        values: dict[str, object] = {}
        if path:
            try:
                data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except OSError as exc:
                raise ConfigError(f"{path}: cannot read the config ({exc.strerror or exc})") from None
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: not TOML ({exc})") from None
            section = data.get("server", {})
            if not isinstance(section, dict):
                raise ConfigError(f"{path}: [server] must be a table")
            unknown = set(section) - {"token", "public_reads", "max_upload_mb"}
            if unknown:
                raise ConfigError(f"{path}: unknown [server] settings {', '.join(sorted(unknown))}")
            if "token" in section:
                values["token"] = str(section["token"])
            if "public_reads" in section:
                values["public_reads"] = bool(section["public_reads"])
            if "max_upload_mb" in section:
                values["max_upload"] = int(float(section["max_upload_mb"]) * MiB)
        env = os.environ if environ is None else environ
        if env.get("STORYLINE_API_TOKEN"):
            values["token"] = env["STORYLINE_API_TOKEN"]
        if env.get("STORYLINE_PUBLIC_READS"):
            flag = env["STORYLINE_PUBLIC_READS"].strip().lower()
            if flag not in ("true", "false", "1", "0", "yes", "no"):
                raise ConfigError(f"STORYLINE_PUBLIC_READS={flag!r}: use true or false")
            values["public_reads"] = flag in ("true", "1", "yes")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
