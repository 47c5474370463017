"""The mentor's review queue, written in Python (tracker.mentees._queue_items), is what
its template loop wrote: who, which milestone and how long it has waited, escaped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Phase
from tracker.mentees import Mentee, _queue_items

# The template loop the function replaced, as it stood.
LOOP = Template(
    """{% for item in queue %}
    <li class="{% if item.late %}waiting-late{% endif %}">
      <a href="{{ item.url }}">{{ item.learner.shown_name }} — milestone {{ item.phase.order }}: {{ item.phase.short_title }}</a>
      <span class="meta">{% if item.late %}<span class="tag level-advanced">waiting {{ item.waited.days }} days</span>{% else %}<span class="tag">waiting {% if item.waited.days %}{{ item.waited.days }} day{{ item.waited.days|pluralize }}{% else %}since today{% endif %}</span>{% endif %}</span>
    </li>{% endfor %}"""  # noqa: E501
)


@pytest.mark.django_db
def test_the_queue_is_what_the_template_loop_wrote():
    now = timezone.now()
    ann = Mentee(1, 11, "ann", "Ann <b>Lee</b>", "UTC")
    bob = Mentee(2, 12, "bob", "", "UTC")
    waiting = [
        (101, 11, now - timedelta(days=9), 2, "Containers: <Kubernetes> & more"),
        (102, 12, now - timedelta(days=1, hours=2), 3, "Serving"),
        (103, 12, now - timedelta(hours=3), 4, "Training: at scale"),
        (104, 11, None, 5, "Ops"),
    ]
    by_id = {ann.id: ann, bob.id: bob}
    written = str(_queue_items(waiting, by_id, now))
    queue = [
        {
            "learner": by_id[learner_id],
            "url": reverse("milestone", args=[pk]),
            "phase": Phase(order=order, title=title),
            "waited": now - at if at else timedelta(0),
            "late": at and now - at > timedelta(days=7),
        }
        for pk, learner_id, at, order, title in waiting
    ]
    SimpleTestCase().assertHTMLEqual(written, LOOP.render(Context({"queue": queue})))
    assert "Ann &lt;b&gt;Lee&lt;/b&gt;" in written and "&lt;Kubernetes&gt;" not in written
