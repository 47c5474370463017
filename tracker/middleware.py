"""Show times in the learner's own time zone."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone


class LearnerTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", "") if user is not None else ""
        try:
            if zone and user.is_authenticated:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


CSRF_PLACEHOLDER = "__rampup_csrf_token__"


class CsrfPlaceholderMiddleware:
    """Fill the placeholder of {% csrf_field %} with the visitor's own CSRF token.

    Listed after CsrfViewMiddleware, so that middleware sees the token was used and
    sets the cookie on this same response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        marker = CSRF_PLACEHOLDER.encode()
        if (
            not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and marker in response.content
        ):
            from django.middleware.csrf import get_token

            response.content = response.content.replace(marker, get_token(request).encode())
        return response
