"""The one place markdown becomes HTML, for content and for user text alike.

`markdown` turns the source into HTML; `nh3` then keeps only an allow-list of
tags and attributes and only http, https and mailto links. Render on save and
store the result: rendering costs milliseconds, pages must not pay it per view.
Models do that through `RendersMarkdown` (below); the work is linear in the length
of the source, whatever it holds (see "Linear time").
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from typing import Any, ClassVar

import markdown as md
import nh3
from markdown.blockprocessors import SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
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


# The shape of the placeholder the site's {% csrf_field %} leaves for its middleware to
# fill (tracker.middleware): never carried through from a user's text.
CSRF_PLACEHOLDER_SHAPE = re.compile(r"csrf-placeholder-[0-9a-f]{32}")


def render_markdown(source: str) -> str:
    """Return safe HTML for markdown `source` (user-written or content)."""
    source = _SENTINELS.sub("", CSRF_PLACEHOLDER_SHAPE.sub("", source))
    if not source:
        return ""
    html = _parser(len(source)).convert(_neutralise(source))
    html = html.replace(LITERAL_LT, "&lt;").replace(LITERAL_GT, "&gt;")
    return nh3.clean(
        _drop_content_tags(html),
        tags=ALLOWED_TAGS,
        clean_content_tags=CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- Linear time ---------------------------------------------------------------------
# Python-Markdown scans forward from every "[" for its "]" (and from "](" for its ")")
# to the end of the paragraph, and its table test splits the whole remaining block
# for each line another block processor consumes: "[" * N or "# a\n" * N took time
# growing with N². The guards below keep the package and its output for ordinary
# text, and bound the work for the rest (tests/test_markdown_speed.py).

LINK_PATTERNS = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
)
# Longest link text, and destination with title, that still count as a link.
LINK_TEXT_MAX = 4_000
LINK_TARGET_MAX = 4_000
# A link destination closes within this many ")" (nested parentheses in URLs).
LINK_PARENS_MAX = 4


# A "<" or ">" that must stay text is swapped for a Unicode noncharacter (never in
# interchanged text: stripped from the source first), which markdown treats as a plain
# letter everywhere, and swapped back as "&lt;"/"&gt;", the HTML markdown itself gives
# those characters in text and code alike. So the output is unchanged but for the
# construct they no longer start: an HTML tag still open at the next "<" (the parser
# rescans the rest of the text for each: "<a " * N), a quote nested past QUOTE_DEPTH_MAX.
LITERAL_LT, LITERAL_GT = "\ufdd0", "\ufdd1"
_SENTINELS = re.compile("[\ufdd0\ufdd1]")
QUOTE_DEPTH_MAX = 8
_ANGLE = re.compile(r"[<>]")
_DEEP_QUOTE = re.compile(
    rf"^((?:[ ]{{0,3}}>){{{QUOTE_DEPTH_MAX}}})((?:[ ]{{0,3}}>)+)", re.MULTILINE
)


def _neutralise(source: str) -> str:
    out: list[str] = []
    position, pending = 0, -1  # pending: a "<" not yet closed by a ">"
    for angle in _ANGLE.finditer(source):
        if angle[0] == ">":
            pending = -1
            continue
        if pending >= 0:  # another "<" first: the pending one opens no tag
            out += [source[position:pending], LITERAL_LT]
            position = pending + 1
        pending = angle.start()
    if pending >= 0:
        out += [source[position:pending], LITERAL_LT]
        position = pending + 1
    out.append(source[position:])
    return _DEEP_QUOTE.sub(lambda m: m[1] + m[2].replace(">", LITERAL_GT), "".join(out))


# Block processors that search the whole block for their line, and the parser hands
# them the block again minus each line another processor took: "# a\n" * N.
SEARCHING_TESTS = ("hashheader", "hr", "deflist", "quote")
SEARCHING_RUNS = ("footnote", "abbr", "reference")  # test() is True; run() searches
MISSES_KEPT = 8


class _ScanBudget:
    """Characters the link scanners may still read in this render: a few per source
    character. Ordinary text uses a fraction; once spent, a "[" is plain text."""

    def __init__(self, source_length: int) -> None:
        self.left = 8 * source_length + 10_000

    def window(self, data: str, index: int, limit: int) -> str:
        return data[index : index + max(0, min(limit, self.left))]


_parsers = threading.local()


def _parser(source_length: int) -> md.Markdown:
    """This thread's parser, reset for a source of `source_length` characters. Building
    one (extensions, patterns, processors) costs more than most renders, and an import
    renders a thousand answers; reset() clears everything a render leaves behind
    (markdown's stash, references, footnotes and abbreviations, and _Linear's state)."""
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        linear = _Linear()
        parser = md.Markdown(extensions=["extra", "sane_lists", linear], output_format="html")
        parser.registerExtension(linear)  # so that reset() resets it
        _parsers.markdown, _parsers.linear = parser, linear
    parser.reset()
    _parsers.linear.budget.left = _ScanBudget(source_length).left
    return parser


class _Linear(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.budget = _ScanBudget(0)  # set for each source by _parser
        self.misses: list[list[str]] = []  # _remember_misses' blocks, per render

    def reset(self) -> None:
        for missed in self.misses:
            missed.clear()

    def extendMarkdown(self, md_instance: md.Markdown) -> None:  # noqa: N802 (markdown's API)
        for name in LINK_PATTERNS:
            _budget_link_scans(md_instance.inlinePatterns[name], self.budget)
        _inline_in_pieces(md_instance.treeprocessors["inline"])
        blocks = md_instance.parser.blockprocessors
        blocks.register(
            _HeadTableProcessor(md_instance.parser, blocks["table"].config), "table", 75
        )
        blocks.register(_SetextProcessor(md_instance.parser), "setextheader", 60)
        for name in SEARCHING_TESTS:
            self.misses.append(_remember_misses(blocks[name], "test"))
        for name in SEARCHING_RUNS:
            self.misses.append(_remember_misses(blocks[name], "run"))


def _budget_link_scans(processor: Any, budget: _ScanBudget) -> None:
    """Run the processor's own getText/getLink on a bounded window, charged to budget."""
    get_text, get_link = processor.getText, processor.getLink

    def scan_text(data: str, index: int) -> tuple[str, int, bool]:
        window = budget.window(data, index, LINK_TEXT_MAX)
        text, end, handled = get_text(window, 0)
        budget.left -= end
        return text, index + end, handled and bool(window)

    def scan_link(data: str, index: int) -> tuple[str, str | None, int, bool]:
        window = budget.window(data, index, LINK_TARGET_MAX)
        stop = 0
        for _ in range(LINK_PARENS_MAX):  # the loop below reads at most this far
            stop = window.find(")", stop) + 1
            if not stop:
                stop = len(window)
                break
        window = window[:stop]
        href, title, end, handled = get_link(window, 0)
        budget.left -= len(window)
        # A negative end (an upstream quirk: -1 means "the last character") stays as is.
        return href, title, index + end if end >= 0 else end, handled and bool(window)

    processor.getText, processor.getLink = scan_text, scan_link


def _remember_misses(processor: Any, method: str) -> list[str]:
    """A line search that failed on a block fails on every tail of it that starts at a
    line: answer those at once. (run() returns False, leaving the block, on a miss.)
    A few of the longest misses are kept: the blocks nested parses cut out between
    the tails (the lines before a rule, a list item's text) must not push them out."""
    original = getattr(processor, method)
    missed: list[str] = []

    def remembering(parent: Any, block_or_blocks: Any) -> bool | None:
        block = block_or_blocks if method == "test" else block_or_blocks[0]
        for longer in missed:
            if (
                block
                and len(block) < len(longer)
                and longer[-len(block) - 1] == "\n"
                and longer.endswith(block)
            ):
                return False
        result = original(parent, block_or_blocks)
        if result is False and len(block) > 200:  # short blocks are cheap to search
            missed.append(block)
            if len(missed) > MISSES_KEPT:
                missed.remove(min(missed, key=len))
        return result

    setattr(processor, method, remembering)
    return missed


# Each inline match rebuilds the text it was found in, so a paragraph with many matches
# ("<b>" * N) costs N times its length. Longer runs are processed in pieces split at a
# line break (else a space), so a construct still spans lines within a piece.
INLINE_PIECE = 4_000
# Text with none of these can match no inline pattern of the package (and the extras):
# it is returned as it is, not tried against fifteen patterns (a table of thousands of
# plain cells costs little then). The stash placeholder (\x02) and a line break's two
# spaces count. Only while the registered patterns are the ones this was written for.
INLINE_TRIGGER = re.compile(r"[`\\\[!<&*_\x02]|  \n")
KNOWN_INLINE_PATTERNS = {
    *LINK_PATTERNS,
    *("backtick", "escape", "autolink", "automail", "linebreak", "html", "entity"),
    *("em_strong", "em_strong2", "not_strong", "footnote"),
}


def _inline_in_pieces(processor: Any) -> None:
    handle = processor._InlineProcessor__handleInline  # what __applyPattern also calls
    names = {p.name for p in processor.inlinePatterns._priority}
    skip_plain = names <= KNOWN_INLINE_PATTERNS

    def in_pieces(data: str, pattern_index: int = 0) -> str:
        if skip_plain and not INLINE_TRIGGER.search(data):
            return data
        if len(data) <= INLINE_PIECE or isinstance(data, md.util.AtomicString):
            return handle(data, pattern_index)
        pieces, start = [], 0
        while start < len(data):
            end = start + INLINE_PIECE
            if end < len(data):
                cut = max(data.rfind("\n", start, end), data.rfind(" ", start, end))
                end = cut + 1 if cut > start else end
                # Never inside a placeholder ("\x02…\x03") the block stage left.
                opened = data.rfind("\x02", start, end)
                if opened > data.rfind("\x03", start, end) and opened > start:
                    end = opened
            pieces.append(handle(data[start:end], pattern_index))
            start = end
        return "".join(pieces)

    processor._InlineProcessor__handleInline = in_pieces


class _HeadTableProcessor(TableProcessor):
    """The table test reads the block's first two lines (header and separator), not all
    of it; only a one-column table needs every line checked for a pipe."""

    def test(self, parent: Any, block: str) -> bool:
        head = "\n".join(block.split("\n", 2)[:2])
        if not super().test(parent, head):
            return False
        return len(self.separator) > 1 or head == block or super().test(parent, block)


class _SetextProcessor(SetextHeaderProcessor):
    """Split off the heading's two lines only, not every line of the block."""

    def run(self, parent: Any, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


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
