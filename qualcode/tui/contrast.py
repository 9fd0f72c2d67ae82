"""Colour contrast (WCAG): a code's colour lightened or darkened until text in it reads on a background."""

from __future__ import annotations

from textual.color import Color

MIN_CONTRAST = 4.5   # WCAG AA for text: a codebook's dark colours still read on the dark surface


def _luminance(c: Color) -> float:
    def channel(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(color: str, background: Color, minimum: float = MIN_CONTRAST) -> str:
    """`color` blended towards white (dark background) or black until text in it reads on `background`."""
    try:
        base = Color.parse(color)
    except Exception:
        return color
    target = Color(255, 255, 255) if background.brightness < 0.5 else Color(0, 0, 0)
    for step in range(11):
        mixed = base.blend(target, step / 10)
        if contrast(mixed, background) >= minimum:
            return mixed.hex
    return target.hex
