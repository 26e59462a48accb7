from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.clean import Cleaner
from storyline.config import IngestConfig

# the store backends: SQLite, and PostgreSQL on a throwaway server the tests start (postgres_server.py)
from .postgres_server import analyzed_postgres, analyzed_store, backend, postgres_server, postgres_url

__all__ = ["analyzed_postgres", "analyzed_store", "backend", "postgres_server", "postgres_url"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
MANIFEST = ROOT / "examples" / "manifest.json"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: Shared evaluation data lives beside the repository; tests that need it skip without it.
EVAL = Path(os.environ.get("STORYLINE_EVAL", ROOT.parent / "shared" / "eval"))

#: A small language set keeps detector start-up quick in tests; the detector is the same.
TEST_LANGUAGES = ("en", "de", "fr", "es", "tr", "ru")


@pytest.fixture(scope="session")
def config() -> IngestConfig:
    return IngestConfig(languages=TEST_LANGUAGES)


@pytest.fixture(scope="session")
def cleaner(config: IngestConfig) -> Cleaner:
    return Cleaner(config)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture(scope="session")
def analyzed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus analyzed (ingest, annotation, events, clustering) once per test run, into
    a store tests must not change (copy it first to write)."""
    import storyline

    path = tmp_path_factory.mktemp("analyzed") / "corpus.db"
    with storyline.open(path) as sl:
        sl.analyze(CORPUS)
    return path
