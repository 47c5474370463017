"""The dashboard's phases table, written in Python (tracker.views.dashboard._phase_rows),
is what its template loop wrote: links, dates, progress and milestone badges."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import SimpleTestCase

from roadmap.models import Milestone
from tests.conftest import make_plan
from tracker.plans import item_set_status
from tracker.progress import learner_progress
from tracker.submissions import submission_start
from tracker.views.dashboard import _phase_rows

pytestmark = pytest.mark.django_db

# The template loop the function replaced, as it stood.
LOOP = Template(
    """{% for pp in progress.phases %}<tr>
  <th scope="row"><a href="{{ pp.phase.get_absolute_url }}">{{ pp.phase.label }}</a></th>
  <td class="num">{{ pp.window.start|date:"j M" }} – {{ pp.window.end|date:"j M y" }}</td>
  <td><progress class="mini-bar" max="100" value="{{ pp.percent }}" aria-hidden="true"></progress> {{ pp.percent }}%</td>
  <td>{% if pp.submission %}<a href="{{ pp.submission.get_absolute_url }}" class="badge state-{{ pp.submission.state }}">{{ pp.submission.state_label }}</a>{% else %}<span class="muted">—</span>{% endif %}</td>
</tr>{% endfor %}"""  # noqa: E501
)


def test_the_phase_rows_are_what_the_template_loop_wrote(learner):
    from roadmap.models import Goal, Phase

    plan = make_plan(learner)
    item_set_status(learner=learner, item=Goal.objects.current().first(), status="done")
    first = Phase.objects.current().order_by("order").first()
    submission_start(learner=learner, milestone=Milestone.objects.get(phase=first))
    progress = learner_progress(plan, today=plan.start_date)
    assert any(pp.submission for pp in progress.phases)

    written = str(_phase_rows(progress))
    SimpleTestCase().assertHTMLEqual(written, LOOP.render(Context({"progress": progress})))
    assert written.count("<tr>") == len(progress.phases)
