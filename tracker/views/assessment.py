"""The assessment page: scores on the rubric, the verdict, the gap list, the resume-screen
self-check, evidence signals, charts and history."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.views.decorators.http import require_http_methods, require_POST

from roadmap import content

from .. import charts
from ..assessment import (
    History,
    Sitting,
    assessment_create,
    dimension_views,
    history_and_latest,
    screen_answers,
    screen_items,
    screen_save,
)
from ..cache import ASSESSMENT, PRACTICE, PROGRESS, by_inputs, fragment_key
from ..forms import AssessmentForm, ScreenForm
from ..models import Assessment
from ..progress import learner_progress
from ..schedule import month_abbreviations
from ..trust import trusted_verdict
from .common import HtmxHttpRequest, get_plan, learner_today


def _rubric():
    rubric = content.rubric()
    if rubric is None:
        raise Http404
    return rubric


@require_http_methods(["GET", "POST"])
@login_required
def assessment_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    rubric = _rubric()
    dimensions = list(rubric.dimensions.all())
    form = None
    if request.method == "POST":
        form = AssessmentForm(request.POST, dimensions=dimensions)
        if form.is_valid():
            assessment_create(
                learner=user, rater=user, role=Assessment.Role.SELF, scores=form.scores()
            )
            messages.success(request, "Assessment saved. Your history keeps every one.")
            return redirect("assessment")

    def derived() -> dict:
        found = history_and_latest(user)
        own = found.own
        bound = form
        if bound is None:
            scores = own.scores.values() if own else []
            bound = AssessmentForm.starting_from(scores, dimensions=dimensions)
        return _context(user, rubric, dimensions, bound, found)

    ctx = {
        # The page body is a cached fragment under the learner's data version (a GET
        # only: a form with errors is always rendered afresh).
        "d": SimpleLazyObject(derived),
        "cacheable": form is None,
        "body_key": fragment_key(
            learners=[request.user.pk], areas=(ASSESSMENT, PROGRESS, PRACTICE)
        ),
    }
    return render(request, "tracker/assessment.html", ctx)


def _context(user, rubric, dims, form, found: History) -> dict:
    own, mentor, past = found.own, found.mentor, found.past
    plan = get_plan(user)
    progress = learner_progress(plan, today=learner_today(user)) if plan else None
    views = dimension_views(user, rubric, progress, own, mentor)
    trusted = trusted_verdict(
        rubric, own.values() if own else {}, mentor.values() if mentor else {}
    )
    result = trusted.verdict
    checks, flags = screen_items(rubric)
    screen_initial = {}
    for item_id, applies, evidence in screen_answers(user):
        screen_initial[f"applies_{item_id}"] = applies
        screen_initial[f"evidence_{item_id}"] = evidence
    names = [v.dimension.name for v in views]
    series = [("Self", [v.self_score.score if v.self_score else None for v in views])]
    if mentor:
        series.append(("Mentor", [v.mentor_score.score if v.mentor_score else None for v in views]))
    chronological = [a for a in reversed(past) if a.role == Assessment.Role.SELF]
    by_dimension = [
        (d.name, [a.scores[d.pk].score if d.pk in a.scores else None for a in chronological])
        for d in dims
    ]
    dates = [a.created_at.date() for a in chronological]
    view_of = {v.dimension.pk: v for v in views}
    return {
        "rubric": rubric,
        "dimensions": dims,
        "form": form,
        # Each dimension's inputs beside what the learner's work says of it.
        "form_rows": [(d, s, e, view_of.get(d.pk)) for d, s, e in form.rows()],
        "own": own,
        "mentor": mentor,
        "views": views,
        "verdict": result,
        "by_mentor": trusted.by_mentor,
        "holding": [v for v in views if v.dimension in result.holding_back],
        "checks": _screen_rows(ScreenForm(initial=screen_initial, items=checks, prefix="check")),
        "flags": _screen_rows(ScreenForm(initial=screen_initial, items=flags, prefix="flag")),
        "history": past,
        "history_rows": _history_rows(past, dims),
        # Drawn again only when the scores change (cached by what they are drawn from).
        "radar": (
            by_inputs("radar", (names, series), lambda: charts.radar_svg(axes=names, series=series))
            if own
            else ""
        ),
        "lines": (
            by_inputs(
                "score-lines",
                (dates, by_dimension),
                lambda: charts.score_lines_svg(dates=dates, series=by_dimension),
            )
            if len(chronological) > 1
            else ""
        ),
        "by_dimension": by_dimension,
        "chronological": chronological,
    }


def _history_rows(past: list[Sitting], dims) -> SafeString:
    """The history table's rows: each assessment's date, who scored and its score for
    each dimension in the header's order. Written here, not by the template (two dozen
    rows of six cells were a fifth of the page's time): dates, role names and numbers
    only, each escaped."""
    # Months as the "j M Y" date format writes them.
    months = month_abbreviations()
    roles = {role: escape(label) for role, label in Assessment.Role.choices}
    here = get_current_timezone()
    rows = []
    for a in past:
        cells = "".join(
            f'<td class="num">{a.scores[d.pk].score if d.pk in a.scores else ""}</td>' for d in dims
        )
        at = a.created_at.astimezone(here)
        rows.append(
            f"<tr><td>{at.day} {months[at.month]} {at.year}</td>"
            f"<td>{roles[a.role]}</td>{cells}</tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - integers and escaped text only


@dataclass
class ScreenRow:
    """One resume-screen check as the page writes its two inputs itself (Django's
    per-widget templates were much of the page's time): whether it applies and a line of
    evidence, from the form's values."""

    item: object
    applies_name: str
    applies_id: str
    checked: bool
    evidence_name: str
    evidence_id: str
    evidence: str
    placeholder: str
    max_length: int


def _screen_rows(form: ScreenForm) -> list[ScreenRow]:
    return [
        ScreenRow(
            item=item,
            applies_name=applies.html_name,
            applies_id=applies.auto_id,
            checked=bool(applies.value()),
            evidence_name=evidence.html_name,
            evidence_id=evidence.auto_id,
            evidence=evidence.value() or "",
            placeholder=evidence.field.widget.attrs.get("placeholder", ""),
            max_length=evidence.field.max_length,
        )
        for item, applies, evidence in form.rows()
    ]


@require_POST
@login_required
def assessment_screen(request: HtmxHttpRequest) -> HttpResponse:
    checks, flags = screen_items(_rubric())
    forms_ = [
        ScreenForm(request.POST, items=checks, prefix="check"),
        ScreenForm(request.POST, items=flags, prefix="flag"),
    ]
    if all(f.is_valid() for f in forms_):
        answers = {**forms_[0].answers(), **forms_[1].answers()}
        screen_save(learner=request.user, answers=answers)
        messages.success(request, "Resume self-check saved.")
    else:
        messages.error(request, "Evidence lines are 300 characters at most.")
    return redirect("/assessment/#screen")
