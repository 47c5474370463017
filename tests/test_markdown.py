"""The one markdown render function: formatting survives, anything executable does not."""

from __future__ import annotations

from django.test import SimpleTestCase

from tracker.markdown import render_markdown


class RenderMarkdownTests(SimpleTestCase):
    def test_it_renders_common_markdown(self):
        self.assertHTMLEqual(
            render_markdown("**bold** and [docs](https://example.com)"),
            '<p><strong>bold</strong> and <a href="https://example.com" '
            'rel="noopener noreferrer nofollow">docs</a></p>',
        )

    def test_it_drops_scripts_event_handlers_and_bad_schemes(self):
        html = render_markdown(
            "<script>alert(1)</script><img src=x onerror=alert(1)>"
            "[x](javascript:alert(1)) "
            '<a href="data:text/html,hi" hx-get="/x" data-hx-post="/y">y</a>'
        )
        self.assertNotIn("<script", html)
        self.assertNotIn("onerror", html)
        self.assertNotIn("javascript:", html)
        self.assertNotIn("data:", html)
        self.assertNotIn("hx-get", html)
        self.assertNotIn("data-hx-post", html)

    def test_empty_source_gives_empty_html(self):
        self.assertEqual(render_markdown(""), "")
