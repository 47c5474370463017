"""The question bank lists 50 questions a page; the pager keeps the filters."""

from __future__ import annotations

import re

import pytest

from roadmap.models import Phase, Question
from tests.roadmap.test_public_pages import _grow

pytestmark = pytest.mark.django_db


def listed(body: str) -> list[str]:
    return re.findall(r'<a href="/questions/([\w-]+)/">', body)


def test_fifty_a_page_and_the_rest_on_the_next(client):
    keys = list(Question.objects.current().values_list("key", flat=True))
    assert len(keys) > 50  # the real seeds
    first = client.get("/questions/").content.decode()
    assert f"{len(keys)} questions · 1–50 shown" in first
    assert listed(first) == keys[:50]
    assert 'href="/questions/?page=2"' in first and 'rel="prev"' not in first
    second = client.get("/questions/?page=2").content.decode()
    assert listed(second) == keys[50:100] and 'href="/questions/?page=1"' in second
    # Past the end: the last page; nonsense: the first.
    assert listed(client.get("/questions/?page=999").content.decode()) == listed(second)
    assert listed(client.get("/questions/?page=x").content.decode()) == keys[:50]


def test_the_pager_keeps_the_filters_and_swaps_with_htmx(client):
    _grow(Phase.objects.get(key="ml-gpu-computing"), 30)  # 30 more advanced questions
    advanced = Question.objects.current().filter(level="advanced").count()
    assert advanced > 50
    first = client.get("/questions/?level=advanced&junk=1").content.decode()
    assert 'href="/questions/?level=advanced&amp;page=2"' in first and "junk" not in first
    response = client.get("/questions/?level=advanced&page=2", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="question-list"' in html
    assert len(listed(html)) == advanced - 50
    assert 'href="/questions/?level=advanced&amp;page=1"' in html
