"""What a project's own template may not contain, found when it is parsed.

Project templates cannot mark text as safe HTML (the report's own HTML already arrives
as markup) and cannot name resources by address (images, fonts and the logo come from
report.yaml as data: URIs); the sandbox (`reportgen.render.sandbox`) refuses them at
the template line that holds them.
"""

from __future__ import annotations

import re

from jinja2 import TemplateSyntaxError, nodes

from reportgen.diagnostics import Code, Severity

# The diagnostic codes this module emits; reportgen.catalogue collects them.
TEMPLATE_REFUSED = Code(
    "template.refused",
    Severity.ERROR,
    "A project template tried something the sandbox does not allow",
    "Templates may format the data they are given, nothing else.",
)
TEMPLATE_RESOURCE = Code(
    "template.resource",
    Severity.ERROR,
    "A project template refers to a file or address the report does not provide",
    "A template may use only what the report provides: images, fonts and the logo "
    "declared in report.yaml arrive in the view models as data: URIs. Literal "
    "addresses in a template (src=, href= on anything but a link, url(), @import, "
    "rel=attachment) may only be data: URIs or #ids; links (<a href>) may also go to "
    "web, mail and telephone addresses.",
)


class RefusedConstruct(TemplateSyntaxError):
    """A project template holds something it may not: found when it is parsed."""

    def __init__(self, message: str, lineno: int, code: Code, hint: str) -> None:
        super().__init__(message, lineno)
        self.declared = code
        self.code = code.code
        self.hint = hint


# Ways to turn text from the data into live markup; packaged templates, which are
# trusted, get trusted HTML as `Markup` in the view models and need none of them.
_MARKUP_FILTERS = frozenset({"safe"})
_MARKUP_ATTRIBUTES = frozenset({"unescape", "__html__", "__html_format__"})
_SAFE_HINT = (
    "project templates cannot mark text as safe HTML; the report's own HTML (sections, "
    "charts) already arrives as markup, so write {{ section.body }} without |safe"
)
_LINK_SCHEMES = ("#", "https://", "http://", "mailto:", "tel:")
_TAG_START = re.compile(r"<\s*([A-Za-z][\w:-]*)[^<]*$")
_ATTACHMENT = re.compile(r"""\brel\s*=\s*["']?[^"'>]*\battachment\b""", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(
    r"""(?<![\w-])(src|srcset|href|xlink:href|data|poster|background|action|formaction"""
    r"""|cite|longdesc|manifest|icon)\s*=\s*["']?([^"'\s>]*)""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""\b(?:url|image-set|image)\(\s*["']?([^"')\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)


def _refused_markup(node: nodes.Node) -> str | None:
    """What in `node` would turn data into live markup, if anything."""
    if isinstance(node, nodes.Filter) and node.name in _MARKUP_FILTERS:
        return f"the filter |{node.name}"
    if (
        isinstance(node, nodes.Filter)
        and node.name == "attr"
        and any(isinstance(a, nodes.Const) and a.value in _MARKUP_ATTRIBUTES for a in node.args)
    ):
        return "|attr to reach unescape or __html__"
    if isinstance(node, nodes.Getattr) and node.attr in _MARKUP_ATTRIBUTES:
        return f".{node.attr}"
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and node.arg.value in _MARKUP_ATTRIBUTES
    ):
        return f"[{node.arg.value!r}]"
    if isinstance(node, nodes.EvalContextModifier | nodes.ScopedEvalContextModifier) and any(
        k.key == "autoescape" and not (isinstance(k.value, nodes.Const) and k.value.value is True)
        for k in node.options
    ):
        return "turning autoescape off"
    return None


def _refused_resource(text: str) -> tuple[int, str] | None:
    """The first literal file or network address in a template's text, and its offset.

    The address an attribute or `url(` takes from an expression (`src="{{ report.logo }}"`)
    is not in the literal text: those come from the report and are checked at the fetch.
    """
    if found := _ATTACHMENT.search(text):
        return found.start(), "a PDF attachment (rel=attachment)"
    if found := _CSS_IMPORT.search(text):
        return found.start(), "a stylesheet import (@import)"
    for found in _URL_ATTRIBUTE.finditer(text):
        name, value = found.group(1).lower(), found.group(2)
        if not value or value.startswith(("#", "data:")):
            continue
        tag = _TAG_START.search(text[: found.start()])
        is_link = tag is not None and tag.group(1).lower() in ("a", "area")
        if name == "href" and is_link and value.lower().startswith(_LINK_SCHEMES):
            continue  # a link the reader follows, never fetched
        return found.start(), f"'{value}' ({name}=)"
    for found in _CSS_URL.finditer(text):
        value = found.group(1)
        if value and not value.startswith(("#", "data:")):
            return found.start(), f"'{value}' (url())"
    return None


def check_project_template(tree: nodes.Template) -> None:
    """Refuse markup tricks and literal resource addresses in a project's template."""
    for node in tree.find_all(nodes.Node):
        what = _refused_markup(node)
        if what is not None:
            raise RefusedConstruct(
                f"{what} is not allowed in a project template",
                node.lineno,
                TEMPLATE_REFUSED,
                _SAFE_HINT,
            )
        if isinstance(node, nodes.TemplateData):
            refused = _refused_resource(node.data)
            if refused is not None:
                offset, what = refused
                raise RefusedConstruct(
                    f"template refers to {what}: a template may use only what the report provides",
                    node.lineno + node.data.count("\n", 0, offset),
                    TEMPLATE_RESOURCE,
                    "images, fonts and the logo come from report.yaml and arrive in the "
                    "view models as data: URIs; link only to web pages or #ids in the report",
                )
