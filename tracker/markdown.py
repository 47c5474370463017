"""The one place markdown becomes HTML, for content and for user text alike.

`markdown` turns the source into HTML; `nh3` then keeps only an allow-list of
tags and attributes and only http, https and mailto links. Render on save and
store the result: rendering costs milliseconds, pages must not pay it per view.
"""

from __future__ import annotations

import re

import markdown as md
import nh3

from .middleware import CSRF_PLACEHOLDER

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p",
    "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Elements removed with their content. A browser (and nh3's parser) reads everything
# after an unclosed one as its content, so one stray "<style>" would hide the rest.
CONTENT_TAGS = {"script", "style"}
_CONTENT_TAG = re.compile(r"<(/?)(script|style)\b[^<>]*>?", re.IGNORECASE)


def render_markdown(source: str) -> str:
    """Return safe HTML for markdown `source` (user-written or content)."""
    # The placeholder {% csrf_field %} leaves for the middleware: never in user text.
    source = source.replace(CSRF_PLACEHOLDER, "")
    if not source:
        return ""
    html = md.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        _drop_content_tags(html),
        tags=ALLOWED_TAGS,
        clean_content_tags=CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _drop_content_tags(html: str) -> str:
    """Remove each closed <script>/<style> element and show an unclosed one's tag as
    text, so it cannot swallow what follows. One pass: linear in the input. Safety
    still comes from nh3 after this; this only decides what stays visible."""
    out: list[str] = []
    position = 0
    opened: re.Match[str] | None = None
    for tag in _CONTENT_TAG.finditer(html):
        closing, name = tag[1], tag[2].lower()
        if opened is None and not closing:
            out.append(html[position : tag.start()])
            opened = tag
        elif opened is not None and closing and name == opened[2].lower():
            position, opened = tag.end(), None
    if opened is None:
        out.append(html[position:])
    else:  # unclosed: keep the rest, with its tag as visible text
        out.append("&lt;" + html[opened.start() + 1 :])
    return "".join(out)
