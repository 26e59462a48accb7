"""Names of the input formats storyline reads (shared by config, readers and CLI)."""

READER_NAMES: tuple[str, ...] = ("text", "html", "json", "jsonl", "csv", "feed", "warc")
