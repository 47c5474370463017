"""`manage.py send_reminders`: nudge mentors about reviews waiting 7 and 14 days.

Safe to run from cron every hour: each wait of each submission is reminded once per
threshold (tracker.mentoring.send_reminders keeps a row per reminder sent).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tracker.mentoring import send_reminders


class Command(BaseCommand):
    help = "Nudge mentors about submissions waiting 7 and 14 days for review."

    def handle(self, *args, **options) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
