"""The assessment form's inputs, written by the template from plain values, are the
same HTML Django's widgets would render: typed values, earlier scores and errors kept."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import SimpleTestCase

from roadmap import content
from tracker.forms import AssessmentForm
from tracker.forms.rows import PerRowForm

pytestmark = pytest.mark.django_db


def widgets(form: AssessmentForm) -> list[str]:
    """What Django's own widgets render for each row: radios, then the textarea."""
    html = []
    for _, score, evidence in PerRowForm.rows(form):
        html += [str(radio.tag()) for radio in score]
        html.append(str(evidence))
    return html


def written(form: AssessmentForm) -> str:
    return "".join(
        render_to_string("tracker/_score_fields.html", {"d": d, "score": s, "evidence": e})
        for d, s, e in form.rows()
    )


@pytest.mark.parametrize("bound", [True, False])
def test_the_written_inputs_match_djangos_widgets(bound):
    dims = list(content.rubric().dimensions.all())
    if bound:  # the first scored and typed into, the second missing (an error)
        form = AssessmentForm(
            {f"score_{dims[0].pk}": "4", f"evidence_{dims[0].pk}": "Built <b>it</b> & ran it"},
            dimensions=dims,
        )
        assert not form.is_valid()
    else:
        form = AssessmentForm(
            initial={f"score_{dims[1].pk}": 2, f"evidence_{dims[1].pk}": "Earlier"},
            dimensions=dims,
        )
    page = written(form)
    checker = SimpleTestCase()
    for expected in widgets(form):
        if 'aria-invalid="true"' in expected and 'type="radio"' in expected:
            # A row with an error also points its radios at the message.
            name = re.search(r'name="(\w+)"', expected)[1]
            expected = expected.replace(
                'aria-invalid="true"', f'aria-invalid="true" aria-describedby="id_{name}_error"'
            )
        checker.assertInHTML(expected, page)
    if bound:
        assert f"Give {dims[1].name} a score from 1 to 5." in page
        assert "Built &lt;b&gt;it&lt;/b&gt; &amp; ran it" in page
    else:
        assert "Earlier" in page
