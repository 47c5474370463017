"""146 public XSS payloads (PayloadsAllTheThings, Markdown-XSS-Payloads, each with its
source in xss-payloads.json) through the one markdown render function."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from roadmap.markdown import render_markdown

PAYLOADS = json.loads((Path(__file__).parent / "xss-payloads.json").read_text())
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "frame",
    "frameset",
    "video",
    "audio",
}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.IGNORECASE)


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith(("on", "hx-", "data-hx-")) or name == "style":
                self.problems.append(f"{tag} {name}=")
            if name in URL_ATTRS and value is not None:
                # As a browser parses a URL: strip leading and trailing C0 controls and
                # spaces, drop every tab and newline (spaces inside stay, making
                # "j a v a s c r i p t:" a harmless relative URL).
                squeezed = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(33))))
                if BAD_SCHEME.match(squeezed):
                    self.problems.append(f"{tag} {name}={value[:40]}")

    handle_startendtag = handle_starttag


def test_the_corpus_is_big_and_sourced():
    assert len(PAYLOADS) >= 50
    assert all(p["source"] for p in PAYLOADS)


@pytest.mark.parametrize("payload", [p["payload"] for p in PAYLOADS])
def test_payload_is_neutralised(payload):
    html = render_markdown(payload)
    inspector = Inspector()
    inspector.feed(html)
    assert not inspector.problems, html
    assert "<script" not in html.lower()


def test_all_payloads_at_once_are_neutralised():
    html = render_markdown("\n\n".join(p["payload"] for p in PAYLOADS))
    inspector = Inspector()
    inspector.feed(html)
    assert not inspector.problems
