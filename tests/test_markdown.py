"""The one markdown render function: formatting survives, anything executable does not."""

from __future__ import annotations

from django.test import SimpleTestCase

from roadmap.markdown import render_markdown


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

    def test_style_and_script_blocks_go_with_their_content(self):
        html = render_markdown(
            "before\n\n<style>p { display: none }</style>\n\n"
            "<script>alert(1)</script> and **after**"
        )
        self.assertNotIn("display", html)
        self.assertNotIn("alert", html)
        self.assertIn("<p>before</p>", html)
        self.assertIn("<strong>after</strong>", html)

    def test_an_unclosed_style_or_script_hides_nothing_after_it(self):
        for tag in ("style", "script", "STYLE"):
            with self.subTest(tag=tag):
                html = render_markdown(f"one <{tag}>two\n\nthree **four**")
                self.assertIn("two", html)
                self.assertIn("<strong>four</strong>", html)
                self.assertNotIn(f"<{tag}", html)


def test_one_render_leaves_nothing_for_the_next():
    # The parser is reused between renders (building one costs more than most renders):
    # one text's reference links, footnotes and abbreviations must not reach another's.
    first = render_markdown(
        "See [the docs][d] and this[^1].\n\n[d]: https://evil.example/\n\n"
        "[^1]: A note.\n\n*[HTML]: Hyper Text\n\nHTML"
    )
    assert "https://evil.example/" in first and "A note." in first and "<abbr" in first
    second = render_markdown("Read [the docs][d] again[^1]. HTML")
    assert "evil.example" not in second and "A note." not in second
    assert "<abbr" not in second
    assert second == render_markdown("Read [the docs][d] again[^1]. HTML")
