"""`manage.py make_demo_data`: a showcase learner, N bulk learners and M mentors.

Longer than 400 lines on purpose: one builder method per kind of data, each short,
sharing the seeded random streams and the batch writer that keep it fast.

Realistic, deterministic data for benchmarks and for demos of a product a year in:

- `showcase` (Sam Showcase): a 12-month plan started a year ago, every active goal
  and resource touched, notes and links, all five milestones in review, a study log
  for 330 of the last 365 days, a year of practice reviews (simulated with FSRS), twelve
  monthly self-assessments, and a public portfolio; `--years 3` makes it three years
  (a 24-month plan, three times the log, practice and assessments, and 200 more
  comments in one review thread): the heaviest learner of the growth benchmark;
- `demo-bulk-0001`…: learners at every stage of 6-18 month plans, with item
  progress in phase order, up to three milestone submissions, a patchy study log and
  a few weeks of practice;
- `mentor-01`…: mentors. mentor-01 mentors the showcase and the first 50 (`--mentees`) bulk
  learners (a full review queue); the others take every third of the rest. The
  "changes requested" reviews in the demo threads are signed by one of them.

Every random choice comes from `random.Random` streams derived from `--seed` (one
for the mentors, one for the showcase, one per bulk learner, keyed by username,
so learner 7 is the same whatever `--learners` says), and every date counts back
from today in UTC: two runs on empty databases on the same day give identical
rows apart from primary keys and the automatic timestamps. The bulk rows are
written with `bulk_create` in batches, markdown is rendered once per template,
and one password hash serves every account, so 1,000 learners take seconds; learners
are built and written 500 at a time, so 50,000 take minutes and stay under 1 GB.
"""

from __future__ import annotations

import bisect
import random
import time as clock
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

import fsrs
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.db.models import Q

from roadmap.markdown import RendersMarkdown
from roadmap.models import (
    PLAN_MONTHS_MAX,
    Background,
    Dimension,
    Goal,
    Milestone,
    Phase,
    Question,
    Resource,
    Roadmap,
)
from tracker import schedule
from tracker.models import (
    Answer,
    Assessment,
    Card,
    ItemLink,
    ItemProgress,
    ItemStatus,
    Mentorship,
    Plan,
    Review,
    Score,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionLink,
    User,
)
from tracker.spacing import scheduler

PASSWORD = "rampup-demo"
SHOWCASE = "showcase"
BULK_PREFIX = "demo-bulk-"
MENTOR_PREFIX = "mentor-"
BATCH = 1000
CHUNK = 500  # bulk learners generated, written and forgotten at a time
LOG_CAP = 120  # study-log rows per bulk learner
State = Submission.State

FIRST_NAMES = [
    "Ada",
    "Alex",
    "Amara",
    "Ana",
    "Ben",
    "Bo",
    "Chen",
    "Chloe",
    "Dario",
    "Dev",
    "Elif",
    "Emil",
    "Farah",
    "Femi",
    "Greta",
    "Hana",
    "Ines",
    "Ivan",
    "Jana",
    "Jonas",
    "Kai",
    "Kemal",
    "Lea",
    "Luis",
    "Maya",
    "Mina",
    "Nadia",
    "Noah",
    "Omar",
    "Paula",
    "Priya",
    "Quinn",
    "Rafael",
    "Rosa",
    "Sofia",
    "Tariq",
    "Tess",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hoang",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quint",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]
LOG_TEMPLATES = [
    "Worked through {resource}",
    "Practised: {goal}",
    "Lab time on {goal}",
    "Re-did the exercises of {resource}",
    "Debugged my lab setup ({phase})",
    "Flashcards and review: {phase}",
    "Wrote up what I learned about {goal}",
    "Small project for {phase}: planning and first commits",
    "Watched a conference talk and took notes ({phase})",
    "Pair session on {goal}",
]
SHOWCASE_NOTES = [
    "Finished **{title}**. The key idea: start from the failure modes, not the happy "
    "path.\n\n- Re-read the part on limits and quotas\n- Try it again on the lab cluster",
    "Notes on *{title}*:\n\n1. Set up a throwaway environment first\n2. Break it on "
    "purpose\n3. Write down what the logs said\n\nWeak spot: the `{slug}` details.",
    "Took longer than planned. Good material, but skip the intro chapters if you know "
    "the basics.\n\n> Measure before you tune.",
    "Did **{title}** twice: once following along, once from memory. The second run took "
    "half the time.",
    "Questions for a mentor:\n\n- How is *{title}* done at scale?\n- What breaks first "
    "in production?",
    "My summary is in the repo; the exercises live in `labs/{slug}/`.",
]
BULK_NOTES = [
    "Took longer than planned; the exercises were worth it.",
    "Key idea: **measure first**, then tune.\n\n- revisit the hard parts\n- try it on the lab",
    "Skimmed the intro, did the labs. Weak spot: `networking`.",
    "Notes are in my repo under `labs/`.",
]
EVIDENCE_TEMPLATES = [
    "## What I built\n\nA small but complete project for this milestone: {milestone}\n\n"
    "## How to check it\n\n1. Clone the repository\n2. Run `make demo`\n"
    "3. Read `NOTES.md` for the trade-offs",
    "## Summary\n\n{milestone}\n\nThe repository holds the code and a short write-up; the "
    "dashboard shows it running for a week.\n\n- Cost: a few dollars of cloud time\n"
    "- Biggest surprise: how much time went into observability",
    "## Evidence\n\nA design doc, the build, then a load test: {milestone}\n\nResults and "
    "graphs are in the linked write-up.\n\n> Next time: automate the setup from day one.",
]
CHANGE_REQUESTS = [
    "Nice work. Before I approve: add a section on **failure modes** and how you would "
    "detect them.",
    "The code is fine, but the README does not say how to run it. Please add the steps.",
    "Can you add numbers? A before/after of latency or cost would make the case.",
]
LEARNER_REPLIES = [
    "Thanks! Updated the README and added the numbers.",
    "Good point: added a section on what happens when a node dies.",
    "Reworked it; the load-test results are in the write-up now.",
]
SUBMIT_COMMENTS = ["", "", "Ready for review.", "First full version, feedback welcome."]
APPROVE_COMMENTS = ["", "Self-review done against the checklist.", "Meets every point."]
CREDIT_EVIDENCE = [
    "Four years running this in production as an SRE",
    "Did this daily in my last job",
    "Certified, and used it at work for two years",
]


@dataclass
class Content:
    roadmap: Roadmap
    phases: list[Phase]
    weeks: list[int]
    items: list[list[Goal | Resource]]  # per phase: active goals and resources, in order
    milestones: list[Milestone | None]  # per phase
    backgrounds: list[Background]


class Command(BaseCommand):
    help = (
        "Create deterministic demo data for benchmarks: the learner 'showcase' (a year "
        "of activity), N learners 'demo-bulk-NNNN' and M mentors 'mentor-NN', all with "
        f"the password {PASSWORD!r}. Needs the roadmap (manage.py load_roadmap). Refuses "
        "to run when 'showcase' exists, unless --reset is given: --reset first DELETES "
        "every user whose username starts with 'demo-bulk-', 'mentor-' or 'showcase', "
        "with their plans, progress, submissions and logs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, default=1000, help="bulk learners (1000)")
        parser.add_argument("--mentors", type=int, default=20, help="mentor accounts (20)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument(
            "--years", type=int, default=1, help="years of the showcase's history (1)"
        )
        parser.add_argument(
            "--mentees",
            type=int,
            default=50,
            help="bulk learners mentored by mentor-01 besides the showcase (50)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete the users demo-bulk-*, mentor-* and showcase* (cascades)",
        )

    def handle(
        self,
        *args,
        learners=1000,
        mentors=20,
        seed=2026,
        reset=False,
        years=1,
        mentees=50,
        **options,
    ):
        if learners < 0 or mentors < 0 or mentees < 0:
            raise CommandError("--learners, --mentors and --mentees must not be negative.")
        if not 1 <= years <= 10:
            raise CommandError("--years must be between 1 and 10.")
        started = clock.perf_counter()
        with transaction.atomic():
            content = load_content()
            if reset:
                deleted, _ = User.objects.filter(
                    Q(username__startswith=BULK_PREFIX)
                    | Q(username__startswith=MENTOR_PREFIX)
                    | Q(username__startswith=SHOWCASE)
                ).delete()
                self.stdout.write(f"Reset: deleted {deleted} rows of earlier demo data.")
            if User.objects.filter(username=SHOWCASE).exists():
                raise CommandError(
                    "Demo data already exists (user 'showcase'): use a fresh database, "
                    "or pass --reset to delete the earlier demo users first."
                )
            builder = Builder(content, seed, years=years, mentees=mentees)
            builder.check_free(learners, mentors)
            builder.mentors(mentors)
            builder.showcase()
            builder.bulk(learners)
            builder.practice()
            builder.assessments()
            builder.mentorships()
            User.objects.filter(username=SHOWCASE).update(portfolio_public=True)
        elapsed = clock.perf_counter() - started
        for model, count in builder.counts.items():
            self.stdout.write(f"  {model:<16} {count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s."))


def replace_showcase(*, years: int, seed: int = 2026) -> None:
    """The showcase again with `years` of history, the other demo users untouched: how
    the growth benchmark swaps its heaviest learner without rebuilding 50,000 others."""
    with transaction.atomic():
        User.objects.filter(username=SHOWCASE).delete()
        builder = Builder(load_content(), seed, years=years)
        mentors = User.objects.filter(username__startswith=MENTOR_PREFIX).order_by("username")
        builder.mentor_ids = list(mentors.values_list("pk", flat=True))
        builder.showcase()
        builder.practice_showcase()
        builder.assessments()
        sam = User.objects.get(username=SHOWCASE)
        if builder.mentor_ids:
            Mentorship.objects.create(learner=sam, mentor_id=builder.mentor_ids[0])
        User.objects.filter(pk=sam.pk).update(portfolio_public=True)


def set_mentees(count: int) -> None:
    """mentor-01 mentors the showcase and the first `count` bulk learners, no one else."""
    mentor = User.objects.get(username=f"{MENTOR_PREFIX}01")
    learners = (
        User.objects.filter(username__startswith=BULK_PREFIX)
        .order_by("username")
        .values_list("pk", flat=True)[:count]
    )
    with transaction.atomic():
        Mentorship.objects.filter(mentor=mentor).exclude(learner__username=SHOWCASE).delete()
        Mentorship.objects.bulk_create(
            [Mentorship(learner_id=pk, mentor=mentor) for pk in learners], batch_size=BATCH
        )


def demo_setting() -> tuple[int, int]:
    """(years of the showcase's history, mentor-01's mentees besides the showcase), read
    from the data: a kept benchmark dataset is left in whatever setting its last run
    measured. Years come from the showcase's monthly self-assessments (twelve a year)."""
    sam = User.objects.filter(username=SHOWCASE).first()
    if sam is None:
        raise CommandError("No demo data here (no user 'showcase'): run make_demo_data.")
    months = Assessment.objects.filter(learner=sam, rater=sam, role="self").count()
    mentees = (
        Mentorship.objects.filter(mentor__username=f"{MENTOR_PREFIX}01")
        .exclude(learner=sam)
        .count()
    )
    return max(1, round(months / 12)), mentees


def load_content() -> Content:
    roadmap = Roadmap.objects.filter(key=settings.ROADMAP_KEY).first()
    if roadmap is None:
        raise CommandError("Load the roadmap first: manage.py load_roadmap")
    phases = list(Phase.objects.filter(roadmap=roadmap, is_active=True).order_by("order"))
    if not phases:
        raise CommandError("The roadmap has no phases: manage.py load_roadmap")
    goals, resources = list(Goal.objects.current()), list(Resource.objects.current())
    milestones = {m.phase_id: m for m in Milestone.objects.current()}
    items = []
    for phase in phases:
        mine = [g for g in goals if g.phase_id == phase.pk]
        mine += [r for r in resources if r.phase_id == phase.pk]
        # Goals and resources interleaved by their order: how a learner walks a phase.
        items.append(sorted(mine, key=lambda i: (i.order, isinstance(i, Resource))))
    return Content(
        roadmap=roadmap,
        phases=phases,
        weeks=[p.weeks for p in phases],
        items=items,
        milestones=[milestones.get(p.pk) for p in phases],
        backgrounds=list(Background.objects.current().order_by("order")),
    )


def _slug(item: Goal | Resource) -> str:
    return item.key[:40]


def _field(item: Goal | Resource) -> str:
    return "goal" if isinstance(item, Goal) else "resource"


class Builder:
    """Builds the rows in memory and writes them in batches; counts what it wrote.

    Bulk learners are built CHUNK at a time and each chunk is written before the next is
    built, so memory stays flat whatever --learners says (50,000 fit in well under 1 GB).
    """

    def __init__(self, content: Content, seed: int, *, years: int = 1, mentees: int = 50) -> None:
        self.content = content
        self.seed = seed
        self.years = years
        self.mentees = mentees
        self.today = schedule.today_for("UTC")
        # Timestamps count back from today's midnight UTC, so none is in the future.
        self.midnight = datetime.combine(self.today, time(0), UTC)
        self.password = make_password(PASSWORD)  # hashed once, shared by every account
        self.counts: Counter[str] = Counter()
        self.mentor_ids: list[int] = []

    # -- helpers -----------------------------------------------------------------------

    def stamp(self, rng: random.Random, days_ago: int) -> datetime:
        """A daytime moment `days_ago` (at least 1) days before today, UTC."""
        day = self.midnight - timedelta(days=max(1, days_ago))
        return day + timedelta(minutes=rng.randint(7 * 60, 23 * 60 - 1))

    def days_ago(self, day: date) -> int:
        return (self.today - day).days

    def write(self, model, rows: list) -> list:
        if issubclass(model, RendersMarkdown):
            model.render_rows(rows)  # bulk_create skips save(); shared sources render once
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[model.__name__] += len(rows)
        # With DEBUG on, Django keeps the last 9,000 statements, each with its thousand
        # rows of values: gigabytes at 50,000 learners unless forgotten as we go.
        reset_queries()
        return rows

    def windows(self, start: date, months: int) -> list[schedule.PhaseWindow]:
        return schedule.phase_windows(start, months, self.content.weeks)

    @staticmethod
    def phase_on(windows: list[schedule.PhaseWindow], day: date) -> int:
        """The index of the phase whose window holds `day` (clamped to the plan)."""
        index = bisect.bisect_right([w.start for w in windows], day) - 1
        return max(0, min(len(windows) - 1, index))

    def log_what(self, rng: random.Random, index: int) -> str:
        phase, items = self.content.phases[index], self.content.items[index]
        goals = [i for i in items if isinstance(i, Goal)]
        resources = [i for i in items if isinstance(i, Resource)]
        text = rng.choice(LOG_TEMPLATES).format(
            goal=rng.choice(goals).title if goals else phase.short_title,
            resource=rng.choice(resources).title if resources else phase.short_title,
            phase=phase.short_title,
        )
        return text[:300]

    # -- users -------------------------------------------------------------------------

    @staticmethod
    def names(prefix: str, count: int, width: int) -> list[str]:
        width = max(width, len(str(count)))
        return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]

    def check_free(self, learners: int, mentors: int) -> None:
        wanted = [*self.names(BULK_PREFIX, learners, 4), *self.names(MENTOR_PREFIX, mentors, 2)]
        taken: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = User.objects.filter(username__in=wanted[i : i + 500])
            taken |= set(chunk.values_list("username", flat=True))
        if taken:
            raise CommandError(
                f"Usernames already taken ({', '.join(sorted(taken)[:3])}…): use a fresh "
                "database, or pass --reset."
            )

    def user(self, rng: random.Random, username: str, display_name: str, joined: int) -> User:
        return User(
            username=username,
            password=self.password,
            display_name=display_name,
            email=f"{username}@example.com",
            date_joined=self.stamp(rng, joined),
        )

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def mentors(self, count: int) -> None:
        rng = random.Random(f"{self.seed}:mentors")
        rows = [
            self.user(rng, name, self.person(rng), rng.randint(30, 400))
            for name in self.names(MENTOR_PREFIX, count, 2)
        ]
        self.mentor_ids = [u.pk for u in self.write(User, rows)]

    # -- the showcase learner ----------------------------------------------------------

    def showcase(self) -> None:
        rng = random.Random(f"{self.seed}:{SHOWCASE}")
        span = 365 * self.years  # days of history
        start = self.today - timedelta(days=span)
        sam = self.write(User, [self.user(rng, SHOWCASE, "Sam Showcase", span + 2)])[0]
        background = next((b for b in self.content.backgrounds if b.key == "devops-sre"), None)
        plan = Plan(
            learner=sam,
            roadmap=self.content.roadmap,
            start_date=start,
            months=min(12 * self.years, PLAN_MONTHS_MAX),
            background=background,
            weekly_hours=12,
        )
        self.write(Plan, [plan])
        Plan.objects.filter(pk=plan.pk).update(created_at=self.stamp(rng, span + 1))
        windows = self.windows(start, plan.months)
        credit_ids = (
            set(background.credit_goals.values_list("pk", flat=True)) if background else set()
        )
        credit_ids = credit_ids or {items[0].pk for items in self.content.items[:2] if items}
        last = len(self.content.phases) - 1

        progress: list[ItemProgress] = []
        credited = 0
        for index, (window, items) in enumerate(zip(windows, self.content.items, strict=True)):
            for item in items:
                row = ItemProgress(learner=sam, **{_field(item): item})
                roll = rng.random()
                if item.pk in credit_ids and credited < 2:
                    credited += 1
                    row.status = ItemStatus.CREDITED
                    row.credit_evidence = rng.choice(CREDIT_EVIDENCE)
                    row.completed_at = self.stamp(rng, span)
                elif (index == last and roll < 0.3) or roll < 0.04:
                    row.status = ItemStatus.DOING
                elif isinstance(item, Resource) and roll < 0.14:
                    row.status = ItemStatus.SKIPPED
                else:
                    row.status = ItemStatus.DONE
                    day = window.start + timedelta(days=rng.randint(0, window.days - 1))
                    row.completed_at = self.stamp(rng, self.days_ago(day))
                if rng.random() < 0.8:
                    note = rng.choice(SHOWCASE_NOTES).format(title=item.title, slug=_slug(item))
                    row.note = note
                progress.append(row)
        self.write(ItemProgress, progress)
        links = []
        for row in progress:
            if rng.random() < 0.55:
                slug = _slug(row.item)
                choices = [
                    ("My notes", f"https://notes.example.com/sam/{slug}"),
                    ("Lab repository", f"https://github.com/sam-showcase/{slug}"),
                    ("Blog post", f"https://sam.example.dev/posts/{slug}"),
                ]
                links += [
                    ItemLink(progress=row, title=title, url=url)
                    for title, url in choices[: rng.randint(1, 3)]
                ]
        self.write(ItemLink, links)

        # Three approved, one with changes requested, one submitted: reviews in full swing.
        states = [State.APPROVED] * 3 + [State.CHANGES_REQUESTED, State.SUBMITTED]
        for index, (window, milestone) in enumerate(
            zip(windows, self.content.milestones, strict=True)
        ):
            if milestone is not None:
                state = states[min(index, len(states) - 1)]
                self.showcase_submission(rng, sam, milestone, window, state)

        self.study_log(rng, sam.pk, windows, sorted(rng.sample(range(span), 330 * self.years)))

    def showcase_submission(self, rng, sam: User, milestone: Milestone, window, state) -> None:
        evidence = rng.choice(EVIDENCE_TEMPLATES).format(milestone=milestone.text)
        submission = Submission(
            learner=sam,
            milestone=milestone,
            state=state,
            evidence=evidence,
        )
        self.write(Submission, [submission])
        choices = [
            ("Repository", f"https://github.com/sam-showcase/{milestone.key}"),
            ("Write-up", f"https://sam.example.dev/{milestone.key}"),
            ("Dashboard", f"https://grafana.example.dev/d/{milestone.key}"),
        ]
        self.write(
            SubmissionLink,
            [
                SubmissionLink(submission=submission, title=title, url=url)
                for title, url in choices[: rng.randint(1, 3)]
            ],
        )

        mentor = self.mentor_ids[0] if self.mentor_ids else None  # signs change requests
        me = sam.pk
        steps = [
            ("", State.DRAFT, me, ""),
            ("", "", me, "Outline done; building the first version this week."),
        ]
        if state == State.APPROVED and rng.random() < 0.5:
            withdraw = "Withdrawn: forgot the README."
            steps += [
                (State.DRAFT, State.SUBMITTED, me, ""),
                (State.SUBMITTED, State.DRAFT, me, withdraw),
            ]
        steps.append((State.DRAFT, State.SUBMITTED, me, rng.choice(SUBMIT_COMMENTS[2:])))
        if state == State.APPROVED:
            steps.append((State.SUBMITTED, State.APPROVED, me, rng.choice(APPROVE_COMMENTS)))
        elif state == State.CHANGES_REQUESTED:
            request = rng.choice(CHANGE_REQUESTS)
            steps += [
                (State.SUBMITTED, State.CHANGES_REQUESTED, mentor, request),
                ("", "", me, "Fair point, working on it."),
            ]
        else:  # submitted again after one round of changes
            request, reply = rng.choice(CHANGE_REQUESTS), rng.choice(LEARNER_REPLIES)
            steps.append((State.SUBMITTED, State.CHANGES_REQUESTED, mentor, request))
            # Each year of history beyond the first adds a hundred comments to the
            # thread: the long thread the benchmark reads.
            for n in range(100 * (self.years - 1)):
                who, said = (me, LEARNER_REPLIES) if n % 2 else (mentor, CHANGE_REQUESTS)
                steps.append(("", "", who, rng.choice(said)))
            steps.append((State.CHANGES_REQUESTED, State.SUBMITTED, me, reply))

        # Drafted inside the phase; approved at its end, other reviews still open lately.
        end_ago = max(3, self.days_ago(window.end))
        first = end_ago + rng.randint(10, 25)
        last = end_ago - rng.randint(0, 2) if state == State.APPROVED else rng.randint(2, 12)
        last = max(1, min(last, first - 1))
        middle = sorted((rng.randint(last, first) for _ in steps[2:-1]), reverse=True)
        days = [first, first - rng.randint(0, 3), *middle, last][: len(steps)]
        stamps = sorted(self.stamp(rng, day) for day in days)
        events = [
            SubmissionEvent(
                submission=submission,
                actor_id=actor,
                from_state=frm,
                to_state=to,
                comment=comment,
            )
            for frm, to, actor, comment in steps
        ]
        self.write(SubmissionEvent, events)
        for event, when in zip(events, stamps, strict=True):  # created_at is auto_now_add
            event.created_at = when
        SubmissionEvent.objects.bulk_update(events, ["created_at"], batch_size=BATCH)
        submitted = [w for e, w in zip(events, stamps, strict=True) if e.to_state == "submitted"]
        Submission.objects.filter(pk=submission.pk).update(
            created_at=stamps[0],
            submitted_at=submitted[-1],
            self_approved=state == State.APPROVED,
            approved_at=stamps[-1] if state == State.APPROVED else None,
        )

    def study_log(self, rng, learner_id: int, windows, days_ago: list[int]) -> None:
        rows = []
        for ago in days_ago:
            day = self.today - timedelta(days=ago)
            index = self.phase_on(windows, day)
            rows.append(
                StudyLog(
                    learner_id=learner_id,
                    date=day,
                    phase=self.content.phases[index],
                    minutes=rng.randint(4, 36) * 5,
                    what=self.log_what(rng, index),
                )
            )
        self.write(StudyLog, rows)

    # -- bulk learners -----------------------------------------------------------------

    # -- practice --------------------------------------------------------------------------

    ANSWER = (
        "**Short version:** start from what the system must guarantee, then the trade-off "
        "I would make, what I would measure first, and a time it went wrong for me."
    )

    def practice(self) -> None:
        """Practice history, scheduled by FSRS as it would have been: the showcase answers
        every question over most of its history (hundreds of reviews); one bulk learner in
        three practises a handful of questions. Written CHUNK learners at a time."""
        self.practice_showcase()
        questions = self.questions
        people = []
        learners = (
            User.objects.filter(username__startswith=BULK_PREFIX)
            .order_by("username")
            .values_list("pk", "username")
        )
        for pk, username in learners.iterator(chunk_size=2000):
            rng = random.Random(f"{self.seed}:practice:{username}")
            if rng.random() < 1 / 3:
                people.append((pk, f"{self.seed}:practice:{username}", rng.randint(2, 12), 90))
            if len(people) == CHUNK:
                self.practice_chunk(questions, people)
                people = []
        self.practice_chunk(questions, people)

    @cached_property
    def questions(self) -> list[Question]:
        return list(Question.objects.current().order_by("phase__order", "order"))

    def practice_showcase(self) -> None:
        showcase = User.objects.get(username=SHOWCASE).pk
        seed = f"{self.seed}:practice:{SHOWCASE}"
        people = [(showcase, seed, len(self.questions), 330 * self.years)]
        self.practice_chunk(self.questions, people)

    def practice_chunk(self, questions: list[Question], people: list[tuple]) -> None:
        """Cards, answers and reviews of `people`: (learner id, seed, questions, days)."""
        sched = scheduler()
        now = self.midnight
        cards, answers, reviews = [], [], []
        for learner_id, seed, count, span in people:
            rng = random.Random(seed)
            for question in questions[:count]:
                card = fsrs.Card()
                at = now - timedelta(days=rng.randint(span // 3, span), hours=rng.randint(0, 12))
                history, first = [], True
                while at < now:
                    rating = rng.choices([1, 2, 3, 4], weights=[1, 2, 6, 2])[0]
                    before = card.due if not first else at
                    card, _ = sched.review_card(card, fsrs.Rating(rating), review_datetime=at)
                    history.append((at, rating, before, card.due, first))
                    first = False
                    at = card.due + timedelta(hours=rng.randint(1, 30))
                row = Card(
                    learner_id=learner_id,
                    question=question,
                    reps=len(history),
                    lapses=sum(1 for h in history if h[1] == 1),
                    last_rating=history[-1][1] if history else None,
                )
                row.take(card)
                cards.append((row, history))
        self.write(Card, [row for row, _ in cards])
        for row, history in cards:
            for at, rating, before, after, first in history:
                points = len(row.question.key_points)
                answer = Answer(
                    learner_id=row.learner_id,
                    question=row.question,
                    status="rated",
                    body=self.ANSWER,
                    rating=rating,
                    covered_points=list(range(min(points, rating + 1))),
                    qualities=["specificity"] if rating >= 3 else [],
                    started_at=at - timedelta(minutes=12),
                    submitted_at=at,
                    revealed_at=at,
                    rated_at=at,
                )
                answers.append(answer)
                reviews.append(
                    Review(
                        learner_id=row.learner_id,
                        card=row,
                        answer=answer,
                        rating=rating,
                        qualities=answer.qualities,
                        reviewed_at=at,
                        was_new=first,
                        due_before=before,
                        due_after=after,
                    )
                )
        self.write(Answer, answers)
        self.write(Review, reviews)

    def mentorships(self) -> None:
        """mentor-01 mentors the showcase and the first --mentees (50) bulk learners: a full
        review queue; every other mentor takes a few bulk learners."""
        mentors = list(User.objects.filter(username__startswith=MENTOR_PREFIX).order_by("username"))
        if not mentors:
            return
        learners = (
            User.objects.filter(username__startswith=BULK_PREFIX)
            .order_by("username")
            .values_list("pk", flat=True)
        )
        showcase = User.objects.get(username=SHOWCASE).pk
        rows = [Mentorship(learner_id=showcase, mentor=mentors[0])]
        for n, pk in enumerate(learners.iterator(chunk_size=2000)):
            i = n - self.mentees
            if i < 0:
                rows.append(Mentorship(learner_id=pk, mentor=mentors[0]))
            elif i % 3 == 0 and len(mentors) > 1:
                rows.append(Mentorship(learner_id=pk, mentor=mentors[1 + i % (len(mentors) - 1)]))
            if len(rows) >= BATCH:
                self.write(Mentorship, rows)
                rows = []
        self.write(Mentorship, rows)

    def assessments(self) -> None:
        """Monthly self-assessments for the showcase's history, rising from weak to strong."""
        rng = random.Random(f"{self.seed}:assessments")
        sam = User.objects.get(username=SHOWCASE)
        dimensions = list(Dimension.objects.current().order_by("order"))
        months = 12 * self.years
        rows = [
            Assessment(
                learner=sam,
                rater=sam,
                role="self",
                created_at=self.stamp(rng, 365 * self.years - month * 30),
            )
            for month in range(months)
        ]
        self.write(Assessment, rows)
        evidence = "See my milestone evidence and practice history."
        scores = []
        for month, assessment in enumerate(rows):
            for i, d in enumerate(dimensions):
                base = 1 + month * 3 // (months - 1) + (1 if i in (2, 3) and month > 6 else 0)
                value = max(1, min(5, base + rng.choice([-1, 0, 0, 1]) * (month % 3 == 0)))
                scores.append(
                    Score(assessment=assessment, dimension=d, score=value, evidence=evidence)
                )
        self.write(Score, scores)

    def bulk(self, count: int) -> None:
        names = self.names(BULK_PREFIX, count, 4)
        for start in range(0, count, CHUNK):
            self.bulk_chunk(names[start : start + CHUNK])

    def bulk_chunk(self, names: list[str]) -> None:
        rngs = {name: random.Random(f"{self.seed}:{name}") for name in names}
        specs, users = {}, []
        for name in names:
            rng = rngs[name]
            ago = rng.randint(0, 300)
            specs[name] = (
                ago,
                rng.randint(6, 18),
                rng.choice([None, *self.content.backgrounds]),
                rng.randint(5, 20),
            )
            users.append(self.user(rng, name, self.person(rng), ago + rng.randint(1, 5)))
        self.write(User, users)

        plans, progress, submissions, threads, logs = [], [], [], [], []
        for user in users:
            rng = rngs[user.username]
            ago, months, background, weekly_hours = specs[user.username]
            start = self.today - timedelta(days=ago)
            plans.append(
                Plan(
                    learner_id=user.pk,
                    roadmap=self.content.roadmap,
                    start_date=start,
                    months=months,
                    background=background,
                    weekly_hours=weekly_hours,
                )
            )
            windows = self.windows(start, months)
            done_phases = self.bulk_progress(rng, user.pk, start, months, background, progress)
            if ago >= 2:
                self.bulk_submissions(rng, user.pk, done_phases, windows, submissions, threads)
            share = rng.uniform(0.3, 0.6)
            active = [d for d in range(ago + 1) if rng.random() < share][:LOG_CAP]
            for days_ago in active:  # most recent first, so the cap keeps the latest days
                day = self.today - timedelta(days=days_ago)
                index = self.phase_on(windows, day)
                logs.append(
                    StudyLog(
                        learner_id=user.pk,
                        date=day,
                        phase=self.content.phases[index],
                        minutes=rng.choice((15, 20, 30, 45, 60, 60, 90, 120, 150)),
                        what=self.log_what(rng, index),
                    )
                )

        self.write(Plan, plans)
        self.write(ItemProgress, progress)
        self.write(
            ItemLink,
            [
                ItemLink(
                    progress=row,
                    title="My notes",
                    url=f"https://notes.example.com/{row.learner_id}/{_slug(row.item)}",
                )
                for row in progress
                if row.note
            ],
        )

        # created_at is auto_now_add: write, then put the intended times back.
        created = [thread[0].created_at for thread in threads]
        self.write(Submission, submissions)
        for submission, when in zip(submissions, created, strict=True):
            submission.created_at = when
        Submission.objects.bulk_update(submissions, ["created_at"], batch_size=BATCH)
        events, links = [], []
        for submission, thread in zip(submissions, threads, strict=True):
            for event in thread:
                event.submission = submission
                events.append(event)
            url = f"https://github.com/example/{submission.learner_id}-{submission.milestone.key}"
            links.append(SubmissionLink(submission=submission, title="Repository", url=url))
        created = [event.created_at for event in events]
        self.write(SubmissionEvent, events)
        for event, when in zip(events, created, strict=True):
            event.created_at = when
        SubmissionEvent.objects.bulk_update(events, ["created_at"], batch_size=BATCH)
        self.write(SubmissionLink, links)
        self.write(StudyLog, logs)

    def bulk_progress(self, rng, learner_id, start, months, background, out: list) -> int:
        """Append the learner's ItemProgress rows (a prefix of the roadmap); return the
        number of phases fully walked."""
        ago = self.days_ago(start)
        total_days = (schedule.plan_end(start, months) - start).days
        # How far along the roadmap: the calendar's share times the learner's pace.
        pace = rng.uniform(0.1, 0.4) if rng.random() < 0.1 else rng.uniform(0.8, 1.6)
        reached = min(1.0, ago / total_days * pace)
        if ago < 2 or reached <= 0:
            return 0
        weeks_total, before, done_phases = sum(self.content.weeks), 0, 0
        for index, items in enumerate(self.content.items):
            low = before / weeks_total
            before += self.content.weeks[index]
            high = before / weeks_total
            if reached <= low:
                break
            part = min(1.0, (reached - low) / (high - low))
            taken = round(part * len(items))
            done_phases += part >= 1.0
            for k, item in enumerate(items[:taken]):
                row = ItemProgress(learner_id=learner_id, **{_field(item): item})
                roll = rng.random()
                if part < 1.0 and k >= taken - 2 and roll < 0.5:
                    row.status = ItemStatus.DOING
                elif roll < 0.06:
                    row.status = ItemStatus.SKIPPED
                elif isinstance(item, Goal) and background is not None and roll < 0.1:
                    row.status = ItemStatus.CREDITED
                    row.credit_evidence = rng.choice(CREDIT_EVIDENCE)
                    row.completed_at = self.stamp(rng, ago)
                else:
                    row.status = ItemStatus.DONE
                    # Done when the learner's pace reached the item, give or take a few days.
                    position = (low + (k + 1) / len(items) * (high - low)) / reached
                    done_ago = ago - round(position * ago) + rng.randint(-3, 3)
                    row.completed_at = self.stamp(rng, min(done_ago, ago))
                if rng.random() < 0.12:
                    row.note = rng.choice(BULK_NOTES)
                out.append(row)
        return done_phases

    def bulk_submissions(self, rng, learner_id, done_phases, windows, out, threads) -> None:
        """Append up to three submissions in phase order, each with its event thread."""
        reachable = [
            i
            for i in range(min(done_phases + 1, len(self.content.phases)))
            if self.content.milestones[i] is not None
        ]
        for index in reachable[: rng.randint(0, 3)]:
            if index < done_phases:
                options = [State.APPROVED, State.SUBMITTED, State.CHANGES_REQUESTED, State.DRAFT]
                state = rng.choices(options, weights=[60, 20, 10, 10])[0]
            else:
                options = [State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED]
                state = rng.choices(options, weights=[50, 35, 15])[0]
            window = windows[index]
            last = max(1, self.days_ago(window.end))
            first = max(last, min(self.days_ago(window.start) - 1, last + 30))
            steps = [("", State.DRAFT, learner_id, "")]
            if state != State.DRAFT:
                steps.append(
                    (State.DRAFT, State.SUBMITTED, learner_id, rng.choice(SUBMIT_COMMENTS))
                )
            if state == State.APPROVED:
                steps.append(
                    (State.SUBMITTED, State.APPROVED, learner_id, rng.choice(APPROVE_COMMENTS))
                )
            if state == State.CHANGES_REQUESTED:
                mentor = rng.choice(self.mentor_ids) if self.mentor_ids else None
                steps.append(
                    (State.SUBMITTED, State.CHANGES_REQUESTED, mentor, rng.choice(CHANGE_REQUESTS))
                )
            stamps = sorted(self.stamp(rng, rng.randint(last, first)) for _ in steps)
            thread = [
                SubmissionEvent(
                    actor_id=actor,
                    from_state=frm,
                    to_state=to,
                    comment=comment,
                    created_at=when,
                )
                for (frm, to, actor, comment), when in zip(steps, stamps, strict=True)
            ]
            submitted = [e.created_at for e in thread if e.to_state == State.SUBMITTED]
            evidence = rng.choice(EVIDENCE_TEMPLATES).format(
                milestone=self.content.milestones[index]
            )
            out.append(
                Submission(
                    learner_id=learner_id,
                    milestone=self.content.milestones[index],
                    state=state,
                    evidence=evidence,
                    self_approved=state == State.APPROVED,
                    submitted_at=submitted[-1] if submitted else None,
                    approved_at=stamps[-1] if state == State.APPROVED else None,
                )
            )
            threads.append(thread)
