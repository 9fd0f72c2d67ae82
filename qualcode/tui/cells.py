"""Text shortened to fit a table cell: an ellipsis where it is cut, line breaks folded for one-line cells."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """`text`, cut to `width` characters with "…" as the last one when it is longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def one_line(text: str, width: int) -> str:
    """`text` with every run of white space (line breaks too) as one space, clipped to `width`."""
    return clip(" ".join(text.split()), width)
