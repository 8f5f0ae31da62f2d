"""Render the plain-language digest: `digest.html` through the report's template machinery.

The digest is rendered by the same sandboxed environment as the report (project
templates first, then the packaged ones, `default:` for the original), with the
report's own stylesheets, fonts and colours, so a project's override of report.css
or print.css shapes both. Its view model is built in reportgen.digest.

On screen each point links to the full report's page beside it (BASENAME.html#anchor).
The print page names the section in words instead: a relative link in a PDF would
point at a file on the machine that built it.
"""

from __future__ import annotations

from markupsafe import Markup

from reportgen import __version__
from reportgen.derived import Derived
from reportgen.digest import digest_view
from reportgen.project import Project
from reportgen.render.html import Medium, font_faces, report_environment, source_date
from reportgen.theme import logo_data_uri, resolve_theme
from reportgen.views import ReportView

DIGEST_TEMPLATE = "digest.html"


def render_digest(project: Project, derived: Derived, medium: Medium = "screen") -> str:
    """The digest's complete, self-contained HTML page for `medium`."""
    cfg = project.config
    theme = resolve_theme(project)
    env = report_environment(project.root)
    digest = digest_view(project, derived)
    # The report's page view, for its stylesheets (colours, fonts, running header).
    page = ReportView(
        title=digest.title,
        subtitle=None,
        partnership=cfg.partnership.name,
        partnership_short=cfg.partnership.short_name,
        period=digest.period,
        language=cfg.language,
        published=digest.published,
        primary_colour=theme.primary,
        accent_colour=theme.accent,
        logo=logo_data_uri(theme.logo) if theme.logo else None,
        toc=[],
        sections=[],
        chart_tables=[],
        generator=f"reportgen {__version__}",
        medium=medium,
        font_family=theme.font_family,
        fonts=font_faces(theme, medium),
        modified=source_date() if medium == "print" else None,
        document="digest",
    )
    css = env.get_template("report.css").render(report=page)
    print_css = env.get_template("print.css").render(report=page)
    return env.get_template(DIGEST_TEMPLATE).render(
        digest=digest, report=page, css=Markup(css), print_css=Markup(print_css)
    )
