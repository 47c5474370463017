"""The hiring rounds: the path (/hiring/), the resume screen, and one attempt's page
where the learner works and the learner or their mentor judges."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roadmap import content
from roadmap.models import HiringRound, Question
from tracker.assessment import listed
from tracker.images import image_response

from . import rounds, worksheet
from .forms import JudgeForm, ResumeForm, UpdateForm, WorkForm, criteria_for
from .models import Attempt, AttemptImage
from .services import (
    INTERVIEW_KINDS,
    attempt_judge,
    attempt_save_work,
    attempt_start,
    resume_screen,
    trial_update_add,
)

RESUME_MINUTES = 5  # the recruiter's read (seed 000)


def _round(key: str) -> HiringRound:
    found = next(
        (r for p in content.market()["processes"] for r in p.rounds.all() if r.key == key), None
    )
    if found is None:
        raise Http404("No such round")
    return found


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "hiring/index.html",
        {
            "market": content.market(),
            "path": rounds.path_for(request.user),
            "labs_url": rounds.labs_url(),
            "spoken_rounds": list(INTERVIEW_KINDS),  # screens that may be answered out loud
        },
    )


def _fixes() -> dict[str, list]:
    """Check key -> the phases that would change it (the dimension it reads, rubric data)."""
    rubric = content.rubric()
    dims = {d.key: d for d in rubric.dimensions.all()} if rubric else {}
    phases = content.phases()
    reads = {
        "production-ml-frameworks": "production-ml",
        "infrastructure-keywords": "infrastructure",
        "python-primary": "systems-python",
        "ml-infra-companies": "startup-fit",
        "research-only": "production-ml",
        "notebook-kaggle-only": "systems-python",
        "full-stack-no-ml-depth": "production-ml",
        "lists-every-technology": "startup-fit",
    }
    out = {}
    for check, dim_key in reads.items():
        if dim_key in dims:
            found_phases, skills, _, _ = listed(dims[dim_key], phases)
            out[check] = {"dimension": dims[dim_key], "phases": found_phases, "skills": skills[:3]}
    return out


@require_http_methods(["GET", "POST"])
@login_required
def resume(request: HttpRequest) -> HttpResponse:
    past = Attempt.objects.owned_by(request.user).filter(round__key=rounds.RESUME)
    # The last version screened, to edit and screen again.
    last = past.values_list("resume", flat=True).first()
    form = ResumeForm(request.POST or None, request.FILES or None, initial={"text": last or ""})
    if request.method == "POST" and form.is_valid():
        attempt = resume_screen(
            learner=request.user,
            round=_round(rounds.RESUME),
            text=form.cleaned_data["text"],
            filename=form.cleaned_data.get("filename", ""),
        )
        return redirect(attempt)
    return render(
        request,
        "hiring/resume.html",
        {"form": form, "past": past[:10], "round": _round(rounds.RESUME)},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def start(request: HttpRequest, key: str) -> HttpResponse:
    if key not in rounds.REHEARSED or key == rounds.RESUME:
        raise Http404("This round is not rehearsed here")
    spoken = request.POST.get("spoken") == "on" and key in INTERVIEW_KINDS
    attempt = attempt_start(learner=request.user, round=_round(key), spoken=spoken)
    return redirect(attempt)


def _context(request, attempt: Attempt, **forms) -> dict:
    key = attempt.round.key
    own = attempt.learner_id == request.user.pk
    ctx = {
        "attempt": attempt,
        "round": attempt.round,
        "own": own,
        "kind": key.replace("-", "_"),
        "criteria": criteria_for(key),
        "remaining": None,
        "dimensions": rounds.dimensions_by_round().get(key, []),
        "rubric": content.rubric(),
    }
    now = timezone.now()
    if attempt.deadline and attempt.is_open and attempt.deadline > now:
        ctx["remaining"] = int((attempt.deadline - now).total_seconds())
    if key == rounds.RESUME:
        fixes = _fixes()
        ctx["findings"] = [{**f, "fix": fixes.get(f["key"])} for f in attempt.checks]
        ctx["resume_minutes"] = RESUME_MINUTES * 60
        items = {i.key: i for i in ctx["rubric"].items.all()} if ctx["rubric"] else {}
        for f in ctx["findings"]:
            f["item"] = items.get(f["key"])
    if attempt.interview_id:
        interview = attempt.interview
        by_pk = {q.pk: q for q in Question.objects.filter(pk__in=interview.questions)}
        answers = {a.question_id: a for a in interview.answers.all()}
        ctx["rows"] = [
            {"question": by_pk[pk], "answer": answers.get(pk)}
            for pk in interview.questions
            if pk in by_pk
        ]
    if key == rounds.TAKE_HOME:
        ctx["diagrams"] = list(attempt.images.all())
    if key in (rounds.TAKE_HOME, rounds.SCALE, rounds.TRIAL):
        initial = {"document": attempt.document, **WorkForm.worksheet_initial(attempt.worksheet)}
        ctx["work_form"] = forms.get("work_form") or WorkForm(
            initial=initial,
            with_worksheet=key == rounds.TAKE_HOME,
            image_ids=[d.pk for d in ctx["diagrams"]] if key == rounds.TAKE_HOME else None,
        )
        inputs = worksheet.inputs_from(attempt.worksheet)
        ctx["inputs"] = inputs
        ctx["sheet"] = worksheet.compute(inputs)
    if key == rounds.TRIAL:
        ctx["updates"] = list(attempt.updates.all())
        ctx["update_form"] = forms.get("update_form") or UpdateForm()
    ctx["judge_form"] = forms.get("judge_form") or JudgeForm(
        criteria=ctx["criteria"],
        trial=key == rounds.TRIAL,
        initial={"ticked": attempt.qualities, "comment": attempt.comment, **attempt.ratings},
    )
    return ctx


def _get_attempt(user, pk: int, *, owned: bool = False) -> Attempt:
    """The attempt `user` may work on (`owned`) or see: their own first, in the cheaper
    query, then a mentee's."""
    related = ("round", "interview", "learner", "judged_by")
    found = Attempt.objects.owned_by(user).select_related(*related).filter(pk=pk).first()
    if found is None and not owned:
        qs = Attempt.objects.visible_to(user).select_related(*related)
        found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404("No such attempt")
    return found


@require_GET
@login_required
def attempt_view(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt(request.user, pk)
    template = "hiring/attempt.html"
    if request.htmx:
        template += "#answers"  # the mentor's live view polls the learner's answers
    return render(request, template, _context(request, attempt))


@require_POST
@login_required
def attempt_save(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt(request.user, pk, owned=True)
    take_home = attempt.round.key == rounds.TAKE_HOME
    # The autosave sends the text alone; the Save button sends the diagrams too.
    diagrams = take_home and not request.htmx
    form = WorkForm(
        request.POST,
        request.FILES if diagrams else None,
        with_worksheet=take_home,
        image_ids=list(attempt.images.values_list("pk", flat=True)) if diagrams else None,
        stored=WorkForm.stored_of(attempt),
    )
    if not form.is_valid() and request.htmx:
        # An autosave mid-edit: say so beside the button, keep the page as typed.
        error = next(iter(form.errors.values()))[0]
        return render(request, "hiring/attempt.html#saved", {"error": error})
    if form.is_valid():
        try:
            attempt_save_work(
                attempt=attempt,
                document=form.cleaned_data["document"],
                worksheet=form.worksheet_data(),
                images=form.cleaned_data.get("images") or [],
                remove_images=form.cleaned_data.get("remove") or [],
            )
        except ValidationError as e:  # the cap, reached by another upload meanwhile
            form.add_error("images", e.messages[0])
    if not form.is_valid():
        return render(
            request, "hiring/attempt.html", _context(request, attempt, work_form=form), status=400
        )
    if request.htmx:
        ctx = {"saved_at": timezone.now(), "form": form}
        if take_home:
            ctx["inputs"] = worksheet.inputs_from(attempt.worksheet)
            ctx["sheet"] = worksheet.compute(ctx["inputs"])
        return render(request, "hiring/_autosaved.html", ctx)
    return redirect(attempt)


@require_GET
@login_required
def diagram(request: HttpRequest, pk: int, image_id: int, size: str) -> HttpResponse:
    """A take-home's diagram: private, served through the attempt's own access check
    (the owner and their active mentors; anyone else gets a 404)."""
    attempt = get_object_or_404(Attempt.objects.visible_to(request.user), pk=pk)
    image = get_object_or_404(AttemptImage.objects.filter(attempt=attempt), pk=image_id)
    field = image.thumbnail if size == "thumb" else image.image
    return image_response(field, cache_control="private, max-age=3600")


@require_POST
@login_required
def attempt_judge_view(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt(request.user, pk)
    key = attempt.round.key
    if key == rounds.RESUME and attempt.learner_id == request.user.pk:
        raise Http404("The rules or a mentor judge a resume, not its owner")
    form = JudgeForm(request.POST, criteria=criteria_for(key), trial=key == rounds.TRIAL)
    if not form.is_valid():
        return render(
            request, "hiring/attempt.html", _context(request, attempt, judge_form=form), status=400
        )
    attempt_judge(
        attempt=attempt,
        judge=request.user,
        outcome=form.cleaned_data["outcome"],
        ticked=form.cleaned_data.get("ticked", []),
        criteria=form.criteria,
        ratings=form.ratings(),
        comment=form.cleaned_data["comment"],
    )
    return redirect(attempt)


@require_POST
@login_required
def trial_update(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt(request.user, pk, owned=True)
    if attempt.round.key != rounds.TRIAL:
        raise Http404("Updates belong to trial projects")
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return render(
            request, "hiring/attempt.html", _context(request, attempt, update_form=form), status=400
        )
    trial_update_add(attempt=attempt, body=form.cleaned_data["body"])
    return redirect(attempt)
