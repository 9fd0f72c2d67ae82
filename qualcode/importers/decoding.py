"""Bytes to normalised text: BOM-aware UTF-8/UTF-16, a cp1252 fallback, binary and empty checks."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from qualcode.errors import QualcodeError

CP1252_WARNING = "decoded as cp1252"
BINARY_MESSAGE = "not a text transcript (binary file)"
EMPTY_MESSAGE = "empty transcript"

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return,
# plus DEL: real transcripts hardly ever contain them, binary files are full of them.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_SAMPLE = 8192


def normalise(text: str) -> str:
    """NFC with `\\n` line endings: the form every offset in the store refers to."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 200)


def decode_bytes(data: bytes, path: str | Path | None = None) -> tuple[str, list[str]]:
    """Decode a transcript's bytes to normalised text; returns (text, warnings)."""
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise QualcodeError(BINARY_MESSAGE, path) from None
            break
    else:
        if b"\x00" in data:
            raise QualcodeError(BINARY_MESSAGE, path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Old Swedish Word exports are cp1252: å, ä, ö are single bytes there.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise QualcodeError(BINARY_MESSAGE, path) from None
            warnings.append(CP1252_WARNING)
    if "\x00" in text or _looks_binary(text):
        raise QualcodeError(BINARY_MESSAGE, path)
    text = normalise(text)
    if not text.strip():
        raise QualcodeError(EMPTY_MESSAGE, path)
    return text, warnings


def read_text(path: Path) -> tuple[str, list[str]]:
    """Read and decode a text transcript file; returns (text, warnings)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QualcodeError("no such file", path) from None
    except IsADirectoryError:
        raise QualcodeError("is a directory, not a transcript file", path) from None
    except OSError as exc:
        raise QualcodeError(f"cannot read file ({exc.strerror})", path) from None
    if not data.strip():
        raise QualcodeError(EMPTY_MESSAGE, path)
    return decode_bytes(data, path)
