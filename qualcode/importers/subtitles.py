"""WebVTT and SubRip cues -> speaker lines (`[HH:MM:SS] Name: text`), one line per speaker run."""

from __future__ import annotations

import html
import re
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.importers.speakers import accepted_labels, match_label, normalise_label, normalise_timestamp

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
TIMING_RE = re.compile(rf"^[ \t]*({_TIME})[ \t]+-->[ \t]+({_TIME})(?:[ \t].*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)*[ \t]+([^>]*)>")
_TAG = re.compile(r"</?[^>\n]*>")
_ASS = re.compile(r"\{\\[^}]*\}")  # `{\an8}` positioning codes some SRT writers emit
_SPACES = re.compile(r"\s+")
_UNSAFE_NAME = re.compile(r"[:\[\]\n]+")
_DIALOGUE_DASH = re.compile(r"^[-–—][ \t]+")  # "- Anna: ..." marks a change of speaker in subtitles


class Cue:
    __slots__ = ("timestamp", "speaker", "text", "candidate")

    def __init__(self, timestamp, speaker, text, candidate=None):
        self.timestamp = timestamp
        self.speaker = speaker        # from a voice tag: always a speaker
        self.text = text
        self.candidate = candidate    # (label, content offset) from a `Name:` / `[Name]` prefix


def _clean(text: str) -> str:
    text = _ASS.sub("", _TAG.sub("", text))
    return _SPACES.sub(" ", html.unescape(text)).strip()


def _safe_name(name: str) -> str:
    name = _SPACES.sub(" ", _UNSAFE_NAME.sub(" ", html.unescape(name))).strip()
    if not name or not name[0].isalpha():
        name = "Talare " + name if name else "Talare"
    return normalise_label(name[:60])


def _cue_parts(timestamp: str, payload: str) -> list[Cue]:
    """One Cue per voice span or `Name:` line in a cue's payload (a cue may hold a dialogue)."""
    spans = list(_VOICE.finditer(payload))
    if not spans:
        return _plain_parts(timestamp, payload)
    parts = _plain_parts(timestamp, payload[:spans[0].start()])
    for i, m in enumerate(spans):
        stop = spans[i + 1].start() if i + 1 < len(spans) else len(payload)
        parts.append(Cue(timestamp, _safe_name(m.group(1)), _clean(payload[m.end():stop])))
    return parts


def _plain_parts(timestamp: str, payload: str) -> list[Cue]:
    """Lines of a cue without voice tags; a line starting like `Name:` may start a new speaker."""
    parts: list[Cue] = []
    for raw in payload.split("\n"):
        line = _DIALOGUE_DASH.sub("", _clean(raw))
        if not line:
            continue
        found = match_label(line)
        if found or not parts:
            parts.append(Cue(timestamp, None, line, (found[0], found[2]) if found else None))
        else:
            parts[-1].text += " " + line
    return parts


def _blocks(text: str):
    """(first line number, lines) for each blank-line separated block."""
    block, first = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _timing(line: str, path, number: int, sep: str = ".") -> str:
    m = TIMING_RE.match(line)
    if m is None:
        expected = f"HH:MM:SS{sep}mmm --> HH:MM:SS{sep}mmm"
        raise QualcodeError(f"malformed cue timing '{line.strip()[:60]}' (expected '{expected}')", path, number)
    return normalise_timestamp(m.group(1))


def vtt_cues(text: str, path=None) -> list[Cue]:
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise QualcodeError("not a WebVTT file: the first line must be 'WEBVTT'", path, 1)
    cues: list[Cue] = []
    for index, (first, lines) in enumerate(_blocks(text)):
        if index == 0 or (lines[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in lines[0]):
            continue
        arrow = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if arrow is None:
            raise QualcodeError("expected a cue timing line 'HH:MM:SS.mmm --> HH:MM:SS.mmm'", path, first + min(1, len(lines) - 1))
        timestamp = _timing(lines[arrow], path, first + arrow)
        cues.extend(_cue_parts(timestamp, "\n".join(lines[arrow + 1:])))
    return cues


def srt_cues(text: str, path=None) -> list[Cue]:
    cues: list[Cue] = []
    for first, lines in _blocks(text):
        if lines[0].strip().isdigit():
            if len(lines) < 2:
                raise QualcodeError("cue number without a timing line", path, first)
            timing_at = 1
        elif "-->" in lines[0]:
            timing_at = 0
        else:
            raise QualcodeError("expected a cue number or a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'", path, first)
        timestamp = _timing(lines[timing_at], path, first + timing_at, ",")
        cues.extend(_cue_parts(timestamp, "\n".join(lines[timing_at + 1:])))
    return cues


def render(cues: list[Cue], known=()) -> tuple[str, set[str]]:
    """Speaker lines for the cues, merging consecutive cues of one speaker; also the speaker set."""
    counts: dict[str, int] = {}
    for cue in cues:
        if cue.candidate:
            counts[cue.candidate[0]] = counts.get(cue.candidate[0], 0) + 1
    speakers = {cue.speaker for cue in cues if cue.speaker}
    accepted = accepted_labels(counts, set(known) | speakers)
    lines: list[str] = []
    current, pieces, ts = None, [], None

    def flush():
        if pieces:
            body = " ".join(p for p in pieces if p)
            lines.append(f"[{ts}] {current}: {body}".rstrip() if current else f"[{ts}] {body}")

    for cue in cues:
        speaker, text = cue.speaker, cue.text
        if speaker is None and cue.candidate and cue.candidate[0] in accepted:
            speaker, text = cue.candidate[0], text[cue.candidate[1]:]
        if not text and speaker is None:
            continue
        # A cue without a speaker continues the current speaker's turn.
        if speaker is None or speaker == current:
            if not pieces:
                ts = cue.timestamp
            pieces.append(text)
            continue
        flush()
        current, pieces, ts = speaker, [text], cue.timestamp
        speakers.add(speaker)
    flush()
    return "\n".join(lines), speakers


def subtitle_lines(text: str, fmt: str, path: Path | None = None, known=()) -> tuple[str, set[str]]:
    """Render a .vtt or .srt file's text as speaker lines; returns (text, speakers)."""
    cues = vtt_cues(text, path) if fmt == "vtt" else srt_cues(text, path)
    return render(cues, known)
