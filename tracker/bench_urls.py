"""URLs for `manage.py bench` only: the site's, plus the floor page it measures against.

The floor page lives here rather than in tracker.urls so production has no such URL.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from .urls import urlpatterns as site_urlpatterns


@login_required
def floor(request):
    return render(request, "bench/floor.html")


urlpatterns = [path("__bench__/floor/", floor, name="bench_floor"), *site_urlpatterns]
