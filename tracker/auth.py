"""The authentication backend: Django's, with the learner's plan loaded alongside; and
the client address login throttling keys on."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

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


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person logging in, for django-axes.

    Behind TRUSTED_PROXY_COUNT proxies, REMOTE_ADDR is the nearest proxy (the same for
    everyone), and each proxy appends the address it was called from to X-Forwarded-For.
    So the client is the Nth entry from the right: entries further left were written by
    whoever sent the request, and anyone can write anything there.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass  # not an address: a misconfigured proxy; fall back to the peer
    return remote
