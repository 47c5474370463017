"""The export file's shape, as pydantic models: one description for the JSON Schema a
reader downloads (`json_schema()`, served at /settings/export.schema.json) and for the
import, which parses every file through `ExportFile` before it reads a single key.

Longer than 400 lines on purpose: one model per section of the file, its prose
description and the field rules they share read best top to bottom in one place.

Every value an import accepts satisfies the rules of the form that creates it on this
site: lengths are the models' max lengths, numbers their validators' bounds (and the
database's integer range), choices their choices, links http(s) only, dates within
the range the app computes with, and text holds no control character but a newline
or a tab (a NUL is refused by PostgreSQL; a lone surrogate by any UTF-8 database).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

import fsrs
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from roadmap.models import RubricItem

from ..forms import http_url
from ..models import (
    HISTORY_START,
    PLAN_START_AHEAD_DAYS,
    PLAN_START_PAST_DAYS,
    Answer,
    Assessment,
    Card,
    EmailKind,
    ItemLink,
    ItemProgress,
    ItemStatus,
    MockInterview,
    Notification,
    Plan,
    Quality,
    Rating,
    Score,
    ScreenAnswer,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionImage,
    User,
)
from ..portfolio import SECTIONS
from . import sections

SCHEMA = "rampup-export"
EXPORT_VERSION = 2
# Version 1 files (before the portfolio choices and the apps' sections) still import.
READ_VERSIONS = (1, 2)
# A card may be scheduled far ahead (FSRS caps an interval at 100 years), never further.
SCHEDULE_AHEAD_DAYS = 101 * 366

SCHEMA_DOC = """\
Rampup export format, version 2
===============================

One JSON object. Dates are ISO 8601 (`2025-03-01`), times are ISO 8601 with their UTC
offset (`2025-03-01T09:30:00.123456+00:00`); absent values are `null`. Roadmap content
(phases, goals, resources, milestones, rubric dimensions and items, questions,
backgrounds) is named by its stable key, never by a database id, so a file can be
imported on any Rampup site that serves the same roadmap.

- `schema`: always "rampup-export"; `version`: 2 (a version 1 file, which has no
  portfolio choices and no sections of other apps, imports too); `exported_at`: when the
  file was made.
- `user`: username, email, display_name, time_zone, daily_new_cap, daily_review_cap,
  desired_retention (0.8 to 0.95),
  mentor_capacity, portfolio_public, and the portfolio's choices: portfolio_hidden (the
  sections left out: progress, milestones, rubric, practice, rounds, contributions),
  portfolio_hide_self_scores, portfolio_headline, portfolio_pitch. An import restores all
  but username and email.
- `plan`: roadmap (key), start_date, months, background (key or null), weekly_hours;
  or null when there is no plan.
- `progress`: one entry per goal or resource touched: kind ("goal" or "resource"),
  phase (key), item (key), status (todo, doing, done, skipped, credited), note
  (markdown), credit_evidence, completed_at, links [{title, url}], credit_review (a
  mentor's word on a credit: "", "confirmed" or "questioned"; never imported).
- `submissions`: one per milestone: phase and milestone (keys), state (draft,
  submitted, changes_requested, approved), evidence (markdown), self_approved,
  submitted_at, approved_at, links [{title, url}], images [{url, width, height,
  caption}] (the url serves the full image to the signed-in owner; images are not
  carried by an import), events [{actor, from_state, to_state, comment, created_at}]:
  the review thread, oldest first; actor is a username, or null for a deleted user.
- `assessments`: oldest first: role ("self" or "mentor"), rater (username or null),
  created_at, scores [{rubric, dimension, score (1-5), evidence}].
- `screen_answers`: rubric, kind ("screen_check" or "red_flag"), item (key), applies,
  evidence.
- `practice`:
  - `cards`: the spaced-repetition state per question: question (key), state, step,
    stability, difficulty, due, last_review, reps, lapses, last_rating (1-4 or null).
  - `answers`: oldest first: question, status (draft, submitted, rated), body
    (markdown), covered_points (indexes into the question's key points), qualities,
    rating, late, started_at, submitted_at, revealed_at (key points shown), rated_at,
    interview (index into `interviews`, or null). A mentor's rating of an answer is
    theirs, not the learner's: it is neither exported nor imported.
  - `reviews`: oldest first: question, rating, qualities ticked with it, reviewed_at,
    was_new, due_before, due_after.
  - `interviews`: oldest first: kind, title, minutes, questions (keys, in order),
    started_at, deadline, finished_at.
  - `recordings`: spoken answers, oldest first: answer (index into `answers`), url
    (serves the audio to the signed-in owner; recordings are not carried by an
    import), content_type ("audio/webm" or "audio/ogg"), size (bytes), duration
    (seconds), created_at.
- `study_log`: oldest first: date, minutes, phase (key or null), what.
- `notifications`: oldest first: kind, text, url (a path on the site that made the
  file), created_at, read_at.
- `reminders` (optional): emails_off (the kinds of email turned off), remind_at
  (HH:MM, in the user's time zone), muted_notification_kinds (notification kinds muted
  in the app). Mutes of one mentee and the calendar feed's secret address are not
  carried: a username may be someone else on another site, and a secret is made anew.
- `mentorships`: the user's mentors, for information only (never imported): mentor
  (username), started_at, ended_at.
- the sections of the other parts of the site (hiring rounds, labs, the job search),
  listed below.

An import carries only what the account's owner can vouch for: their own entries in a
review thread, their self-assessments, and approvals they gave themselves. A mentor's
scores and other people's comments are left out, a milestone a mentor approved comes
back as "submitted" for a new review, and a notification link that is not a path on
this site is removed. Every time lies between 2000-01-01 and tomorrow (a card's or a
review's due time and an interview's deadline may be up to 100 years ahead); a plan
starts at most five years before and one year after the day of the import.
"""


# --- rules shared by many fields ------------------------------------------------------

# Text may hold newlines and tabs (a textarea sends "\r\n"); one-line fields nothing.
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _control_error(match: re.Match[str]) -> PydanticCustomError:
    return PydanticCustomError(
        "control_character",
        "contains the control character U+{code} at position {position}: "
        "only text, newlines and tabs are accepted",
        {"code": f"{ord(match.group()):04X}", "position": match.start() + 1},
    )


def _text_ok(value: str) -> str:
    if found := _TEXT_CONTROLS.search(value):
        raise _control_error(found)
    return value


def _line_ok(value: str) -> str:
    if found := _LINE_CONTROLS.search(value):
        raise _control_error(found)
    return value


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def Text(model: type[models.Model], name: str) -> Any:  # noqa: N802 (a type factory)
    """Multi-line text, as long as the model's form allows."""
    return Annotated[
        str, Field(max_length=_field(model, name).max_length), AfterValidator(_text_ok)
    ]


def Line(model: type[models.Model], name: str) -> Any:  # noqa: N802
    """One line of text, at most the model's max_length."""
    return Annotated[
        str, Field(max_length=_field(model, name).max_length), AfterValidator(_line_ok)
    ]


def Int(model: type[models.Model], name: str) -> Any:  # noqa: N802
    """A whole number within the model's validators and its column's range."""
    field = _field(model, name)
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
    return Annotated[int, Field(ge=low, le=high)]


def _choices(values: list[Any]) -> Any:
    return Literal[tuple(values)]


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def _range_error(value: date, low: date, high: date) -> PydanticCustomError:
    return PydanticCustomError(
        "date_range",
        "{value} is out of range: it must lie between {low} and {high}",
        {"value": value.isoformat(), "low": low.isoformat(), "high": high.isoformat()},
    )


def _past(value: datetime) -> datetime:
    """A time that has happened: from 2000-01-01 to tomorrow (clocks differ a little)."""
    value = _aware(value)
    low = datetime.combine(HISTORY_START, datetime.min.time(), tzinfo=UTC)
    high = timezone.now() + timedelta(days=1)
    if not low <= value <= high:
        raise _range_error(value.date(), low.date(), high.date())
    return value


def _ahead(value: datetime) -> datetime:
    """A time the schedule set: from 2000-01-01 to 100 years ahead."""
    value = _aware(value)
    low = datetime.combine(HISTORY_START, datetime.min.time(), tzinfo=UTC)
    high = timezone.now() + timedelta(days=SCHEDULE_AHEAD_DAYS)
    if not low <= value <= high:
        raise _range_error(value.date(), low.date(), high.date())
    return value


def _day(value: date) -> date:
    high = timezone.now().date() + timedelta(days=1)
    if not HISTORY_START <= value <= high:
        raise _range_error(value, HISTORY_START, high)
    return value


def _plan_start(value: date) -> date:
    """The plan form's rule (tracker.forms.PlanForm), with the same bounds."""
    today = timezone.now().date()
    low = today - timedelta(days=PLAN_START_PAST_DAYS)
    high = today + timedelta(days=PLAN_START_AHEAD_DAYS)
    if not low <= value <= high:
        raise _range_error(value, low, high)
    return value


def _http(value: str) -> str:
    try:
        http_url(value)
    except DjangoValidationError:
        raise PydanticCustomError(
            "url", "Enter a full web address starting with http:// or https://."
        ) from None
    return value


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(value: str) -> str:
    if value not in _zones():
        raise PydanticCustomError("time_zone", "{value} is not a time zone", {"value": value})
    return value


_RANGE = "Between 2000-01-01 and tomorrow."
Past = Annotated[datetime, AfterValidator(_past), Field(description=_RANGE)]
Ahead = Annotated[
    datetime, AfterValidator(_ahead), Field(description="Between 2000-01-01 and 100 years ahead.")
]
Key = Annotated[str, Field(max_length=100), AfterValidator(_line_ok)]
Username = Annotated[str, Field(max_length=150), AfterValidator(_line_ok)]
States = _choices(["", *Submission.State.values])


def Url(model: type[models.Model], name: str) -> Any:  # noqa: N802
    """A link of the learner's: http or https, as the forms accept."""
    return Annotated[str, Field(max_length=_field(model, name).max_length), AfterValidator(_http)]


# --- the file -------------------------------------------------------------------------


class Strict(BaseModel):
    """Unknown fields are refused: a typo must not be read as an absent value."""

    model_config = ConfigDict(extra="forbid")


class UserBlock(Strict):
    # Informational: an import never changes who the account is.
    username: Username | None = None
    email: Line(User, "email") | None = None
    # The profile: only the fields present are restored.
    display_name: Line(User, "display_name") = ""
    time_zone: Annotated[Line(User, "time_zone"), AfterValidator(_zone)] = "UTC"
    daily_new_cap: Int(User, "daily_new_cap") = 5
    daily_review_cap: Int(User, "daily_review_cap") = 30
    desired_retention: Annotated[float, Field(ge=0.8, le=0.95)] = 0.9
    mentor_capacity: Int(User, "mentor_capacity") | None = None
    portfolio_public: bool = False
    portfolio_hidden: Annotated[
        list[_choices(list(SECTIONS))], Field(max_length=len(SECTIONS))
    ] = []
    portfolio_hide_self_scores: bool = False
    portfolio_headline: Line(User, "portfolio_headline") = ""
    portfolio_pitch: Text(User, "portfolio_pitch") = ""


class PlanEntry(Strict):
    roadmap: Key
    start_date: Annotated[
        date,
        AfterValidator(_plan_start),
        Field(description="At most five years before and one year after today."),
    ]
    months: Int(Plan, "months")
    background: Key | None
    weekly_hours: Int(Plan, "weekly_hours")


class ItemLinkEntry(Strict):
    title: Line(ItemLink, "title")
    url: Url(ItemLink, "url")


class ProgressEntry(Strict):
    kind: Literal["goal", "resource"]
    phase: Key
    item: Key
    status: _choices(ItemStatus.values)
    note: Text(ItemProgress, "note")
    credit_evidence: Line(ItemProgress, "credit_evidence")
    completed_at: Past | None
    links: list[ItemLinkEntry]
    # Described, never imported: only the mentor who gave it can vouch for it.
    credit_review: _choices(["", "confirmed", "questioned"]) = ""


class ImageEntry(Strict):
    """Described, never imported: the file holds no image data."""

    url: Annotated[str, Field(max_length=2000)]
    width: int
    height: int
    caption: Line(SubmissionImage, "caption")


class EventEntry(Strict):
    actor: Username | None
    from_state: States
    to_state: States
    comment: Text(SubmissionEvent, "comment")
    created_at: Past


class SubmissionEntry(Strict):
    phase: Key
    milestone: Key
    state: _choices(Submission.State.values)
    evidence: Text(Submission, "evidence")
    self_approved: bool
    submitted_at: Past | None
    approved_at: Past | None
    links: list[ItemLinkEntry]
    images: list[ImageEntry] = []
    events: list[EventEntry]


class ScoreEntry(Strict):
    rubric: Key
    dimension: Key
    score: Int(Score, "score")
    evidence: Text(Score, "evidence")


class AssessmentEntry(Strict):
    role: _choices(Assessment.Role.values)
    rater: Username | None
    created_at: Past
    scores: list[ScoreEntry]


class ScreenAnswerEntry(Strict):
    rubric: Key
    kind: Literal[RubricItem.Kind.SCREEN_CHECK.value, RubricItem.Kind.RED_FLAG.value]
    item: Key
    applies: bool
    evidence: Line(ScreenAnswer, "evidence")


class CardEntry(Strict):
    question: Key
    state: Literal[1, 2, 3]  # fsrs.State: learning, review, relearning
    step: Annotated[int, Field(ge=0, le=100)] | None
    stability: Annotated[float, Field(ge=0.001, le=1e6, allow_inf_nan=False)] | None
    difficulty: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] | None
    due: Ahead
    last_review: Past | None
    reps: Int(Card, "reps")
    lapses: Int(Card, "lapses")
    last_rating: _choices(Rating.values) | None

    @model_validator(mode="after")
    def _fsrs_state(self) -> CardEntry:
        """What the scheduler (fsrs) assumes of a card: it fails on a card without."""
        learning = self.state in (fsrs.State.Learning.value, fsrs.State.Relearning.value)
        if learning and self.step is None:
            raise PydanticCustomError("card_state", "a card in (re)learning needs its step")
        if (self.stability is None) != (self.difficulty is None):
            raise PydanticCustomError(
                "card_state", "stability and difficulty are both set or both null"
            )
        if self.state != fsrs.State.Learning.value and self.stability is None:
            raise PydanticCustomError(
                "card_state", "a reviewed card needs its stability and difficulty"
            )
        return self


class AnswerEntry(Strict):
    question: Key
    status: _choices(Answer.Status.values)
    body: Text(Answer, "body")
    covered_points: Annotated[list[Annotated[int, Field(ge=0, le=50)]], Field(max_length=50)]
    qualities: Annotated[list[_choices(Quality.values)], Field(max_length=4)]
    rating: _choices(Rating.values) | None
    late: bool
    started_at: Past
    submitted_at: Past | None
    revealed_at: Past | None = None
    rated_at: Past | None
    interview: Annotated[int, Field(ge=0)] | None


class ReviewEntry(Strict):
    question: Key
    rating: _choices(Rating.values)
    qualities: Annotated[list[_choices(Quality.values)], Field(max_length=4)] = []
    reviewed_at: Past
    was_new: bool
    due_before: Ahead
    due_after: Ahead


class InterviewEntry(Strict):
    kind: _choices(MockInterview.Kind.values)
    title: Line(MockInterview, "title")
    minutes: Annotated[Int(MockInterview, "minutes"), Field(ge=1, le=24 * 60)]
    questions: Annotated[list[Key], Field(max_length=100)]
    started_at: Past
    deadline: Ahead
    finished_at: Past | None


class RecordingEntry(Strict):
    """Described, never imported: the file holds no audio."""

    answer: Annotated[int, Field(ge=0)]
    url: Annotated[str, Field(max_length=2000)]
    content_type: Literal["audio/webm", "audio/ogg"]
    size: Annotated[int, Field(ge=0, le=100 * 1024 * 1024)]
    duration: Annotated[float, Field(ge=0, le=24 * 3600, allow_inf_nan=False)]
    created_at: Past


class Practice(Strict):
    cards: list[CardEntry]
    answers: list[AnswerEntry]
    reviews: list[ReviewEntry]
    interviews: list[InterviewEntry]
    recordings: list[RecordingEntry] = []


class StudyLogEntry(Strict):
    date: Annotated[date, AfterValidator(_day), Field(description=_RANGE)]
    minutes: Int(StudyLog, "minutes")
    phase: Key | None
    what: Line(StudyLog, "what")


class NotificationEntry(Strict):
    kind: _choices(Notification.Kind.values)
    text: Line(Notification, "text")
    # Checked by the import, which removes a link that is not a path on this site.
    url: Line(Notification, "url")
    created_at: Past
    read_at: Past | None


class RemindersEntry(Strict):
    emails_off: Annotated[
        list[_choices(EmailKind.values)], Field(max_length=len(EmailKind.values))
    ] = []
    remind_at: time = time(18)
    muted_notification_kinds: Annotated[
        list[_choices(Notification.Kind.values)], Field(max_length=len(Notification.Kind))
    ] = []


class MentorshipEntry(Strict):
    """Described, never imported."""

    mentor: Username
    started_at: datetime
    ended_at: datetime | None


class ExportFile(Strict):
    """A Rampup export, version 2 (or 1)."""

    model_config = ConfigDict(
        extra="forbid", title="Rampup export", json_schema_extra={"description": SCHEMA_DOC}
    )

    schema_: Literal["rampup-export"] = Field(alias="schema")
    version: Literal[1, 2]
    exported_at: datetime
    user: UserBlock
    plan: PlanEntry | None
    progress: list[ProgressEntry]
    submissions: list[SubmissionEntry]
    assessments: list[AssessmentEntry]
    screen_answers: list[ScreenAnswerEntry]
    practice: Practice
    study_log: list[StudyLogEntry]
    notifications: list[NotificationEntry]
    reminders: RemindersEntry | None = None
    mentorships: list[MentorshipEntry] = []


def file_model() -> type[ExportFile]:
    """The file with the sections other apps registered (tracker.portability.sections)."""
    found = sections.registered()
    return _file_model(tuple((s.key, s.entry, s.many) for s in found))


def schema_doc() -> str:
    """SCHEMA_DOC with the sections other apps registered."""
    extra = "".join(f"\n- `{s.key}`: {s.doc}" for s in sections.registered())
    return SCHEMA_DOC + (f"\nSections of other parts of the site:{extra}\n" if extra else "")


@cache
def _file_model(found: tuple[tuple[str, type[BaseModel], bool], ...]) -> type[ExportFile]:
    if not found:
        return ExportFile
    docs = {s.key: s.doc for s in sections.registered()}
    keys = [key for key, _, _ in found]
    empty = {key: (list if many else lambda: None) for key, _, many in found}
    namespace = {
        "__module__": __name__,
        # A list of entries, or one entry (null in a file made before the section).
        "__annotations__": {
            key: list[entry] if many else entry | None for key, entry, many in found
        },
        # The description names the registered sections too.
        "model_config": ConfigDict(
            extra="forbid", title="Rampup export", json_schema_extra={"description": schema_doc()}
        ),
        **{key: Field(default_factory=empty[key], description=docs.get(key, "")) for key in keys},
    }
    return type("ExportFile", (ExportFile,), namespace)


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema of the export file (its date bounds are relative to today, so they
    are stated in descriptions rather than as fixed minimums)."""
    schema = file_model().model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# --- problems, as a person reads them --------------------------------------------------

# Pydantic's wording for the common cases, put as the site's forms put it.
_MESSAGES = {
    "missing": "missing",
    "extra_forbidden": "unknown field",
    "greater_than_equal": "Ensure this value is greater than or equal to {ge}.",
    "less_than_equal": "Ensure this value is less than or equal to {le}.",
    "string_too_long": "Ensure this value has at most {max_length} characters.",
    "too_long": "Ensure this list has at most {max_length} items.",
}
# Problems that mean the file is not what an export writes (as opposed to a value the
# site does not accept): the message says the file is damaged.
_DAMAGE = {"missing", "extra_forbidden", "model_type", "list_type", "dict_type"}


def where(loc: tuple[str | int, ...]) -> str:
    """('submissions', 3, 'events', 0, 'created_at') -> 'submissions[3].events[0].created_at'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out.replace("schema_", "schema")


def problems(error: PydanticValidationError) -> list[str]:
    """Every problem of a file, one line each, as `path: what is wrong`."""
    lines, damaged = [], False
    for item in error.errors(include_url=False):
        kind, ctx = item["type"], item.get("ctx") or {}
        damaged |= kind in _DAMAGE or kind.endswith("_type") or kind.endswith("_parsing")
        if kind == "literal_error":
            message = f"Value {item['input']!r} is not a valid choice."
        elif kind in _MESSAGES:
            message = _MESSAGES[kind].format(**ctx)
        else:
            message = item["msg"]
        lines.append(f"{where(item['loc'])}: {message}")
    if damaged:
        header = "This export file is damaged or incomplete; nothing was imported."
    else:
        header = "This export file holds values this site does not accept; nothing was imported."
    return [header, *lines]


def parse(data: Any) -> ExportFile:
    """The file as models, or a django ValidationError listing every problem with its path."""
    try:
        return file_model().model_validate(data)
    except PydanticValidationError as error:
        raise DjangoValidationError(problems(error)) from None
