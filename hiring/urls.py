from django.urls import path

from . import views

app_name = "hiring"
urlpatterns = [
    path("", views.index, name="index"),
    path("resume/", views.resume, name="resume"),
    path("rounds/<slug:key>/start/", views.start, name="start"),
    path("attempts/<int:pk>/", views.attempt_view, name="attempt"),
    path("attempts/<int:pk>/save/", views.attempt_save, name="attempt_save"),
    path("attempts/<int:pk>/judge/", views.attempt_judge_view, name="attempt_judge"),
    path("attempts/<int:pk>/updates/", views.trial_update, name="trial_update"),
    path(
        "attempts/<int:pk>/diagrams/<int:image_id>/<str:size>/",
        views.diagram,
        name="diagram",
    ),
]
