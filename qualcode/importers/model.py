"""The parsed form of one transcript file: its normalised text, turns, attributes and speakers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Turn:
    speaker: str | None      # normalised label: "I", "IP", "IP 1", "Anna Berg"
    timestamp: str | None    # "HH:MM:SS"
    start: int               # content start (after label and timestamp)
    end: int                 # content end (exclusive, trailing whitespace trimmed)
    label_start: int         # where the line with the label starts


@dataclass
class ParsedTranscript:
    text: str                        # NFC, "\n" line endings, front matter removed
    turns: list[Turn]
    attributes: dict[str, str]       # site, organisation, role, date, title, …
    speakers: dict[str, dict[str, str]]  # "IP 2" -> {"role": "chef", …}
    format: str                      # "text", "markdown", "docx", "vtt", "srt"
    warnings: list[str] = field(default_factory=list)
