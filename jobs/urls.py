from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.board_view, name="board"),
    path("new/", views.application_new, name="new"),
    path("funnel/", views.funnel_view, name="funnel"),
    path("companies/", views.targets_view, name="targets"),
    path("offer/", views.offer_view, name="offer"),
    path("contributions/", views.contributions_view, name="contributions"),
    path("contributions/<int:pk>/", views.contribution_edit, name="contribution"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("resume/", views.resume_view, name="resume"),
    path("<int:pk>/", views.application_edit, name="application"),
    path("<int:pk>/move/", views.application_move, name="move"),
    path("<int:pk>/delete/", views.application_delete, name="delete"),
]
