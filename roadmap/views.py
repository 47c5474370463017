"""Public pages: the roadmap, skills, rubric, questions, career ladder, the roles
compared, the technology landscape and the hiring process. Content only: the home page
and the phase pages, which also show a signed-in learner's own rows, live in
tracker.views (content never depends on learners)."""

from __future__ import annotations

from math import ceil
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from . import content
from .forms import QuestionFilterForm
from .http import HtmxHttpRequest
from .models import (
    Background,
    CareerLevel,
    Dimension,
    Phase,
    Question,
    Roadmap,
    Role,
    Rubric,
    RubricItem,
    SalaryBand,
    Skill,
    SkillDomain,
)


@require_GET
def roadmap_index(request: HttpRequest) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap.objects.current())
    return render(request, "roadmap/roadmap.html", {"roadmap": roadmap, "phases": content.phases()})


@require_GET
def skills(request: HttpRequest) -> HttpResponse:
    def tiers_and_domains():
        skill_rows = list(
            Skill.objects.current()
            .select_related("dimension", "domain")
            .prefetch_related(Prefetch("phases", queryset=Phase.objects.active()))
        )
        tiers = [
            (label, [s for s in skill_rows if s.tier == value])
            for value, label in Skill.Tier.choices
        ]
        domains = list(SkillDomain.objects.current())
        for domain in domains:
            domain.skill_list = [s for s in skill_rows if s.domain_id == domain.pk]
        return {"tiers": tiers, "domains": domains}

    # The page is cached whole (per content version); build it only on a miss.
    data = SimpleLazyObject(tiers_and_domains)
    ctx = {"content_version": content.version(), "data": data}
    return render(request, "roadmap/skills.html", ctx)


@require_GET
def rubric(request: HttpRequest) -> HttpResponse:
    rubric_obj = get_object_or_404(
        Rubric.objects.current().prefetch_related(
            Prefetch("dimensions", queryset=Dimension.objects.active()),
            Prefetch("items", queryset=RubricItem.objects.active()),
        )
    )
    items = list(rubric_obj.items.all())
    ctx = {
        "rubric": rubric_obj,
        "dimensions": rubric_obj.dimensions.all(),
        "screen_checks": [i for i in items if i.kind == RubricItem.Kind.SCREEN_CHECK],
        "red_flags": [i for i in items if i.kind == RubricItem.Kind.RED_FLAG],
        "listen_for": [i for i in items if i.kind == RubricItem.Kind.LISTEN_FOR],
        "strong_markers": [i for i in items if i.kind == RubricItem.Kind.STRONG_MARKER],
    }
    return render(request, "roadmap/rubric.html", ctx)


# Questions a page of the question bank lists.
QUESTIONS_PAGE = 50


def _page_of(queryset, number: int, per_page: int) -> Page:
    """Page `number` of `queryset` with its total in one query (a window count); a page
    past the end is the last one (a count and the page again, then)."""
    counted = queryset.annotate(total=Window(Count("pk")))
    number = max(number, 1)
    rows = list(counted[(number - 1) * per_page : number * per_page])
    if not rows and number > 1:
        number = max(1, ceil(queryset.count() / per_page))
        rows = list(counted[(number - 1) * per_page : number * per_page])
    paginator = Paginator(queryset, per_page)
    paginator.count = rows[0].total if rows else 0  # known: Paginator need not count
    return Page(rows, number, paginator)


@require_GET
@vary_on_headers("HX-Request")
def question_list(request: HtmxHttpRequest) -> HttpResponse:
    phases = content.phases()
    dimensions = list(Dimension.objects.current())
    form = QuestionFilterForm(request.GET, phases=phases, dimensions=dimensions)
    filters = form.filters()
    questions = Question.objects.current().filter(**filters).select_related("phase", "dimension")
    number = request.GET.get("page", "")
    number = number if number.isdigit() and len(number) < 6 else "1"
    template = "roadmap/questions.html"
    if request.htmx:
        template += "#question-list"
    ctx = {
        "form": form,
        # Lazy: not even counted when the cached list is used.
        "page": SimpleLazyObject(lambda: _page_of(questions, int(number), QUESTIONS_PAGE)),
        "content_version": content.version(),
        "filter_key": "&".join(f"{k}={v}" for k, v in sorted(filters.items())) or "all",
        "page_key": number,
        # The pager's links keep the valid filters (the cached list is the same for
        # every address that filters alike, so never the raw query string).
        "filter_query": urlencode({k: v for k, v in form.cleaned_data.items() if v}),
    }
    return render(request, template, ctx)


@require_GET
def question_detail(request: HttpRequest, key: str) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.current().select_related("phase", "dimension").prefetch_related("skills"),
        key=key,
    )
    # Seed 003 gives some of its texts as the question a role answers, not as an
    # interview question: say so rather than "quoted in".
    role = Role.objects.current().filter(question=question.text).first()
    return render(request, "roadmap/question.html", {"question": question, "role": role})


@require_GET
def career(request: HttpRequest) -> HttpResponse:
    ctx = {
        "levels": CareerLevel.objects.current(),
        "bands": SalaryBand.objects.current(),
        "backgrounds": Background.objects.current(),
        "market": content.market(),
    }
    return render(request, "roadmap/career.html", ctx)


@require_GET
def roles(request: HttpRequest) -> HttpResponse:
    roadmap = content.roadmap()
    if roadmap is None:
        raise Http404
    return render(request, "roadmap/roles.html", {"roadmap": roadmap, "market": content.market()})


@require_GET
def landscape(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmap/landscape.html", {"market": content.market()})
