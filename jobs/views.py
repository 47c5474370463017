"""/jobs/: the learner's applications (board, funnel, follow-ups), target companies, the
offer check, open-source contributions and the resume helper. Private to the learner:
every read goes through `owned_by(user)`, so anyone else gets 404."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roadmap import content
from roadmap.http import HtmxHttpRequest
from tracker.cache import FRAGMENT_TIMEOUT, PROGRESS, fragment_key
from tracker.models import Submission

from . import bands as band_data
from . import contributions as contrib
from . import offers, pipeline, targets
from .forms import ApplicationForm, ContributionForm, MoveForm, OfferForm
from .models import Application, Contribution

NOT_A_STAGE = "That is not a stage of the process."


def _application(request, pk: int) -> Application:
    return get_object_or_404(Application.objects.owned_by(request.user), pk=pk)


def _board_context(user) -> dict:
    # The board is a cached fragment under the learner's data version: a move or an edit
    # bumps it (jobs.apps), so a visit with nothing changed costs no query of its own.
    return {
        "columns": SimpleLazyObject(lambda: _with_cards(pipeline.board(user))),
        "board_key": fragment_key(learners=[user.pk], areas=(PROGRESS,)),
    }


def _with_cards(columns: list[pipeline.Column]) -> list[pipeline.Column]:
    """Each application's card, rendered once per change of that application: cached
    under its id and `updated_at` (every save sets it) and the content version, so when
    the board renders again after a write only the changed card is rendered anew (one
    query for its row), the rest one cache round trip, however many there are."""
    version = content.version()
    cards = [c for col in columns for c in col.applications]
    keys = {c.pk: f"jobs-card:{version}:{c.pk}:{c.updated_at.isoformat()}" for c in cards}
    found = cache.get_many(list(keys.values()))
    missing = [c.pk for c in cards if keys[c.pk] not in found]
    fresh = {}
    if missing:
        rows = Application.objects.defer("notes", "notes_html", "contacts").in_bulk(missing)
        for pk, a in rows.items():
            fresh[keys[pk]] = render_to_string("jobs/board.html#card", {"a": a})
        cache.set_many(fresh, FRAGMENT_TIMEOUT)
    for c in cards:
        # A row deleted since the first query is left out (its key found nothing).
        c.html = found.get(keys[c.pk]) or fresh.get(keys[c.pk], "")
    return columns


@require_GET
@login_required
def board_view(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "jobs/board.html", _board_context(request.user))


@require_http_methods(["GET", "POST"])
@login_required
def application_new(request: HtmxHttpRequest) -> HttpResponse:
    # A target company's "Start an application" link fills the company and region in.
    initial = {k: request.GET.get(k, "")[:120] for k in ("company", "region", "notes")}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        application = form.save(commit=False)
        application.learner = request.user
        pipeline.application_save(application=application)
        messages.success(request, f"Added {application.company} to your board.")
        return redirect("jobs:board")
    return render(request, "jobs/application.html", {"form": form, "application": None})


@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        pipeline.application_save(application=form.save(commit=False))
        messages.success(request, "Saved.")
        return redirect("jobs:board")
    ctx = {
        "form": form,
        "application": application,
        "rehearse_url": pipeline.rehearsal_url(application.stage),
    }
    return render(request, "jobs/application.html", ctx)


@require_POST
@login_required
def application_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = MoveForm(request.POST, application=application)
    if form.is_valid():
        pipeline.application_move(application=application, stage=form.cleaned_data["stage"])
        if not request.htmx:
            messages.success(
                request, f"{application.company}: now at {application.get_stage_display()}."
            )
    error = None if form.is_valid() else form.errors.get("__all__", [NOT_A_STAGE])[0]
    if error and not request.htmx:
        messages.error(request, error)
    if request.htmx:
        # The board's own context (its fragment key is the learner's): without it the
        # fragment would be cached under an empty key, one board for every learner.
        ctx = {**_board_context(request.user), "board_error": error}
        return render(request, "jobs/board.html#board", ctx)
    return redirect("jobs:board")


@require_POST
@login_required
def application_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    application.delete()
    messages.success(request, f"Removed {application.company}.")
    return redirect("jobs:board")


@require_GET
@login_required
def funnel_view(request: HtmxHttpRequest) -> HttpResponse:
    rows = pipeline.funnel(request.user)
    ctx = {"rows": rows, "svg": pipeline.funnel_svg(rows), "total": rows[0].reached}
    return render(request, "jobs/funnel.html", ctx)


@require_GET
@login_required
def targets_view(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "jobs/targets.html", {"groups": targets.target_groups()})


@require_GET
@login_required
def offer_view(request: HtmxHttpRequest) -> HttpResponse:
    # Pure in its input: the same query gives the same page, so it is cached by the query
    # (and the content version) for everyone; nothing of the learner's is on it.
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    digest = hashlib.sha256(repr(query).encode()).hexdigest()
    ctx = {
        "d": SimpleLazyObject(lambda: _offer_context(request.GET)),
        "offer_key": f"{content.version()}:{digest}",
    }
    return render(request, "jobs/offer.html", ctx)


def _offer_context(query) -> dict:
    data = band_data.all_bands()
    # An application's "check the offer" link fills in its level and region only.
    bound = "base" in query
    initial = {k: query[k] for k in ("level", "region") if query.get(k)}
    form = OfferForm(query if bound else None, initial=initial, bands=data)
    placements, offer = [], None
    if bound and form.is_valid():
        c = form.cleaned_data
        offer = offers.Offer(
            base=c["base"],
            currency=c["currency"],
            period=c["period"],
            equity=c["equity"] or Decimal(0),
            bonus=c["bonus"] or Decimal(0),
            level=c["level"],
            region=c["region"],
            company_type=c["company_type"],
            rate=c["rate"],
            rate_currency=c["rate_currency"],
        )
        chosen = [p for p in data["premiums"] if p.key in c["premiums"]]
        placements = offers.check(offer, data["bands"], chosen)
    return {
        "form": form,
        "offer": offer,
        "placements": placements,
        "refused": sum(1 for p in placements if p.refused),
        "premiums": data["premiums"],
    }


@require_http_methods(["GET", "POST"])
@login_required
def contributions_view(request: HtmxHttpRequest) -> HttpResponse:
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.learner = request.user
        if Contribution.objects.owned_by(request.user).filter(url=row.url).exists():
            form.add_error("url", "You logged this one already.")
        else:
            row.save()
            messages.success(request, f"Logged {row.reference}.")
            return redirect("jobs:contributions")
    rows = list(Contribution.objects.owned_by(request.user))
    return render(request, "jobs/contributions.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def contribution_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Contribution.objects.owned_by(request.user), pk=pk)
    form = ContributionForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("jobs:contributions")
    return render(request, "jobs/contribution.html", {"form": form, "row": row})


@require_POST
@login_required
def contribution_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Contribution.objects.owned_by(request.user), pk=pk)
    row.delete()
    messages.success(request, f"Removed {row.reference}.")
    return redirect("jobs:contributions")


@require_GET
@login_required
def resume_view(request: HtmxHttpRequest) -> HttpResponse:
    approved = (
        Submission.objects.owned_by(request.user)
        .filter(state=Submission.State.APPROVED)
        .select_related("milestone__phase")
        .prefetch_related("links")
        .order_by("milestone__phase__order")
    )
    bullets = contrib.resume_bullets(approved=approved, contributions=contrib.merged(request.user))
    return render(request, "jobs/resume.html", {"bullets": bullets, "text": "\n".join(bullets)})
