"""The learner's dashboard: next actions, schedule status, burn-up, streak, activity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from roadmap import content

from .. import charts
from ..activity import learner_activity
from ..assessment import LatestScores, latest_scores_pair
from ..cache import ASSESSMENT, LOG, PRACTICE, PROGRESS, Lazy, by_inputs, fragment_keys
from ..practice import practice_glance
from ..progress import LearnerProgress, learner_progress
from ..reversing import url_of
from ..schedule import month_abbreviations
from ..trust import trusted_verdict
from .common import HtmxHttpRequest, get_plan, learner_today


def _burnup(plan, progress: LearnerProgress, today) -> str:
    """The burn-up chart, drawn again only when what it is drawn from changes (most
    writes leave the curve as it was: cache.by_inputs)."""
    inputs = {
        "start": plan.start_date,
        "end_exclusive": progress.end,
        "planned": progress.planned_series(),
        "actual": progress.actual_series(),
        "today": today,
    }
    return by_inputs("burnup", sorted(inputs.items()), lambda: charts.burnup_svg(**inputs))


def _phase_rows(progress: LearnerProgress) -> SafeString:
    """The phases table's rows: each phase's link, dates, progress and milestone. Written
    here, not by a template loop (ten URL reversals and ten date filters were a tenth of
    the dashboard's first view after a change); every text escaped."""
    phase_url, milestone_url = url_of("roadmap:phase"), url_of("milestone")
    months = month_abbreviations()
    rows = []
    for pp in progress.phases:
        start, end, s = pp.window.start, pp.window.end, pp.submission
        milestone = (
            f'<a href="{milestone_url(s.pk)}" class="badge state-{escape(s.state)}">'
            f"{escape(s.state_label)}</a>"
            if s
            else '<span class="muted">—</span>'
        )
        rows.append(
            f"<tr>\n"
            f'  <th scope="row"><a href="{escape(phase_url(pp.phase.key))}">'
            f"{escape(pp.phase.label)}</a></th>\n"
            f'  <td class="num">{start.day} {months[start.month]} – '
            f"{end.day} {months[end.month]} {end:%y}</td>\n"
            f'  <td><progress class="mini-bar" max="100" value="{pp.percent}" '
            f'aria-hidden="true"></progress> {pp.percent}%</td>\n'
            f"  <td>{milestone}</td>\n"
            f"</tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - numbers, URLs and escaped text only


def _verdict(found: LatestScores):
    """The verdict (on the mentor's score where they gave one, tracker.trust) and the
    dimension to work on next, from the latest scores (`latest_scores_pair`)."""
    rubric = content.rubric()
    if rubric is None or not found.own:
        return None
    trusted = trusted_verdict(rubric, found.own, found.mentor)
    scores, result = trusted.scores, trusted.verdict
    weakest = result.holding_back or sorted(
        rubric.dimensions.all(), key=lambda d: (scores.get(d.pk, 0), d.order)
    )
    return {
        "result": result,
        "next": weakest[0] if weakest else None,
        "at": found.own_at,
        "by_mentor": trusted.by_mentor,
    }


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    plan = get_plan(user)

    ctx = {"plan": plan, "today": today}
    if plan is not None:
        # Each part of the body is a cached fragment under the areas it shows (a
        # practice rating leaves the progress parts cached); a part is computed only on
        # its fragment's miss.
        ctx["d"] = Lazy(
            progress=lambda d: learner_progress(plan, today=today),
            burnup=lambda d: _burnup(plan, d["progress"], today),
            phase_rows=lambda d: _phase_rows(d["progress"]),
            activity=lambda d: learner_activity(user, d["progress"], today),
            practice=lambda d: practice_glance(user, today),
            # One query, shared by the verdict and the readiness panel (hiring).
            scores=lambda d: latest_scores_pair(user),
            verdict=lambda d: _verdict(d["scores"]),
        )
        ctx["keys"] = fragment_keys(
            today,
            learners=[user.pk],
            groups={
                "progress": (PROGRESS,),
                "verdict": (ASSESSMENT,),
                "practice": (PRACTICE,),
                "activity": (LOG, PROGRESS),
            },
        )
    return render(request, "tracker/dashboard.html", ctx)
