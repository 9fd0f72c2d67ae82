"""Transcript files -> ParsedTranscript (pure parsing, no database): text, Markdown, Word, WebVTT, SubRip."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.importers.decoding import EMPTY_MESSAGE, decode_bytes, normalise, read_text
from qualcode.importers.frontmatter import is_sidecar, read_sidecar, sidecar_for, split_front_matter
from qualcode.importers.model import ParsedTranscript, Turn
from qualcode.importers.speakers import parse_speaker_lines

__all__ = [
    "FORMATS", "SUPPORTED_SUFFIXES", "ParsedTranscript", "Turn",
    "format_for", "is_sidecar", "parse_bytes", "parse_file", "parse_text",
]

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".vtt": "vtt",
    ".srt": "srt",
}
SUPPORTED_SUFFIXES = tuple(FORMATS)


def format_for(path: Path) -> str | None:
    """The format name for a file's suffix, or None if it is not a transcript file."""
    path = Path(path)
    if is_sidecar(path):
        return None
    return FORMATS.get(path.suffix.lower())


def parse_file(path: Path) -> ParsedTranscript:
    """Parse one transcript file, with attributes from a `STEM.meta.yaml` next to it."""
    path = Path(path)
    if not path.exists():
        raise QualcodeError("no such file", path)
    if path.is_dir():
        raise QualcodeError("is a directory, not a transcript file", path)
    fmt = format_for(path)
    if fmt is None:
        raise QualcodeError(
            f"unsupported file type '{path.suffix or path.name}' (supported: {', '.join(SUPPORTED_SUFFIXES)})", path)
    sidecar = sidecar_for(path)
    base = read_sidecar(sidecar) if sidecar else ({}, {}, [])
    if fmt == "docx":
        from qualcode.importers.docx import docx_lines

        text, attributes = docx_lines(path)
        text = normalise(text)
        if not text.strip():
            raise QualcodeError(EMPTY_MESSAGE, path)
        return _build(text, fmt, path, (attributes, {}, []), base, [])
    text, warnings = read_text(path)
    return _parse_decoded(text, fmt, path, base, warnings)


def parse_text(text: str, *, source_name: str = "<text>", format: str = "text") -> ParsedTranscript:
    """Parse transcript text already in memory (`format`: text, markdown, vtt or srt)."""
    if format not in ("text", "markdown", "vtt", "srt"):
        raise ValueError(f"parse_text cannot parse format {format!r}")
    text = normalise(text.lstrip("\ufeff"))
    if not text.strip():
        raise QualcodeError(EMPTY_MESSAGE, source_name)
    return _parse_decoded(text, format, source_name, ({}, {}, []), [])


def parse_bytes(data: bytes, *, source_name: str = "<bytes>", format: str = "text") -> ParsedTranscript:
    """Parse undecoded transcript bytes (text, markdown, vtt or srt), detecting the encoding."""
    text, warnings = decode_bytes(data, source_name)
    return _parse_decoded(text, format, source_name, ({}, {}, []), warnings)


def _parse_decoded(text: str, fmt: str, source, base, warnings: list[str]) -> ParsedTranscript:
    if fmt in ("vtt", "srt"):
        from qualcode.importers.subtitles import subtitle_lines

        lines, voices = subtitle_lines(text, fmt, source, known=base[1])
        if not lines.strip():
            raise QualcodeError(EMPTY_MESSAGE, source)
        return _build(lines, fmt, source, ({}, {}, []), base, warnings, voices)
    own = split_front_matter(text, source)
    body = own[3].lstrip("\n").rstrip()
    if not body:
        raise QualcodeError(EMPTY_MESSAGE, source)
    return _build(body, fmt, source, own[:3], base, warnings)


def _build(text, fmt, source, own, base, warnings, known=()) -> ParsedTranscript:
    """Merge own metadata over the sidecar's and run the speaker-line parser."""
    attributes = {**base[0], **own[0]}
    speakers = {label: dict(values) for label, values in base[1].items()}
    for label, values in own[1].items():
        speakers.setdefault(label, {}).update(values)
    warnings = [*warnings, *base[2], *own[2]]
    turns = parse_speaker_lines(text, set(known) | set(speakers))
    used = {turn.speaker for turn in turns}
    for label in speakers:
        if label not in used:
            warnings.append(f"speaker '{label}' in the metadata never speaks in the transcript")
    return ParsedTranscript(text, turns, attributes, speakers, fmt, warnings)
