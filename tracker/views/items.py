"""Progress on goals and resources, changed in place on the phase pages.

Each action is a POST. With htmx the response is the item's row (the
`item-row` partial of the phase page); without JavaScript it redirects back to
the same row's anchor.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from roadmap.models import Goal, Resource

from ..forms import LinkForm, NoteForm, StatusForm
from ..models import ItemLink, ItemProgress
from ..plans import item_add_link, item_save_note, item_set_status
from .common import HtmxHttpRequest, get_plan
from .pages import phase_page

KINDS = {"goal": Goal, "resource": Resource}


def _item(kind: str, pk: int) -> Goal | Resource:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.current().select_related("phase"), pk=pk)


def _row_response(
    request: HtmxHttpRequest, kind: str, item, form: Form | None = None, open_panel: bool = False
) -> HttpResponse:
    """The row partial for htmx; otherwise a redirect to the row's anchor, or, when `form`
    came back with errors, the whole phase page with that row's typed values kept."""
    if not request.htmx:
        if form is not None and form.errors:
            return phase_page(request, item.phase, failed_row=(kind, item.pk, form))
        return redirect(f"{item.phase.get_absolute_url()}#{kind}-{item.pk}")
    progress = (
        ItemProgress.objects.owned_by(request.user)
        .filter(**{kind: item})
        .prefetch_related("links")
        .first()
    )
    ctx = {
        "row": {"kind": kind, "item": item, "progress": progress, "form": form},
        "enrolled": True,
        "open_panel": open_panel,
    }
    return render(request, "roadmap/phase.html#item-row", ctx)


def _bound(form_class: type[Form], request, kind: str, pk: int) -> Form:
    """The posted form, with ids matching the row's fields (goal-12-note …)."""
    return form_class(request.POST, auto_id=f"{kind}-{pk}-%s")


def _enrolled(request) -> bool:
    if get_plan(request.user) is None:
        messages.error(request, "Create your plan first; then you can track your progress.")
        return False
    return True


@require_POST
@login_required
def item_status(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _item(kind, pk)
    if not _enrolled(request):
        return redirect("plan")
    form = _bound(StatusForm, request, kind, pk)
    if not form.is_valid():
        return _row_response(request, kind, item, form)
    try:
        item_set_status(
            learner=request.user,
            item=item,
            status=form.cleaned_data["status"],
            evidence=form.cleaned_data["evidence"],
        )
    except ValidationError as exc:
        form.add_error("status", exc.messages)
        return _row_response(request, kind, item, form)
    return _row_response(request, kind, item)


@require_POST
@login_required
def item_note(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _item(kind, pk)
    if not _enrolled(request):
        return redirect("plan")
    form = _bound(NoteForm, request, kind, pk)
    if not form.is_valid():
        return _row_response(request, kind, item, form)
    item_save_note(learner=request.user, item=item, note=form.cleaned_data["note"])
    return _row_response(request, kind, item, open_panel=True)


@require_POST
@login_required
def item_link_add(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _item(kind, pk)
    if not _enrolled(request):
        return redirect("plan")
    form = _bound(LinkForm, request, kind, pk)
    if not form.is_valid():
        return _row_response(request, kind, item, form)
    item_add_link(
        learner=request.user,
        item=item,
        title=form.cleaned_data["title"],
        url=form.cleaned_data["url"],
    )
    return _row_response(request, kind, item, open_panel=True)


@require_POST
@login_required
def item_link_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        ItemLink.objects.owned_by(request.user).select_related(
            "progress__goal__phase", "progress__resource__phase"
        ),
        pk=pk,
    )
    progress = link.progress
    link.delete()
    return _row_response(request, progress.kind, progress.item, open_panel=True)
