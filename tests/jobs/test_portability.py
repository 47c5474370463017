"""The job search and the portfolio choices in the export file (version 2), an old
version 1 file still importing, the import's rules, and account deletion."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jobs.models import Application, Contribution, Stage
from roadmap.models import Goal
from tests.conftest import make_plan, make_user
from tracker.account_deletion import delete_account
from tracker.models import ItemProgress
from tracker.plans import item_set_status
from tracker.portability import export_user, import_user

pytestmark = pytest.mark.django_db
BASE = "https://rampup.example"
PR = "https://github.com/deepspeedai/DeepSpeed/pull/4321"


@pytest.fixture
def searching(learner, mentor):
    make_plan(learner)
    learner.portfolio_hidden = ["practice"]
    learner.portfolio_hide_self_scores = True
    learner.portfolio_headline = "SRE → GPU infra"
    learner.portfolio_pitch = "Ran 400 nodes.\nNow NCCL."
    learner.save()
    Application.objects.create(
        learner=learner,
        company="Lunit",
        region="Korea",
        source="referral",
        stage=Stage.REJECTED,
        furthest=Stage.TECHNICAL_SCREEN,
        applied_on=date(2026, 9, 1),
        follow_up_on=date(2026, 9, 15),
        contacts="Kim (recruiter)",
        notes="Asked about **NCCL**",
    )
    Contribution.objects.create(
        learner=learner,
        url=PR,
        title="ZeRO-3 prefetch fix",
        state="merged",
        dimensions=["infrastructure"],
        impact="step time −7%",
        merged_on=date(2026, 10, 2),
    )
    goal = Goal.objects.current().first()
    row = item_set_status(learner=learner, item=goal, status="credited", evidence="At work")
    ItemProgress.objects.filter(pk=row.pk).update(
        credit_review="confirmed", credit_reviewed_by=mentor
    )
    return learner


def test_round_trip_carries_the_job_search_and_portfolio_choices(searching):
    first = export_user(searching, base_url=BASE)
    assert first["version"] == 2
    assert first["applications"][0]["company"] == "Lunit"
    assert first["contributions"][0]["url"] == PR
    assert first["user"]["portfolio_hidden"] == ["practice"]
    bea = make_user("bea")
    counts = import_user(bea, json.loads(json.dumps(first)))
    assert counts["applications"] == 1 and counts["contributions"] == 1
    # The mentor's confirmation is theirs: it is not carried.
    assert counts["credit_reviews_dropped"] == 1
    assert ItemProgress.objects.get(learner=bea, status="credited").credit_review == ""
    second = export_user(bea, base_url=BASE)
    for key in ("applications", "contributions"):
        assert second[key] == first[key], key
    for key in (
        "portfolio_hidden",
        "portfolio_hide_self_scores",
        "portfolio_headline",
        "portfolio_pitch",
    ):
        assert second["user"][key] == first["user"][key], key
    app = Application.objects.get(learner=bea)
    assert "<strong>NCCL</strong>" in app.notes_html and app.furthest == Stage.TECHNICAL_SCREEN


def test_a_version_1_file_still_imports(searching):
    data = export_user(searching, base_url=BASE)
    data["version"] = 1
    for key in ("applications", "contributions"):
        del data[key]
    for key in (
        "portfolio_hidden",
        "portfolio_hide_self_scores",
        "portfolio_headline",
        "portfolio_pitch",
    ):
        del data["user"][key]
    for entry in data["progress"]:
        del entry["credit_review"]
    bea = make_user("bea")
    counts = import_user(bea, data)
    assert counts["applications"] == 0 and counts["progress"] >= 1
    bea.refresh_from_db()
    assert bea.portfolio_hidden == [] and not Application.objects.filter(learner=bea).exists()


@pytest.mark.parametrize(
    ("section", "field", "value", "message"),
    [
        ("contributions", "url", "https://evil.example/a/b/pull/1", "GitHub"),
        ("contributions", "dimensions", ["made-up"], "not in this site's roadmap"),
        ("applications", "stage", "hired", "not a valid choice"),
        ("applications", "company", "x" * 121, "at most 120"),
        ("applications", "applied_on", "1066-10-14", "between"),
    ],
)
def test_an_import_holds_to_the_forms_rules(searching, section, field, value, message):
    data = export_user(searching, base_url=BASE)
    data[section][0][field] = value
    bea = make_user("bea")
    with pytest.raises(ValidationError, match=message):
        import_user(bea, data)
    assert not Application.objects.filter(learner=bea).exists()
    assert not Contribution.objects.filter(learner=bea).exists()


def test_an_unknown_portfolio_section_is_refused(searching):
    data = export_user(searching, base_url=BASE)
    data["user"]["portfolio_hidden"] = ["everything"]
    with pytest.raises(ValidationError, match="portfolio_hidden"):
        import_user(make_user("bea"), data)


def test_an_account_with_applications_is_not_empty(searching):
    data = export_user(searching, base_url=BASE)
    bea = make_user("bea")
    Application.objects.create(learner=bea, company="Already")
    with pytest.raises(ValidationError, match="job applications"):
        import_user(bea, data)


def test_account_deletion_takes_the_job_search(searching):
    counts = delete_account(searching)
    assert counts["jobs.Application"] == 1 and counts["jobs.Contribution"] == 1
    assert not Application.objects.exists() and not Contribution.objects.exists()


def test_the_export_schema_describes_the_new_sections(client):
    schema = client.get("/settings/export.schema.json").json()
    assert {"applications", "contributions"} <= set(schema["properties"])
    assert "`applications`" in schema["description"]
