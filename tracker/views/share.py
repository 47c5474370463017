"""Public pages of a learner who chose to share: the portfolio, the card, the avatar."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from ..cache import SHOWN_TO_ALL, fragment_key
from ..images import image_response
from ..models import Mentorship, SubmissionImage, User
from ..portfolio import build_portfolio, served_card
from ..schedule import today_for
from .common import HtmxHttpRequest


def _public(username: str, *related: str) -> User:
    """The learner, if they made their portfolio public; 404 for everyone otherwise."""
    learners = User.objects.select_related(*related) if related else User.objects
    return get_object_or_404(learners, username=username, portfolio_public=True, is_active=True)


@require_GET
def portfolio(request: HtmxHttpRequest, username: str) -> HttpResponse:
    learner = _public(username, "plan__background")  # the plan: for the body, on a miss
    ctx = {
        "learner": learner,
        # The body is cached under the learner's data version: a recruiter's visit
        # costs nothing until the learner changes something.
        "p": SimpleLazyObject(lambda: build_portfolio(learner)),
        # Dates show in the visitor's zone and the streak counts to the learner's today.
        "body_key": fragment_key(
            timezone.get_current_timezone_name(),
            today_for(learner.time_zone),
            learners=[learner.pk],
            areas=SHOWN_TO_ALL,
        ),
        "card_url": request.build_absolute_uri(f"/u/{learner.username}/card.png"),
        "page_url": request.build_absolute_uri(f"/u/{learner.username}/"),
    }
    return render(request, "share/portfolio.html", ctx)


@require_GET
def card(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """The stored progress card (tracker.portfolio.served_card): one query when current.
    A stale one (a redraw queued) is cached briefly, so previews fetch the new one soon."""
    card = served_card(_public(username, "progress_card"))
    response = HttpResponse(card.png, content_type="image/png")
    if not card.version:  # the neutral card: ask again next time
        response["Cache-Control"] = "no-cache"
        return response
    response["Cache-Control"] = "public, max-age=300" if card.current else "public, max-age=60"
    response["ETag"] = f'"{card.version}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_GET
def avatar(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """Public with the portfolio; otherwise only for the user and their mentors."""
    viewer = request.user
    shown = Q(portfolio_public=True)
    if viewer.is_authenticated:
        mentees = Mentorship.objects.active().mentored_by(viewer).values("learner_id")
        shown |= Q(pk=viewer.pk) | Q(pk__in=mentees)
    user = get_object_or_404(User.objects.filter(shown), username=username, is_active=True)
    if not user.avatar:
        raise Http404
    return image_response(user.avatar, cache_control="private, no-cache")  # one URL, changeable


@require_GET
def evidence_image(request: HtmxHttpRequest, username: str, image_id: int) -> HttpResponse:
    """An image of an approved milestone, shown on a public portfolio."""
    learner = _public(username)
    image = get_object_or_404(
        SubmissionImage.objects.filter(submission__learner=learner, submission__state="approved"),
        pk=image_id,
    )
    return image_response(image.image, cache_control="public, max-age=300")
