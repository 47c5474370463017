"""Pages where the roadmap's content meets the signed-in learner: the home page (a
visitor's introduction, a signed-in user's way in) and a phase page with the learner's
own rows: status, notes and links on each goal and resource, and the milestone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from roadmap import content
from roadmap.models import Background, Phase, Roadmap

from ..cache import PROGRESS, fragment_key
from ..progress import PhaseRows, phase_rows
from .common import get_plan, landing_url


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    roadmap = get_object_or_404(Roadmap.objects.current())
    ctx = {
        "roadmap": roadmap,
        "phases": content.phases(),
        "backgrounds": Background.objects.current(),
    }
    return render(request, "roadmap/home.html", ctx)


@require_GET
def phase_detail(request: HttpRequest, phase: str) -> HttpResponse:
    phase_obj = content.phase(phase)
    if phase_obj is None:
        raise Http404
    return phase_page(request, phase_obj)


def phase_page(
    request: HttpRequest, phase_obj: Phase, failed_row: tuple | None = None
) -> HttpResponse:
    """The phase page. `failed_row` is (kind, item id, form) of a row whose form came back
    with errors (without JavaScript): that row shows the typed values and the messages,
    so the rows are rendered fresh rather than from the cached fragment."""
    siblings = content.phases()
    index = siblings.index(phase_obj)
    milestone = next(iter(phase_obj.milestones.all()), None)
    enrolled = request.user.is_authenticated and get_plan(request.user) is not None
    if enrolled and failed_row:
        rows = phase_rows(request.user, phase_obj, milestone)
        kind, pk, form = failed_row
        for row in (*rows.goals, *rows.resources):
            if row["kind"] == kind and row["item"].pk == pk:
                row["form"] = form
        rows_key = None
    elif enrolled:
        # The rows are a cached fragment keyed by the learner's data version: on a hit
        # the (lazy) rows are never computed.
        rows = SimpleLazyObject(lambda: phase_rows(request.user, phase_obj, milestone))
        rows_key = fragment_key(phase_obj.key, learners=[request.user.pk], areas=(PROGRESS,))
    else:
        rows = PhaseRows(
            goals=[{"kind": "goal", "item": g} for g in phase_obj.goals.all()],
            resources=[{"kind": "resource", "item": r} for r in phase_obj.resources.all()],
            retired=[],
            submission=None,
        )
        rows_key = f"visitor:{content.version()}:{phase_obj.key}"
    ctx = {
        "rows_key": rows_key,
        "content_version": content.version(),
        "phase": phase_obj,
        "enrolled": enrolled,
        "rows": rows,
        "milestone": milestone,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "phases": siblings,
    }
    return render(request, "roadmap/phase.html", ctx)
