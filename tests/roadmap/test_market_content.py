"""Invariants of the real seeds/ for roles.toml, market.toml and hiring.toml: every item
of issue 16 present, each with one of the five source documents, no band without its
period and currency."""

from __future__ import annotations

import pytest

from roadmap.models import (
    Background,
    CareerLevel,
    HiringProcess,
    HiringRound,
    MarketFact,
    PayRange,
    Role,
    RolePath,
    SalaryBand,
    TechCategory,
)
from roadmap.seed_schema import SOURCES

pytestmark = pytest.mark.django_db
DOCUMENTS = [s for s in SOURCES if s != "rampup"]
S000, S001, _, S003, S004 = DOCUMENTS


def facts(kind: str) -> dict[str, MarketFact]:
    return {f.key: f for f in MarketFact.objects.current().filter(kind=kind)}


def test_every_new_fact_names_one_of_the_five_documents():
    for model in (
        Role,
        RolePath,
        PayRange,
        MarketFact,
        TechCategory,
        HiringProcess,
        HiringRound,
        CareerLevel,
        SalaryBand,
        Background,
    ):
        sources = set(model.objects.values_list("source", flat=True))
        assert sources and sources <= set(DOCUMENTS), model.__name__


def test_no_band_without_its_period_and_currency():
    for model in (Role, PayRange, CareerLevel, SalaryBand):
        for row in model.objects.current():
            if row.salary_min or row.salary_max:
                assert row.currency in {"USD", "EUR", "GBP"}, row
                assert row.period in {"year", "month"}, row
            else:
                assert not row.open_ended, row


def test_the_three_roles_with_their_bands_from_seed_003():
    roles = {r.key: r for r in Role.objects.current()}
    bands = {k: (r.salary_min, r.salary_max, r.currency, r.source) for k, r in roles.items()}
    assert bands == {
        "ai-infrastructure-engineer": (110000, 170000, "EUR", S003),
        "mlops-engineer": (90000, 140000, "EUR", S003),
        "platform-engineer": (85000, 135000, "EUR", S003),
    }
    assert [r.key for r in roles.values() if r.is_target] == ["ai-infrastructure-engineer"]
    assert all(r.focus and r.builds and r.tools and r.question for r in roles.values())
    assert (
        "operates below the MLOps layer"
        in facts("role-note")["operates-below-the-mlops-layer"].text
    )
    assert facts("role-note")["mlops-means-different-things"].source == S004


def test_each_background_has_a_path_from_seed_001():
    paths = RolePath.objects.current().select_related("background")
    assert {p.background.key for p in paths} == {"devops-sre", "ml-engineering", "backend"}
    assert {p.source for p in paths} == {S001}


def test_pay_by_company_type_and_senior_paths_from_seed_001():
    pay = {p.key: p for p in PayRange.objects.current()}
    expected = {
        "big-tech": (300000, 500000, True),
        "ai-native": (250000, 350000, False),
        "enterprise": (180000, 280000, False),
        "startup": (150000, 230000, False),
        "staff-principal-engineer": (350000, 500000, True),
        "platform-engineering-manager": (280000, 400000, True),
        "head-of-ai-infrastructure": (300000, 450000, True),
        "cto-ai-startup": (0, 0, False),
    }
    assert {k: (p.salary_min, p.salary_max, p.open_ended) for k, p in pay.items()} == expected
    assert {p.source for p in pay.values()} == {S001}


def test_market_figures_premiums_and_landscape():
    market, premium = facts("market"), facts("premium")
    assert (market["remote-share"].figure, market["remote-share"].source) == ("~38%", S001)
    assert (market["remote-pay-gap"].figure, market["remote-pay-gap"].source) == (
        "within 5–8%",
        S001,
    )
    assert {
        k: premium[k].figure
        for k in (
            "gpu-scale-premium",
            "cuda-kernel-premium",
            "ai-labs-hyperscalers",
            "rise-since-2024",
        )
    } == {
        "gpu-scale-premium": "+25–40%",
        "cuda-kernel-premium": "+15–25%",
        "ai-labs-hyperscalers": "+30–60%",
        "rise-since-2024": "+40–55%",
    }
    assert {f.source for f in premium.values()} == {S003}
    assert TechCategory.objects.current().count() == 8
    assert all(c.leaders and c.rising for c in TechCategory.objects.current())


def test_the_hiring_processes_and_their_rounds():
    processes = {p.key: p for p in HiringProcess.objects.current()}
    rounds = {key: [(r.key, r.length) for r in p.rounds.active()] for key, p in processes.items()}
    assert rounds["recruiter-screen"] == [
        ("resume-screen", "5 min"),
        ("technical-screen", "30 min"),
        ("trial-project", "2–4 weeks, paid"),
    ]
    assert rounds["gpu-interview-loop"] == [
        ("gpu-infrastructure-screening", "30 min"),
        ("infrastructure-design-take-home", "4–6 hours"),
        ("live-gpu-debugging", "60 min"),
        ("scale-architecture-discussion", "45 min"),
    ]
    assert [k for k, _ in rounds["interview-expectations"]] == [
        "system-design",
        "kubernetes-deep-dive",
        "troubleshooting",
        "coding",
        "behavioural",
    ]
    assert (
        processes["recruiter-screen"].source,
        processes["gpu-interview-loop"].source,
        processes["interview-expectations"].source,
    ) == (S000, S003, S001)
    assert all(r.looks_for for r in HiringRound.objects.current())
    process = facts("process")
    assert process["ten-to-twelve-days"].figure == "10–12 days"
    assert process["competing-offers"].figure == "5–8"


def test_advice_companies_and_candidate_sources():
    assert len(facts("advice")) == 5 and {f.source for f in facts("advice").values()} == {S000}
    assert len(facts("target-company")) == 5
    assert {f.source for f in facts("target-company").values()} == {S000}
    sources = facts("candidate-source")
    assert len(sources) == 6 and {f.source for f in sources.values()} == {S003}
    assert "vLLM, DeepSpeed, Ray" in sources["open-source-contributors"].text
    assert len(facts("hiring-company")) == 7


def test_principal_band_is_open_ended_and_ml_ramp_up_is_an_estimate():
    principal = CareerLevel.objects.get(key="principal")
    assert (principal.salary_min, principal.salary_max, principal.open_ended) == (
        280000,
        400000,
        True,
    )
    estimated = {b.key: b.ramp_up_estimated for b in Background.objects.current()}
    assert estimated == {"devops-sre": False, "ml-engineering": True, "backend": False}
