"""What storyline builds once and keeps in the cache folder for later processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.cache import kept, kept_file


def test_a_kept_value_is_built_once_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "code.py"
    source.write_text("first version", encoding="utf-8")
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"built": len(builds)}

    path = kept_file("thing", (source,), ("pycountry",))
    assert path is not None and path.parent == tmp_path / "cache" and path.name.startswith("thing-")
    assert kept(path, build) == {"built": 1}
    assert kept(path, build) == {"built": 1} and len(builds) == 1  # read back, not built again
    path.write_bytes(b"damaged")
    assert kept(path, build) == {"built": 2}  # a damaged file is built again and replaced
    assert kept(path, build) == {"built": 2}
    source.write_text("second version", encoding="utf-8")  # a change to a source: another file
    assert kept_file("thing", (source,), ("pycountry",)) != path
    assert not list((tmp_path / "cache").glob("*.part"))


def test_nothing_is_kept_when_caching_is_off_or_impossible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "code.py"
    source.write_text("x", encoding="utf-8")
    monkeypatch.setenv("STORYLINE_CACHE", "off")
    assert kept_file("thing", (source,)) is None
    assert kept(None, lambda: 7) == 7
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path / "cache"))
    assert kept_file("thing", (tmp_path / "missing.py",)) is None  # an unreadable source: build, keep nothing
    assert kept_file("thing", (source,), ("no-such-package-here",)) is None
    unpicklable = kept(tmp_path / "cache" / "fn.pickle", lambda: lambda: 9)  # built, returned, not kept
    assert unpicklable() == 9 and not list((tmp_path / "cache").glob("fn*"))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert kept(blocked / "thing.pickle", lambda: 8) == 8  # a folder that cannot be made: built, not kept


def test_the_country_table_is_kept_between_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.annotate import countries

    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    countries.country_table.cache_clear()
    try:
        built = countries.country_table()
        (file,) = tmp_path.glob("countries-*.pickle")
        countries.country_table.cache_clear()
        monkeypatch.setattr(countries, "_build_table", lambda: pytest.fail("built again"))
        read = countries.country_table()
        assert read == built and read.country("the United States") == "United States"
        assert file.stat().st_size > 1000
    finally:
        countries.country_table.cache_clear()
