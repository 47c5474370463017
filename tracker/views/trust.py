"""A mentor's word on a mentee's credits for prior experience (tracker.trust)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..models import ItemProgress, ItemStatus
from ..trust import credit_review
from .common import HtmxHttpRequest
from .mentoring import _mentee


@require_POST
@login_required
def mentee_credit_review(request: HtmxHttpRequest, username: str, pk: int) -> HttpResponse:
    learner = _mentee(request.user, username)  # 404 unless their active mentor
    progress = get_object_or_404(
        ItemProgress.objects.visible_to(request.user).filter(
            learner=learner, status=ItemStatus.CREDITED, goal__isnull=False
        ),
        pk=pk,
    )
    try:
        credit_review(
            mentor=request.user, progress=progress, decision=request.POST.get("decision", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, f"{progress.goal}: {progress.get_credit_review_display().lower()}."
        )
    return redirect(reverse("mentee", args=[learner.username]) + "#credits-heading")
