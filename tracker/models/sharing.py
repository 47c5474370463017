"""What a learner shares publicly and is worth keeping between requests: the progress
card, drawn by a task (tracker.tasks.draw_progress_card) and stored here."""

from __future__ import annotations

from django.db import models

from .core import User


class ProgressCard(models.Model):
    """The learner's last drawn card (a 1200×630 PNG, tracker.portfolio.draw_card) and the
    version of their public data it shows (tracker.portfolio.card_version): the card URL
    serves it while the version matches and queues one redraw when it does not.

    The PNG lives in the row, not in media storage: every web server and worker sees it,
    it goes with the account in the same transaction (CASCADE) and it is derived data,
    so export leaves it out. `pending` is the version a redraw was queued for, so a
    stream of visitors to a stale card queues one task, not one each."""

    learner = models.OneToOneField(User, on_delete=models.CASCADE, related_name="progress_card")
    version = models.CharField(max_length=64)  # sha256 of the key it was drawn for
    png = models.BinaryField()
    drawn_at = models.DateTimeField()
    pending = models.CharField(max_length=64, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Progress card of {self.learner_id}, drawn {self.drawn_at:%Y-%m-%d %H:%M}"
