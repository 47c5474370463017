"""The GPU-debugging lab (/hiring/labs/): the list of scenarios and attempts, and one
page per attempt where the learner runs diagnostic commands, keeps a notebook, submits
a diagnosis and reads the feedback; their mentor reads it all and comments.

Every action is a plain form POST that redirects back; with htmx, running a command
swaps the console and the notebook autosaves (the `#console` and `#notes-status`
partials of the page template).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from roadmap import content
from roadmap.http import HtmxHttpRequest
from roadmap.lab_schema import COMMANDS
from roadmap.models import LabScenario
from tracker.cache import FRAGMENT_TIMEOUT
from tracker.prepared import Prepared

from . import charts, scoring, services
from . import telemetry as tel
from .forms import CommentForm, NotesForm, RunForm, SubmitForm
from .models import LabAttempt, LabRun

PAGE = "labs/attempt.html"
INLINE_RUNS = 3  # outputs shown with the page; older ones open on request


@require_GET
@login_required
def index(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    # The notebooks and the scenarios' bodies stay in the database: the list shows
    # titles and outcomes.
    heavy = ("spec", "symptom", "symptom_html", "remediation", "remediation_html")
    rows = LabAttempt.objects.defer(
        "hypotheses", "remediation", *(f"scenario__{name}" for name in heavy)
    )
    attempts = list(rows.owned_by(user).newest_first()[:50])
    mentees = list(
        rows.visible_to(user).exclude(learner=user).select_related("learner").newest_first()[:50]
    )
    return render(
        request,
        "labs/index.html",
        {
            "scenarios": LabScenario.objects.current().defer(*heavy),
            "attempts": attempts,
            "mentee_attempts": mentees,
        },
    )


@require_POST
@login_required
def start(request: HtmxHttpRequest, key: str) -> HttpResponse:
    scenario = get_object_or_404(LabScenario.objects.current(), key=key)
    attempt = services.attempt_start(learner=request.user, scenario=scenario)
    return redirect(attempt)


def _attempt(request: HtmxHttpRequest, pk: int, *, own: bool) -> LabAttempt:
    """The attempt, if the user may change it (`own`) or see it; 404 otherwise."""
    rows = (
        LabAttempt.objects.owned_by(request.user)
        if own
        else LabAttempt.objects.visible_to(request.user)
    )
    return get_object_or_404(rows.select_related("scenario", "learner"), pk=pk)


class RunRow(NamedTuple):
    """What the attempt page reads of a run (as a `LabRun` has them)."""

    order: int
    command: str
    node: int | None
    ran_at: datetime


# An attempt's runs in order: compiled once, read as rows (thirty model instances cost
# the page more than the query).
_RUNS = Prepared(
    lambda attempt_id: (
        LabRun.objects.filter(attempt_id=attempt_id)
        .order_by("order")
        .values_list("order", "command", "node", "ran_at")
    ),
    ("id",),
)


def _run_bodies(attempt: LabAttempt, runs: list, names: list[str]) -> list[str]:
    """Each run's output and charts, rendered. An output depends only on the scenario,
    the seed, the command and the node, so it is cached under those (and the content
    version, which a reload of the seeds changes): a page with thirty runs renders only
    the new one, and the simulated cluster is generated only when one is missing."""
    version = content.version()
    keys = [
        f"labrun:{version}:{attempt.scenario_id}:{attempt.seed}:{r.command}:{r.node}" for r in runs
    ]
    found = cache.get_many(keys)
    fresh, t = {}, None
    for key, r in zip(keys, runs, strict=True):
        if key in found:
            continue
        t = t or services.telemetry_for(attempt)
        node = r.node if COMMANDS[r.command][1] == "node" else None
        fresh[key] = render_to_string(
            "labs/_run_body.html",
            {
                "title": tel.command_title(r.command, names[node] if node is not None else None),
                "output": tel.run(t, r.command, node),
                "charts": charts.for_run(t, r.command, node),
            },
        )
    if fresh:
        cache.set_many(fresh, FRAGMENT_TIMEOUT)
    return [found.get(key) or fresh[key] for key in keys]


def _context(request: HtmxHttpRequest, attempt: LabAttempt, **forms) -> dict:
    """Everything the attempt page and its partials show."""
    spec = attempt.scenario.spec
    names = tel.node_names(spec)
    runs = [RunRow(*row) for row in _RUNS.rows(LabRun, attempt.pk)]
    # The newest outputs come with the page, and the one asked for (?show=<n>); older
    # ones are a link away, so a long session does not make every page view heavy.
    wanted = {r.order for r in runs[-INLINE_RUNS:]}
    show = request.GET.get("show", "")
    if show.isdigit() and len(show) < 5:
        wanted.add(int(show))
    inline = [r for r in runs if r.order in wanted]
    bodies = dict(zip([r.order for r in inline], _run_bodies(attempt, inline, names), strict=True))
    shown = [
        {
            "run": r,
            "title": tel.command_title(
                r.command, names[r.node] if COMMANDS[r.command][1] == "node" else None
            ),
            "body": bodies.get(r.order),
            # As `|time:"H:i:s"` would show it, without the filter's cost thirty times over.
            "at": timezone.localtime(r.ran_at).strftime("%H:%M:%S"),
        }
        for r in runs
    ]
    owner = attempt.learner_id == request.user.pk
    causes = scoring.choices(spec)
    data = {"hypotheses": attempt.hypotheses, "remediation": attempt.remediation}
    run_form = forms.get("run_form") or RunForm(spec=spec, nodes=names)
    ctx = {
        "attempt": attempt,
        "scenario": attempt.scenario,
        "spec": spec,
        "runs": shown,
        "console_rows": _console_rows(shown),
        "owner": owner,
        "command_buttons": _command_buttons(
            spec["commands"], reverse("labs:run", args=[attempt.pk])
        ),
        "run_form": run_form,
        "node_options": _node_options(run_form),
        "submit_form": forms.get("submit_form") or SubmitForm(initial=data, causes=causes),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "comments": list(attempt.comments.select_related("author")),
        "feedback": None,
    }
    if not attempt.is_open:
        t = services.telemetry_for(attempt)
        ctx["feedback"] = scoring.assess(spec, t, services.runs_of(attempt, runs), attempt.cause)
    return ctx


# The console's runs, the command buttons and the node's options, written here, not by
# the template: thirty runs' numbers, titles and times (each number localized by the
# template), a dozen buttons and a dozen options were most of the page's time. Numbers and
# escaped text only; a run's body is the cached render of labs/_run_body.html.


def _console_rows(shown: list[dict]) -> SafeString:
    """The runs, newest first: the newest outputs open, the older ones a link away."""
    rows = []
    for k, r in enumerate(reversed(shown)):
        order, title, at = r["run"].order, escape(r["title"]), escape(r["at"])
        head = (
            f'<span class="lab-run-n">#{order}</span> <code>{title}</code> '
            f'<span class="small muted">{at}</span>'
        )
        if r["body"]:
            anchor = "run-latest" if k == 0 else f"run-{order}"
            rows.append(
                f'<details class="lab-run" open id="{anchor}">\n'
                f"    <summary>{head}</summary>\n    {r['body']}\n  </details>"
            )
        else:
            rows.append(
                f'<p class="lab-run lab-run-closed" id="run-{order}">{head}\n'
                f'    <a href="?show={order}#run-{order}">Show output'
                f'<span class="visually-hidden"> of #{order}</span></a></p>'
            )
    return mark_safe("\n  ".join(rows))  # noqa: S308 - numbers, escaped text, cached HTML


def _command_buttons(commands: list[str], run_url: str) -> SafeString:
    """A button for each of the scenario's commands, posting it (with htmx, into the
    console)."""
    url = escape(run_url)
    buttons = []
    for c in commands:
        typed, scope = COMMANDS[c][0], COMMANDS[c][1]
        where = ' <span class="small muted">on the node</span>' if scope == "node" else ""
        buttons.append(
            f'<li><button type="submit" name="command" value="{escape(c)}" '
            'class="button button-ghost lab-command"\n'
            f'          data-hx-post="{url}" data-hx-target="#console" '
            'data-hx-swap="outerHTML show:#console:top">'
            f"<code>{escape(typed)}</code>{where}</button></li>"
        )
    return mark_safe("\n      ".join(buttons))  # noqa: S308 - escaped text only


def _node_options(form: RunForm) -> SafeString:
    """The node select's options, the form's node selected."""
    chosen = str(form["node"].value())
    return mark_safe(  # noqa: S308 - escaped text only
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in form.fields["node"].choices
        )
    )


@require_GET
@login_required
def attempt_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk, own=False)
    return render(request, PAGE, _context(request, attempt))


def _save_notes(attempt: LabAttempt, data) -> NotesForm:
    """Whatever button was pressed, the notebook and the remediation draft are kept."""
    notes = NotesForm(data, stored=NotesForm.stored_of(attempt))
    if notes.is_valid():
        services.attempt_save_notes(
            attempt=attempt,
            hypotheses=notes.cleaned_data["hypotheses"],
            remediation=notes.cleaned_data["remediation"],
        )
    return notes


@require_POST
@login_required
def run(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk, own=True)
    notes = _save_notes(attempt, request.POST)
    if notes.is_stale and not request.htmx:
        return _again(request, attempt, notes.stale_message)
    spec = attempt.scenario.spec
    form = RunForm(request.POST, spec=spec, nodes=tel.node_names(spec))
    error = ""
    if form.is_valid():
        try:
            services.attempt_run(
                attempt=attempt,
                command=form.cleaned_data["command"],
                node=form.cleaned_data["node"],
            )
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = "Choose a command from the list (and a node for a node command)."
    if request.htmx:
        attempt.refresh_from_db()
        ctx = _context(request, attempt, run_form=form)
        ctx["run_error"] = error
        ctx["notes_form"] = notes
        return render(request, f"{PAGE}#console", ctx)
    if error:
        return _again(request, attempt, error)
    return redirect(f"{attempt.get_absolute_url()}#run-latest")


def _again(request: HtmxHttpRequest, attempt: LabAttempt, error: str) -> HttpResponse:
    """The page again with the message and every text as typed (saved or not)."""
    attempt.refresh_from_db()
    typed = {name: request.POST.get(name, "") for name in ("hypotheses", "remediation")}
    form = SubmitForm(
        initial=typed,
        causes=scoring.choices(attempt.scenario.spec),
        stored=NotesForm.stored_of(attempt),
    )
    messages.error(request, error)
    return render(request, PAGE, _context(request, attempt, submit_form=form), status=400)


@require_POST
@login_required
def notes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk, own=True)
    form = _save_notes(attempt, request.POST)
    if request.htmx:
        return render(
            request,
            f"{PAGE}#notes-status",
            {
                "attempt": attempt,
                "notes_error": form.errors.get("hypotheses") or form.errors.get("remediation"),
                "notes_form": form,
            },
        )
    if not form.is_valid():
        too_long = "Your notes are too long to save: shorten them."
        return _again(request, attempt, form.stale_message if form.is_stale else too_long)
    if attempt.is_open:
        messages.success(request, "Notes saved.")
    return redirect(attempt)


@require_POST
@login_required
def submit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk, own=True)
    if not attempt.is_open:
        messages.info(request, "This attempt is already diagnosed.")
        return redirect(attempt)
    notes = _save_notes(attempt, request.POST)
    if notes.is_stale:
        return _again(request, attempt, notes.stale_message)
    form = SubmitForm(request.POST, causes=scoring.choices(attempt.scenario.spec))
    if not form.is_valid():
        attempt.refresh_from_db()
        return render(request, PAGE, _context(request, attempt, submit_form=form), status=400)
    feedback = services.attempt_submit(
        attempt=attempt,
        cause=form.cleaned_data["cause"],
        remediation=form.cleaned_data["remediation"],
        hypotheses=form.cleaned_data["hypotheses"],
    )
    messages.success(request, dict(LabAttempt.Outcome.choices)[feedback.outcome] + ".")
    return redirect(f"{attempt.get_absolute_url()}#feedback")


@require_POST
@login_required
def comment(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk, own=False)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(request, PAGE, _context(request, attempt, comment_form=form), status=400)
    services.attempt_comment(attempt=attempt, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, "Comment added.")
    return redirect(f"{attempt.get_absolute_url()}#review")
