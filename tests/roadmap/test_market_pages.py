"""/roles/, /landscape/, /hiring/ and the additions to /career/: every fact shown with
its source document. (Status and pinned query counts: test_public_pages.PAGES.)"""

from __future__ import annotations

import re

import pytest

from roadmap.models import HiringRound, MarketFact, PayRange, Role, TechCategory

pytestmark = pytest.mark.django_db

S001 = "001_1be50ca8a5595062.txt"
S003 = "003_7d824a585aae8002.txt"
S004 = "004_e82bfe26fec94269.txt"
S000 = "000_99e8c9792f2a57c3.txt"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_roles_page_compares_the_three_roles_with_pay_and_question(client):
    body = page(client, "/roles/")
    for title, band in [
        ("AI Infrastructure Engineer", "EUR 110,000–170,000 a year"),
        ("MLOps Engineer", "EUR 90,000–140,000 a year"),
        ("Platform Engineer", "EUR 85,000–135,000 a year"),
    ]:
        assert f">{title}</h3>" in body
        assert band in body
    assert "How do we give 200 developers a paved path to ship reliable services?" in body
    assert "Kubernetes with GPU operators" in body
    assert "operates below the MLOps layer" in body
    assert "means different things at different organisations" in body
    assert S003 in body and S004 in body


def test_roles_page_says_which_background_leads_where(client):
    body = page(client, "/roles/")
    assert "DevOps / SRE → AI Infrastructure Engineer" in body
    assert "The most common path" in body
    assert "6-12 months" in body
    assert S001 in body


def test_roles_page_shows_the_five_work_areas_with_their_source(client):
    body = page(client, "/roles/")
    section = body.split('id="areas-heading"', 1)[1]
    assert section.count('<li class="card">') == 5
    assert section.count(f"Source: {S004}") == 5


def test_the_home_page_links_the_roles_page_and_reads_right(client):
    body = page(client, "/")
    assert 'href="/roles/"' in body
    assert "A great fit if you</h3>" in body
    assert "if you are</h3>" not in body  # "…if you are / are a senior DevOps…"


def test_landscape_page_has_the_table_the_premiums_and_the_rise(client):
    body = page(client, "/landscape/")
    assert body.count('<th scope="row">') == TechCategory.objects.count() == 8
    assert "SGLang, LMDeploy, LitServe, TensorRT-LLM" in body
    for figure in ("+25–40%", "+15–25%", "+30–60%", "+40–55%"):
        assert figure in body
    assert f"Source: {S003}" in body
    # The table scrolls inside its own labelled region on a phone.
    assert re.search(r'<div class="table-wrap" tabindex="0" role="region"', body)


def test_skills_links_the_landscape(client):
    assert 'href="/landscape/"' in page(client, "/skills/")


def test_hiring_page_shows_every_round_with_length_and_what_is_judged(client):
    body = page(client, "/hiring/")
    for round_ in HiringRound.objects.current():
        assert f">{round_.title}</h3>" in body
        if round_.length:
            assert round_.length in body
    for length in ("5 min", "30 min", "2–4 weeks, paid", "4–6 hours", "60 min", "45 min"):
        assert length in body
    assert "10–12 days" in body and "5–8" in body
    assert "Sometimes Go for Kubernetes operators or custom tooling" in body
    assert "Incident management and on-call experience" in body
    for source in (S000, S001, S003):
        assert f"Source: {source}" in body


def test_hiring_page_turns_the_five_mistakes_into_advice(client):
    body = page(client, "/hiring/")
    advice = MarketFact.objects.current().filter(kind="advice")
    assert advice.count() == 5
    for fact in advice:
        assert fact.title in body
    assert "Lunit (Korea)" in body  # target companies
    assert "vLLM, DeepSpeed, Ray" in body  # where strong candidates come from


def test_career_page_shows_company_pay_senior_paths_remote_and_hiring_now(client):
    body = page(client, "/career/")
    assert "USD 300,000–500,000+ a year" in body  # Big Tech, open-ended
    assert "USD 150,000–230,000 a year" in body  # startups
    assert "Head of AI Infrastructure" in body and "USD 300,000–450,000+ a year" in body
    assert "CTO at an AI startup" in body and "No figure in the source" in body
    assert "~38%" in body and "within 5–8%" in body
    assert "Google DeepMind and Google Cloud AI" in body
    assert "USD 280,000–400,000+ a year" in body  # the principal band keeps its "+"


def test_career_marks_the_ml_engineering_ramp_up_as_an_estimate(client):
    body = page(client, "/career/")
    assert "6–9 months (our estimate)" in body
    assert "3–6 months</p>" in body  # seed 001's own figure, unmarked
    assert "6–9 months (our estimate)" in page(client, "/")


def test_retired_rows_leave_the_pages(client):
    Role.objects.filter(key="platform-engineer").update(is_active=False)
    PayRange.objects.filter(key="startup").update(is_active=False)
    from roadmap import content

    content.bump()
    assert "Platform Engineer</h3>" not in page(client, "/roles/")
    assert "USD 150,000–230,000" not in page(client, "/career/")


def test_a_role_tagline_is_not_credited_as_an_interview_question(client):
    body = page(client, "/questions/paved-path-for-200-developers/")
    assert "gives this as the question the" in body
    assert ">Platform Engineer role</a> answers" in body
    assert f"quoted in {S003}" not in body
    other = page(client, "/questions/cpu-vs-gpu-for-training/")
    assert "gives this as the question the" not in other


def test_cost_optimisation_figures_are_credited_to_seed_003():
    from roadmap.models import Skill

    assert "30-50%" not in Skill.objects.get(key="cost-optimization").description
    strategies = Skill.objects.get(key="cost-optimization-strategies")
    assert "30-50%" in strategies.description and strategies.source == S003


def test_an_edit_to_a_fact_shows_at_once(client):
    assert "~38%" in page(client, "/career/")
    fact = MarketFact.objects.get(key="remote-share")
    fact.figure = "~39%"
    fact.save()  # as the admin does: the content version is bumped
    body = page(client, "/career/")
    assert "~39%" in body and "~38%" not in body


def _grow_market(n: int) -> None:
    from roadmap.models import HiringProcess, Roadmap

    roadmap = Roadmap.objects.get()
    process = HiringProcess.objects.get(key="gpu-interview-loop")
    start = 200 + MarketFact.objects.count()
    for i in range(start, start + n):
        MarketFact.objects.create(
            roadmap=roadmap,
            key=f"extra-{i}",
            kind="advice",
            order=i,
            title=f"Extra advice {i}",
            text="t",
            source=S000,
        )
        HiringRound.objects.create(
            process=process,
            key=f"extra-{i}",
            order=i,
            looks_for="l",
            title=f"Extra round {i}",
            source=S003,
        )
        TechCategory.objects.create(
            roadmap=roadmap,
            key=f"extra-{i}",
            order=i,
            title=f"Extra category {i}",
            leaders=["a"],
            rising=["b"],
            source=S003,
        )


@pytest.mark.parametrize("url", ["/roles/", "/landscape/", "/hiring/", "/career/"])
def test_market_pages_query_count_does_not_grow_with_the_data(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow_market(3)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow_market(27)
    with CaptureQueriesContext(connection) as large:
        body = page(client, url)
    assert len(small) == len(large)
    if url == "/hiring/":
        assert body.count("Extra round") == 30 and body.count("Extra advice") == 30
