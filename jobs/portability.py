"""The job search in the export file (tracker.portability.sections): applications and
contributions, under the same rules as their forms."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from roadmap import content
from tracker.models import User
from tracker.portability.schema import HISTORY_START, Line, Past, Strict, Text, _choices
from tracker.portability.sections import Section

from .models import Application, Contribution, Level, Source, Stage, parse_github_url


def _in_history(value: date | None) -> date | None:
    if value is not None and not HISTORY_START <= value <= date(2100, 12, 31):
        raise ValueError(f"must lie between {HISTORY_START} and 2100-12-31")
    return value


Day = Annotated[date | None, AfterValidator(_in_history)]


def _github(value: str) -> str:
    try:
        parse_github_url(value)
    except Exception as error:  # a django ValidationError: pydantic wants a ValueError
        raise ValueError("not a GitHub pull request or issue address") from error
    return value.rstrip("/")


class ApplicationEntry(Strict):
    company: Line(Application, "company")
    role: Line(Application, "role")
    level: _choices(Level.values)
    region: Line(Application, "region") = ""
    source: _choices(Source.values)
    stage: _choices(Stage.values)
    furthest: _choices([s.value for s in Stage]) = Stage.APPLIED.value
    applied_on: Day = None
    follow_up_on: Day = None
    contacts: Text(Application, "contacts") = ""
    notes: Text(Application, "notes") = ""
    stage_changed_at: Past | None = None
    created_at: Past | None = None


class ContributionEntry(Strict):
    url: Annotated[str, Field(max_length=300), AfterValidator(_github)]
    title: Line(Contribution, "title")
    state: Literal["open", "merged"]
    skills: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=100)] = []
    dimensions: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=20)] = []
    impact: Line(Contribution, "impact") = ""
    merged_on: Day = None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_applications(user: User) -> list[dict[str, Any]]:
    return [
        {
            "company": a.company,
            "role": a.role,
            "level": a.level,
            "region": a.region,
            "source": a.source,
            "stage": a.stage,
            "furthest": a.furthest,
            "applied_on": _iso(a.applied_on),
            "follow_up_on": _iso(a.follow_up_on),
            "contacts": a.contacts,
            "notes": a.notes,
            "stage_changed_at": _iso(a.stage_changed_at),
            "created_at": _iso(a.created_at),
        }
        for a in Application.objects.filter(learner=user).order_by("created_at", "pk")
    ]


def export_contributions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "url": c.url,
            "title": c.title,
            "state": c.state,
            "skills": c.skills,
            "dimensions": c.dimensions,
            "impact": c.impact,
            "merged_on": _iso(c.merged_on),
        }
        for c in Contribution.objects.filter(learner=user).order_by("created_at", "pk")
    ]


def read_applications(user: User, entries: list[ApplicationEntry]):
    rows = []
    for entry in entries:
        row = Application(
            learner=user, **entry.model_dump(exclude={"stage_changed_at", "created_at"})
        )
        row.render_html()
        rows.append((row, entry.stage_changed_at, entry.created_at))
    return rows, []


def write_applications(rows) -> int:
    for row, changed, created in rows:
        row.save()
        # auto_now_add fields: the history's times are set after the insert.
        times = {k: v for k, v in (("stage_changed_at", changed), ("created_at", created)) if v}
        if times:
            Application.objects.filter(pk=row.pk).update(**times)
    return len(rows)


def read_contributions(user: User, entries: list[ContributionEntry]):
    phases = content.phases()
    skills = {s.key for p in phases for s in p.skills.all()}
    rubric = content.rubric()
    dimensions = {d.key for d in rubric.dimensions.all()} if rubric else set()
    rows, problems, seen = [], [], set()
    for n, entry in enumerate(entries):
        if entry.url in seen:
            problems.append(f"contributions[{n}]: {entry.url} is listed twice.")
        seen.add(entry.url)
        unknown = sorted(set(entry.skills) - skills) + sorted(set(entry.dimensions) - dimensions)
        if unknown:
            problems.append(
                f"contributions[{n}]: not in this site's roadmap: {', '.join(unknown)}."
            )
        rows.append(Contribution(learner=user, **entry.model_dump()))
    return rows, problems


def write_contributions(rows) -> int:
    return len(Contribution.objects.bulk_create(rows))


APPLICATIONS = Section(
    key="applications",
    label="job applications",
    entry=ApplicationEntry,
    doc="the job search, oldest first: company, role, level, region, source (referral, "
    "outbound, job_board), stage and furthest (the recruiters' stages), applied_on, "
    "follow_up_on, contacts, notes (markdown), stage_changed_at, created_at.",
    export=export_applications,
    owned=lambda user: Application.objects.filter(learner=user),
    read=read_applications,
    write=write_applications,
)
CONTRIBUTIONS = Section(
    key="contributions",
    label="open-source contributions",
    entry=ContributionEntry,
    doc="open-source pull requests and issues, oldest first: url (a github.com pull "
    "request or issue), title, state (open or merged), skills and dimensions (content "
    "keys), impact, merged_on.",
    export=export_contributions,
    owned=lambda user: Contribution.objects.filter(learner=user),
    read=read_contributions,
    write=write_contributions,
)
