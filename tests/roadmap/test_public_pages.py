"""Every public page: status, key content, and a pinned query count that does not grow
with the data (the same with 3 and with 30 items in a phase)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.models import Goal, Phase, Question, Resource, Skill

pytestmark = pytest.mark.django_db

# Content is cached (roadmap.content and {% cache %} fragments keyed by the content
# version): a page pays for it on a cold cache only. "Content" below is the phases
# with their goals, resources, milestones, skills and questions: 6 queries.
# page, text it must show, queries on a cold cache, on a warm one (each named)
PAGES = [
    # content; roadmap; backgrounds | roadmap; backgrounds
    ("/", "What the role is", 8, 2),
    # content; roadmap | roadmap
    ("/roadmap/", "Phase 5", 7, 1),
    # content | -
    ("/roadmap/ml-gpu-computing/", "Milestone", 6, 0),
    # skills (+dimension, domain); their phases; domains | - (page cached)
    ("/skills/", "Non-negotiable", 3, 0),
    # rubric; dimensions; items
    ("/rubric/", "at least", 3, 3),
    # content; dimensions; questions (+phase, dimension) | dimensions (list cached)
    ("/questions/", "questions", 8, 1),
    ("/questions/?level=advanced&phase=ml-gpu-computing", "question", 8, 1),
    # question (+phase, dimension); its skills; the role whose question it is, if any
    ("/questions/cpu-vs-gpu-for-training/", "Model answer", 3, 3),
    # levels; bands; backgrounds; market | levels; bands; backgrounds
    ("/career/", "Salary bands", 10, 3),
    # "market" (cached): roles; paths (+background, role); pay ranges; facts; landscape;
    # processes; their rounds
    # roadmap; market | -
    ("/roles/", "operates below the MLOps layer", 8, 0),
    # market | -
    ("/landscape/", "Market leaders", 7, 0),
    # market; rubric, dimensions, items (which dimensions each round tests) | -
    ("/hiring/", "What they look for", 10, 0),
]


@pytest.mark.parametrize(("url", "text", "cold", "warm"), PAGES)
def test_public_page_renders_for_anonymous_visitors(
    client, django_assert_num_queries, url, text, cold, warm
):
    with django_assert_num_queries(cold):
        response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()
    with django_assert_num_queries(warm):
        assert text in client.get(url).content.decode()


def _grow(phase: Phase, n: int) -> None:
    """Give `phase` n more goals, resources, skills and questions."""
    start = 100 + phase.goals.count()
    dimension = phase.questions.first().dimension
    for i in range(start, start + n):
        Goal.objects.create(phase=phase, key=f"extra-{i}", order=i, title=f"Extra goal {i}")
        Resource.objects.create(
            phase=phase, key=f"extra-{i}", order=i, title=f"Res {i}", kind="docs"
        )
        skill = Skill.objects.create(
            roadmap=phase.roadmap,
            key=f"extra-{i}",
            order=i,
            name=f"Skill {i}",
            tier="emerging",
            description="d",
            dimension=dimension,
            source="rampup",
        )
        skill.phases.add(phase)
        q = Question.objects.create(
            roadmap=phase.roadmap,
            key=f"extra-{i}",
            order=i,
            text=f"Extra question {i}?",
            level="advanced",
            kind="concept",
            phase=phase,
            dimension=dimension,
            key_points=["a", "b", "c"],
            model_answer="x",
            source="rampup",
        )
        q.skills.add(skill)


@pytest.mark.parametrize(("url", "text", "cold", "warm"), PAGES)
def test_query_count_does_not_grow_with_the_data(client, url, text, cold, warm):
    phase = Phase.objects.get(key="ml-gpu-computing")
    _grow(phase, 3)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(phase, 27)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    # Adding content invalidates the cache: both requests build it afresh.
    assert len(small) == len(large) == cold
    with CaptureQueriesContext(connection) as warm_large:
        body = client.get(url).content.decode()
    assert len(warm_large) == warm
    if url.startswith(("/questions/?", "/roadmap/ml")):
        assert "Extra question 129?" in body  # the new rows show: the cache was invalidated


def test_home_shows_the_five_phases_and_who_it_is_for(client):
    body = client.get("/").content.decode()
    for phase in Phase.objects.current():
        assert phase.short_title in body
    assert "Who it’s for" in body
    assert 'href="/accounts/signup/"' in body


def test_phase_page_lists_goals_resources_milestone_skills_and_questions(client):
    phase = Phase.objects.get(key="ml-gpu-computing")
    body = client.get(phase.get_absolute_url()).content.decode()
    assert body.count('id="goal-') == phase.goals.count()
    assert body.count('id="resource-') == phase.resources.count()
    assert phase.milestones.get().text in body
    for skill in phase.skills.all():
        assert skill.name.replace("&", "&amp;") in body
    for question in phase.questions.all():
        assert question.get_absolute_url() in body


def test_unknown_phase_is_404(client):
    assert client.get("/roadmap/no-such-phase/").status_code == 404


def test_retired_phase_is_404(client):
    Phase.objects.filter(key="foundations").update(is_active=False)
    assert client.get("/roadmap/foundations/").status_code == 404


def test_rubric_states_the_verdict_rule_from_the_data(client):
    body = client.get("/rubric/").content.decode()
    assert "<strong>3 or more</strong> on at least <strong>4 of the 5</strong>" in body
    assert body.count('<tr id="dimension-') == 5


def test_question_filters_narrow_the_list(client):
    response = client.get("/questions/", {"level": "advanced", "phase": "ml-gpu-computing"})
    expected = Question.objects.current().filter(level="advanced", phase__key="ml-gpu-computing")
    body = response.content.decode()
    assert f"{expected.count()} question" in body
    for q in Question.objects.current().exclude(pk__in=expected):
        assert q.get_absolute_url() not in body


def test_htmx_filter_returns_only_the_list_partial(client):
    response = client.get("/questions/", {"level": "advanced"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="question-list"' in body
    assert response["Vary"].count("HX-Request") == 1


def test_full_question_page_is_a_whole_document(client):
    assert "<html" in client.get("/questions/", {"level": "advanced"}).content.decode()


@pytest.mark.parametrize("query", ["level=expert", "phase=%3Cscript%3E", "dimension=zz&level="])
def test_a_bad_filter_value_gets_a_message_not_a_500(client, query):
    response = client.get(f"/questions/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "were not understood and were ignored" in body
    assert "<script>" not in body
    assert f"{Question.objects.current().count()} questions" in body


def test_question_page_hides_the_model_answer_behind_a_reveal(client):
    question = Question.objects.current().filter(source="rampup").first()
    body = client.get(question.get_absolute_url()).content.decode()
    assert '<details class="reveal card">' in body
    reveal = body.split("<details", 1)[1]
    assert (
        question.key_points[0].replace("'", "&#x27;").replace("&", "&amp;")[:20] in reveal
        or question.key_points[0][:20] in reveal
    )
    assert question.model_answer_html[:40] in reveal


def test_unknown_question_is_404(client):
    assert client.get("/questions/no-such-question/").status_code == 404


def test_career_page_shows_ladder_and_sourced_bands(client):
    body = client.get("/career/").content.decode()
    assert "Principal" in body
    assert "000_99e8c9792f2a57c3.txt" in body
    assert "Singapore" in body


def test_healthz_checks_the_database(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr("tracker.views.accounts.connection.cursor", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    # The caller learns the database is down, not where it lives.
    assert response.json() == {"status": "error", "database": "down"}
    assert b"db.internal" not in response.content


@pytest.mark.parametrize("url", [page[0] for page in PAGES] + ["/healthz/"])
def test_public_pages_refuse_post(client, url):
    assert client.post(url).status_code == 405
