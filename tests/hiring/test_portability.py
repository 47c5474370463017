"""The `hiring` section of the export file: registered like every other app's section,
read through the same forms the site uses, and never trusted with another person's word."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hiring.models import Attempt
from tests.conftest import make_user
from tracker.portability import export_user, import_user
from tracker.portability.sections import registered

pytestmark = pytest.mark.django_db
NOW = timezone.now().isoformat()


def _file(learner, *attempts) -> dict:
    data = json.loads(json.dumps(export_user(learner, base_url="https://x.example")))
    data["hiring"] = {"attempts": list(attempts)}
    return data


def attempt(round="scale-architecture-discussion", **fields) -> dict:
    return {
        "round": round,
        "started_at": NOW,
        "outcome": "open",
        "judged_by_mentor": False,
        **fields,
    }


def test_the_tracker_imports_no_app_that_feeds_its_export():
    """Hiring, labs and jobs register their sections; tracker.portability names none."""
    for path in Path("tracker/portability").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                roots = {n.split(".")[0] for n in names}
                assert not roots & {"hiring", "labs", "jobs"}, (path, names)
    assert {"hiring", "labs", "applications", "contributions"} <= {s.key for s in registered()}


def test_a_file_from_before_the_sections_imports(learner):
    """The shape written before hiring and labs registered: a `hiring` block without
    diagrams, `labs` as a list; both come back."""
    data = _file(
        learner,
        attempt(
            "infrastructure-design-take-home",
            resume="",
            resume_file="",
            document="## Design",
            worksheet={"users": 1000},
            qualities=[],
            ratings={},
            reasons=[],
            comment="",
            judged_at=None,
            deadline=None,
            updates=[],
        ),
    )
    data["labs"] = []
    bea = make_user("bea")
    counts = import_user(bea, data)
    assert counts["hiring_attempts"] == 1
    assert Attempt.objects.get(learner=bea).worksheet["users"] == 1000


def test_a_self_judgement_is_judged_again_by_the_form_and_its_reasons_are_the_sites(learner):
    data = _file(
        learner,
        attempt(
            outcome="pass",
            qualities=["specificity"],
            reasons=["I was brilliant"],
            comment="fine",
            judged_at=NOW,
        ),
    )
    bea = make_user("bea")
    import_user(bea, data)
    copied = Attempt.objects.get(learner=bea)
    assert copied.outcome == "pass" and copied.judged_by == bea and not copied.verified
    assert copied.qualities == ["specificity"]
    assert "I was brilliant" not in copied.reasons
    assert all(r.startswith("Not shown: ") for r in copied.reasons) and copied.reasons


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (attempt(outcome="pass", qualities=["charm"]), "ticked"),
        (attempt("trial-project", outcome="pass", ratings={"communication": 4}), "code_quality"),
        (
            attempt(
                "trial-project",
                outcome="pass",
                ratings={"communication": 9, "code_quality": 3, "ambiguity": 3},
            ),
            "communication",
        ),  # fmt: skip
        (attempt(updates=[{"body": "week 1", "created_at": NOW}]), "only a trial project"),
        (attempt(document="x" * 60_001), "document"),
        (attempt("no-such-round"), "hiring round no-such-round"),
        (attempt(comment="bad \x00 byte"), "control character"),
    ],
)
def test_an_entry_the_forms_refuse_refuses_the_whole_file(learner, entry, message):
    bea = make_user("bea")
    with pytest.raises(ValidationError, match=message):
        import_user(bea, _file(learner, entry))
    assert not Attempt.objects.filter(learner=bea).exists()


def test_a_mentors_outcome_never_comes_across(learner):
    mentors = {"outcome": "pass", "judged_by_mentor": True}
    data = _file(
        learner,
        attempt("trial-project", ratings={"communication": 5}, **mentors),
        attempt("resume-screen", resume="Jupyter notebooks only.", **mentors),
    )
    bea = make_user("bea")
    counts = import_user(bea, data)
    assert counts["others_events_dropped"] == 2
    rows = {a.round.key: a for a in Attempt.objects.filter(learner=bea)}
    assert rows["trial-project"].is_open and rows["trial-project"].ratings == {}
    assert rows["resume-screen"].outcome == "not-yet"  # the rules read it again
    assert rows["resume-screen"].judged_by is None
