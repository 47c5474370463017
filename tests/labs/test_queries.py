"""Query counts pinned on the lab pages: the same with 1 and with 50 runs or attempts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from labs import services
from labs.models import LabRun
from tests.labs.conftest import make_attempt

pytestmark = pytest.mark.django_db


def _runs(attempt, n: int) -> None:
    commands = attempt.scenario.spec["commands"]
    LabRun.objects.bulk_create(
        LabRun(attempt=attempt, order=i + 1, command=commands[i % len(commands)], node=i % 16)
        for i in range(n)
    )


@pytest.mark.parametrize("runs", [1, 50])
def test_the_attempt_page_queries_do_not_grow_with_runs(
    learner_client, learner, runs, django_assert_num_queries
):
    attempt = make_attempt(learner, seed=2)
    _runs(attempt, runs)
    url = attempt.get_absolute_url()
    learner_client.get(url)  # warms the content cache
    # session; user (+plan); the attempt with its scenario and learner; its runs;
    # its comments with their authors (the unread badge is cached)
    with django_assert_num_queries(5):
        assert learner_client.get(url).status_code == 200


@pytest.mark.parametrize("runs", [1, 50])
def test_a_finished_attempt_page_with_comments_queries_the_same(
    client, learner, mentor, runs, django_assert_num_queries
):
    attempt = make_attempt(learner, seed=2)
    _runs(attempt, runs)
    services.attempt_submit(attempt=attempt, cause="thermal", remediation="r", hypotheses="")
    for i in range(runs):
        services.attempt_comment(attempt=attempt, author=mentor, body=f"comment {i}")
    client.force_login(mentor)
    url = attempt.get_absolute_url()
    client.get(url)
    # session; user (+plan); the attempt (through the mentorship); runs; comments
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("attempts", [1, 50])
def test_the_index_queries_do_not_grow_with_attempts(
    learner_client, learner, attempts, django_assert_num_queries
):
    for seed in range(attempts):
        make_attempt(learner, seed=seed)
    url = reverse("labs:index")
    learner_client.get(url)
    # session; user (+plan); own attempts with scenarios; mentees' attempts; scenarios
    with django_assert_num_queries(5):
        assert learner_client.get(url).status_code == 200
