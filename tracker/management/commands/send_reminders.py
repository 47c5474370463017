"""`manage.py send_reminders`: nudge mentors about reviews waiting 7 and 14 days, and
learners about practice due, a slipping schedule, a streak about to break and a review
waiting for their reply; the weekly digest on Mondays.

Safe to run from cron every hour, on as many machines as you like: every reminder is
recorded once per period (tracker.mentoring / tracker.reminders keep a row per reminder
sent), and each learner's come at the time of day they chose, in their time zone.
`--every SECONDS` keeps running and checks after each pause (the Procfile's clock; the
first check comes after the first pause, so a run by hand at start-up is the one that
sends what is due then).
The emails themselves are tasks: a worker (`manage.py db_worker`) sends them.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from tracker.mentoring import send_reminders
from tracker.reminders import send_learner_reminders


class Command(BaseCommand):
    help = "Send the reminders that are due (mentors' reviews, learners' reminders, digests)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running: check again after this many seconds.",
        )

    def handle(self, *args, every: int | None = None, **options) -> None:
        while True:
            if every:
                time.sleep(every)
            mentors = send_reminders()
            learners = send_learner_reminders()
            self.stdout.write(
                f"{mentors} reminder{'s' if mentors != 1 else ''} sent to mentors, "
                f"{learners} to learners."
            )
            if not every:
                return
