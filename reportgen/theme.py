"""Branding made safe: the report's colours, logo and typeface, checked and resolved.

A brand colour too light for text is darkened (same hue) until it passes WCAG 2.2 AA,
and validation says so (`theme.low-contrast`) instead of publishing unreadable headings.
The packaged typeface, Atkinson Hyperlegible (SIL Open Font License, see
`templates/fonts/`), is embedded in both outputs, so a report looks the same on every
machine whatever fonts it has.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportgen.colour import accessible_colour, contrast_ratio
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.project import Project, inside_project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
THEME_FONT_NOT_FOUND = Code(
    "theme.font-not-found",
    Severity.ERROR,
    "The report's font is not available",
    "List the font's .ttf or .otf files under `theme: font_files`, or use the default.",
)
THEME_FONT_UNREADABLE = Code(
    "theme.font-unreadable",
    Severity.ERROR,
    "A font file cannot be read",
    "Give TrueType (.ttf) or OpenType (.otf) files; convert web fonts first.",
)
THEME_FONT_MISMATCH = Code(
    "theme.font-mismatch",
    Severity.ERROR,
    "A font file is of another typeface",
    "Every file in `font_files` must be a face of the `font` named in the theme.",
)
THEME_LOW_CONTRAST = Code(
    "theme.low-contrast",
    Severity.WARNING,
    "A theme colour has too little contrast",
    "Text and chart colours need enough contrast against white to be read.",
)
THEME_LOGO_NOT_FOUND = Code(
    "theme.logo-not-found",
    Severity.ERROR,
    "The logo file does not exist",
    "Check the path; it is relative to the project folder.",
)
THEME_LOGO_UNREADABLE = Code(
    "theme.logo-unreadable",
    Severity.ERROR,
    "The logo is not an image reportgen can embed",
    "Use a PNG, JPEG or SVG file.",
)

Style = Literal["normal", "italic"]

PACKAGED_FONT = "Atkinson Hyperlegible"
FONT_DIR = Path(__file__).resolve().parent / "templates" / "fonts"

WHITE = "#ffffff"
PANEL = "#f3f2f1"  # the tile and panel background in report.css: the darkest text sits on
TEXT_CONTRAST = 4.5  # WCAG 2.2 SC 1.4.3, normal-size text
GRAPHIC_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11, chart bars and other graphics

LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
FONT_TYPES = {".ttf": ("truetype", "font/ttf"), ".otf": ("opentype", "font/otf")}

# The packaged faces. Browsers get WOFF2 split by script (Latin, Latin Extended, as
# Fontsource ships them); WeasyPrint and matplotlib get the complete TrueType files.
_LATIN = (
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
    "U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
)
_LATIN_EXT = (
    "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,"
    "U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,"
    "U+A720-A7FF"
)
_PACKAGED_TTF: dict[tuple[int, Style], str] = {
    (400, "normal"): "AtkinsonHyperlegible-Regular.ttf",
    (700, "normal"): "AtkinsonHyperlegible-Bold.ttf",
    (400, "italic"): "AtkinsonHyperlegible-Italic.ttf",
    (700, "italic"): "AtkinsonHyperlegible-BoldItalic.ttf",
}


@dataclass(frozen=True)
class FontFile:
    """One face of the typeface, as a file."""

    path: Path
    weight: int
    style: Style
    format: str  # CSS format(): woff2, truetype, opentype
    mime: str
    unicode_range: str | None = None

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.path.read_bytes()).decode()}"


@dataclass(frozen=True)
class ResolvedTheme:
    """The theme as the outputs use it: every colour already passes contrast."""

    primary: str  # headings, links, tile figures: >= 4.5:1 on white and on panels
    accent: str  # second chart colour: >= 3:1 on white
    font_family: str
    screen_fonts: list[FontFile]  # embedded in the HTML page
    print_fonts: list[FontFile]  # embedded in the PDF and used by the charts (TTF/OTF)
    logo: Path | None


def packaged_fonts() -> tuple[list[FontFile], list[FontFile]]:
    """The packaged Atkinson Hyperlegible: (browser faces, print faces)."""
    screen: list[FontFile] = []
    for subset, unicode_range in (("latin", _LATIN), ("latin-ext", _LATIN_EXT)):
        for weight, style in _PACKAGED_TTF:
            name = f"atkinson-hyperlegible-{subset}-{weight}-{style}.woff2"
            screen.append(
                FontFile(FONT_DIR / name, weight, style, "woff2", "font/woff2", unicode_range)
            )
    print_ = [
        FontFile(FONT_DIR / name, weight, style, "truetype", "font/ttf")
        for (weight, style), name in _PACKAGED_TTF.items()
    ]
    return screen, print_


def _read_font(path: Path) -> tuple[str, int, Style]:
    """(family, weight, style) from a font file's own tables."""
    from fontTools.ttLib import TTFont  # only for projects that bring their own fonts

    with TTFont(path, lazy=True) as font:
        names = font["name"]
        family = str(names.getDebugName(16) or names.getDebugName(1) or "")
        os2 = font.get("OS/2")
        weight = int(os2.usWeightClass) if os2 is not None else 400
        italic = bool(os2.fsSelection & 1) if os2 is not None else False
        if not italic and "head" in font:
            italic = bool(font["head"].macStyle & 2)
    return family, weight, "italic" if italic else "normal"


def _project_fonts(project: Project, diags: DiagnosticList) -> tuple[str, list[FontFile]] | None:
    """The project's own typeface, or None (after saying why) to fall back to the default."""
    theme = project.config.theme
    if not theme.font_files:
        diags.emit(
            THEME_FONT_NOT_FOUND,
            f"font '{theme.font}' is not packaged with reportgen and no font_files are given",
            project.where(theme, "font"),
            f"list its .ttf or .otf files under theme: font_files, or remove `font` "
            f"to use {PACKAGED_FONT}",
        )
        return None
    files: list[FontFile] = []
    for i, rel in enumerate(theme.font_files):
        where = project.where(theme, "font_files", i)
        path = inside_project(project.root, rel, where, diags)
        if path is None:
            continue
        kind = FONT_TYPES.get(path.suffix.lower())
        if kind is None:
            diags.emit(
                THEME_FONT_UNREADABLE,
                f"expected a .ttf or .otf font file, got '{rel}'",
                where,
                "convert web fonts (.woff, .woff2) to TrueType or OpenType first",
            )
            continue
        if not path.is_file():
            diags.emit(
                THEME_FONT_NOT_FOUND,
                f"font file '{rel}' does not exist",
                where,
                "check the path; it is relative to the project folder",
            )
            continue
        try:
            family, weight, style = _read_font(path)
        except Exception as exc:  # fontTools raises many types for a damaged file
            diags.emit(
                THEME_FONT_UNREADABLE,
                f"'{rel}' is not a font file reportgen can read ({type(exc).__name__})",
                where,
                "export the font again as .ttf or .otf",
            )
            continue
        if family != theme.font:
            diags.emit(
                THEME_FONT_MISMATCH,
                f"expected a face of '{theme.font}', got '{family}' in '{rel}'",
                where,
                f"set theme: font to '{family}', or list the files of '{theme.font}'",
            )
            continue
        files.append(FontFile(path, weight, style, *kind))
    if len(files) != len(theme.font_files):
        return None
    faces = {(f.weight >= 600, f.style) for f in files}
    missing = [
        name
        for name, face in (("regular", (False, "normal")), ("bold", (True, "normal")))
        if face not in faces
    ]
    if missing:
        diags.emit(
            THEME_FONT_NOT_FOUND,
            f"font '{theme.font}' has no {' or '.join(missing)} face in font_files",
            project.where(theme, "font_files"),
            "list a regular and a bold file; italics are optional",
        )
        return None
    return theme.font, sorted(files, key=lambda f: (f.style, f.weight, f.path.name))


def _safe_colour(
    name: str, colour: str, minimum: float, purpose: str, project: Project, diags: DiagnosticList
) -> str:
    """`colour` if it reaches `minimum` against white and panels; else a darker fallback."""
    lowest = min(contrast_ratio(colour, WHITE), contrast_ratio(colour, PANEL))
    if lowest >= minimum:
        return colour.lower()
    fallback = accessible_colour(colour, PANEL, minimum)
    diags.emit(
        THEME_LOW_CONTRAST,
        f"{name} {colour} has a contrast of {lowest:.1f}:1 against the page; expected at "
        f"least {minimum:g}:1 for {purpose}, so the report uses {fallback} instead",
        project.where(project.config.theme, name),
        f"choose a darker shade of your brand colour (e.g. {fallback})",
    )
    return fallback


def resolve_theme(project: Project, diags: DiagnosticList | None = None) -> ResolvedTheme:
    """The theme the outputs use; problems go to `diags` (validation), else are dropped."""
    diags = diags if diags is not None else DiagnosticList()
    theme = project.config.theme
    primary = _safe_colour(
        "primary_colour", theme.primary_colour, TEXT_CONTRAST, "headings and links", project, diags
    )
    accent = _safe_colour(
        "accent_colour", theme.accent_colour, GRAPHIC_CONTRAST, "chart bars", project, diags
    )

    screen, print_ = packaged_fonts()
    family = PACKAGED_FONT
    if theme.font != PACKAGED_FONT or theme.font_files:
        own = _project_fonts(project, diags)
        if own is not None:
            family, print_ = own
            screen = print_

    logo = None
    if theme.logo:
        where = project.where(project.config.theme, "logo")
        path = inside_project(project.root, theme.logo, where, diags)
        if path is not None and path.suffix.lower() not in LOGO_TYPES:
            diags.emit(
                THEME_LOGO_UNREADABLE,
                f"expected a PNG, JPEG or SVG logo, got '{theme.logo}'",
                where,
                "export the logo as .png or .svg",
            )
        elif path is not None and not path.is_file():
            diags.emit(
                THEME_LOGO_NOT_FOUND,
                f"logo file '{theme.logo}' does not exist",
                where,
                "check the path; it is relative to the project folder",
            )
        else:
            logo = path
    return ResolvedTheme(primary, accent, family, screen, print_, logo)


def check_theme(project: Project, diags: DiagnosticList) -> None:
    """Validate the theme: contrast of brand colours, font files, logo."""
    resolve_theme(project, diags)


def logo_data_uri(path: Path) -> str:
    """The logo as a data: URI, so the page is self-contained."""
    mime = LOGO_TYPES[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


__all__ = ["PACKAGED_FONT", "FontFile", "ResolvedTheme", "check_theme", "resolve_theme"]
