"""Following the news as it comes: sources kept in the store, rounds that read what is new
(``storyline watch``), and alerts on what changed (:mod:`storyline.follow.alerts`)."""

from storyline.follow.fetching import PoliteTransport, format_interval, parse_interval
from storyline.follow.watch import RoundReport, WatchConfig, Watcher

__all__ = ["PoliteTransport", "RoundReport", "WatchConfig", "Watcher", "format_interval", "parse_interval"]
