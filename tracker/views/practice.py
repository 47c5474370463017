"""Practice pages: the daily queue, answering and rating, stats, and mock interviews."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from roadmap import content
from roadmap.forms import QuestionFilterForm
from roadmap.models import Question

from .. import charts, spacing
from ..cache import PRACTICE, by_inputs, fragment_key, learner_value
from ..forms import CustomInterviewForm, RateForm, StudyMoreForm
from ..models import Answer, MockInterview, Quality, Rating
from ..practice import (
    EMPTY_VERSION,
    PRESETS,
    answer_rate,
    answer_reveal,
    answer_save,
    body_version,
    build_queue,
    interview_finish,
    interview_rows,
    interview_save,
    interview_start,
    open_answer,
    practice_stats,
    spread_backlog,
    suggest_rating,
)
from ..qualities import quality_weeks
from ..study_more import Session, session_questions
from .common import HtmxHttpRequest, learner_today


def _filter_form(request):
    phases = content.phases()
    rubric = content.rubric()  # cached: no query
    dimensions = list(rubric.dimensions.all()) if rubric else []
    return QuestionFilterForm(request.GET, phases=phases, dimensions=dimensions)


@require_GET
@login_required
def practice_queue(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)
    form = _filter_form(request)
    filters = form.filters()

    def derived() -> dict:
        queue = build_queue(user, today, filters)
        cap = user.daily_review_cap
        return {
            "queue": queue,
            "spread": spread_backlog(queue.restart[1], cap) if queue.restart else [],
        }

    ctx = {
        "form": form,
        # The queue is a cached fragment under the learner's data version and today.
        "d": SimpleLazyObject(derived),
        "queue_key": fragment_key(
            today, sorted(filters.items()), learners=[request.user.pk], areas=(PRACTICE,)
        ),
    }
    return render(request, "tracker/practice_queue.html", ctx)


def _answer_context(
    user, question: Question, answer: Answer | None, in_session: bool = False
) -> dict:
    revealed = answer is not None and answer.revealed_at is not None
    now = timezone.now()
    past = list(
        Answer.objects.owned_by(user)
        .filter(question=question, status=Answer.Status.RATED)
        .prefetch_related("comments__author")
        .order_by("-rated_at")[:10]
    )
    return {
        "question": question,
        "answer": answer,
        "past": past,
        "qualities": Quality.choices,
        "previews": (
            spacing.previews(
                spacing.learner_card(user, question.pk, now), now, user.desired_retention
            )
            if revealed
            else []
        ),
        "next": reverse("practice_more") if in_session else "",
    }


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def practice_answer(request: HtmxHttpRequest, key: str) -> HttpResponse:
    user = request.user
    question = get_object_or_404(
        Question.objects.current().select_related("phase", "dimension"), key=key
    )
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        body = request.POST.get("body", "")[:30_000]
        try:
            answer = answer_save(user=user, question=question, body=body, submit=action == "submit")
        except ValidationError as exc:
            if request.htmx:
                return render(
                    request, "tracker/practice_answer.html#draft-status", {"error": exc.messages[0]}
                )
            messages.error(request, exc.messages[0])
            return redirect("practice_answer", key=key)
        if request.htmx and action in {"draft", "preview"}:
            ctx = {
                "answer": answer,
                "saved_at": timezone.localtime(answer.updated_at),
                "preview": action == "preview",
            }
            return render(request, "tracker/practice_answer.html#draft-status", ctx)
        query = "?session=1" if "session" in request.GET else ""
        if action == "submit":
            # No #check fragment: a fragment would cancel the reveal button's autofocus.
            return redirect(f"{request.path}{query}")
        messages.success(request, "Draft saved.")
        return redirect("practice_answer", key=key)
    answer = open_answer(user, question)
    in_session = "session" in request.GET and _session(request) is not None
    ctx = _answer_context(user, question, answer, in_session)
    return render(request, "tracker/practice_answer.html", ctx)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def practice_reveal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Show the key points and the model answer (the disclosure button; a plain POST
    without JavaScript). The time is stored: rating is refused before it."""
    answer = get_object_or_404(
        Answer.objects.owned_by(request.user).select_related("question__phase", "interview"),
        pk=pk,
    )
    try:
        answer_reveal(answer=answer)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    if answer.interview:
        return redirect(f"{answer.interview.get_absolute_url()}#q-{answer.question_id}")
    in_session = "session" in request.POST and _session(request) is not None
    if request.htmx and answer.revealed_at:
        ctx = _answer_context(request.user, answer.question, answer, in_session)
        return render(request, "tracker/practice_answer.html#check", ctx)
    query = "?session=1" if in_session else ""
    return redirect(f"/practice/{answer.question.key}/{query}#check")


@require_POST
@login_required
def practice_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    # Only the learner rates their own answers (a mentor comments instead).
    answer = get_object_or_404(
        Answer.objects.owned_by(request.user).select_related("question", "interview"),
        pk=pk,
    )
    answer.learner = request.user  # theirs (owned_by): not fetched again
    form = RateForm(request.POST, question=answer.question)
    back = answer.interview.get_absolute_url() if answer.interview else None
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back or f"/practice/{answer.question.key}/#check")
    try:
        review = answer_rate(
            answer=answer,
            covered=form.cleaned_data["covered"],
            qualities=form.cleaned_data["qualities"],
            rating=form.cleaned_data["rating"],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(back or f"/practice/{answer.question.key}/#check")
    if back:
        messages.success(request, f"Rated {Rating(review.rating).label}.")
        return redirect(back)
    label = Rating(review.rating).label
    interval = spacing.interval_text(review.due_after - review.reviewed_at)
    session = _session(request)
    if request.POST.get("next") == reverse("practice_more") and session is not None:
        left = session_questions(request.user, session)
        more = f" {len(left)} left in this session." if left else " That was the last one."
        messages.success(request, f"Rated {label} — back in {interval}.{more}")
        if left:
            return redirect(reverse("practice_answer", args=[left[0].key]) + "?session=1")
        return redirect("practice_more")
    queue = build_queue(request.user, learner_today(request.user))
    left = queue.total
    more = f" {left} still due in this session." if left else " Nothing else due today."
    messages.success(request, f"Rated {label} — back in {interval}.{more}")
    nxt = queue.next_question
    return redirect("practice_answer", key=nxt.key) if nxt else redirect("practice")


@require_GET
@login_required
def practice_suggest(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The rating buttons, with the one the ticks suggest marked (htmx, as boxes change)."""
    answer = get_object_or_404(
        Answer.objects.owned_by(request.user).select_related("question"), pk=pk
    )
    form = RateForm(request.GET, question=answer.question)
    form.is_valid()
    covered = form.cleaned_data.get("covered", [])
    qualities = form.cleaned_data.get("qualities", [])
    now = timezone.now()
    card = spacing.learner_card(request.user, answer.question_id, now)
    ctx = {
        "answer": answer,
        "previews": spacing.previews(card, now, request.user.desired_retention),
        "suggested": suggest_rating(answer.question, covered, qualities),
    }
    return render(request, "tracker/_rate_form.html#rating-buttons", ctx)


SESSION_KEY = "practice-session"


def _session(request: HtmxHttpRequest) -> Session | None:
    data = request.session.get(SESSION_KEY)
    return Session.from_json(data) if data else None


@require_http_methods(["GET", "POST"])
@login_required
def practice_more(request: HtmxHttpRequest) -> HttpResponse:
    """Study more: a session beyond today's caps, filtered as the learner chooses. Only
    the questions rated in it move; the rest keep their schedule."""
    user = request.user
    session = _session(request)
    if request.method == "POST" and request.POST.get("action") == "end":
        request.session.pop(SESSION_KEY, None)
        messages.success(request, "Session ended. Your daily queue is as it was.")
        return redirect("practice")
    initial = None
    if session:
        initial = {"kind": session.kind} | {
            k.removesuffix("__key"): v for k, v in session.filters.items()
        }
    form = StudyMoreForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        session = Session(form.filters(), form.cleaned_data["kind"], timezone.now())
        request.session[SESSION_KEY] = session.to_json()
        if getattr(form, "weakest", None):
            messages.info(request, f"Your weakest dimension: {form.weakest.name}.")
        return redirect("practice_more")
    ctx = {
        "form": form,
        "session": session,
        "questions": session_questions(user, session) if session else [],
    }
    return render(request, "tracker/practice_more.html", ctx)


@require_GET
@login_required
def practice_stats_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = learner_today(user)

    def build() -> tuple:
        stats = practice_stats(user, today)
        # Drawn again only when the days' counts change (cached by what it is drawn from).
        heatmap = by_inputs(
            "heatmap",
            (tuple(stats.per_day.items()), today),
            lambda: charts.heatmap_svg(counts=stats.per_day, today=today),
        )
        return stats, heatmap, quality_weeks(user, today)

    # Cached under the learner's practice version: a visit between ratings reads nothing.
    stats, heatmap, qualities = learner_value(
        "practice-stats", user.pk, areas=(PRACTICE,), stamp=(today, content.version()), build=build
    )
    ctx = {
        "qualities": qualities,
        "qualities_chart": by_inputs(
            "quality-lines",
            (qualities.weeks, qualities.rates),
            lambda: charts.rate_lines_svg(
                weeks=qualities.weeks,
                series=qualities.rates,
                title="What recruiters listen for: share of your ratings with each quality, "
                "by week",
            ),
        ),
        "quality_rows": _quality_rows(qualities),
        "stats": stats,
        "by_axis": [(axis, _axis_rows(rows)) for axis, rows in stats.by.items()],
        "heatmap": heatmap,
        "recent_days": _recent_days(sorted(stats.per_day.items(), reverse=True)[:14]),
    }
    return render(request, "tracker/practice_stats.html", ctx)


# The stats page's tables, written here, not by the template: a few dozen cells with a
# date filter or a widthratio each were most of the page's template time. Dates, numbers
# and escaped labels only.


def _day(day) -> str:
    """`day|date:"j M"`: 3 Dec."""
    return f"{day.day} {escape(MONTHS_3[day.month].title())}"


def _percent(share: float | None) -> str:
    """`{% widthratio share 1 100 %}%`, or — for no share."""
    return "—" if share is None else f"{round(share * 100)}%"


def _recent_days(days: list) -> SafeString:
    """The most recent days with reviews: "3 Dec (2), 1 Dec (1)"; empty for none."""
    return mark_safe(", ".join(f"{_day(day)} ({n})" for day, n in days))  # noqa: S308


def _quality_rows(qualities) -> SafeString:
    """The qualities table's rows: each week's Monday, its ratings and each quality's
    share, in the header's order."""
    rows = []
    for k, (week, n) in enumerate(zip(qualities.weeks, qualities.reviews, strict=True)):
        shares = (_percent(rates[k]) for _, rates in qualities.rates)
        cells = "".join(f'<td class="num">{share}</td>' for share in shares)
        rows.append(f'<tr><th scope="row">{_day(week)}</th><td class="num">{n}</td>{cells}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - dates and numbers only


def _axis_rows(rows: list) -> SafeString:
    """One "by" table's rows: the label (escaped), its reviews and retention."""
    return mark_safe(  # noqa: S308 - escaped labels and numbers only
        "".join(
            f'<tr><td>{escape(label)}</td><td class="num">{n}</td>'
            f'<td class="num">{_percent(retention)}</td></tr>'
            for label, n, retention in rows
        )
    )


@require_http_methods(["GET", "POST"])
@login_required
def interview_list(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    form = CustomInterviewForm(request.POST or None)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in MockInterview.Kind.values:
            messages.error(request, "Choose one of the interviews.")
            return redirect("interviews")
        try:
            if kind == MockInterview.Kind.CUSTOM:
                if form.is_valid():
                    interview = interview_start(
                        user=user,
                        kind=kind,
                        questions=form.questions(),
                        minutes=form.cleaned_data["minutes"],
                        spoken=form.cleaned_data["spoken"],
                    )
                    return redirect(interview)
            else:
                spoken = request.POST.get("spoken") == "on"
                return redirect(interview_start(user=user, kind=kind, spoken=spoken))
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
    ctx = {
        "form": form,
        "presets": [(kind, preset) for kind, preset in PRESETS.items()],
        "past": MockInterview.objects.owned_by(user)[:20],
        "now": timezone.now(),
    }
    return render(request, "tracker/interviews.html", ctx)


def _interview(user, pk: int) -> MockInterview:
    """The learner's own interview, or a 404. A mock interview is their own exercise:
    mentors see the answers in the mentee view, not here."""
    return get_object_or_404(MockInterview.objects.owned_by(user), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def interview_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request.user, pk)
    if request.method == "POST":
        return _interview_post(request, interview, request.POST.get("action", "save"))
    return _interview_page(request, interview)


def _interview_page(
    request: HtmxHttpRequest, interview: MockInterview, conflicts: dict[int, str] | None = None
) -> HttpResponse:
    """The interview: its boxes while it runs, the summary once it is over. With
    `conflicts` (text this tab sent that was not saved), that text is shown above the
    boxes, and they stay open even past the deadline so the learner can merge it in."""
    rows = interview_rows(interview)
    now = timezone.now()
    to_rate = [r for r in rows if r.answer and r.answer.revealed_at and not r.answer.rating]
    buttons = spacing.previews_for(request.user, [r.question.pk for r in to_rate], now)
    for row in to_rate:
        row.previews = buttons[row.question.pk]
    over = interview.is_over(now) and not (conflicts and interview.finished_at is None)
    answered = sum(r.answered for r in rows)
    numbers = {r.question.pk: i for i, r in enumerate(rows, 1)}
    ctx = {
        "interview": interview,
        "rows": rows,
        "over": over,
        "remaining": max(0, int((interview.deadline - now).total_seconds())),
        "qualities": Quality.choices,
        "ratings": Rating.choices,
        "answered": answered,
        "unanswered": len(rows) - answered,
        "to_rate": sum(r.answered and not r.answer.rating for r in rows),
        "conflicts": [(numbers.get(q), text) for q, text in (conflicts or {}).items()],
    }
    return render(request, "tracker/interview.html", ctx, status=409 if conflicts else 200)


def _interview_post(
    request: HtmxHttpRequest,
    interview: MockInterview,
    action: str,
    data=None,
    hand_in: int | None = None,
    checked: bool = True,
) -> HttpResponse:
    """The interview's one form: every answer box saved at once, so a button never drops
    what was typed in another box. `action`: "draft" (htmx autosave), "save" (a
    question's button hands that one in), "finish", or "timeout" (the countdown hit 0).
    Each box comes with the version of the text it was loaded with (`base-<id>`; none:
    it was empty); `checked=False` skips that check (the old one-box form has none)."""
    data = request.POST if data is None else data
    bodies = {
        qid: data[f"body-{qid}"][:30_000] for qid in interview.questions if f"body-{qid}" in data
    }
    bases = {qid: data.get(f"base-{qid}", EMPTY_VERSION) for qid in bodies} if checked else None
    if hand_in is None and action == "save":
        try:
            hand_in = int(data.get("hand_in", ""))
        except ValueError:
            hand_in = None
    now = timezone.now()
    saved = interview_save(
        interview=interview, bodies=bodies, bases=bases, hand_in=hand_in, now=now
    )
    if request.htmx and action == "draft":
        # The box that fired names the status to update; without HX-Trigger, the one
        # box an autosave posts does.
        qid = next((q for q in bodies if request.htmx.trigger == f"a-{q}"), None)
        qid = qid if qid is not None else next(iter(bodies), None)
        answer = saved.answers.get(qid)
        submitted = answer is not None and answer.status == Answer.Status.SUBMITTED
        ctx = {
            "status_id": f"draft-{qid}",
            "saved_at": timezone.localtime(now),
            "answer": answer,
            "submitted": submitted,
        }
        if saved.ended:
            ctx["error"] = "Not saved: this interview has ended. Copy your text to keep it."
        elif qid in saved.conflicts:
            ctx["error"] = (
                "Not saved: this answer was changed in another tab. Copy your "
                "text, then reload the page to see the saved one."
            )
        else:
            ctx["oob_base"] = (qid, body_version(answer.body if answer else ""))
        return render(request, "tracker/_draft_status.html", ctx)
    # Text this tab sent that was not saved (changed elsewhere, or the interview has
    # ended) is shown back rather than dropped; an empty stale box simply yields.
    lost = {q: text for q, text in saved.conflicts.items() if text.strip()}
    if lost:
        return _interview_page(request, interview, conflicts=lost)
    if saved.ended:
        return redirect(f"{interview.get_absolute_url()}#summary-heading")
    # The countdown may fire a moment before the server's deadline: it still means time ran out.
    if action == "timeout" and now >= interview.deadline - timedelta(seconds=30):
        now = max(now, interview.deadline)
        action = "finish"
    if action == "finish":
        interview_finish(interview, now=now)
        return redirect(f"{interview.get_absolute_url()}#summary-heading")
    answer = saved.handed
    if hand_in in bodies and not bodies[hand_in].strip():
        messages.error(request, "Write an answer before you save it.")
    elif answer is not None:
        note = " (after the deadline: kept, marked late)" if answer.late else ""
        messages.success(request, f"Answer saved{note}.")
    else:
        messages.success(request, "Answers saved.")
    anchor = f"#q-{hand_in}" if hand_in in bodies else ""
    return redirect(f"{interview.get_absolute_url()}{anchor}")


@require_POST
@login_required
def interview_answer(request: HtmxHttpRequest, pk: int, question_id: int) -> HttpResponse:
    """One question's answer (the form before all answers shared one; kept for open tabs)."""
    interview = _interview(request.user, pk)
    data = {f"body-{question_id}": request.POST.get("body", "")}
    return _interview_post(
        request, interview, "save", data=data, hand_in=question_id, checked=False
    )


@require_POST
@login_required
def interview_finish_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _interview_post(request, _interview(request.user, pk), "finish")
