"""Places: geocoding by name, settled by the document's other places."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate.countries import country_table
from storyline.annotate.inflection import case_free, russian_forms
from storyline.annotate.places import Gazetteer, Geocoder
from storyline.model.annotations import EntityMention


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder(Gazetteer())


def mention(text: str, label: str = "GPE", country: str | None = None) -> EntityMention:
    return EntityMention(0, len(text), text, label, "E0", text, None, country)


def resolve(
    geocoder: Geocoder, *names: str, labels: dict[str, str] | None = None
) -> dict[str, tuple[str, str | None, str]]:
    places = geocoder.geocode([mention(n, (labels or {}).get(n, "GPE")) for n in names])
    return {p.text: (p.name, p.country, p.kind) for p in places}


def test_paris_follows_the_document(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Paris", "France")["Paris"][:2] == ("Paris", "FR")
    assert resolve(geocoder, "Paris", "Dallas", "Texas")["Paris"][:2] == ("Paris", "US")
    assert resolve(geocoder, "Paris")["Paris"][:2] == ("Paris", "FR")  # alone: the larger place


def test_georgia_country_or_state(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Georgia", "Tbilisi")["Georgia"] == ("Georgia", "GE", "country")
    assert resolve(geocoder, "Georgia", "Atlanta", "Florida")["Georgia"] == ("Georgia", "US", "state")


def test_own_name_beats_an_alternate_name(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "New Delhi")["New Delhi"][:2] == ("New Delhi", "IN")
    assert resolve(geocoder, "Leningrad")["Leningrad"][:2] == ("Saint Petersburg", "RU")
    assert resolve(geocoder, "St. Petersburg")["St. Petersburg"][:2] == ("Saint Petersburg", "RU")


def test_words_and_airport_codes_are_not_alternate_names(geocoder: Geocoder) -> None:
    # geonames lists "make" (Mackay) and "NAT" (Natal) among alternate names: words, not places
    assert resolve(geocoder, "Make", "Nat", "BOM") == {}
    assert resolve(geocoder, "Kiev")["Kiev"][:2] == ("Kyiv", "UA")  # a real alternate name stays
    assert resolve(geocoder, "NYC")["NYC"][:2] == ("New York City", "US")  # and so do a city's initials


def test_gazetteer_fills_what_city_lists_lack(geocoder: Geocoder) -> None:
    got = resolve(
        geocoder, "Black Sea", "Kudankulam", "the Far East", labels={"Black Sea": "LOC", "the Far East": "LOC"}
    )
    assert got["Black Sea"] == ("Black Sea", None, "sea")
    assert got["Kudankulam"] == ("Kudankulam", "IN", "village")
    assert got["the Far East"] == ("Russian Far East", "RU", "region")  # named as the index names it


def test_countries_have_coordinates_and_aliases(geocoder: Geocoder) -> None:
    (us,) = geocoder.geocode([mention("U.S.")])
    assert (us.name, us.country, us.kind) == ("United States", "US", "country")
    assert 25 < us.lat < 45 and -110 < us.lon < -75  # the population centre lies inside the country


def test_unknown_names_and_other_labels_are_not_places(geocoder: Geocoder) -> None:
    assert (
        geocoder.geocode([mention("Zzyzxburgh"), mention("Putin", "PERSON"), mention("Indian", "NORP", "India")]) == []
    )


def test_a_capital_named_by_its_country(geocoder: Geocoder) -> None:
    text = (
        "Talks in the Indian capital followed a visit to Kenya's capital, a Russian capital offer and Chile capital,"
        " as the Chinese capital flight went on."
    )

    def at(word: str, label: str, country: str) -> EntityMention:
        start = text.index(word)
        return EntityMention(start, start + len(word), word, label, "E0", word, None, country)

    mentions = [at(w, "NORP", c) for w, c in (("Indian", "India"), ("Russian", "Russia"), ("Chinese", "China"))]
    mentions += [at("Kenya", "GPE", "Kenya"), at("Chile", "GPE", "Chile")]
    mentions.sort(key=lambda m: m.start)
    found = {p.text: (p.name, p.country) for p in geocoder.geocode(mentions, text)}
    # New Delhi itself, not Delhi, which also answers to the name; "Chile capital", "a Russian capital
    # offer" (no "the") and "the Chinese capital flight" (money) are no capitals
    assert found == {
        "Indian capital": ("New Delhi", "IN"),
        "Kenya": ("Kenya", "KE"),  # the country stays a place of the document
        "Kenya's capital": ("Nairobi", "KE"),
        "Chile": ("Chile", "CL"),
    }
    assert geocoder.geocode(mentions) == [p for p in geocoder.geocode(mentions, text) if "capital" not in p.text]


def test_capitals_are_cities_and_names_win(geocoder: Geocoder) -> None:
    text = "Clashes in the American capital and the US capital; capital-intensive Japan's capital-intensive firms;"
    text += " the Congolese capital Brazzaville."

    def at(word: str, label: str, country: str, nth: int = 0) -> EntityMention:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return EntityMention(start, start + len(word), word, label, "E0", word, None, country)

    mentions = [at("American", "NORP", "United States"), at("US", "GPE", "United States")]
    mentions += [at("Japan", "GPE", "Japan"), at("Congolese", "NORP", "DR Congo")]
    found = [(p.text, p.name, p.kind) for p in geocoder.geocode(mentions, text) if "capital" in p.text]
    # the city, not Washington state; no capital before "-intensive" or before the capital's own name
    assert found == [("American capital", "Washington", "city"), ("US capital", "Washington", "city")]


def test_gazetteer_is_kept_between_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.annotate.gazetteer import Gazetteer, _cache_file

    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    built = Gazetteer()
    (kept,) = tmp_path.glob("gazetteer-*.pickle")
    assert kept == _cache_file()
    read = Gazetteer()  # from the file
    assert read.index == built.index and read.city_names == built.city_names
    assert [c.country for c in read.candidates("Sochi")] == ["RU"]
    kept.write_bytes(b"damaged")  # a damaged file is built again and replaced
    assert Gazetteer().index == built.index and kept.stat().st_size > 1000
    monkeypatch.setenv("STORYLINE_CACHE", "off")
    kept.unlink()
    assert Gazetteer().candidates("Sochi") and not list(tmp_path.glob("gazetteer-*"))


def test_countries_named_in_other_languages_only_in_those_languages() -> None:
    table = country_table()
    assert table.country("Allemagne", "fr") == "Germany" and table.country("Allemagne") is None
    assert table.country("Allemagne", "en") is None  # an English document has its own names
    assert table.country("EE.UU.", "es") == "United States" and table.country("Duitsland", "nl") == "Germany"
    assert table.country("Angleterre", "fr") == "United Kingdom"  # England, as in English
    # a Russian name in any case
    for form in ("Россия", "России", "Россию", "Россией"):
        assert table.country(form, "ru") == "Russia"
    assert table.country("Южной Корее", "ru") == "South Korea" and table.country("США", "ru") == "United States"
    # a one-word name in its own case forms only: a shared stem of three letters is no match
    assert [table.country(w, "ru") for w in ("Китае", "Кубе", "Чаде", "Перу")] == ["China", "Cuba", "Chad", "Peru"]
    assert [table.country(w, "ru") for w in ("Пера", "Палу", "Малая", "Самой")] == [None] * 4
    assert table.country("ABD", "tr") == "United States"
    # Polish, in its cases too: "w Polsce", "w Niemczech", "w Stanach Zjednoczonych", "z Rosją"
    polish = {
        "Polsce": "Poland",
        "Niemczech": "Germany",
        "Stanach Zjednoczonych": "United States",
        "Rosją": "Russia",
        "Wielkiej Brytanii": "United Kingdom",
        "Egipcie": "Egypt",
    }
    assert {form: table.country(form, "pl") for form in polish} == polish
    # the own name of a big city of another country is left to the place stage: Granada, Salvador
    assert table.country("Granada", "es") is None and table.country("Salvador", "fr") is None
    assert table.country("Germany", "fr") == "Germany"  # the English names still hold


def test_russian_case_forms() -> None:
    assert russian_forms("Китай") == {"китай", "китая", "китаю", "китае", "китаем"}
    assert {"кубы", "кубе", "кубу", "кубой"} <= russian_forms("Куба") and "чаде" in russian_forms("Чад")
    assert russian_forms("Перу") == {"перу"} and russian_forms("США") == {"сша"}  # these do not decline


def test_case_free_keys() -> None:
    assert case_free("Южной Корее") == case_free("Южная Корея") == "южн кор"
    assert case_free("Китаем") == case_free("Китай") == "кит"
    assert case_free("Александрии") == "александрия" != case_free("Александр")  # a city is not the name
    assert case_free("США") == "сша" and case_free("  New   York ") == "new york"


def test_cyrillic_names_in_any_case_and_short_stems_as_written(geocoder: Geocoder) -> None:
    gazetteer = geocoder.gazetteer
    for form in ("Москва", "Москве", "Москвы", "Москвой"):
        assert max(gazetteer.candidates(form), key=lambda c: c.priority).name == "Moscow"
    assert {c.name for c in gazetteer.candidates("Санкт-Петербурге")} == {"Saint Petersburg"}
    # a three-letter stem is shared by unrelated names: only the name as written is looked up
    assert {c.name for c in gazetteer.candidates("Рим")} >= {"Rome"} and gazetteer.candidates("Риме") == []
    assert not any(_cyrillic(name) for place in gazetteer.candidates("Moscow") for name in gazetteer.other_names(place))


def _cyrillic(name: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in name)


def test_a_country_in_another_language_is_the_country(geocoder: Geocoder) -> None:
    def country(text: str, canonical: str) -> EntityMention:
        return EntityMention(0, len(text), text, "GPE", "E0", canonical, None, canonical)

    places = geocoder.geocode([country("Mexique", "Mexico")])
    assert (places[0].name, places[0].kind) == ("Mexico", "country")  # not Mexico City, whose name it holds
    places = geocoder.geocode([country("Перу", "Peru"), country("России", "Russia")])
    assert [(p.name, p.kind) for p in places] == [("Peru", "country"), ("Russia", "country")]
    # in English, a country's name that is also a state's is still weighed by the document
    assert resolve(geocoder, "Georgia", "Atlanta")["Georgia"][:2] == ("Georgia", "US")
