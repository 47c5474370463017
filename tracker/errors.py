"""The server-error handler: a database outage is "come back soon", not "we broke".

Django calls `handler500` while the exception is still being handled, wherever it was
raised (a view, or a middleware loading the session), so `sys.exc_info()` says what
failed. A lost database is temporary and the same for every page: 503 with
`Retry-After` tells browsers, crawlers and load balancers to come back, where a 500
says this page is broken. Neither page touches the database or the request context.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
