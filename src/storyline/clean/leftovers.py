"""Splitting photo captions, credit lines and scraper leftovers out of the body.

Each rule looks at one line (a paragraph) on its own. The rules are deliberately
anchored (a line *starting* "Photo:", a line that is *only* an agency name) so that
ordinary sentences mentioning photos or reporters stay in the body. What is split
off is kept: a caption may name an earlier event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from storyline.clean.notices import is_notice
from storyline.clean.patterns import LinePattern, folded


class LineKind(StrEnum):
    BODY = "body"
    CAPTION = "caption"
    CREDIT = "credit"
    BOILERPLATE = "boilerplate"


_AGENCIES = (
    r"(?:PTI|IANS|ANI|UNI|AFP|AP|Reuters|TASS|RIA Novosti|Interfax|dpa|DPA|Xinhua|EFE|ANSA|Bloomberg"
    r"|Sputnik|Anadolu|Kyodo|Yonhap|AAP)"
)

_CAPTION_START = LinePattern(
    r"^(?:\(?(?:file\s+)?(?:photo(?:graph)?s?|image|picture|pic|caption|pictured|video|graphic|illustration)"
    r"(?:\s+credit)?(?:\s*[:|]|\s+[-–—]\s)|\(?file\s+photo\)?(?:\s*[:|)]|\s+[-–—]\s)|image\s+caption|in\s+pictures\s*[:|])",
    re.IGNORECASE,
)
_CAPTION_END = LinePattern(
    r"(?:\((?:file\s+)?(?:photo|image|picture|pic|photograph)(?:\s*(?:credit)?\s*:\s*[^()]{1,80})?\)"
    r"|\((?:representational|representative)\s+(?:image|photo|picture)\)"
    r"|\(AP Photo(?:/[^()]{1,60})?\)"
    r"|[|(]\s*photo\s+credit\s*:?[^|()]{1,80}\)?"
    r"|\b(?:Getty Images|Shutterstock|AFP via Getty Images|EPA-EFE)\)?"
    r"|/\s*" + _AGENCIES + r"\)?)\s*\.?$",
    re.IGNORECASE,
)
#: Caption furniture of news sites and agencies, found anywhere in a line: picture galleries
#: ("Image 1 of 9", "View Full Caption", "Buy Photo"), the people's places in the picture ("(left)",
#: "(L-R)", "(second from right)", ", pictured,"), a video's "(Published Friday, ...)" and a
#: photographer or source in brackets at the end ("(Source: WECT)", "(Jane Doe / Daily News)").
_CAPTION_FURNITURE = LinePattern(
    r"\bview\s+full\s+caption\b|\bimage\s+\d+\s+of\s*/?\s*\d+\b|\bcaption\s+close\b|^buy\s+photo\b"
    r"|\(published\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b[^()]{0,40}\)\s*$"
    r"|\((?:photo|foto|image|picture|video|bild|fotoğraf)(?:\s+credit)?\s*:\s*[^()]{2,80}\)"
    r"|\[(?:photo|foto|image|bild|fotoğraf)\s*:\s*[^\]]{1,60}\]"
    r"|©\s*(?:foto|photo|bild)\s*:"
    r"|\|\s*(?:[\w-]+\s+)?(?:photo|image|file\s+photo)\s*$"
    r"|\(courtesy(?:\s+of)?\b[^()]{0,60}\)\s*\.?$"
    r"|\((?:source|credit|photo\s+credit)\s*:\s*[^()]{1,60}\)\s*\.?$"
    r"|\((?:l|r|left|right|cent(?:er|re)|l-r|r-l|l\s+to\s+r|from\s+(?:left|right)"
    r"|(?:second|third)\s+(?:from\s+)?(?:left|right)|(?:front|back|top|bottom|rear)(?:\s+(?:left|right|cent(?:er|re)|row))?"
    r")\)"
    r"|,\s*pictured\b[^,]{0,25},|\bpictured\s+(?:left|right|above|below|top|bottom)\b|^pictured\b"
    r"|\((?:file|archive|archivbild|symbolbild|stock)(?:\s+(?:photo|image|picture|foto|bild))?\)\s*\.?$"
    r"|\bshown\s+(?:here\s+)?in\s+(?:a|an|this)\s+[\w' -]{0,40}(?:photo|mug|mugshot|image|picture)\b"
    r"|\b(?:released|provided|shared)\s+(?:this|these|the\s+above)\s+(?:photo|image|picture)s?\b"
    r"|^(?:foto|bild|imagen|immagine|fotoğraf)\s*:",
    re.IGNORECASE,
)
#: The same furniture where case matters: a sentence opened by "Above," or "Inset:", "Provided by
#: family", and a bracketed photographer and outlet at the end ("(Dan Coyro -- Santa Cruz Sentinel)").
_CAPTION_FURNITURE_CASED = LinePattern(
    r"(?:^|[.!?]\s+)(?:Above|Below|Inset|Top|Bottom|Left|Right|From left)\s*[,:]\s+\w"
    r"|\b[Pp]rovided by (?:the )?family\b|\b(?:Photo|Image) (?:provided|courtesy) of\b"
    r"|\b[A-Z][\w'’]+(?:\s[A-Z][\w'’-]+){0,3}\s+reports(?:\s+from\s+the\s+scene)?\.\s*$"
    r"|^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w'’-]+,\s*\d{1,2}(?:\s*\([^()]{2,60}\))?\.?$"
    # a photographer and outlet: three words or more, and no decimals or scores ("(Israel/France)",
    # "(Club / 1.92 m)")
    r"|\((?=(?:[^()\w'’]*[\w'’][\w'’-]*(?![\w'’-])){3})(?![^()]*\d[,.:]\d)[A-Z][^()]{1,50}(?:\s/\s?|/|\s--\s|\s[-–—]\s)[^()]{2,60}\)\s*\.?$"
    r"|\([A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,2},\s[^()]{0,30}"
    r"\b(?:Tribune|Times|Post|News|Herald|Journal|Press|Sentinel|Gazette|Chronicle|Reuters|AP|AFP|Getty|Staff)\b[^()]{0,20}\)\s*\.?$"
)
#: A picture described in the present tense, as captions are ("... shake hands", "... react as ...").
#: Headlines use the present tense too, so only a sentence (ending in a full stop) counts.
_CAPTION_PRESENT = LinePattern(
    r"\bshak(?:e|es)\s+hands\b|\bpos(?:e|es)\s+for\s+(?:a\s+)?(?:photo|picture|portrait|selfie)s?\b"
    r"|\b(?:react|reacts|gesture|gestures|look on|looks on|wave|waves|embrace|embraces|mourn|mourns)"
    r"\s+(?:as|while|during|after|to|at|outside|near)\b",
    re.IGNORECASE,
)
#: Bylines and credit notes that need their capitals: "By Jane Doe", "-By: John Roe, Chief of
#: Police", "With Jane Doe, John Roe", lower-case agency initials ("dpa/est", "(dp)").
_CREDIT_CASED = LinePattern(
    r"^[-–—]?\s*[Bb][Yy]:?\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|,))*(?:,\s+[A-Z][\w ]{0,40})?\s*$"
    r"|^With\s+[A-Z][\w'’-]+\s+[A-Z][\w'’-]+(?:,?\s+(?:and\s+)?[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)*\.?$"
    r"|^\(?[a-z]{2,4}(?:/[a-z]{2,4})+\)?$|^\([a-z]{2,3}\)$"
    # a signature after a long dash ("— Jane Doe"); a hyphen starts list items ("- Frischhaltefolie")
    r"|^[–—]\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){1,3}\s*$"
)

_CREDIT = LinePattern(
    r"^\(?\s*(?:with\s+(?:additional\s+)?(?:reporting|inputs?|agency\s+inputs?)\s+(?:by|from)"
    r"|(?:additional\s+)?reporting\s+by|writing\s+by|editing\s+by|edited\s+by|compiled\s+by"
    r"|(?:text|photos?|graphics?)\s+by\s+\w|with\s+agency\s+inputs|inputs\s+from|sources?\s*:)"
    r"|^\(?\s*[-–—]?\s*(?:von\s+)?" + _AGENCIES + r"\s*\)?\s*\.?$"
    r"|^[-–—]\s*" + _AGENCIES + r"\s*$"
    r"|\bcontributed\s+(?:to\s+)?(?:this|the)\s+(?:report|article|story)\b|\bcontributed\.$"
    r"|^information\s+for\s+this\s+(?:report|article|story)\s+was\s+contributed"
    r"|^contributing\s*:|^contact\s+the\s+(?:writer|reporter)\b|\breach\s+(?:him|her|them)\s+at\b"
    r"|^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}\s+is\s+an?\s+[\w -]{0,30}(?:staff\s+writer|reporter|correspondent)\b"
    r"|^(?:photo|image|video)s?\s+(?:via|courtesy\s+of)\b|^con\s+informaci[óo]n\s+de\b"
    r"|^(?:photo(?:graph)?|picture|image|video)s?\s+by\s+[A-Z]|^credits?\s*:|^(?:mit\s+)?material\s+von\b"
    r"|^(?:quelle|fuente|fonte|kaynak|źródło)\s*:|\bcan\s+be\s+reached\s+at\b"
    r"|^(?:[\w-]+\s+){0,3}staff(?:\s+(?:writer|reports?))?\.?$"
    r"|^\(?this\s+(?:story|article|report|copy)\s+(?:has\s+(?:not\s+)?been\s+(?:edited|republished|translated)"
    r"|was\s+(?:first\s+|originally\s+)?published|is\s+auto-generated|first\s+appeared|appeared\s+first)"
    r"|^translated\s+(?:and\s+edited\s+)?by\b"
    r"|^(?:[A-Z][\w'’.-]*\s+){1,4}(?:news\s+service|news\s+desk|bureau|correspondent)\s*\.?$",
    re.IGNORECASE,
)
#: Credits and contact details, read after the caption model (:func:`classify_lines`), so that the
#: model and its threshold stay as they were fitted beside the rules above (:func:`late_credit`).
#: Written from the caption gold's train split; each shape is anchored at both ends of the line.
#: A credit behind a dash, a name after "by" ("- Compiled by Jane Doe"), eight words at most.
_DASH_CREDIT = re.compile(
    r"^[-–—]\s*(?i:(?:additional\s+)?reporting|writing|editing|edited|compiled|written|produced)\s+(?i:by)\s+"
    r"[A-Z][\w.'’-]*(?:[\s,;&]+[\w.'’-]+){0,5}\.?$"
)
#: A label of who wrote it ("Autor: pol/leo", "Autorin: Jane Doe, head of ..."), or of whom to ask,
#: alone on its line ("Rückfragen & Kontakt:", "Pressekontakt:").
_AUTHOR_LABEL = re.compile(r"^(?:autor(?:in)?|author|auteur|autrice|autore|yazar)\s*:\s+(?P<tail>\S.*)$", re.IGNORECASE)
_CONTACT_LABEL = re.compile(
    r"^(?:(?:rückfragen\s*&\s*)?kontakt|(?:press|media)\s+contacts?|pressekontakt|contacto|contatto)\s*:$",
    re.IGNORECASE,
)
#: A telephone number alone: an international or a trunk prefix, brackets or a label, then nine
#: digits or more in groups ("+43 664 849 15 40", "Fax 05191 979228", "(0221) 555 0192"); not a
#: list of years, an ISBN, a date or a range of dates (none starts so).
_PHONE_LINE = re.compile(
    r"^(?:(?i:tel|phone|telefon|fax|mobile|mob)\.?\s*:?\s*(?=\+?\(?\d)|(?=[+(]|0\d))(?=(?:\D*\d){9})"
    r"\+?\(?\d[\d\s()/-]{6,}\d$"
)
#: An e-mail address alone, also as tokenised text spaces it ("jane.doe @ example.eu").
_EMAIL_LINE = re.compile(r"^[\w.+-]+\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)*(?:\s?\.\s?[a-z]{2,}|\.[A-Z]{2,})$")
#: An agency's initials over a time stamp ("DHA 18.01.2020 13:57 - ..."): capitals, then a dash or
#: the end of the line after the time.
_AGENCY_STAMP = re.compile(r"^[A-Z]{2,6}\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}\s+\d{1,2}:\d{2}\s*(?:[-–—]|$)")


def late_credit(line: str) -> bool:
    """Whether a line is a credit or contact details by a shape read after the caption model: a
    credit behind a dash, an author's label over a name or an initials code (ten words at most,
    two of them lower case: "Autor: pol/leo", not "Autor: Der Verfasser ist Professor an der
    Universität"), a contact label alone, a telephone number or an e-mail address alone, an
    agency's initials over a time stamp. Not a web address alone ("twitter.com/x"): on
    trafilatura's evaluation pages such lines were nearly all an article's own references."""
    line = line.strip()
    if _DASH_CREDIT.match(line) or _CONTACT_LABEL.match(line) or _PHONE_LINE.match(line):
        return True
    if _EMAIL_LINE.match(line) or _AGENCY_STAMP.match(line):
        return True
    author = _AUTHOR_LABEL.match(line)
    if author is None:
        return False
    words = author["tail"].split()
    return len(words) <= 10 and sum(1 for w in words if w[:1].islower()) <= 2 and not line.endswith(("?", "!"))


_BOILERPLATE = LinePattern(
    r"^(?:leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|cancel\s+reply|\d*\s*comments?$"
    r"|subscribe\b|sign\s+up\b|get\s+(?:our|the)\s+(?:daily\s+)?newsletter|newsletter\b"
    r"|partager\s*:?$|teilen\s*:?$|compartir\s*:?$|condividi\s*:?$|abonnez-vous\b|abonnieren\b|suscr[íi]bete\b"
    r"|lire\s+aussi\s*:|lesen\s+sie\s+auch\s*:|mehr\s+zum\s+thema\s*:|lee\s+tambi[ée]n\s*:|leer\s+m[áa]s\s*:"
    r"|(?:we|this\s+(?:web)?site)\s+uses?\s+cookies|accept(?:\s+all)?(?:\s+cookies)?$|cookie\s+(?:policy|settings)"
    r"|share\s+(?:this|on)\b|share$|follow\s+us\b"
    r"|follow\s+[\w&.' -]{1,40}?\s+on\s+(?:twitter|facebook|instagram|x|linkedin|telegram|whatsapp|youtube|threads)\b"
    r"|click\s+here\b|tap\s+here\b|download\s+(?:the|our)\s+app"
    r"|(?:also\s+)?read(?:\s+(?:more|also|next))?\s*[:|\-–—]|also\s+read\b|related(?:\s+(?:stories|articles|news|coverage))?\s*[:|\-–—]?$"
    r"|related\s+(?:stories|articles|news)\b|you\s+(?:may|might)\s+also\s+like|don'?t\s+miss\b|recommended(?:\s+for\s+you)?$|trending(?:\s+now)?$"
    r"|advertisement$|sponsored(?:\s+content)?$|story\s+continues\s+below|continue\s+reading|listen\s+to\s+this\s+article"
    r"|skip\s+to\s+(?:main\s+)?content|(?:all\s+)?rights\s+reserved|copyright\s*(?:©|\(c\)|\d{4})|©"
    r"|tags?\s*:|topics?\s*:|filed\s+under\s*:|print$|e-?mail$|facebook$|twitter$|whatsapp$|linkedin$|telegram$"
    r"|your\s+email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked|save\s+my\s+name"
    r"|(?:next|previous)\s+(?:article|story|post)\b|first\s+published\s*:|updated\s*:|last\s+updated\s*:)",
    re.IGNORECASE,
)
_BOILERPLATE_ANYWHERE = LinePattern(r"all rights reserved\.?$|\bunauthori[sz]ed (?:use|reproduction)\b", re.IGNORECASE)

#: Lines longer than this are body text whatever they start with: leftovers are short.
MAX_LEFTOVER_CHARS = 320


def classify(line: str) -> LineKind:
    """What one line (paragraph) of scraped text is, by its own shape."""
    low = folded(line)
    if is_notice(line, low):  # a site's cookie, consent or robot-check notice, however long
        return LineKind.BOILERPLATE
    if len(line) > MAX_LEFTOVER_CHARS:
        # a long line is body text, unless gallery furniture marks it as a caption
        return LineKind.CAPTION if _CAPTION_FURNITURE.search(line[:120]) else LineKind.BODY
    if _CREDIT.search(line, low) or _CREDIT_CASED.search(line, low):
        return LineKind.CREDIT
    if (
        _CAPTION_START.search(line, low)
        or _CAPTION_END.search(line, low)
        or _CAPTION_FURNITURE.search(line, low)
        or _CAPTION_FURNITURE_CASED.search(line, low)
        or (line.endswith(".") and _CAPTION_PRESENT.search(line, low))
    ):
        return LineKind.CAPTION
    if _BOILERPLATE.search(line, low) or _BOILERPLATE_ANYWHERE.search(line, low):
        return LineKind.BOILERPLATE
    return LineKind.BODY


@dataclass(frozen=True, slots=True)
class SplitText:
    body: tuple[str, ...]
    captions: tuple[str, ...]
    credits: tuple[str, ...]
    boilerplate: tuple[str, ...]


#: A line of names and titles only ("Keagan Schweikle, Harmony Grove School District"): capitalised
#: words, commas and a few joining words, no verb a lower-case word could carry.
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|and|of|the|de|del|da|van|von|al|bin|&|\(?\d{1,3}\)?)"
_NAMES_ONLY = re.compile(r"^[A-Z][\w.'’-]*(?:(?:\s+|\s*,\s*)" + _NAME_WORD + r")*\.?$")
#: A line of names stands apart as a caption only when the lines around it are story paragraphs
#: of at least this many words (a heading between paragraphs is the other reading; set by hand).
NAMES_LINE_NEIGHBOUR_WORDS = 12
#: ... and it has at most this many words: two leaders with their countries and titles ("Russian
#: President Vladimir Putin and Indian Prime Minister Narendra Modi") take ten. 9 until 2026-12-06;
#: 12 changed no line of the caption gold (either split) or of the web pages' benchmark.
NAMES_LINE_MAX_WORDS = 12


def _names_only(line: str, lower_words: set[str]) -> bool:
    """Whether ``line`` is names and titles only. ``lower_words``: the words the text writes in
    lower case; a title-case heading ("Two Shots Ring Out") is made of such words, names are not."""
    words = line.replace(",", " ").split()
    capitalised = [w.rstrip(".").casefold() for w in words if w[:1].isupper()]
    if not 2 <= len(words) <= NAMES_LINE_MAX_WORDS or len(capitalised) < 2 or line.upper() == line:
        return False
    common = sum(1 for w in capitalised if w in lower_words)
    return 2 * common < len(capitalised) and bool(_NAMES_ONLY.match(line))


_SHIPPED: Any = object()


def classify_lines(lines: list[str], model: Any = _SHIPPED, late: bool = True) -> list[LineKind]:
    """What each line (paragraph) of one text is: by its own shape (:func:`classify`), and by its
    place: a verbless line of names and titles between two story paragraphs is a caption, when
    most of its words are never written in lower case in the text (names, not a heading). Then
    the caption model (:mod:`storyline.clean.caption_model`; ``model``: the shipped one, another
    :class:`~storyline.clean.caption_model.CaptionModel`, or None for the rules alone) reads the
    short lines the rules keep in the body. Last (unless ``late`` is false: the rules the model
    is fitted beside), credits and contact details (:func:`late_credit`)."""
    kinds = _by_rules(lines)
    if model is _SHIPPED:
        from storyline.clean.caption_model import shipped_model

        model = shipped_model()
    if model is not None:
        _by_model(lines, kinds, model)
    if late:
        for i, line in enumerate(lines):
            if kinds[i] is LineKind.BODY and len(line) <= MAX_LEFTOVER_CHARS and late_credit(line):
                kinds[i] = LineKind.CREDIT
    return kinds


def _by_model(lines: list[str], kinds: list[LineKind], model: Any) -> None:
    from storyline.clean.caption_model import credit_marks, line_features

    removed = [k is not LineKind.BODY for k in kinds]
    at = [i for i, k in enumerate(kinds) if k is LineKind.BODY and len(lines[i]) <= MAX_LEFTOVER_CHARS]
    if not at:
        return
    import numpy as np

    p = model.probabilities(np.asarray([line_features(lines, i, removed) for i in at], dtype=float))
    for i, probability in zip(at, p, strict=True):
        if probability >= model.threshold:
            kinds[i] = LineKind.CREDIT if credit_marks(lines[i]) else LineKind.CAPTION


def _by_rules(lines: list[str]) -> list[LineKind]:
    kinds = [classify(line) for line in lines]
    lower_words: set[str] | None = None
    for i in range(1, len(lines) - 1):
        if kinds[i] is not LineKind.BODY or not _NAMES_ONLY.match(lines[i]):
            continue
        if lower_words is None:
            lower_words = {w for line in lines for w in re.findall(r"\b[a-z][\w'’-]*", line)}
        if not _names_only(lines[i], lower_words):
            continue
        before, after = lines[i - 1], lines[i + 1]
        if (
            (kinds[i - 1] is LineKind.CAPTION or len(before.split()) >= NAMES_LINE_NEIGHBOUR_WORDS)
            and kinds[i + 1] is LineKind.BODY
            and len(after.split()) >= NAMES_LINE_NEIGHBOUR_WORDS
        ):
            kinds[i] = LineKind.CAPTION
    return kinds


def split_leftovers(lines: list[str]) -> SplitText:
    """Sort paragraphs into body, captions, credits and boilerplate, keeping order within each."""
    sorted_lines: dict[LineKind, list[str]] = {kind: [] for kind in LineKind}
    present = [line for line in lines if line]
    for line, kind in zip(present, classify_lines(present), strict=True):
        sorted_lines[kind].append(line)
    return SplitText(
        tuple(sorted_lines[LineKind.BODY]),
        tuple(sorted_lines[LineKind.CAPTION]),
        tuple(sorted_lines[LineKind.CREDIT]),
        tuple(sorted_lines[LineKind.BOILERPLATE]),
    )
