"""Portfolio controls: each section switch, self-scores hidden, headline and pitch, for an
anonymous visitor, on screen, in print (the same page: hidden sections are not in it) and
on the card."""

from __future__ import annotations

import pytest
from django.test import Client

from jobs.models import Contribution
from roadmap.models import Dimension, Milestone
from tests.conftest import make_plan
from tracker.assessment import assessment_create
from tracker.portfolio import SECTIONS, build_portfolio, draw_card
from tracker.submissions import submission_start

pytestmark = pytest.mark.django_db

# The heading id each section carries on the page.
MARKERS = {key: f'id="pf-section-{key}"' for key in SECTIONS}


@pytest.fixture
def shared(learner):
    make_plan(learner)
    learner.portfolio_public = True
    learner.save()
    dims = list(Dimension.objects.current())
    assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (4, "") for d in dims}
    )
    submission = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission.state, submission.self_approved = "approved", True
    submission.save()
    Contribution.objects.create(
        learner=learner,
        url="https://github.com/vllm-project/vllm/pull/77",
        title="KV cache eviction",
        state="merged",
        dimensions=[dims[1].key],
    )
    return learner


def _page(client) -> str:
    return client.get("/u/lena/").content.decode()


def test_everything_shows_by_default(client, shared):
    page = _page(client)
    for key in ("progress", "rubric", "milestones", "practice", "contributions"):
        assert MARKERS[key] in page, key
    assert "vllm-project/vllm#77" in page


@pytest.mark.parametrize("hidden", sorted(SECTIONS))
def test_each_section_switch_hides_it_from_an_anonymous_visitor(hidden, learner_client, shared):
    shown = [k for k in SECTIONS if k != hidden]
    response = learner_client.post("/settings/portfolio/", {"sections": shown})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.portfolio_hidden == [hidden]
    # The print view is this page with the print stylesheet: what is left out is not there.
    page = _page(Client())
    assert MARKERS[hidden] not in page
    for key in shown:
        if key != "rounds":  # no rounds passed in this data: nothing to show
            assert MARKERS[key] in page, key


def test_self_scores_can_be_hidden(learner_client, shared):
    assert "Self-assessed" in _page(Client())
    learner_client.post(
        "/settings/portfolio/", {"sections": list(SECTIONS), "portfolio_hide_self_scores": "on"}
    )
    page = _page(Client())
    assert "Self-assessed" not in page and MARKERS["rubric"] in page


def test_headline_and_pitch_are_plain_text(learner_client, shared):
    learner_client.post(
        "/settings/portfolio/",
        {
            "sections": list(SECTIONS),
            "portfolio_headline": "SRE moving into GPU infra",
            "portfolio_pitch": "Ran <b>K8s</b> for 5 years.\nNow serving LLMs.",
        },
    )
    page = _page(Client())
    assert "SRE moving into GPU infra" in page
    assert "&lt;b&gt;K8s&lt;/b&gt;" in page and "<b>K8s" not in page


def test_a_bad_portfolio_form_keeps_input_and_the_other_form(learner_client, shared):
    response = learner_client.post(
        "/settings/portfolio/",
        {"sections": ["nope"], "portfolio_headline": "Kept headline", "portfolio_pitch": "x"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Kept headline" in body and "errorlist" in body
    assert 'name="display_name"' in body  # the settings form is still on the page
    shared.refresh_from_db()
    assert shared.portfolio_headline == ""


def test_the_card_follows_the_choices(shared):
    full = draw_card(build_portfolio(shared))
    shared.portfolio_hidden = ["rubric", "progress", "practice"]
    shared.portfolio_headline = "Headline"
    shared.save()
    portfolio = build_portfolio(shared)
    assert portfolio.shown == {"milestones", "rounds", "contributions"}
    assert draw_card(portfolio) != full


def test_the_card_draws_no_verdict_when_the_rubric_is_hidden(shared, monkeypatch):
    drawn = []
    from PIL import ImageDraw

    real = ImageDraw.ImageDraw.text

    def spy(self, xy, text, *args, **kwargs):
        drawn.append(text)
        return real(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    draw_card(build_portfolio(shared))
    assert any(t.startswith("Rubric:") for t in drawn)
    drawn.clear()
    shared.portfolio_hidden = ["rubric"]
    shared.save()
    draw_card(build_portfolio(shared))
    assert not any(t.startswith("Rubric:") for t in drawn)


def test_evidence_lists_mentor_approved_milestones_first(shared, mentor):
    second = submission_start(
        learner=shared, milestone=Milestone.objects.current().order_by("phase__order")[1]
    )
    second.state, second.self_approved = "approved", False
    second.save()
    approved = build_portfolio(shared).approved
    assert [s.self_approved for s in approved] == [False, True]
