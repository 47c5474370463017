"""The assessment's history table, written in Python (tracker.views.assessment.
_history_rows), is what its template loop wrote: date, who scored, each score."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone

from roadmap import content
from tests.conftest import make_user
from tracker.assessment import assessment_create, history_and_latest
from tracker.views.assessment import _history_rows

pytestmark = pytest.mark.django_db

# The template loop the function replaced, as it stood.
LOOP = Template(
    """{% for a, scores in rows %}<tr><td>{{ a.created_at|date:"j M Y" }}</td><td>{{ a.role_label }}</td>{% for score in scores %}<td class="num">{{ score }}</td>{% endfor %}</tr>{% endfor %}"""  # noqa: E501
)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_the_history_rows_are_what_the_template_loop_wrote(learner, zone):
    dims = list(content.rubric().dimensions.all())
    mentor = make_user("mia")
    assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (3, "") for d in dims}
    )
    # A mentor who scored only some dimensions: the others are empty cells.
    assessment_create(
        learner=learner, rater=mentor, role="mentor", scores={d: (4, "") for d in dims[:2]}
    )
    past = history_and_latest(learner).past
    rows = [(a, [a.scores[d.pk].score if d.pk in a.scores else "" for d in dims]) for a in past]
    with timezone.override(zone):
        written = str(_history_rows(past, dims))
        expected = LOOP.render(Context({"rows": rows}))
    SimpleTestCase().assertHTMLEqual(written, expected)
    assert written.count("<tr>") == 2
