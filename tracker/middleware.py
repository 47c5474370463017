"""Show times in the learner's own time zone."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from django.utils.cache import patch_cache_control


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


class PrivatePagesNoStoreMiddleware:
    """Send `Cache-Control: no-store` with every page a signed-in user gets.

    Their pages show their own data (and every page shows their name and unread
    count), so Back and Forward must fetch them again rather than show a copy from
    before the last change. Responses that chose their own caching (an evidence
    image, the public progress card) keep it; anonymous visitors' public pages keep
    their normal caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


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
