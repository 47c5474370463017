"""The submission state machine: every legal and illegal transition, and its history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from roadmap.models import Milestone
from tracker.models import Submission
from tracker.submissions import (
    TRANSITIONS,
    IllegalTransition,
    allowed_transitions,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db
S = Submission.State


@pytest.fixture
def submission(learner, plan) -> Submission:
    s = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=s, evidence="A cluster I built.", links=[])
    return s


def _put(submission: Submission, state: str) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(state=state)
    submission.refresh_from_db()
    return submission


LEGAL_FOR_LEARNER_WITHOUT_MENTOR = {
    (S.DRAFT, S.SUBMITTED),
    (S.CHANGES_REQUESTED, S.SUBMITTED),
    (S.SUBMITTED, S.DRAFT),
    (S.SUBMITTED, S.APPROVED),
}
ALL_PAIRS = [(a, b) for a in S.values for b in S.values if a != b]


@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS)
def test_every_transition_for_the_learner_without_a_mentor(
    submission, learner, from_state, to_state
):
    _put(submission, from_state)
    if (from_state, to_state) in LEGAL_FOR_LEARNER_WITHOUT_MENTOR:
        event = submission_transition(submission=submission, actor=learner, to_state=to_state)
        submission.refresh_from_db()
        assert submission.state == to_state
        assert (event.actor, event.from_state, event.to_state) == (learner, from_state, to_state)
    else:
        with pytest.raises((IllegalTransition, PermissionDenied)):
            submission_transition(submission=submission, actor=learner, to_state=to_state)
        submission.refresh_from_db()
        assert submission.state == from_state


def test_the_machine_names_only_known_states():
    assert {s for pair in TRANSITIONS for s in pair} <= set(S.values)


def test_self_approval_is_labelled(submission, learner):
    submission_transition(submission=submission, actor=learner, to_state=S.SUBMITTED)
    submission_transition(submission=submission, actor=learner, to_state=S.APPROVED)
    submission.refresh_from_db()
    assert submission.self_approved is True
    assert submission.state_label == "Self-approved"
    assert submission.approved_at is not None


def test_another_learner_can_make_no_move(submission, other_learner):
    submission_transition(submission=submission, actor=submission.learner, to_state=S.SUBMITTED)
    assert allowed_transitions(submission, other_learner) == []
    with pytest.raises(PermissionDenied):
        submission_transition(submission=submission, actor=other_learner, to_state=S.APPROVED)


def test_submitting_needs_evidence(learner, plan):
    s = submission_start(learner=learner, milestone=Milestone.objects.current().last())
    with pytest.raises(IllegalTransition, match="Write your evidence"):
        submission_transition(submission=s, actor=learner, to_state=S.SUBMITTED)


def test_every_transition_is_recorded_in_order(submission, learner):
    for to in (S.SUBMITTED, S.DRAFT, S.SUBMITTED, S.APPROVED):
        submission_transition(submission=submission, actor=learner, to_state=to)
    moves = list(submission.events.values_list("from_state", "to_state"))
    assert moves == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]


def test_evidence_cannot_change_once_submitted(submission, learner):
    submission_transition(submission=submission, actor=learner, to_state=S.SUBMITTED)
    with pytest.raises(IllegalTransition):
        submission_save_evidence(submission=submission, evidence="changed", links=[])
