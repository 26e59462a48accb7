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


class LineKind(StrEnum):
    BODY = "body"
    CAPTION = "caption"
    CREDIT = "credit"
    BOILERPLATE = "boilerplate"


_AGENCIES = (
    r"(?:PTI|IANS|ANI|UNI|AFP|AP|Reuters|TASS|RIA Novosti|Interfax|dpa|DPA|Xinhua|EFE|ANSA|Bloomberg"
    r"|Sputnik|Anadolu|Kyodo|Yonhap|AAP)"
)

_CAPTION_START = re.compile(
    r"^(?:\(?(?:file\s+)?(?:photo(?:graph)?s?|image|picture|pic|caption|pictured|video|graphic|illustration)"
    r"(?:\s+credit)?(?:\s*[:|]|\s+[-–—]\s)|\(?file\s+photo\)?(?:\s*[:|)]|\s+[-–—]\s)|image\s+caption|in\s+pictures\s*[:|])",
    re.IGNORECASE,
)
_CAPTION_END = re.compile(
    r"(?:\((?:file\s+)?(?:photo|image|picture|pic|photograph)(?:\s*(?:credit)?\s*:\s*[^()]{1,80})?\)"
    r"|\((?:representational|representative)\s+(?:image|photo|picture)\)"
    r"|\(AP Photo(?:/[^()]{1,60})?\)"
    r"|[|(]\s*photo\s+credit\s*:?[^|()]{1,80}\)?"
    r"|\b(?:Getty Images|Shutterstock|AFP via Getty Images|EPA-EFE)\)?"
    r"|/\s*" + _AGENCIES + r"\)?)\s*\.?$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\(?\s*(?:with\s+(?:additional\s+)?(?:reporting|inputs?|agency\s+inputs?)\s+(?:by|from)"
    r"|(?:additional\s+)?reporting\s+by|writing\s+by|editing\s+by|edited\s+by|compiled\s+by"
    r"|(?:text|photos?|graphics?)\s+by\s+\w|with\s+agency\s+inputs|inputs\s+from|sources?\s*:)"
    r"|^\(?\s*[-–—]?\s*" + _AGENCIES + r"\s*\)?\s*\.?$"
    r"|^[-–—]\s*(?:" + _AGENCIES + r"|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})\s*$"
    r"|^\(?this\s+(?:story|article|report|copy)\s+(?:has\s+(?:not\s+)?been\s+(?:edited|republished|translated)"
    r"|was\s+(?:first\s+|originally\s+)?published|is\s+auto-generated|first\s+appeared|appeared\s+first)"
    r"|^translated\s+(?:and\s+edited\s+)?by\b"
    r"|^(?:[A-Z][\w'’.-]*\s+){1,4}(?:news\s+service|news\s+desk|bureau|correspondent)\s*\.?$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
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
_BOILERPLATE_ANYWHERE = re.compile(r"all rights reserved\.?$|\bunauthori[sz]ed (?:use|reproduction)\b", re.IGNORECASE)

#: Lines longer than this are body text whatever they start with: leftovers are short.
MAX_LEFTOVER_CHARS = 320


def classify(line: str) -> LineKind:
    """What one line (paragraph) of scraped text is."""
    if len(line) > MAX_LEFTOVER_CHARS:
        return LineKind.BODY
    if _CREDIT.search(line):
        return LineKind.CREDIT
    if _CAPTION_START.search(line) or _CAPTION_END.search(line):
        return LineKind.CAPTION
    if _BOILERPLATE.search(line) or _BOILERPLATE_ANYWHERE.search(line):
        return LineKind.BOILERPLATE
    return LineKind.BODY


@dataclass(frozen=True, slots=True)
class SplitText:
    body: tuple[str, ...]
    captions: tuple[str, ...]
    credits: tuple[str, ...]
    boilerplate: tuple[str, ...]


def split_leftovers(lines: list[str]) -> SplitText:
    """Sort paragraphs into body, captions, credits and boilerplate, keeping order within each."""
    sorted_lines: dict[LineKind, list[str]] = {kind: [] for kind in LineKind}
    for line in lines:
        if line:
            sorted_lines[classify(line)].append(line)
    return SplitText(
        tuple(sorted_lines[LineKind.BODY]),
        tuple(sorted_lines[LineKind.CAPTION]),
        tuple(sorted_lines[LineKind.CREDIT]),
        tuple(sorted_lines[LineKind.BOILERPLATE]),
    )
