# ruff: noqa: E501 (the sample resumes keep their real line lengths)
"""The resume screen: the recruiter's checks on written sample resumes, and PDFs from the
well-formed to the hostile. Every broken upload gets a message, never a 500."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hiring.models import Attempt
from hiring.resume import UnreadablePdf, companies_from, pdf_text, screen
from hiring.services import target_companies
from tests.hiring.pdfs import bomb, make_pdf

GOOD = """Jane Doe — ML Infrastructure Engineer
Grab ML Platform, Senior Engineer (2021–2024)
- Built and deployed PyTorch model serving on Triton behind a Python gateway: 12K requests per second at p99 80 ms
- Ran Kubernetes GPU node pools provisioned with Terraform on AWS; CI/CD with GitHub Actions
- Wrote the Python tooling for canary rollouts and model versioning
Skills: Python, Go, PyTorch, Kubernetes, Terraform
"""

RESEARCH_ONLY = """Dr. Sam Lee — Research Scientist
PhD in Machine Learning, University of Toronto
Published 6 papers at NeurIPS and ICML on efficient transformers
Trained large language models with PyTorch and JAX on the university cluster
Research assistant at the Vector Institute
Python
"""

KAGGLE_ONLY = """Alex Kim — Data Scientist
Kaggle Competitions Expert: top 5% in 4 competitions
Built XGBoost and scikit-learn models in Jupyter notebooks
Python, pandas, matplotlib
"""

KEYWORD_LIST = """Chris Full — Full Stack Engineer
Full stack developer building web apps with React and Node
Skills: Python, Java, Go, Rust, C++, JavaScript, TypeScript, React, Angular, Vue, Django, Flask, Spring, Docker, Kubernetes, Terraform, AWS, GCP, Azure, PyTorch, TensorFlow, Kafka, Spark
Familiar with Docker and Kubernetes
"""

JAVA_FIRST = """Pat Lin — Backend Engineer at Stripe
Built Java services for payments in production; Java and Spring Boot on Kubernetes
Java batch jobs deployed with Terraform
Some Python scripting for ops
"""


def results(text: str) -> dict[str, tuple[bool, list[str]]]:
    found = screen(text, companies=["Grab", "Stripe", "Lunit"])
    return {f.key: (f.ok, f.quotes) for f in found}


def test_a_good_resume_meets_every_check_and_raises_no_flag():
    r = results(GOOD)
    assert all(ok for ok, _ in r.values()), r
    # Each met check quotes the line that met it.
    assert any("12K requests per second" in q for q in r["production-ml-frameworks"][1])
    assert any("Terraform on AWS" in q for q in r["infrastructure-keywords"][1])
    assert any(q.startswith("Grab ML Platform") for q in r["ml-infra-companies"][1])


def test_research_only_is_flagged_and_production_is_not_met():
    r = results(RESEARCH_ONLY)
    assert r["research-only"][0] is False
    assert "PhD in Machine Learning, University of Toronto" in r["research-only"][1]
    assert r["production-ml-frameworks"] == (
        False,
        ["Trained large language models with PyTorch and JAX on the university cluster"],
    )
    assert r["notebook-kaggle-only"][0] and r["lists-every-technology"][0]


def test_kaggle_only_is_flagged():
    r = results(KAGGLE_ONLY)
    assert r["notebook-kaggle-only"] == (
        False,
        [
            "Kaggle Competitions Expert: top 5% in 4 competitions",
            "Built XGBoost and scikit-learn models in Jupyter notebooks",
        ],
    )
    assert r["production-ml-frameworks"][0] is False
    assert r["infrastructure-keywords"] == (False, [])  # no infrastructure at all
    assert r["research-only"][0]  # no research either


def test_a_list_of_every_technology_is_flagged_and_its_keywords_do_not_count():
    r = results(KEYWORD_LIST)
    ok, quotes = r["lists-every-technology"]
    assert not ok and quotes[0].startswith("Skills: Python, Java") and quotes[0].endswith("…")
    # PyTorch in the list is no ML depth: "full stack" without ML is flagged too.
    assert r["full-stack-no-ml-depth"] == (
        False,
        [
            "Chris Full — Full Stack Engineer",
            "Full stack developer building web apps with React and Node",
        ],
    )
    # Docker and Kubernetes only as "familiar with" or in the list: not concrete.
    assert r["infrastructure-keywords"] == (False, ["Familiar with Docker and Kubernetes"])


def test_python_as_a_side_language_is_not_primary():
    r = results(JAVA_FIRST)
    assert r["python-primary"] == (False, ["Some Python scripting for ops"])
    assert r["ml-infra-companies"][0]  # Stripe is a target company
    assert r["infrastructure-keywords"][0]


def test_target_companies_come_from_the_seed_facts(db):
    names = target_companies()
    for name in ("Lunit", "Qure.ai", "Grab", "Gojek", "Shopee", "Uber", "Stripe", "NVIDIA"):
        assert name in names
    assert "Any" not in names and "APAC" not in names


def test_company_names_are_read_out_of_prose():
    assert companies_from(["APAC offices of Uber, Stripe (heavy Temporal users)"]) == [
        "Stripe",
        "Uber",
    ]


# --- PDFs ------------------------------------------------------------------------------


def test_text_comes_out_of_a_pdf():
    text = pdf_text(make_pdf([["Deployed PyTorch (serving)", "Kubernetes"], ["Page two"]]))
    assert "Deployed PyTorch (serving)" in text and "Page two" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 a zip file", "not a PDF"),
        (make_pdf([["a"]])[:150], "could not read"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, "could not read"),
        (make_pdf([["a"]], repeat_kids=11), "more than 10 pages"),
        (make_pdf([["a"]], repeat_kids=150_000), "could not read"),  # 900 KB claiming 150K pages
        (bomb(200), "could not read"),  # inflates to 200 MB
        (make_pdf([[]]), "no text"),
        (b"%PDF-" + b"0" * (2 * 1024 * 1024), "over 2 MB"),
    ],
    ids=["not-pdf", "truncated", "garbage", "eleven-pages", "page-tree-bomb", "zip-bomb",
         "no-text", "too-big"],
)  # fmt: skip
def test_a_broken_or_hostile_pdf_gets_a_message_quickly(data, message):
    started = time.monotonic()
    with pytest.raises(UnreadablePdf, match=message):
        pdf_text(data)
    assert time.monotonic() - started < 5


@pytest.mark.django_db
@pytest.mark.parametrize("data", [bomb(200), make_pdf([["a"]], repeat_kids=150_000)])
def test_the_upload_form_shows_the_message_at_the_field(learner_client, learner, data):
    upload = SimpleUploadedFile("cv.pdf", data, content_type="application/pdf")
    response = learner_client.post("/hiring/resume/", {"text": "kept", "pdf": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "could not read that PDF" in body and 'id="id_pdf_error"' in body
    assert "kept</textarea>" in body  # what was typed stays
    assert not Attempt.objects.filter(learner=learner).exists()


@pytest.mark.django_db
def test_an_uploaded_pdf_is_screened_and_only_its_text_kept(learner_client, learner):
    pdf = make_pdf([GOOD.splitlines()])
    upload = SimpleUploadedFile("jane.pdf", pdf, content_type="application/pdf")
    response = learner_client.post("/hiring/resume/", {"pdf": upload})
    attempt = Attempt.objects.get(learner=learner)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert attempt.resume_file == "jane.pdf" and "Grab ML Platform" in attempt.resume
    assert attempt.outcome == "pass" and attempt.judged_by is None
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert "Met" in page and "12K requests per second" in page


@pytest.mark.django_db
def test_a_failing_resume_says_why_and_links_what_would_change_it(learner_client, learner):
    learner_client.post("/hiring/resume/", {"text": KAGGLE_ONLY})
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.outcome == "not-yet"
    assert any("Notebook or Kaggle work" in r for r in attempt.reasons)
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert "Red flag" in page
    assert '<blockquote class="quote">Kaggle Competitions Expert' in page
    assert "What would change it (Production ML)" in page and 'href="/roadmap/' in page


@pytest.mark.django_db
def test_an_empty_form_asks_for_a_resume(learner_client):
    response = learner_client.post("/hiring/resume/", {"text": "  "})
    assert response.status_code == 400
    assert "Paste your resume or upload a PDF." in response.content.decode()
