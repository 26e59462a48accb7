"""Article pairs in JSON Lines, as ``storyline compare --pairs`` and the similarity scorer read
them: one object a line, ``{id, text1, text2, lang1?, lang2?, title1?, title2?, published1?,
published2?}`` (SemEval-2022 Task 8 lines also carry ``gold``: scores per dimension)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import InputError


@dataclass(frozen=True)
class Pair:
    id: str
    text1: str
    text2: str
    lang1: str | None = None
    lang2: str | None = None
    title1: str | None = None
    title2: str | None = None
    published1: str | None = None
    published2: str | None = None
    gold: dict[str, float] = field(default_factory=dict)

    @property
    def languages(self) -> str:
        return f"{self.lang1 or '?'}-{self.lang2 or '?'}"


def read_pairs(path: Path) -> tuple[list[Pair], list[InputError]]:
    """The pairs of a JSON Lines file, and an error for each line that is not a pair (the rest of
    the file is still read)."""
    pairs: list[Pair] = []
    errors: list[InputError] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}#line={n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(InputError(where, "malformed", f"not JSON: {exc.msg}"))
                continue
            if not isinstance(obj, dict):
                errors.append(InputError(where, "malformed", "a pair must be a JSON object"))
                continue
            texts = [obj.get("text1"), obj.get("text2")]
            if not all(isinstance(t, str) and t.strip() for t in texts):
                errors.append(InputError(where, "malformed", "a pair needs non-empty text1 and text2"))
                continue
            given = obj.get("gold")
            gold: dict[str, Any] = given if isinstance(given, dict) else {}
            fields = {k: _text(obj.get(k)) for k in ("lang1", "lang2", "title1", "title2", "published1", "published2")}
            pairs.append(
                Pair(
                    id=str(obj.get("id", n)),
                    text1=obj["text1"],
                    text2=obj["text2"],
                    **fields,
                    gold={k: float(v) for k, v in gold.items() if isinstance(v, int | float)},
                )
            )
    return pairs, errors


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int | float) and str(value).strip() else None


#: Profiles a run of many pairs keeps for articles that later pairs share (about 40 kB each).
PROFILES_KEPT = 4096


class ProfileCache(OrderedDict[Any, Any]):
    """A mapping that forgets its least recently used entries beyond ``size``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


#: An article of a pair as the profile depends on it: text, language, title, publication date.
ArticleKey = tuple[str, str | None, str | None, str | None]


def pair_profiles(
    pairs: Sequence[Pair],
    embedder: Any = None,
    annotator: Any = None,
    cache: MutableMapping[ArticleKey, Any] | None = None,
    model: Any = None,
    every_part: bool = False,
) -> list[Any]:
    """Each pair's two articles, cleaned, annotated and profiled (in batches): a (first, second)
    tuple of profiles per pair, or the :class:`InputError` of an article that could not be cleaned.

    An article that several pairs share (the same text, language, title and date) is profiled
    once; ``cache`` keeps profiles (and errors) between calls, so a later batch reuses them too.
    A profile holds the encoder passes its pairs' models read (``model``'s, by default the shipped
    model's; with ``every_part``, all of them, as training needs): a cached article that meets a
    pair reading another pass gets it then."""
    from dataclasses import replace

    from storyline.annotate import Annotator
    from storyline.clean import Cleaner
    from storyline.config import IngestConfig
    from storyline.model.article import Article, ContentKind, SourceFields
    from storyline.relate.embed import Embedder
    from storyline.relate.similarity import EVERY_PART, Profile, complete, profiles, shipped_model

    embedder = embedder or Embedder()
    if not every_part:  # (training asks for every part: it may be fitting a model the shipped one cannot read)
        model = model or shipped_model()
    known: MutableMapping[ArticleKey, Any] = cache if cache is not None else {}
    sides: list[tuple[ArticleKey, ArticleKey]] = [
        ((p.text1, p.lang1, p.title1, p.published1), (p.text2, p.lang2, p.title2, p.published2)) for p in pairs
    ]
    found: dict[ArticleKey, Any] = {k: known[k] for pair in sides for k in pair if k in known}
    todo = [k for k in dict.fromkeys(k for pair in sides for k in pair) if k not in found]
    articles = [
        Article(text, ContentKind.BODY_TEXT, f"article {n}", str(n), SourceFields(title=t, published=d, language=lang))
        for n, (text, lang, t, d) in enumerate(todo)
    ]
    docs = []
    for key, article, doc in zip(todo, articles, Cleaner(IngestConfig()).clean_many(articles), strict=True):
        if isinstance(doc, InputError):
            found[key] = doc
            continue
        if article.fields.language and doc.language != article.fields.language:
            doc = replace(doc, language=article.fields.language)  # the pair says which language it is
        docs.append((key, doc))
    if docs:
        annotated = (annotator or Annotator()).annotate_many([d for _, d in docs])
        # their parts come below, once each article's pairs are known (cached articles' too)
        profs = profiles([d for _, d in docs], [a.annotations for a in annotated], embedder)
        found.update((key, prof) for (key, _), prof in zip(docs, profs, strict=True))
    need: dict[ArticleKey, frozenset[str]] = {}
    for first, second in sides:
        a, b = found[first], found[second]
        if isinstance(a, Profile) and isinstance(b, Profile):
            parts = EVERY_PART if every_part else model.parts_for(a.language, b.language)
            need[first] = need.get(first, frozenset()) | parts
            need[second] = need.get(second, frozenset()) | parts
    complete([found[k] for k in need], list(need.values()), embedder)
    for key in todo:
        known[key] = found[key]
    out: list[Any] = []
    for p, pair in zip(pairs, sides, strict=True):
        first, second = found[pair[0]], found[pair[1]]
        bad = next(((side, f) for side, f in ((1, first), (2, second)) if isinstance(f, InputError)), None)
        if bad is not None:  # the error, named after this pair's article
            out.append(InputError(f"pair {p.id}/{bad[0]}", bad[1].code, bad[1].reason))
        else:
            out.append((first, second))
    return out


def feature_rows(profiled: Sequence[tuple[Any, Any]]) -> np.ndarray:
    from storyline.relate.similarity import FEATURES, features

    if not profiled:
        return np.zeros((0, len(FEATURES)))
    return np.vstack([features(a, b) for a, b in profiled])
