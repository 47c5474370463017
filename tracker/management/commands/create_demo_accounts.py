"""`manage.py create_demo_accounts`: the demo learner and mentor for `make run`.

Idempotent: running it again resets the passwords and keeps everything else. The
demo learner gets, once, a plan under way: phase 1 finished with its milestone
self-approved, phase 2 half done with its milestone submitted, and a few weeks of
study log, so a newcomer sees a living product.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from roadmap.models import Background, Dimension, Phase, Question, Roadmap
from tracker import schedule
from tracker.assessment import assessment_create
from tracker.models import (
    Assessment,
    Card,
    ItemProgress,
    ItemStatus,
    Mentorship,
    Plan,
    ReminderSettings,
    StudyLog,
    Submission,
    SubmissionEvent,
    User,
)
from tracker.plans import item_save_note, item_set_status, plan_save
from tracker.practice import answer_rate, answer_save
from tracker.submissions import (
    submission_comment,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

PASSWORD = "rampup-demo"
ACCOUNTS = {
    "demo-learner": "Dana Learner",
    "demo-mentor": "Morgan Mentor",
}


class Command(BaseCommand):
    help = "Create (or refresh) the demo accounts demo-learner and demo-mentor."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            help="Create the demo accounts even with DEBUG off.",
        )

    def handle(self, *args, **options) -> None:
        # The demo password is in the README: on a real site it is an open door.
        if not settings.DEBUG and not options["i_know_this_is_production"]:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo accounts have a "
                f"published password ({PASSWORD}). Add --i-know-this-is-production to "
                "create them anyway."
            )
        users = {}
        for username, display_name in ACCOUNTS.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"display_name": display_name}
            )
            user.set_password(PASSWORD)
            # An address, so reminders and notifications show in the console (make run).
            user.email = user.email or f"{username}@example.com"
            user.save()
            users[username] = user
            self.stdout.write(f"  {username} / {PASSWORD}  ({'created' if created else 'kept'})")
        learner = users["demo-learner"]
        # Reminded from midnight, so `send_reminders` shows one at any hour of the day.
        ReminderSettings.objects.update_or_create(user=learner, defaults={"remind_at": time(0)})
        if not Plan.objects.filter(learner=learner).exists():
            self.demo_plan(learner)
            User.objects.filter(pk=learner.pk).update(portfolio_public=True)
            self.stdout.write("  demo-learner has a plan under way")
        mentor = users["demo-mentor"]
        if not Mentorship.objects.filter(mentor=mentor).exists():
            self.demo_mentoring(mentor, learner)
            self.stdout.write("  demo-mentor mentors demo-learner and two more, with a queue")

    def demo_practice(self, learner: User, now) -> None:
        """A few weeks of practice: some questions due today, one rated Again often."""
        questions = list(Question.objects.current().order_by("phase__order", "order")[:12])
        for i, question in enumerate(questions):
            when = now - timedelta(days=30 - i)
            for j, rating in enumerate((3, 3) if i % 3 else (1, 3)):
                at = when + timedelta(days=j * 4)
                answer = answer_save(
                    user=learner,
                    question=question,
                    submit=True,
                    reveal=True,
                    now=at,
                    body=f"My take on this, attempt {j + 1}: the **key** "
                    "trade-off, then what I would measure first.",
                )
                answer_rate(
                    answer=answer,
                    covered=list(range(2 + j)),
                    qualities=["specificity"],
                    rating=rating,
                    now=at,
                )
        # Half of them due today, so the queue is alive on first visit; the rest later.
        Card.objects.filter(learner=learner, question__in=questions[::2]).update(
            due=now - timedelta(hours=2)
        )
        for i, question in enumerate(questions[1::2]):
            Card.objects.filter(learner=learner, question=question).update(
                due=now + timedelta(days=1 + i)
            )

    @transaction.atomic
    def demo_mentoring(self, mentor: User, learner: User) -> None:
        """demo-mentor mentors demo-learner (whose milestone 2 waits for review) and two
        more learners, one of whom has waited nine days."""
        now = timezone.now()
        Mentorship.objects.create(
            learner=learner, mentor=mentor, started_at=now - timedelta(days=20)
        )
        waiting = Submission.objects.filter(learner=learner, state="submitted").first()
        if waiting:
            submission_comment(
                submission=waiting,
                author=mentor,
                comment="Looks solid. Can you add the **Terraform plan** output "
                "and a screenshot of the pipeline run?",
            )
        roadmap = Roadmap.objects.get(key=settings.ROADMAP_KEY)
        phases = list(Phase.objects.current().prefetch_related("goals", "milestones"))
        for name, display, days in (("demo-ana", "Ana Ops", 9), ("demo-ben", "Ben Backend", 2)):
            other, _ = User.objects.get_or_create(username=name, defaults={"display_name": display})
            other.set_password(PASSWORD)
            other.save()
            plan_save(
                learner=other,
                roadmap=roadmap,
                start_date=now.date() - timedelta(days=40),
                months=12,
                background=None,
                weekly_hours=6,
            )
            for goal in phases[0].goals.all():
                item_set_status(learner=other, item=goal, status="done")
            Mentorship.objects.create(learner=other, mentor=mentor)
            s = submission_start(learner=other, milestone=phases[0].milestones.first())
            submission_save_evidence(
                submission=s, links=[], evidence="A VM on GCP, a VPC, and a cron'd backup script."
            )
            submission_transition(submission=s, actor=other, to_state="submitted")
            Submission.objects.filter(pk=s.pk).update(submitted_at=now - timedelta(days=days))

    def demo_assessments(self, learner: User, now) -> None:
        """Two self-assessments: a first honest one, and a better one this week."""
        dimensions = list(Dimension.objects.current().order_by("order"))
        for days, values in ((60, (2, 1, 3, 2, 3)), (3, (3, 2, 3, 3, 3))):
            a = assessment_create(
                learner=learner,
                rater=learner,
                role="self",
                scores={
                    d: (v, "From my DevOps work and the phase 1 milestone.")
                    for d, v in zip(dimensions, values, strict=True)
                },
            )
            Assessment.objects.filter(pk=a.pk).update(created_at=now - timedelta(days=days))

    @transaction.atomic
    def demo_plan(self, learner: User) -> None:
        roadmap = Roadmap.objects.get(key=settings.ROADMAP_KEY)
        today = schedule.today_for(learner.time_zone)
        start = today - timedelta(days=75)
        plan_save(
            learner=learner,
            roadmap=roadmap,
            start_date=start,
            months=9,
            background=Background.objects.current().filter(key="devops-sre").first(),
            weekly_hours=8,
        )
        phases = list(Phase.objects.current().prefetch_related("goals", "resources", "milestones"))
        now = timezone.now()
        first, second = phases[0], phases[1]
        items = [
            *first.goals.all(),
            *first.resources.all(),
            *list(second.goals.all())[:2],
            *list(second.resources.all())[:1],
        ]
        for item in items:
            item_set_status(learner=learner, item=item, status=ItemStatus.DONE)
        # Spread the completions over the weeks so the burn-up has a shape.
        for i, row in enumerate(ItemProgress.objects.filter(learner=learner).order_by("pk")):
            row.completed_at = now - timedelta(days=70 - i * 6)
            row.save(update_fields=["completed_at"])
        item_set_status(learner=learner, item=list(second.goals.all())[2], status="doing")
        item_save_note(
            learner=learner,
            item=first.goals.first(),
            note="Did the **Linux Upskill Challenge** in 20 days. Weak spot: `iptables`; revisit.",
        )
        for phase, approve in ((first, True), (second, False)):
            submission = submission_start(learner=learner, milestone=phase.milestones.first())
            submission_save_evidence(
                submission=submission,
                evidence=f"## What I built\n\nEvidence for phase {phase.order}: a repository "
                "with the code, a README that explains the design, and notes on what broke.",
                links=[("Repository", f"https://github.com/example/rampup-phase-{phase.order}")],
            )
            submission_transition(submission=submission, actor=learner, to_state="submitted")
            if approve:
                submission_transition(submission=submission, actor=learner, to_state="approved")
        Submission.objects.filter(learner=learner, milestone=first.milestones.first()).update(
            submitted_at=now - timedelta(days=40), approved_at=now - timedelta(days=39)
        )
        # Date the threads like the work: phase 1 a month ago, phase 2 this week.
        for i, event in enumerate(
            SubmissionEvent.objects.filter(submission__learner=learner).order_by("pk")
        ):
            event.created_at = now - timedelta(days=[42, 40, 39, 12, 3, 2][min(i, 5)])
            event.save(update_fields=["created_at"])
        self.demo_practice(learner, now)
        self.demo_assessments(learner, now)
        StudyLog.objects.bulk_create(
            StudyLog(
                learner=learner,
                date=today - timedelta(days=d),
                minutes=45 + (d * 7) % 60,
                phase=first if d > 45 else second,
                what="Kubernetes the Hard Way, chapter by chapter"
                if d % 2
                else "Terraform modules for the lab cluster",
            )
            for d in range(0, 60)
            if d % 5 != 3
        )
