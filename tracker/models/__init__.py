"""The learner's and mentor's side, by domain: `core` (account, plan, progress,
submissions, study log), `practice` (interview-question practice, reviews and mock
interviews), `assessment` (rubric scores and the resume-screen self-check) and
`mentoring` (invites, mentorships, notifications, reminders, answer comments)."""

from .assessment import Assessment, Score, ScreenAnswer
from .core import (
    HISTORY_START,
    PLAN_MONTHS_MAX,
    PLAN_MONTHS_MIN,
    PLAN_START_AHEAD_DAYS,
    PLAN_START_PAST_DAYS,
    ItemLink,
    ItemProgress,
    ItemStatus,
    OwnedQuerySet,
    Plan,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionImage,
    SubmissionLink,
    User,
    _avatar_path,  # noqa: F401  (migrations refer to tracker.models._avatar_path)
    _image_path,  # noqa: F401  (migrations refer to tracker.models._image_path)
)
from .mentoring import (
    AnswerComment,
    Invite,
    Mentorship,
    Notification,
    ReminderSent,
)
from .practice import (
    LEECH_LAPSES,
    Answer,
    Card,
    MockInterview,
    Quality,
    Rating,
    Recording,
    Review,
)
from .reminders import EmailKind, NotificationMute, ReminderLog, ReminderSettings
from .sharing import ProgressCard

__all__ = [
    "PLAN_MONTHS_MAX",
    "PLAN_MONTHS_MIN",
    "LEECH_LAPSES",
    "HISTORY_START",
    "PLAN_START_AHEAD_DAYS",
    "PLAN_START_PAST_DAYS",
    "Answer",
    "AnswerComment",
    "Assessment",
    "Invite",
    "Mentorship",
    "Notification",
    "ReminderSent",
    "Card",
    "ItemLink",
    "ItemProgress",
    "ItemStatus",
    "MockInterview",
    "OwnedQuerySet",
    "Plan",
    "ProgressCard",
    "Quality",
    "Rating",
    "Recording",
    "Review",
    "Score",
    "ScreenAnswer",
    "StudyLog",
    "Submission",
    "SubmissionEvent",
    "SubmissionImage",
    "SubmissionLink",
    "User",
    "EmailKind",
    "NotificationMute",
    "ReminderLog",
    "ReminderSettings",
]
