"""Regenerate the golden HTML of the example report: `make golden`, then review the diff."""

from __future__ import annotations

import re

from reportgen import pipeline
from reportgen.render.digest import render_digest
from reportgen.render.html import render_report
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden" / "example.html"
DIGEST_GOLDEN = REPO / "tests" / "golden" / "example-digest.html"


def normalise(html: str) -> str:
    """Drop what may legitimately change between versions: the generator line.

    Embedded font files are shortened too: they are packaged binaries, not output to review.
    """
    html = re.sub(r'url\("data:font/([a-z0-9]+);base64,[^"]*"\)', r'url("data:font/\1;...")', html)
    return re.sub(r'<meta name="generator" content="[^"]*">', "", html)


def _example() -> pipeline.ValidationResult:
    result = pipeline.validate(REPO)
    if result.project is None or result.derived is None or result.diagnostics.has_errors():
        raise SystemExit("the example report does not validate: run `make validate`")
    return result


def example_html() -> str:
    result = _example()
    assert result.project is not None and result.derived is not None
    return normalise(render_report(result.project, result.derived))


def example_digest_html() -> str:
    """The example's plain-language digest (report.yaml: outputs: digest)."""
    result = _example()
    assert result.project is not None and result.derived is not None
    return normalise(render_digest(result.project, result.derived))


if __name__ == "__main__":
    GOLDEN.write_text(example_html(), encoding="utf-8")
    DIGEST_GOLDEN.write_text(example_digest_html(), encoding="utf-8")
