from django.urls import path

from . import views

app_name = "roadmap"
# The phase page (roadmap:phase) shows a learner's own rows too: tracker/urls.py adds it.
urlpatterns = [
    path("roadmap/", views.roadmap_index, name="index"),
    path("skills/", views.skills, name="skills"),
    path("rubric/", views.rubric, name="rubric"),
    path("questions/", views.question_list, name="questions"),
    path("questions/<slug:key>/", views.question_detail, name="question"),
    path("career/", views.career, name="career"),
    path("roles/", views.roles, name="roles"),
    path("landscape/", views.landscape, name="landscape"),
]
