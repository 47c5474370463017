"""The project's URLs plus a stand-in for the GPU-debugging lab app (namespace `labs`)."""

from django.http import HttpResponse
from django.urls import include, path

from tracker.urls import urlpatterns as project

urlpatterns = [
    path(
        "hiring/labs/", include(([path("", lambda r: HttpResponse("lab"), name="index")], "labs"))
    ),
    *project,
]
