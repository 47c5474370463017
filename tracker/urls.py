from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from roadmap import urls as roadmap_urls

from .forms.accounts import QueuedPasswordResetForm
from .views import (
    accounts,
    assessment,
    dashboard,
    items,
    log,
    mentoring,
    milestones,
    pages,
    plan,
    practice,
    recordings,
    reminders,
    share,
    trust,
)

urlpatterns = [
    path("", pages.home, name="home"),
    path("hiring/labs/", include("labs.urls")),  # before any other hiring/ include
    path("hiring/", include("hiring.urls")),
    # The content pages, and the phase page, which shows the learner's rows as well.
    path(
        "",
        include(
            (
                [
                    *roadmap_urls.urlpatterns,
                    path("roadmap/<slug:phase>/", pages.phase_detail, name="phase"),
                ],
                roadmap_urls.app_name,
            )
        ),
    ),
    path("healthz/", accounts.healthz, name="healthz"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("plan/", plan.plan_view, name="plan"),
    path("plan/calendar.ics", plan.plan_calendar, name="plan_calendar"),
    path("progress/<str:kind>/<int:pk>/status/", items.item_status, name="item_status"),
    path("progress/<str:kind>/<int:pk>/note/", items.item_note, name="item_note"),
    path("progress/<str:kind>/<int:pk>/links/", items.item_link_add, name="item_link_add"),
    path("progress/links/<int:pk>/delete/", items.item_link_delete, name="item_link_delete"),
    path(
        "milestones/start/<int:milestone_id>/", milestones.milestone_start, name="milestone_start"
    ),
    path("milestones/<int:pk>/", milestones.milestone_detail, name="milestone"),
    path("milestones/<int:pk>/comment/", milestones.milestone_comment, name="milestone_comment"),
    path(
        "milestones/<int:pk>/transition/",
        milestones.milestone_transition,
        name="milestone_transition",
    ),
    path(
        "milestones/<int:pk>/images/<int:image_id>/<str:size>/",
        milestones.milestone_image,
        name="milestone_image",
    ),
    path("log/", log.log_view, name="log"),
    path("log/<int:pk>/delete/", log.log_delete, name="log_delete"),
    path("practice/", practice.practice_queue, name="practice"),
    path("practice/stats/", practice.practice_stats_view, name="practice_stats"),
    path("practice/more/", practice.practice_more, name="practice_more"),
    path("practice/answers/<int:pk>/rate/", practice.practice_rate, name="practice_rate"),
    path("practice/answers/<int:pk>/reveal/", practice.practice_reveal, name="practice_reveal"),
    path("practice/answers/<int:pk>/suggest/", practice.practice_suggest, name="practice_suggest"),
    path("practice/<slug:key>/", practice.practice_answer, name="practice_answer"),
    path("interview/", practice.interview_list, name="interviews"),
    path("interview/<int:pk>/", practice.interview_detail, name="interview"),
    path(
        "interview/<int:pk>/answer/<int:question_id>/",
        practice.interview_answer,
        name="interview_answer",
    ),
    path("interview/<int:pk>/finish/", practice.interview_finish_view, name="interview_finish"),
    path(
        "practice/<slug:key>/recordings/", recordings.practice_recording, name="practice_recording"
    ),
    path(
        "interview/<int:pk>/recordings/<int:question_id>/",
        recordings.interview_recording,
        name="interview_recording",
    ),
    path("recordings/<int:pk>/", recordings.recording_view, name="recording"),
    path("recordings/<int:pk>/delete/", recordings.recording_delete_view, name="recording_delete"),
    path("assessment/", assessment.assessment_view, name="assessment"),
    path("assessment/screen/", assessment.assessment_screen, name="assessment_screen"),
    path("settings/", accounts.settings_view, name="settings"),
    path("settings/portfolio/", accounts.portfolio_settings, name="portfolio_settings"),
    path("settings/export.json", accounts.export_view, name="export"),
    path("settings/export.schema.json", accounts.export_schema_view, name="export_schema"),
    path("settings/import/", accounts.import_view, name="import"),
    path("settings/delete/", accounts.delete_view, name="delete_account"),
    path("mentors/", mentoring.mentors_view, name="mentors"),
    path("mentors/invite/", mentoring.invite_new, name="invite_new"),
    path("mentors/invites/<int:pk>/revoke/", mentoring.invite_revoke_view, name="invite_revoke"),
    path("mentorships/<int:pk>/end/", mentoring.mentorship_end_view, name="mentorship_end"),
    path("invite/<str:token>/", mentoring.invite_view, name="invite"),
    path("mentor/", mentoring.mentor_home, name="mentor_home"),
    path("mentor/<str:username>/", mentoring.mentee_view, name="mentee"),
    path(
        "mentor/<str:username>/answers/<int:pk>/comment/",
        mentoring.mentee_answer_comment,
        name="mentee_answer_comment",
    ),
    path(
        "mentor/<str:username>/answers/<int:pk>/rate/",
        mentoring.mentee_answer_rate,
        name="mentee_answer_rate",
    ),
    path(
        "mentor/<str:username>/credits/<int:pk>/",
        trust.mentee_credit_review,
        name="mentee_credit_review",
    ),
    path("notifications/", mentoring.notifications_view, name="notifications"),
    path("notifications/<int:pk>/", mentoring.notification_open, name="notification"),
    path("u/<str:username>/", share.portfolio, name="portfolio"),
    path("u/<str:username>/card.png", share.card, name="card"),
    path("u/<str:username>/avatar.png", share.avatar, name="avatar"),
    path("u/<str:username>/images/<int:image_id>/", share.evidence_image, name="evidence_image"),
    path("jobs/", include("jobs.urls")),
    path("settings/reminders/", reminders.reminders_save, name="reminders_save"),
    path("settings/calendar/rotate/", reminders.calendar_rotate, name="calendar_rotate"),
    path("calendar/<str:token>.ics", reminders.calendar_feed, name="calendar_feed"),
    path("unsubscribe/<str:token>/", reminders.unsubscribe, name="unsubscribe"),
    path(
        "notifications/<int:pk>/mute/", reminders.notification_mute_view, name="notification_mute"
    ),
    path(
        "notifications/mutes/<int:pk>/delete/",
        reminders.notification_unmute_view,
        name="notification_unmute",
    ),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 with Retry-After; anything else the plain 500 page.
handler500 = "tracker.errors.server_error"
