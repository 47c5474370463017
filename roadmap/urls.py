from django.urls import path

from . import views

app_name = "roadmap"
urlpatterns = [
    path("roadmap/", views.roadmap_index, name="index"),
    path("roadmap/<slug:phase>/", views.phase_detail, name="phase"),
    path("skills/", views.skills, name="skills"),
    path("rubric/", views.rubric, name="rubric"),
    path("questions/", views.question_list, name="questions"),
    path("questions/<slug:key>/", views.question_detail, name="question"),
    path("career/", views.career, name="career"),
    path("roles/", views.roles, name="roles"),
    path("landscape/", views.landscape, name="landscape"),
    path("hiring/", views.hiring, name="hiring"),
]
