"""GUIDs, code ids and colours as REFI-QDA files write them, in the forms qualcode stores."""

from __future__ import annotations

import re
import unicodedata
import uuid as uuidlib

GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
# Stable GUIDs for things qualcode has no uuid for (coders, transcripts, codings), so that
# exporting twice gives the same file and a colleague's tool recognises the same objects.
NAMESPACE = uuidlib.UUID("5b0f3c8e-6d1a-4a7e-9a63-1f0c2e7d9b41")


def norm_guid(value: str | None) -> str | None:
    """`{ABCD...}` or `abcd...` -> lower-case 8-4-4-4-12, or None if it is not a GUID."""
    m = GUID_RE.match((value or "").strip())
    return m.group(1).lower() if m else None


def stable_guid(*parts: object) -> str:
    return str(uuidlib.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


def slug(name: str) -> str:
    """A code id from a name: `Warm start (ACT)` -> `warm-start-act`; Swedish letters folded."""
    folded = unicodedata.normalize("NFKD", name.replace("ø", "o").replace("æ", "ae").replace("ß", "ss"))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")
    return text[:60].strip("-") or "code"


def unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def norm_color(value: str | None) -> str | None:
    """`#RRGGBB` and `#RGB` as written; `RRGGBB`, `#AARRGGBB`, a decimal number -> `#RRGGBB`; else None."""
    text = (value or "").strip()
    if not text:
        return None
    if re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text):
        return text  # valid for the schema and the YAML codebook: keep it exactly
    if text.isdigit():  # some tools write the colour as one integer
        number = int(text)
        return f"#{number & 0xFFFFFF:06X}" if number <= 0xFFFFFFFF else None
    text = text.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]+", text):
        return None
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    elif len(text) == 8:
        text = text[2:]  # alpha first, as .NET writes it
    if len(text) != 6:
        return None
    return "#" + text.upper()
