from django.urls import path

from . import views

app_name = "labs"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/<slug:key>/", views.start, name="start"),
    path("<int:pk>/", views.attempt_view, name="attempt"),
    path("<int:pk>/run/", views.run, name="run"),
    path("<int:pk>/notes/", views.notes, name="notes"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/comment/", views.comment, name="comment"),
]
