"""Milestone submissions: evidence (markdown, links, images), the state machine, the thread."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roadmap.models import Milestone

from ..cache import PROGRESS, fragment_key
from ..forms import EvidenceForm
from ..images import image_response
from ..models import Submission
from ..submissions import (
    EDITABLE_STATES,
    IllegalTransition,
    _roles,
    allowed_transitions,
    submission_comment,
    submission_save_evidence,
    submission_start,
    submission_transition,
    thread_page,
)
from .common import HtmxHttpRequest, get_plan

ACTION_LABELS = {
    Submission.State.SUBMITTED: "Submit for review",
    Submission.State.DRAFT: "Withdraw to edit",
    Submission.State.APPROVED: "Approve",
    Submission.State.CHANGES_REQUESTED: "Request changes",
}


def _submission(user, pk: int, *, evidence: bool = True) -> Submission:
    """The submission if `user` may see it, else a 404; with its links and images for the
    page and the evidence form (a move or a comment needs neither)."""
    submissions = Submission.objects.visible_to(user).select_related("milestone__phase", "learner")
    if evidence:
        submissions = submissions.prefetch_related("links", "images")
    return get_object_or_404(submissions, pk=pk)


@require_POST
@login_required
def milestone_start(request: HtmxHttpRequest, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.current(), pk=milestone_id)
    if get_plan(request.user) is None:
        messages.error(request, "Create your plan first; then you can prove your milestones.")
        return redirect("plan")
    submission = submission_start(learner=request.user, milestone=milestone)
    return redirect(submission)


def _evidence_form(
    submission: Submission, data=None, files=None, *, submitting: bool = False
) -> EvidenceForm:
    images = list(submission.images.all())
    initial = {"evidence": submission.evidence}
    for i, link in enumerate(submission.links.all()):
        initial[f"link_title_{i}"] = link.title
        initial[f"link_url_{i}"] = link.url
    return EvidenceForm(
        data,
        files,
        initial=initial,
        existing_images=len(images),
        image_ids=[img.pk for img in images],
        submitting=submitting,
    )


def _save_evidence(request: HtmxHttpRequest, submission: Submission, form: EvidenceForm) -> bool:
    """Save the evidence and, for "Submit for review", submit it in the same request.

    False (with the message on the form) when nothing could be saved: the page then
    renders again with everything typed.
    """
    comment = form.cleaned_data["comment"]
    try:
        refused = submission_save_evidence(
            submission=submission,
            evidence=form.cleaned_data["evidence"],
            links=form.links(),
            images=form.cleaned_data["images"],
            remove_images=form.cleaned_data["remove"],
            submit_by=request.user if form.submitting else None,
            comment=comment,
        )
    except IllegalTransition as exc:  # submitted meanwhile, from another tab
        form.add_error(None, str(exc))
        return False
    if not form.submitting:
        if comment.strip():  # typed but not sent: it goes into the thread, not the bin
            submission_comment(submission=submission, author=request.user, comment=comment)
        messages.success(request, "Draft saved.")
    elif refused:
        # The evidence is saved; only the move failed.
        messages.error(request, f"Your evidence is saved, but not submitted: {refused}")
    else:
        messages.success(request, "Saved and submitted for review.")
    return True


def _event_id(value: str | None) -> int | None:
    """An event id from the query string; None for anything else."""
    return int(value) if value and value.isdigit() and len(value) < 18 else None


def _waiting_days(submission: Submission) -> int | None:
    if submission.state != Submission.State.SUBMITTED or submission.submitted_at is None:
        return None
    return (timezone.now() - submission.submitted_at).days


@require_http_methods(["GET", "POST"])
@login_required
def milestone_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request.user, pk)
    before = _event_id(request.GET.get("before"))
    if request.htmx and before and request.method == "GET":
        # "Show earlier events": the next page of the thread, swapped in above it.
        ctx = {"submission": submission, "thread": thread_page(submission, before=before)}
        return render(request, "tracker/milestone.html#thread-events", ctx)
    roles = _roles(submission, request.user)
    owner = roles["owner"]
    editable = owner and submission.state in EDITABLE_STATES
    # A GET shows the form only while the evidence is editable.
    form = _evidence_form(submission) if editable else None
    if request.method == "POST":
        if not owner:
            raise PermissionDenied
        submitting = request.POST.get("to") == Submission.State.SUBMITTED
        form = _evidence_form(submission, request.POST, request.FILES, submitting=submitting)
        if not editable:  # e.g. an older tab, after the milestone was submitted
            form.is_valid()  # keeps what was typed on the page, unsaved
            final = submission.state == Submission.State.APPROVED
            form.add_error(
                None,
                (
                    "This milestone is approved: its evidence is final. "
                    if final
                    else "This milestone is submitted: withdraw it to edit. "
                )
                + "What you typed is below, not saved.",
            )
        elif form.is_valid() and _save_evidence(request, submission, form):
            return redirect(submission)
        if request.FILES and form.errors:
            form.add_error(None, "Your images were not uploaded: choose them again.")
    actions = [
        (to, ACTION_LABELS[to]) for to in allowed_transitions(submission, request.user, roles)
    ]
    if owner and not roles["mentored"]:
        actions = [(to, "Self-approve" if to == "approved" else label) for to, label in actions]
    changes_request = None
    if submission.state == Submission.State.CHANGES_REQUESTED:
        # The mentor's request leads the page: the learner works from it.
        changes_request = (
            submission.events.filter(to_state=Submission.State.CHANGES_REQUESTED)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
    ctx = {
        # The thread is a cached fragment under the learner's progress version, which
        # every new event bumps; the latest events are read only on a miss, the earlier
        # ones on demand (without JavaScript, `before` shows the thread from there on).
        "thread": SimpleLazyObject(lambda: thread_page(submission, before=before, to_end=True)),
        # …and by the viewer's time zone, since the thread shows times in it.
        "thread_key": fragment_key(
            submission.pk,
            timezone.get_current_timezone_name(),
            before,
            learners=[submission.learner_id],
            areas=(PROGRESS,),
        ),
        "submission": submission,
        "milestone": submission.milestone,
        "owner": owner,
        "editable": editable,
        # A refused POST shows its form again, whatever the state: nothing typed is lost.
        "editing": editable or (form is not None and form.is_bound),
        "form": form,
        # The learner's own move (submit) is a button of the evidence form.
        "actions": [] if editable else actions,
        "has_mentor": roles["mentored"],
        "is_mentor": roles["mentor"],
        "changes_request": changes_request,
        "waiting_days": _waiting_days(submission),
    }
    return render(request, "tracker/milestone.html", ctx)


@require_POST
@login_required
def milestone_transition(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request.user, pk, evidence=False)
    to_state = request.POST.get("to", "")
    try:
        submission_transition(
            submission=submission,
            actor=request.user,
            to_state=to_state,
            comment=request.POST.get("comment", "")[:20_000],
        )
    except (IllegalTransition, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:  # the service updated this copy's state
        messages.success(request, f"Milestone {submission.state_label.lower()}.")
    return redirect(submission)


@require_POST
@login_required
def milestone_comment(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A comment in the thread from the learner or their mentor."""
    submission = _submission(request.user, pk, evidence=False)
    try:
        submission_comment(
            submission=submission,
            author=request.user,
            comment=request.POST.get("comment", "")[:20_000],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(f"{submission.get_absolute_url()}#thread-heading")


@require_GET
@login_required
def milestone_image(request: HtmxHttpRequest, pk: int, image_id: int, size: str) -> HttpResponse:
    """Evidence images are private: served through the same access check as the page."""
    submission = get_object_or_404(Submission.objects.visible_to(request.user), pk=pk)
    image = get_object_or_404(submission.images, pk=image_id)
    field = image.thumbnail if size == "thumb" else image.image
    return image_response(field, cache_control="private, max-age=3600")
