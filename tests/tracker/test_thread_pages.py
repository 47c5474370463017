"""A milestone's thread shows its latest events; earlier ones come on demand, with htmx
(swapped in above) and without JavaScript (the page from there on)."""

from __future__ import annotations

import re

import pytest

from roadmap.models import Milestone
from tracker.cache import bump_learner
from tracker.models import SubmissionEvent
from tracker.submissions import THREAD_PAGE, submission_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(learner, plan):
    return submission_start(learner=learner, milestone=Milestone.objects.current().first())


def comment(submission, learner, n: int) -> None:
    """`n` comments numbered after those already there (the draft's start is event 0)."""
    start = submission.events.count()
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(
            submission=submission, actor=learner, comment=f"c{i}", comment_html=f"<p>note-{i}</p>"
        )
        for i in range(start, start + n)
    )
    bump_learner(learner.pk)  # bulk rows send no signal


def shown(body: str) -> list[int]:
    return [int(n) for n in re.findall(r"<p>note-(\d+)</p>", body)]


def test_the_page_shows_the_latest_events_and_earlier_ones_on_demand(
    learner_client, learner, submission
):
    comment(submission, learner, 44)  # 45 events: the start, then note-1 … note-44
    url = f"/milestones/{submission.pk}/"
    body = learner_client.get(url).content.decode()
    assert shown(body) == list(range(45 - THREAD_PAGE, 45))
    first = SubmissionEvent.objects.get(comment=f"c{45 - THREAD_PAGE}")
    link = f"{url}?before={first.pk}"
    assert f'href="{link}#thread-heading" hx-get="{link}"' in body

    # With htmx: only the 20 before, and a link for the rest.
    part = learner_client.get(link, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and shown(part) == list(range(5, 25))
    assert "Show earlier events" in part
    older = SubmissionEvent.objects.get(comment="c5")
    last = learner_client.get(
        f"{url}?before={older.pk}", headers={"HX-Request": "true"}
    ).content.decode()
    assert shown(last) == list(range(1, 5)) and "started the draft" in last
    assert "Show earlier events" not in last

    # Without JavaScript: the page shows the thread from there to the newest.
    page = learner_client.get(link).content.decode()
    assert "<html" in page and shown(page) == list(range(5, 45))


@pytest.mark.parametrize("before", ["abc", "999999", "-1", "9" * 40])
def test_a_bad_cursor_shows_the_latest_events(learner_client, learner, submission, before):
    comment(submission, learner, 3)
    url = f"/milestones/{submission.pk}/?before={before}"
    assert shown(learner_client.get(url).content.decode()) == [1, 2, 3]
    response = learner_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_earlier_events_are_hidden_from_outsiders(client, other_learner, learner, submission):
    comment(submission, learner, 30)
    client.force_login(other_learner)
    event = SubmissionEvent.objects.filter(submission=submission).last()
    url = f"/milestones/{submission.pk}/?before={event.pk}"
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    assert client.get(url).status_code == 404


def test_thread_query_counts_do_not_grow_with_its_length(
    learner_client, learner, submission, django_assert_num_queries
):
    url = f"/milestones/{submission.pk}/"
    for n in (1, 50):
        comment(submission, learner, n)
        learner_client.get(url)  # the badge and content caches
        bump_learner(learner.pk)
        # session; user; submission; links; images; has the learner a mentor; unread
        # notifications (the badge); the latest events (+actor)
        with django_assert_num_queries(8):
            learner_client.get(url)
        with django_assert_num_queries(6):  # warm: the thread and the badge from the cache
            learner_client.get(url)
        first = SubmissionEvent.objects.filter(submission=submission).last()
        # session; user; submission; links; images; the cursor; the events before it
        with django_assert_num_queries(7):
            learner_client.get(f"{url}?before={first.pk}", headers={"HX-Request": "true"})
