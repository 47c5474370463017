"""Assessment: the verdict rule from data, append-only history, evidence signals, pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from roadmap.models import Dimension, Rubric, RubricItem
from tests.conftest import make_plan
from tracker.assessment import Signals, assessment_create, history, verdict
from tracker.cache import bump_learner
from tracker.models import Assessment, Score, ScreenAnswer
from tracker.plans import item_set_status
from tracker.submissions import submission_save_evidence, submission_start, submission_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(db) -> Rubric:
    return Rubric.objects.current().prefetch_related("dimensions").get()


def _scores(rubric, values):
    return {d.pk: v for d, v in zip(rubric.dimensions.all(), values, strict=True)}


@pytest.mark.parametrize(
    ("values", "strong"),
    [
        ((3, 3, 3, 3, 1), True),
        ((5, 5, 5, 2, 2), False),
        ((3, 3, 3, 3, 3), True),
        ((2, 3, 3, 3, 2), False),
        ((4, 4, 4, 4, 2), True),
        ((5, 5, 5, 5, 5), True),
        ((1, 1, 1, 1, 1), False),
        ((2, 2, 2, 2, 2), False),
    ],
)
def test_the_verdict_rule_at_its_boundaries(rubric, values, strong):
    result = verdict(rubric, _scores(rubric, values))
    assert result.strong is strong
    assert result.label == ("Strong candidate" if strong else "Not yet")
    if not strong:
        below = {d.pk for d in result.holding_back}
        assert below == {pk for pk, v in _scores(rubric, values).items() if v < 3}


def test_the_rule_comes_from_the_rubric_data_not_the_code(rubric):
    scores = _scores(rubric, (5, 5, 5, 2, 2))
    assert verdict(rubric, scores).strong is False
    rubric.strong_min_dimensions = 3
    assert verdict(rubric, scores).strong is True
    rubric.strong_min_score = 6
    assert verdict(rubric, scores).strong is False


def test_holding_back_lists_the_weakest_first(rubric):
    result = verdict(rubric, _scores(rubric, (2, 1, 5, 5, 2)))
    assert [d.name for d in result.holding_back] == [
        "Production ML",
        "Systems Python",
        "Startup Fit",
    ]


def test_history_is_append_only_and_newest_first(learner, rubric):
    dims = list(rubric.dimensions.all())
    first = assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (2, "early") for d in dims}
    )
    second = assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (3, "later") for d in dims}
    )
    assert [a.pk for a in history(learner)] == [second.pk, first.pk]
    assert set(first.scores.values_list("score", flat=True)) == {2}


@pytest.mark.parametrize(
    ("signals", "score", "expected"),
    [
        (Signals(), 5, "Rated 5, but no approved milestone in the phases that build this."),
        (
            Signals(approved=[2], questions_total=4),
            3,
            "Rated 3, but no question in this dimension rated Good or Easy yet.",
        ),
        (
            Signals(approved=[2], questions_total=4, good_questions=1, goals_total=3),
            4,
            "Rated 4, but no goal done yet in the phases that build this.",
        ),
        (
            Signals(approved=[2], questions_total=4, good_questions=1, goals_total=3, goals_done=2),
            5,
            "",
        ),
        (Signals(), 2, ""),
        (Signals(), None, ""),
    ],
)
def test_evidence_flags(signals, score, expected):
    assert signals.flag(score) == expected


def _post_scores(client, rubric, value, evidence="Built it"):
    data = {}
    for d in rubric.dimensions.all():
        data[f"score_{d.pk}"] = value
        data[f"evidence_{d.pk}"] = evidence
    return client.post("/assessment/", data)


def test_saving_creates_a_new_assessment_every_time(learner_client, learner, rubric):
    assert learner_client.get("/assessment/").status_code == 200
    assert _post_scores(learner_client, rubric, 2).status_code == 302
    assert _post_scores(learner_client, rubric, 4).status_code == 302
    assert Assessment.objects.filter(learner=learner).count() == 2
    assert Score.objects.filter(assessment__learner=learner).count() == 10
    body = learner_client.get("/assessment/").content.decode()
    assert "Strong candidate" in body


def test_a_missing_score_is_a_message_and_nothing_is_written(learner_client, rubric):
    data = {f"score_{d.pk}": 3 for d in rubric.dimensions.all()}
    data.pop(next(iter(data)))
    response = learner_client.post("/assessment/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give Systems Python a score from 1 to 5." in body
    assert not Assessment.objects.exists()
    first = Dimension.objects.first().pk
    response = learner_client.post("/assessment/", {**data, f"score_{first}": 9})
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()


def test_low_scores_show_not_yet_and_the_gap_list_with_links(learner_client, learner, rubric):
    make_plan(learner)
    _post_scores(learner_client, rubric, 2)
    body = learner_client.get("/assessment/").content.decode()
    assert "Not yet" in body
    assert "What builds the dimensions holding you back" in body
    assert 'id="gap-orchestration"' in body
    assert "/practice/" in body and "/roadmap/" in body


def test_a_high_score_without_evidence_is_flagged_and_work_clears_it(
    learner_client, learner, rubric
):
    make_plan(learner)
    _post_scores(learner_client, rubric, 5)
    body = learner_client.get("/assessment/").content.decode()
    assert "Rated 5, but no approved milestone in the phases that build this." in body
    # Approve the milestones of every phase: the milestone flag goes.
    from roadmap.models import Milestone

    for milestone in Milestone.objects.current():
        s = submission_start(learner=learner, milestone=milestone)
        submission_save_evidence(submission=s, evidence="Proof", links=[])
        submission_transition(submission=s, actor=learner, to_state="submitted")
        submission_transition(submission=s, actor=learner, to_state="approved")
        for goal in milestone.phase.goals.all():
            item_set_status(learner=learner, item=goal, status="done")
    body = learner_client.get("/assessment/").content.decode()
    assert "no approved milestone" not in body


def test_charts_are_valid_svg_with_a_point_per_assessment(learner_client, learner, rubric):
    _post_scores(learner_client, rubric, 2)
    _post_scores(learner_client, rubric, 3)
    body = learner_client.get("/assessment/").content.decode().split("<main", 1)[1]
    svgs = [f"<svg{chunk.split('</svg>')[0]}</svg>" for chunk in body.split("<svg")[1:]]
    assert len(svgs) == 2
    ns = {"s": "http://www.w3.org/2000/svg"}
    radar, lines = (ET.fromstring(s) for s in svgs)
    assert len(radar.findall(".//s:polygon[@class='radar-series radar-series-0']", ns)) == 1
    assert len(lines.findall(".//s:circle", ns)) == 10  # 5 dimensions x 2 assessments


def test_resume_screen_self_check(learner_client, learner):
    check = RubricItem.objects.current().filter(kind="screen_check").first()
    response = learner_client.post(
        "/assessment/screen/",
        {
            f"check-applies_{check.pk}": "on",
            f"check-evidence_{check.pk}": "Led the model-serving migration",
        },
    )
    assert response.status_code == 302
    answer = ScreenAnswer.objects.get(learner=learner, item=check)
    assert answer.applies and answer.evidence == "Led the model-serving migration"
    assert "Led the model-serving migration" in learner_client.get("/assessment/").content.decode()


def test_assessment_query_count_is_flat(learner_client, learner, rubric, django_assert_num_queries):
    make_plan(learner)
    dims = list(rubric.dimensions.all())

    def measure():
        learner_client.get("/assessment/")  # warms the content cache
        bump_learner(learner.pk)  # …and forgets the rendered page body
        # session; user (+plan); history with every score (the latest self and mentor
        # assessments among it), one query; item progress; submissions; practice
        # ratings by dimension; screen answers; unread notifications (the badge); the
        # evidence of every provider (hiring rounds passed, passed labs, merged
        # contributions), one query between them
        with django_assert_num_queries(9):
            assert learner_client.get("/assessment/").status_code == 200
        # session; user (+plan): the body from the fragment cache
        with django_assert_num_queries(2):
            assert learner_client.get("/assessment/").status_code == 200

    assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (3, "x") for d in dims}
    )
    measure()
    for i in range(50):
        assessment_create(
            learner=learner, rater=learner, role="self", scores={d: (1 + i % 5, "x") for d in dims}
        )
    measure()


def _gap(body: str, key: str) -> str:
    return body.split(f'id="gap-{key}"', 1)[1].split("</article>", 1)[0]


def test_the_gap_advice_is_what_the_rubric_data_lists(learner_client, learner, rubric):
    make_plan(learner)
    _post_scores(learner_client, rubric, 2)
    body = learner_client.get("/assessment/").content.decode()
    orchestration = _gap(body, "orchestration")
    # Pipeline orchestration in phase 4, not every phase's Linux and cloud material.
    assert "Kubeflow documentation and example pipelines" in orchestration
    assert "Kubeflow Pipelines or Argo Workflows" in orchestration
    assert "Airflow, Prefect or Temporal" in orchestration  # as the rubric's level 3 names them
    assert "Phase 4:" in orchestration and "Phase 5:" not in orchestration
    assert "Linux Upskill Challenge" not in orchestration
    assert "AWS Cloud Practitioner" not in orchestration
    startup = _gap(body, "startup-fit")
    assert "Tell me about a time something you owned broke in production" in startup
    assert "Tell me about a project where ML engineers, data engineers and SREs" in startup
    # …and the hiring round where a client watches exactly this: the paid trial project.
    assert '<a href="/hiring/#round-trial-project">Trial project</a>' in startup
    assert 'id="round-trial-project"' in learner_client.get("/hiring/").content.decode()


def test_without_listed_builds_the_advice_is_derived(learner_client, learner, rubric):
    Dimension.objects.filter(key="orchestration").update(builds={})
    make_plan(learner)
    _post_scores(learner_client, rubric, 2)
    orchestration = _gap(learner_client.get("/assessment/").content.decode(), "orchestration")
    assert "Phase 5:" in orchestration


def test_the_latest_mentor_scores_are_found_however_long_the_history(learner, rubric):
    from tests.conftest import make_user
    from tracker.assessment import HISTORY_LIMIT, history_and_latest

    dims = list(rubric.dimensions.all())
    mentor = make_user("mia")
    by_mentor = assessment_create(
        learner=learner, rater=mentor, role="mentor", scores={d: (4, "") for d in dims}
    )
    for _ in range(HISTORY_LIMIT + 5):
        newest = assessment_create(
            learner=learner, rater=learner, role="self", scores={d: (2, "") for d in dims}
        )
    found = history_and_latest(learner)
    assert len(found.past) == HISTORY_LIMIT
    assert (found.own.pk, found.mentor.pk) == (newest.pk, by_mentor.pk)
    assert by_mentor.pk not in {a.pk for a in found.past}
    assert [found.mentor.scores[d.pk].score for d in dims] == [4] * len(dims)
    assert [found.own.scores[d.pk].score for d in dims] == [2] * len(dims)
