"""Milestone submissions: the state machine (draft → submitted → changes requested →
approved), evidence with links and images, and comments in the thread.

Each write is keyword-only and atomic: a learner never sees half of a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from roadmap.models import Milestone

from .images import CleanImage
from .mentoring import has_active_mentor, is_mentor_of, on_comment, on_transition
from .models import (
    Submission,
    SubmissionEvent,
    SubmissionImage,
    SubmissionLink,
    User,
)
from .prepared import Prepared

State = Submission.State
LEARNER, REVIEWER, MENTOR = "learner", "reviewer", "mentor"
# The submission state machine: (from, to) -> who may make the move. A "reviewer"
# is the learner's active mentor or, while they have none, the learner
# (self-approval).
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, State.SUBMITTED): LEARNER,
    (State.CHANGES_REQUESTED, State.SUBMITTED): LEARNER,
    (State.SUBMITTED, State.DRAFT): LEARNER,  # withdraw to keep editing
    (State.SUBMITTED, State.APPROVED): REVIEWER,
    (State.SUBMITTED, State.CHANGES_REQUESTED): MENTOR,
}
EDITABLE_STATES = {State.DRAFT, State.CHANGES_REQUESTED}


class IllegalTransition(Exception):
    pass


def allowed_transitions(
    submission: Submission, user: User, roles: _Roles | None = None
) -> list[str]:
    """The states `user` may move `submission` to now, in a stable order."""
    roles = roles or _roles(submission, user)
    return [
        to for (frm, to), who in TRANSITIONS.items() if frm == submission.state and _may(who, roles)
    ]


class _Roles:
    """Who `user` is to this submission: its owner, the learner's mentor, and whether the
    learner has a mentor at all; each asked of the database only when a rule needs it
    (a learner submitting needs none, a mentor's review one)."""

    def __init__(self, submission: Submission, user: User) -> None:
        self.submission, self.user = submission, user
        self.owner = submission.learner_id == user.pk

    @cached_property
    def mentor(self) -> bool:
        return not self.owner and is_mentor_of(self.user, self.submission.learner_id)

    @cached_property
    def mentored(self) -> bool:
        return self.mentor or has_active_mentor(self.submission.learner_id)

    def __getitem__(self, name: str) -> bool:
        return getattr(self, name)


def _roles(submission: Submission, user: User) -> _Roles:
    return _Roles(submission, user)


def _may(who: str, roles: _Roles) -> bool:
    if who == LEARNER:
        return roles["owner"]
    if who == MENTOR:
        return roles["mentor"]
    # A reviewer: the mentor; or, while the learner has none, the learner (self-approval).
    return roles["mentor"] if roles["mentored"] else roles["owner"]


def _locked(submission: Submission) -> Submission:
    """The row again, locked for this transaction (itself only), with what the
    notifications name: the learner and the phase."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("learner", "milestone__phase")
        .get(pk=submission.pk)
    )


@transaction.atomic
def submission_transition(
    *, submission: Submission, actor: User, to_state: str, comment: str = ""
) -> SubmissionEvent:
    """Move `submission` to `to_state` if the machine allows it for `actor`; log the move."""
    locked = _locked(submission)
    _check_move(locked, actor, to_state)
    _move(locked, actor, to_state)
    locked.save()
    return _moved(locked, submission, actor, to_state, comment)


def _check_move(submission: Submission, actor: User, to_state: str) -> None:
    rule = TRANSITIONS.get((submission.state, to_state))
    if rule is None:
        raise IllegalTransition(f"A submission cannot go from {submission.state} to {to_state}.")
    if not _may(rule, _roles(submission, actor)):
        raise PermissionDenied(f"You may not move this submission to {to_state}.")
    if to_state == State.SUBMITTED and not submission.evidence.strip():
        raise IllegalTransition("Write your evidence before you submit.")


def _move(submission: Submission, actor: User, to_state: str) -> None:
    """Set the new state and its dates on the (locked) row; the caller saves it."""
    now = timezone.now()
    submission.from_state = submission.state
    submission.state = to_state
    if to_state == State.SUBMITTED:
        submission.submitted_at = now
    if to_state == State.APPROVED:
        submission.approved_at = now
        submission.self_approved = actor.pk == submission.learner_id
    else:
        submission.approved_at = None
        submission.self_approved = False


def _moved(
    locked: Submission, caller_copy: Submission, actor: User, to_state: str, comment: str
) -> SubmissionEvent:
    """After the saved move: the caller's copy shows it, the thread logs it, the other
    side hears of it."""
    for name in ("state", "submitted_at", "approved_at", "self_approved", "updated_at"):
        setattr(caller_copy, name, getattr(locked, name))
    event = SubmissionEvent.objects.create(
        submission=locked,
        actor=actor,
        from_state=locked.from_state,
        to_state=to_state,
        comment=comment,
    )
    on_transition(locked, actor, to_state, locked.from_state)
    return event


@transaction.atomic
def submission_comment(*, submission: Submission, author: User, comment: str) -> SubmissionEvent:
    """A comment in the thread, without a change of state."""
    if not comment.strip():
        raise ValidationError("Write a comment first.")
    event = SubmissionEvent.objects.create(submission=submission, actor=author, comment=comment)
    on_comment(submission, author)
    return event


@transaction.atomic
def submission_start(*, learner: User, milestone: Milestone) -> Submission:
    submission, created = Submission.objects.get_or_create(learner=learner, milestone=milestone)
    if created:
        SubmissionEvent.objects.create(submission=submission, actor=learner, to_state=State.DRAFT)
    return submission


def submission_save_evidence(
    *,
    submission: Submission,
    evidence: str,
    links: Sequence[tuple[str, str]],
    images: Iterable[CleanImage] = (),
    remove_images: Iterable[int] = (),
    submit_by: User | None = None,
    comment: str = "",
) -> str:
    """Save the evidence, replace the links, add and remove images: all or nothing; with
    `submit_by`, then submit it for review in the same transaction (one locked read,
    one row update). The links are rewritten only when they changed (`submission`'s
    prefetched links are the ones compared).

    Files are written before the rows commit; if anything fails, the files written so
    far are deleted again, so storage holds no orphans. Returns why the submission could
    not be submitted (the evidence is saved all the same), or "".
    """
    written: list[str] = []
    refused = ""
    try:
        with transaction.atomic():
            locked = _locked(submission) if submit_by else None
            state = (
                locked.state
                if locked
                else Submission.objects.select_for_update()
                .values_list("state", flat=True)
                .get(pk=submission.pk)
            )
            if state not in EDITABLE_STATES:
                raise IllegalTransition("Withdraw the submission to edit its evidence.")
            submission.evidence = evidence
            if locked:
                locked.evidence = evidence
                try:
                    _check_move(locked, submit_by, State.SUBMITTED)
                except (IllegalTransition, PermissionDenied) as exc:
                    refused = str(exc)
                    locked = None
                else:
                    _move(locked, submit_by, State.SUBMITTED)
                    locked.save()  # renders evidence_html
            if locked is None:
                submission.save(update_fields=["evidence", "updated_at"])  # renders evidence_html
            if [(link.title, link.url) for link in submission.links.all()] != list(links):
                submission.links.all().delete()
                SubmissionLink.objects.bulk_create(
                    SubmissionLink(submission=submission, title=t, url=u) for t, u in links
                )
            for image in submission.images.filter(pk__in=list(remove_images)):
                image_delete(image)
            for clean in images:
                row = SubmissionImage(submission=submission, width=clean.width, height=clean.height)
                clean.write_to(row, "image", written)
                row.save()
            if locked:
                submission.evidence_html = locked.evidence_html
                _moved(locked, submission, submit_by, State.SUBMITTED, comment)
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return refused


def image_delete(image: SubmissionImage) -> None:
    storage = image.image.storage
    names = [image.image.name, image.thumbnail.name]
    image.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


# --- reads -----------------------------------------------------------------------------

# Events a thread shows at once; "Show earlier events" fetches the next ones.
THREAD_PAGE = 20


class ThreadEvent(NamedTuple):
    """One event of the thread as the page shows it: who (None for a deleted user), the
    move, the rendered comment and when; a row, not a `SubmissionEvent`."""

    pk: int
    actor_name: str | None
    from_state: str
    to_state: str
    comment_html: str
    created_at: datetime

    @property
    def to_label(self) -> str:
        return State(self.to_state).label if self.to_state else ""


# The columns of a ThreadEvent, the actor's two names in place of its one.
_EVENT_COLUMNS = (
    "pk",
    "actor__display_name",
    "actor__username",
    "from_state",
    "to_state",
    "comment_html",
    "created_at",
)


def _thread_events(rows: Iterable[tuple]) -> list[ThreadEvent]:
    return [
        ThreadEvent(pk, display or username, from_state, to_state, html, at)
        for pk, display, username, from_state, to_state, html, at in rows
    ]


# The thread's latest page, the one every first view shows: compiled once.
_LATEST_EVENTS = Prepared(
    lambda submission_id: (
        SubmissionEvent.objects.filter(submission_id=submission_id)
        .order_by("-created_at", "-pk")
        .values_list(*_EVENT_COLUMNS)[: THREAD_PAGE + 1]
    ),
    ("id",),
)


@dataclass
class ThreadPage:
    events: list[ThreadEvent]  # oldest first
    more: bool  # earlier events exist


def thread_page(
    submission: Submission, *, before: int | None = None, to_end: bool = False
) -> ThreadPage:
    """The `THREAD_PAGE` events before event `before` (the newest without it), oldest
    first; with `to_end` also every event from `before` on (the page without JavaScript
    shows the thread from there to the newest). One query, two with `before`."""
    events = SubmissionEvent.objects.filter(submission=submission)
    cursor = events.filter(pk=before).values("created_at", "pk").first() if before else None
    newer = []
    if cursor:
        # The thread's own order (created_at, pk): an imported event may be older than its id.
        from_cursor = Q(created_at__gt=cursor["created_at"]) | Q(
            created_at=cursor["created_at"], pk__gte=cursor["pk"]
        )
        window = events.exclude(from_cursor).order_by("-created_at", "-pk")
        page = _thread_events(window.values_list(*_EVENT_COLUMNS)[: THREAD_PAGE + 1])
        if to_end:
            newer = _thread_events(events.filter(from_cursor).values_list(*_EVENT_COLUMNS))
    else:
        page = _thread_events(_LATEST_EVENTS.rows(SubmissionEvent, submission.pk))
    return ThreadPage(events=page[:THREAD_PAGE][::-1] + newer, more=len(page) > THREAD_PAGE)
