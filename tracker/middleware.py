"""The site's own middleware: the learner's time zone, no-store for signed-in pages, the
CSRF placeholder filled per visitor, and 401 for a signed-out htmx request."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac

from roadmap.markdown import CSRF_PLACEHOLDER_SHAPE

from .schedule import zone_for


class LearnerTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", "") if user is not None else ""
        if zone and user.is_authenticated:
            timezone.activate(zone_for(zone))  # times show in the learner's own zone
        else:
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


# Unguessable (derived from SECRET_KEY) so no one can type it into their own text; and
# only its exact form inside {% csrf_field %}'s hidden input is replaced, which text a
# user writes cannot produce: templates escape the quotes in plain fields, and the
# markdown renderer strips the placeholder from what it renders.
CSRF_PLACEHOLDER = (
    "csrf-placeholder-"
    + salted_hmac(
        "tracker.middleware.CsrfPlaceholderMiddleware", "placeholder", algorithm="sha256"
    ).hexdigest()[:32]
)
# The markdown renderer strips anything of this shape from user text.
assert CSRF_PLACEHOLDER_SHAPE.fullmatch(CSRF_PLACEHOLDER)
CSRF_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'


class CsrfPlaceholderMiddleware:
    """Fill the placeholder of {% csrf_field %} with the visitor's own CSRF token.

    Listed after CsrfViewMiddleware, so that middleware sees the token was used and
    sets the cookie on this same response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        field = CSRF_FIELD.encode()
        if (
            not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and field in response.content
        ):
            from django.middleware.csrf import get_token

            filled = CSRF_FIELD.replace(CSRF_PLACEHOLDER, get_token(request)).encode()
            response.content = response.content.replace(field, filled)
        return response


class HtmxLoginRequiredMiddleware:
    """An htmx request from a signed-out visitor gets 401, not the login page.

    htmx follows a redirect and would swap the whole login page into the small element
    the request targets (an autosave status inside a form). A 401 is not swapped: the
    page keeps what was typed and says it was not saved (static/js/app.js); HX-Redirect
    is not used, since leaving the page would leave the unsaved text behind.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.headers.get("HX-Request") == "true"
            and (user is None or not user.is_authenticated)
            and response.status_code == 302
            and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
        ):
            unauthorised = HttpResponse("Signed out.", status=401, content_type="text/plain")
            patch_cache_control(unauthorised, no_store=True)
            return unauthorised
        return response


COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for text only: images and PNG cards are
    already compressed, and gzipping them again costs CPU for nothing."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
