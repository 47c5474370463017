"""Mentoring pages: the learner's mentors and invites, accepting an invite, the mentor's
home with the review queue, the read-only mentee view, and notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roadmap import content

from ..assessment import assessment_create
from ..cache import PRACTICE, PROGRESS, Lazy, fragment_keys
from ..forms import AssessmentForm, MentorRateForm
from ..mentees import (
    mentee_answers,
    mentee_for_page,
    mentee_progress,
    mentee_scores,
    mentees_of,
    mentor_overview,
)
from ..mentoring import (
    INVITE_PROBLEMS,
    answer_comment,
    answer_mentor_rate,
    invite_accept,
    invite_create,
    invite_revoke,
    mentorship_end,
    notifications_mark_read,
)
from ..models import (
    Answer,
    Assessment,
    Invite,
    Mentorship,
    Notification,
    Quality,
    Rating,
    User,
)
from ..schedule import today_for
from .common import HtmxHttpRequest
from .reminders import notifications_context

# --- the learner's side ---------------------------------------------------------------


@require_GET
@login_required
def mentors_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    invites = list(
        Invite.objects.owned_by(user).filter(
            revoked_at=None, used_at=None, expires_at__gt=timezone.now()
        )
    )
    for invite in invites:  # the learner can copy any open link again, not only a new one
        invite.link = request.build_absolute_uri(invite.get_absolute_url())
    ctx = {
        "mentorships": Mentorship.objects.owned_by(user).select_related("mentor"),
        "invites": invites,
        "new_invite": request.session.pop("new_invite", None),
    }
    return render(request, "tracker/mentors.html", ctx)


@require_POST
@login_required
def invite_new(request: HtmxHttpRequest) -> HttpResponse:
    invite = invite_create(learner=request.user)
    request.session["new_invite"] = invite.pk
    messages.success(
        request, "Invite created. Send the link to your mentor: it works once, for 14 days."
    )
    return redirect("mentors")


@require_POST
@login_required
def invite_revoke_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    invite = get_object_or_404(Invite.objects.owned_by(request.user), pk=pk)
    invite_revoke(invite=invite)
    messages.success(request, "Invite withdrawn: the link no longer works.")
    return redirect("mentors")


@require_POST
@login_required
def mentorship_end_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Either side may end it; the mentor's access ends at once."""
    user = request.user
    mentorship = get_object_or_404(
        Mentorship.objects.active().involving(user).select_related("learner", "mentor"), pk=pk
    )
    mentorship_end(mentorship=mentorship, by=user)
    messages.success(request, "Mentorship ended.")
    return redirect("mentors" if user.pk == mentorship.learner_id else "mentor_home")


@require_http_methods(["GET", "POST"])
@never_cache  # the page names the learner: only whoever holds the link may see it
def invite_view(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link, so a brand-new mentor learns who asks and what a
    mentor does before signing up; accepting needs an account."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invite = get_object_or_404(Invite.objects.select_related("learner"), token=token)
    if request.method == "POST":
        try:
            invite_accept(invite=invite, user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(invite)
        messages.success(request, f"You now mentor {invite.learner.shown_name}.")
        return redirect("mentor_home")
    own = invite.learner_id == request.user.pk
    if own:
        problem = "This is your own invite: send the link to your mentor."
    else:
        problem = INVITE_PROBLEMS.get(invite.state, "")
    ctx = {"invite": invite, "problem": problem, "own": own}
    return render(request, "tracker/invite.html", ctx)


# --- the mentor's side ----------------------------------------------------------------


@require_GET
@login_required
def mentor_home(request: HtmxHttpRequest) -> HttpResponse:
    """The review queue across mentees, then each mentee with progress, schedule, last
    activity and verdict, 50 a page. A fixed number of queries however many mentees; on
    a warm cache the rows come from the cache, each under its mentee's versions."""
    user = request.user
    mentees = mentees_of(user)
    ctx = {
        "d": mentor_overview(mentees, page=request.GET.get("page")),
        "count": len(mentees),
        "capacity": user.mentor_capacity,
    }
    return render(request, "tracker/mentor_home.html", ctx)


def _mentee(user, username: str) -> User:
    """`username`, if `user` mentors them now; otherwise a 404 (a former mentor too).
    The mentee page itself reads only what it shows (`mentee_for_page`)."""
    mentorship = get_object_or_404(
        Mentorship.objects.active().mentored_by(user).select_related("learner__plan"),
        learner__username=username,
    )
    return mentorship.learner


@require_http_methods(["GET", "POST"])
@login_required
def mentee_view(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """The mentee's plan, progress, submissions, assessments and practice, read-only,
    with the mentor's own rubric scores."""
    user = request.user
    learner = mentee_for_page(user, username)
    if learner is None:
        raise Http404("No mentee of yours has this name.")
    own, mine = learner.own_assessment, learner.my_assessment
    rubric = content.rubric()
    dimensions = list(rubric.dimensions.all())
    # Built only for what was posted: a GET's form comes with the scores part, when that
    # is rendered at all (from this mentor's last scores).
    form = AssessmentForm(request.POST, dimensions=dimensions) if request.POST else None
    if form is not None and form.is_valid():
        assessment_create(
            learner=learner, rater=user, role=Assessment.Role.MENTOR, scores=form.scores()
        )
        messages.success(request, f"Your scores for {learner.shown_name} are saved.")
        return redirect("mentee", username=username)
    # Read-only data (and the unbound form, pre-filled with this mentor's last scores)
    # in three fragments, each under the mentee's versions of the one area it shows
    # and the mentor's profile: a practice write renders the answers again, not the
    # progress or the scores. A form with errors is always rendered afresh.
    keys = fragment_keys(
        learner.pk,
        today_for(learner.time_zone),  # the schedule's label
        learners=[learner.pk],
        groups={"progress": (PROGRESS,), "answers": (PRACTICE,)},
        viewer=user.pk,
    )
    ctx = {
        "learner": learner,
        "d": Lazy(
            progress=lambda d: mentee_progress(learner),
            scores=lambda d: mentee_scores(own, mine, dimensions),
            answers=lambda d: mentee_answers(learner),
            # Unbound, the form starts from this mentor's last scores; bound, it keeps
            # what was typed.
            form=lambda d: (
                form
                if form is not None
                else AssessmentForm.starting_from(
                    d["scores"]["mentor_scores"], dimensions=dimensions
                )
            ),
        ),
        "cacheable": form is None,
        "keys": keys,
        # Assessments are never edited: the scores part (their table and this mentor's
        # form, pre-filled) is cached under the two it shows, not under the versions.
        "scores_key": ":".join(
            str(part)
            for part in (
                content.version(),
                timezone.get_current_timezone_name(),
                learner.pk,
                learner.username,
                learner.shown_name,
                own,
                mine,
            )
        ),
        "qualities": Quality.choices,
        "ratings": Rating.choices,
    }
    return render(request, "tracker/mentee.html", ctx)


@require_POST
@login_required
def mentee_answer_comment(request: HtmxHttpRequest, username: str, pk: int) -> HttpResponse:
    learner = _mentee(request.user, username)
    answer = get_object_or_404(
        Answer.objects.visible_to(request.user).filter(learner=learner).select_related("question"),
        pk=pk,
    )
    try:
        answer_comment(
            answer=answer, author=request.user, body=request.POST.get("body", "")[:10_000]
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(f"/mentor/{username}/#answer-{answer.pk}")


@require_POST
@login_required
def mentee_answer_rate(request: HtmxHttpRequest, username: str, pk: int) -> HttpResponse:
    """The mentor's rating of a mentee's answer, and the qualities they heard in it."""
    learner = _mentee(request.user, username)
    answer = get_object_or_404(
        Answer.objects.visible_to(request.user).filter(learner=learner).select_related("question"),
        pk=pk,
    )
    form = MentorRateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a rating: Again, Hard, Good or Easy.")
        return redirect(f"/mentor/{username}/#answer-{answer.pk}")
    try:
        answer_mentor_rate(
            answer=answer,
            mentor=request.user,
            rating=form.cleaned_data["rating"],
            qualities=form.cleaned_data["qualities"],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Your rating is saved next to theirs.")
    return redirect(f"/mentor/{username}/#answer-{answer.pk}")


# --- notifications --------------------------------------------------------------------


PAGE = 50


@require_GET
@login_required
def notifications_view(request: HtmxHttpRequest) -> HttpResponse:
    """The newest 50. Seeing the list is reading it: everything up to the newest shown
    is marked read (the badge clears), while this page still marks what was new."""
    user = request.user
    notes = list(Notification.objects.visible_to(user).select_related("about")[:PAGE])
    shown = Q(pk__in=[n.pk for n in notes if n.read_at is None])
    if len(notes) == PAGE:
        # …and the older ones past the page: no list would ever show them as new. (By
        # date, not id: an imported export brings old notifications with new ids.)
        shown |= Q(created_at__lt=notes[-1].created_at)
    if any(n.read_at is None for n in notes):
        notifications_mark_read(user=user, notes=Notification.objects.filter(shown))
    return render(request, "tracker/notifications.html", notifications_context(user, notes))


@require_GET
@login_required
def notification_open(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark one read and go where it leads. A GET, because it is what the links in the
    list and in the emails open; it only sets the reader's own read flag, once."""
    note = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    notifications_mark_read(user=request.user, notes=Notification.objects.filter(pk=note.pk))
    return redirect(note.target or "notifications")
