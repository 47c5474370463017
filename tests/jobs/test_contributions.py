"""Open-source contributions: GitHub URLs only, merged pull requests as verified evidence."""

from __future__ import annotations

import pytest

from jobs.contributions import evidence_for, resume_bullets
from jobs.models import Contribution
from tracker import evidence

pytestmark = pytest.mark.django_db
PR = "https://github.com/vllm-project/vllm/pull/1234"


def post(client, **extra):
    data = {
        "url": PR,
        "title": "Batch scheduler: preempt by KV blocks",
        "state": "merged",
        "dimensions": ["production-ml"],
        "skills": [],
        "impact": "p99 −18% at 64 seqs",
    }
    return client.post("/jobs/contributions/", {**data, **extra})


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/vllm-project/vllm/pull/1",
        "http://github.com/vllm-project/vllm/pull/1",
        "https://github.com/vllm-project/vllm/commit/abc",
        "https://github.com/vllm-project/vllm/pull/0",
        "https://github.com.evil.example/vllm-project/vllm/pull/1",
        "javascript:alert(1)//https://github.com/a/b/pull/1",
    ],
)
def test_only_github_pull_and_issue_urls_are_taken(learner_client, url):
    response = post(learner_client, url=url)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_contribution_is_logged_once(learner_client, learner):
    assert post(learner_client).status_code == 302
    row = Contribution.objects.get()
    assert (row.learner, row.reference, row.project) == (learner, "vllm-project/vllm#1234", "vllm")
    again = post(learner_client, url=PR + "/")
    assert "already" in again.content.decode() and Contribution.objects.count() == 1


def test_dimension_keys_must_be_the_rubrics(learner_client):
    response = post(learner_client, dimensions=["not-a-dimension"])
    assert response.status_code == 200 and not Contribution.objects.exists()


def test_a_merged_pull_request_is_verified_evidence_on_the_assessment(learner_client, learner):
    from tests.conftest import make_plan

    make_plan(learner)
    post(learner_client)
    post(
        learner_client,
        url="https://github.com/ray-project/ray/pull/9",
        state="open",
        title="Open one",
    )
    found = evidence.for_learner(learner)
    assert [e.title for e in found["production-ml"]] == [
        "Merged: vllm-project/vllm#1234 — Batch scheduler: preempt by KV blocks"
    ]
    assert found["production-ml"][0].verified
    page = learner_client.get("/assessment/").content.decode()
    assert "vllm-project/vllm#1234" in page and "Open one" not in page


def test_an_issue_is_shown_but_not_verified(learner):
    Contribution.objects.create(
        learner=learner,
        url="https://github.com/NVIDIA/nccl/issues/7",
        title="Hang report",
        state="merged",
        dimensions=["infrastructure"],
    )
    assert [e.verified for e in evidence_for(learner)] == [False]


def test_the_provider_costs_one_query(learner, django_assert_num_queries):
    for n in range(5):
        Contribution.objects.create(
            learner=learner,
            url=f"{PR[:-4]}{n + 1}",
            title="t",
            state="merged",
            dimensions=["production-ml", "infrastructure"],
        )
    with django_assert_num_queries(1):
        assert len(evidence_for(learner)) == 10


def test_resume_bullets_quote_merged_contributions(learner):
    row = Contribution.objects.create(
        learner=learner,
        url=PR,
        title="Preempt by KV blocks",
        state="merged",
        impact="p99 latency −18%",
    )
    assert resume_bullets(approved=[], contributions=[row]) == [
        "• Contributed a merged pull request to vllm: Preempt by KV blocks, measured "
        f"p99 latency −18% ({PR})."
    ]


def test_the_resume_helper_turns_approved_milestones_into_bullets(learner_client, learner):
    from roadmap.models import Milestone
    from tests.conftest import make_plan
    from tracker.submissions import submission_start

    make_plan(learner)
    empty = learner_client.get("/jobs/resume/").content.decode()
    assert "Nothing to write yet" in empty
    milestone = Milestone.objects.current().first()
    submission = submission_start(learner=learner, milestone=milestone)
    submission.state = "approved"
    submission.save()
    post(learner_client)
    page = learner_client.get("/jobs/resume/").content.decode()
    assert "• Built and showed:" in page
    assert "• Contributed a merged pull request to vllm" in page and "measured p99" in page
