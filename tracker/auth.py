"""The authentication backend: Django's, with the learner's plan loaded alongside."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class RampupBackend(ModelBackend):
    def get_user(self, user_id):
        # Nearly every logged-in page needs the plan: fetch it with the user, in
        # the query the session middleware makes anyway.
        try:
            user = User._default_manager.select_related("plan__roadmap", "plan__background").get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
