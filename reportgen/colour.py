"""Colour contrast (WCAG 2.1), shared by the theme check and the charts.

It sits below both: the theme is resolved before anything is rendered, so it must not
import the renderer for its arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WHITE = "#ffffff"
MIN_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11, non-text contrast


def _rgb(colour: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"#?([0-9a-fA-F]{6})", colour.strip())
    if not match:
        raise ValueError(f"expected a colour as #rrggbb, got {colour!r}")
    value = match.group(1)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour, 0 (black) to 1 (white)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def accessible_colour(colour: str, background: str = WHITE, minimum: float = MIN_CONTRAST) -> str:
    """`colour` as lowercase #rrggbb, darkened (same hue) until it reaches `minimum` contrast."""
    rgb = _rgb(colour)
    factor = 1.0
    candidate = _hex(rgb)
    while contrast_ratio(candidate, background) < minimum and factor > 0:
        factor = round(factor - 0.01, 2)
        candidate = _hex([c * factor for c in rgb])
    return candidate
