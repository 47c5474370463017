"""Spoken answers: upload (from the page's recorder, static/js/recorder.js), listen, delete.

The recorder posts the audio as multipart form data with the CSRF header; the answer is
the takes list (the `takes` partial of tracker/_recorder.html), or 400 with a message the
recorder shows. Listening is for the owner and their active mentors (`visible_to`);
uploading and deleting for the owner alone (`owned_by`). Everyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from roadmap.models import Question

from ..models import Answer, MockInterview, Recording
from ..practice import open_answer
from ..recordings import clean_recording, recording_add, recording_delete, recording_response
from .common import HtmxHttpRequest


def _takes(request: HtmxHttpRequest, answer: Answer, status: int = 200) -> HttpResponse:
    ctx = {"answer": answer, "recordings": list(answer.recordings.all())}
    return render(request, "tracker/_recorder.html#takes", ctx, status=status)


def _refused(message: str) -> HttpResponse:
    # Plain text: the recorder shows it with textContent, never as markup.
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _store(request: HtmxHttpRequest, answer_for) -> HttpResponse:
    """Check the upload first (no row is touched for a refused file), then find or start
    the answer (`answer_for()`) and store the take on it."""
    upload = request.FILES.get("audio")
    if upload is None:
        return _refused("No recording arrived: record again.")
    try:
        clean = clean_recording(upload)
        answer = answer_for()
        recording_add(answer=answer, clean=clean)
    except ValidationError as exc:
        return _refused(exc.messages[0])
    return _takes(request, answer, status=201)


@require_POST
@login_required
def practice_recording(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """A spoken take of the learner's open answer to `key` (a draft is started if none)."""
    user = request.user
    question = get_object_or_404(Question.objects.current(), key=key)

    def answer_for() -> Answer:
        answer = open_answer(user, question)
        if answer is None:
            answer, _ = Answer.objects.get_or_create(
                learner=user, question=question, interview=None, status=Answer.Status.DRAFT
            )
        return answer

    return _store(request, answer_for)


@require_POST
@login_required
def interview_recording(request: HtmxHttpRequest, pk: int, question_id: int) -> HttpResponse:
    """The spoken answer to one question of a running mock interview: storing it hands the
    answer in (at this time, marked late past the deadline), as the Save button does."""
    interview = get_object_or_404(MockInterview.objects.owned_by(request.user), pk=pk)
    if question_id not in interview.questions:
        return HttpResponse(status=404)
    if interview.finished_at is not None:
        return _refused("This interview has ended: recordings are closed.")
    question = get_object_or_404(Question, pk=question_id)

    def answer_for() -> Answer:
        answer = open_answer(request.user, question, interview)
        if answer is None:
            answer, _ = Answer.objects.get_or_create(
                learner=request.user,
                question=question,
                interview=interview,
                status=Answer.Status.DRAFT,
            )
        if answer.status == Answer.Status.DRAFT:
            now = timezone.now()
            answer.status = Answer.Status.SUBMITTED
            answer.submitted_at = now
            answer.late = now > interview.deadline
            answer.save(update_fields=["status", "submitted_at", "late", "updated_at"])
        return answer

    return _store(request, answer_for)


@require_GET
@login_required
def recording_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The audio, for its owner and their active mentors; Range requests let it seek."""
    recording = get_object_or_404(Recording.objects.visible_to(request.user), pk=pk)
    return recording_response(request, recording)


@require_POST
@login_required
def recording_delete_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    recording = get_object_or_404(
        Recording.objects.owned_by(request.user).select_related(
            "answer__question", "answer__interview"
        ),
        pk=pk,
    )
    answer = recording.answer
    recording_delete(recording=recording)
    messages.success(request, "Recording deleted.")
    if answer.interview_id:
        return redirect(f"{answer.interview.get_absolute_url()}#q-{answer.question_id}")
    return redirect(reverse("practice_answer", args=[answer.question.key]) + "#recordings")
