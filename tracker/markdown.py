"""The one place markdown becomes HTML, for content and for user text alike.

`markdown` turns the source into HTML; `nh3` then keeps only an allow-list of
tags and attributes and only http, https and mailto links. Render on save and
store the result: rendering costs milliseconds, pages must not pay it per view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

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


class RendersMarkdown:
    """Mixin for a model that stores markdown next to its rendered HTML, e.g.
    `markdown_fields = {"note": "note_html"}`: the HTML is rendered here and nowhere
    else (djangoproject.com's blog Entry pattern), so every write path, the admin
    included, stores HTML that matches its source.

    `save()` renders a source that changed since the row was read, and adds the HTML
    column to `update_fields` when it names the source. Bulk writes, which skip
    `save()`, call `render_rows(rows)` first.
    """

    markdown_fields: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        # The sources the stored HTML was rendered from (deferred ones stay unknown).
        row._rendered_from = {s: row.__dict__[s] for s in cls.markdown_fields if s in row.__dict__}
        return row

    @classmethod
    def render_rows(cls, rows: Iterable[RendersMarkdown]) -> None:
        """Render every row's HTML; rows sharing a source render it once."""
        done: dict[str, str] = {}
        for row in rows:
            for source, html in cls.markdown_fields.items():
                text = getattr(row, source)
                if text not in done:
                    done[text] = render_markdown(text)
                setattr(row, html, done[text])
            row._rendered_from = {s: getattr(row, s) for s in cls.markdown_fields}

    def render_html(self) -> None:
        """Render this row's HTML columns from their sources now."""
        type(self).render_rows([self])

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        rendered_from = getattr(self, "_rendered_from", {})
        stale = [
            source
            for source in self.markdown_fields
            if (update_fields is None or source in update_fields)
            and (source not in rendered_from or rendered_from[source] != getattr(self, source))
        ]
        for source in stale:
            setattr(self, self.markdown_fields[source], render_markdown(getattr(self, source)))
            rendered_from[source] = getattr(self, source)
        self._rendered_from = rendered_from
        if update_fields is not None:
            html = [self.markdown_fields[s] for s in update_fields if s in self.markdown_fields]
            kwargs["update_fields"] = [*update_fields, *(h for h in html if h not in update_fields)]
        super().save(*args, **kwargs)
