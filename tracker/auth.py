"""The authentication backend: Django's, with the learner's plan loaded alongside."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .models import Mentorship, User


class RampupBackend(ModelBackend):
    def get_user(self, user_id):
        # Nearly every logged-in page needs the plan, and the navigation whether the
        # user mentors anyone: fetch both with the user, in the query the session
        # middleware makes anyway.
        active_mentee = Mentorship.objects.active().filter(mentor=OuterRef("pk"))
        try:
            user = (
                User._default_manager.select_related("plan__roadmap", "plan__background")
                .annotate(mentors_someone=Exists(active_mentee))
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
