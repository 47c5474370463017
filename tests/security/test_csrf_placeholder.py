"""The CSRF placeholder of cached fragments is never filled in inside user text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from roadmap.models import Goal
from tracker.middleware import CSRF_PLACEHOLDER
from tracker.plans import item_add_link, item_save_note

pytestmark = pytest.mark.django_db

OLD_MARKER = "__rampup_csrf_token__"  # the fixed public string used before


def _hostile(marker: str) -> list[str]:
    """Ways a user could type a marker: bare, in a link, and as the field's own form."""
    return [
        f"AAA{marker}ZZZ",
        f"[AAA{marker}ZZZ](https://evil.example/?t={marker})",
        f'AAA<input type="hidden" name="csrfmiddlewaretoken" value="{marker}">ZZZ',
        f'AAAname="csrfmiddlewaretoken" value="{marker}"ZZZ',
    ]


def test_a_note_or_link_title_holding_the_marker_never_shows_a_token(learner, plan):
    goal = Goal.objects.current().filter(phase__order=1).first()
    texts = _hostile(OLD_MARKER) + _hostile(CSRF_PLACEHOLDER)
    item_save_note(learner=learner, item=goal, note="\n\n".join(texts))
    for text in texts:
        item_add_link(learner=learner, item=goal, title=text[:120], url="https://e.com/")
    client = Client()
    client.force_login(learner)
    body = client.get(goal.phase.get_absolute_url()).content.decode()
    # Each get_token() masks the secret anew: a filled-in token is any 64-character run.
    token = re.compile(r"[A-Za-z0-9]{64}")
    assert token.fullmatch(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1])
    shown = re.findall(r"AAA(.*?)ZZZ", body)
    assert len(shown) >= 2 * len(texts)  # each text in the note and as a link title
    assert not [s for s in shown if token.search(s)]


def test_no_markdown_field_of_any_model_can_produce_the_filled_in_field():
    """Every markdown column, rendered as saving renders it, goes out next to a real
    {% csrf_field %}: only the real one gets the token."""
    from django.apps import apps
    from django.http import HttpResponse
    from django.test import RequestFactory

    from roadmap.markdown import RendersMarkdown
    from tracker.middleware import CSRF_FIELD, CsrfPlaceholderMiddleware

    text = "\n\n".join(_hostile(OLD_MARKER) + _hostile(CSRF_PLACEHOLDER))
    models = [m for m in apps.get_models() if issubclass(m, RendersMarkdown)]
    assert len(models) >= 9
    for model in models:
        for source, html in model.markdown_fields.items():
            row = model(**{source: text})
            row.render_html()
            page = f"<p>{getattr(row, html)}</p>{CSRF_FIELD}"
            middleware = CsrfPlaceholderMiddleware(lambda request, page=page: HttpResponse(page))
            body = middleware(RequestFactory().get("/")).content.decode()
            assert CSRF_PLACEHOLDER not in body, (model, source)
            filled = re.findall(r"[A-Za-z0-9]{64}", body)
            assert len(filled) == 1, (model, source)  # the real field's, nowhere else
            assert body.endswith(f'value="{filled[0]}">'), (model, source)
