"""Import: an export file (schema.ExportFile) restored into an empty account.

Three steps, so that nothing is written unless all of it can be: the file is parsed
through the schema (every malformed value reported with its path), its content keys
are resolved against this site's roadmap (every missing key reported together), and
only then are the rows written, in one transaction.

What an import cannot vouch for is not written: only the account's owner is behind a
file, so another person's word — a mentor's scores, a mentor's approval, anyone
else's comments — is left out, and `import_message` says so to the user.

Longer than 400 lines on purpose: one reader method per section of the file, and the
writes in the order the rows depend on each other, so the whole import reads in one go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve

from roadmap.models import (
    Background,
    Dimension,
    Goal,
    Milestone,
    Phase,
    Question,
    Resource,
    Roadmap,
    RubricItem,
)

from ..cache import bump_learner
from ..models import (
    Answer,
    Assessment,
    Card,
    ItemLink,
    ItemProgress,
    MockInterview,
    Notification,
    NotificationMute,
    Plan,
    Quality,
    ReminderSettings,
    Review,
    Score,
    ScreenAnswer,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionLink,
    User,
)
from . import schema, sections
from .export import PROFILE_FIELDS

# Counts of what a file held but the import left out, by reason (see import_message).
NOT_CARRIED = (
    "images_skipped",
    "mentor_assessments_dropped",
    "others_events_dropped",
    "approvals_reopened",
    "notification_links_dropped",
    "recordings_skipped",
    "credit_reviews_dropped",
)


def site_path(url: str) -> str:
    """`url` if it is a path of this site (what a notification links to), else ""."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return ""
    try:
        resolve(url.split("?", 1)[0].split("#", 1)[0])
    except Resolver404:
        return ""
    return url


class _Content:
    """The site's roadmap content by key, read once: a big export references hundreds of
    rows, and every missing key must be reported together, not one per attempt."""

    def __init__(self, roadmap: Roadmap) -> None:
        self.roadmap = roadmap
        self.phases = {p.key: p for p in Phase.objects.filter(roadmap=roadmap)}
        self.backgrounds = {b.key: b for b in Background.objects.filter(roadmap=roadmap)}
        self.goals = {
            (g.phase.key, g.key): g
            for g in Goal.objects.filter(phase__roadmap=roadmap).select_related("phase")
        }
        self.resources = {
            (r.phase.key, r.key): r
            for r in Resource.objects.filter(phase__roadmap=roadmap).select_related("phase")
        }
        self.milestones = {
            (m.phase.key, m.key): m
            for m in Milestone.objects.filter(phase__roadmap=roadmap).select_related("phase")
        }
        self.dimensions = {
            (d.rubric.key, d.key): d
            for d in Dimension.objects.filter(rubric__roadmap=roadmap).select_related("rubric")
        }
        self.rubric_items = {
            (i.rubric.key, i.kind, i.key): i
            for i in RubricItem.objects.filter(rubric__roadmap=roadmap).select_related("rubric")
        }
        self.questions = {q.key: q for q in Question.objects.filter(roadmap=roadmap)}
        self.missing: list[str] = []

    def get(self, table: dict, key: Any, label: str) -> Any:
        """The row for `key`, or None with `label` noted as missing."""
        found = table.get(key)
        if found is None and label not in self.missing:
            self.missing.append(label)
        return found


@dataclass
class _Reader:
    """Turns a parsed file into unsaved rows, resolving content keys and refusing an item
    listed twice, so that the writes below cannot fail on the file's content."""

    user: User
    file: schema.ExportFile
    content: _Content
    problems: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def once(self, seen: set[Hashable], key: Hashable, path: str, label: str) -> None:
        if key in seen:
            self.problems.append(f"{path}: the file lists {label} twice.")
        seen.add(key)

    def profile(self) -> dict[str, Any]:
        block = self.file.user
        return {
            name: getattr(block, name) for name in PROFILE_FIELDS if name in block.model_fields_set
        }

    def plan(self) -> Plan | None:
        entry = self.file.plan
        if entry is None:
            return None
        background = None
        if entry.background is not None:
            background = self.content.get(
                self.content.backgrounds, entry.background, f"background {entry.background}"
            )
        return Plan(
            learner=self.user,
            roadmap=self.content.roadmap,
            background=background,
            start_date=entry.start_date,
            months=entry.months,
            weekly_hours=entry.weekly_hours,
        )

    def progress(self) -> list[tuple[ItemProgress, list[ItemLink]]]:
        rows, seen = [], set()
        for n, entry in enumerate(self.file.progress):
            key = (entry.phase, entry.item)
            label = f"{entry.kind} {entry.phase}/{entry.item}"
            self.once(seen, (entry.kind, *key), f"progress[{n}]", label)
            table = self.content.goals if entry.kind == "goal" else self.content.resources
            progress = ItemProgress(
                learner=self.user,
                **{entry.kind: self.content.get(table, key, label)},
                status=entry.status,
                note=entry.note,
                credit_evidence=entry.credit_evidence,
                completed_at=entry.completed_at,
            )
            # A mentor's word on a credit is theirs to give again on this site.
            self.counts["credit_reviews_dropped"] += bool(entry.credit_review)
            links = [ItemLink(title=link.title, url=link.url) for link in entry.links]
            rows.append((progress, links))
        ItemProgress.render_rows(progress for progress, _ in rows)
        return rows

    def submissions(self) -> list[tuple[Submission, list[SubmissionLink], list[tuple]]]:
        rows, seen = [], set()
        me = self.file.user.username
        for n, entry in enumerate(self.file.submissions):
            label = f"milestone {entry.phase}/{entry.milestone}"
            key = (entry.phase, entry.milestone)
            self.once(seen, key, f"submissions[{n}]", label)
            # Only the owner can approve their own work; a mentor's approval is theirs to
            # give on this site again: the milestone waits for review.
            reopened = entry.state == Submission.State.APPROVED and not entry.self_approved
            submission = Submission(
                learner=self.user,
                milestone=self.content.get(self.content.milestones, key, label),
                state=Submission.State.SUBMITTED if reopened else entry.state,
                evidence=entry.evidence,
                self_approved=entry.self_approved and entry.state == Submission.State.APPROVED,
                submitted_at=entry.submitted_at or (entry.approved_at if reopened else None),
                approved_at=None if reopened else entry.approved_at,
            )
            submission.render_html()
            self.counts["approvals_reopened"] += reopened
            links = [SubmissionLink(title=x.title, url=x.url) for x in entry.links]
            events = []
            for e in entry.events:
                # Other people's entries are not the owner's to bring: another account on
                # this site must not be quoted, nor a stranger's words shown as a review.
                mine = me is not None and e.actor == me
                forged = reopened and e.to_state == Submission.State.APPROVED
                if not mine or forged:
                    self.counts["others_events_dropped"] += 1
                    continue
                event = SubmissionEvent(
                    actor=self.user,
                    from_state=e.from_state,
                    to_state=e.to_state,
                    comment=e.comment,
                )
                event.render_html()
                events.append((event, e.created_at))
            self.counts["images_skipped"] += len(entry.images)
            rows.append((submission, links, events))
        return rows

    def assessments(self) -> list[tuple[Assessment, list[Score]]]:
        rows = []
        for n, entry in enumerate(self.file.assessments):
            if entry.role != Assessment.Role.SELF:
                # A mentor's scores are the mentor's word: not the file owner's to bring.
                self.counts["mentor_assessments_dropped"] += 1
                continue
            assessment = Assessment(
                learner=self.user,
                role=Assessment.Role.SELF,
                rater=self.user,
                created_at=entry.created_at,
            )
            scores, seen = [], set()
            for i, s in enumerate(entry.scores):
                label = f"dimension {s.rubric}/{s.dimension}"
                self.once(seen, (s.rubric, s.dimension), f"assessments[{n}].scores[{i}]", label)
                scores.append(
                    Score(
                        dimension=self.content.get(
                            self.content.dimensions, (s.rubric, s.dimension), label
                        ),
                        score=s.score,
                        evidence=s.evidence,
                    )
                )
            Score.render_rows(scores)
            rows.append((assessment, scores))
        return rows

    def screen_answers(self) -> list[ScreenAnswer]:
        rows, seen = [], set()
        for n, entry in enumerate(self.file.screen_answers):
            key = (entry.rubric, entry.kind, entry.item)
            label = f"{entry.kind} {entry.rubric}/{entry.item}"
            self.once(seen, key, f"screen_answers[{n}]", label)
            item = self.content.get(self.content.rubric_items, key, label)
            rows.append(
                ScreenAnswer(
                    learner=self.user, item=item, applies=entry.applies, evidence=entry.evidence
                )
            )
        return rows

    def question(self, key: str) -> Question | None:
        return self.content.get(self.content.questions, key, f"question {key}")

    def cards(self) -> list[Card]:
        rows, seen = [], set()
        for n, c in enumerate(self.file.practice.cards):
            self.once(seen, c.question, f"practice.cards[{n}]", f"question {c.question}")
            rows.append(
                Card(
                    learner=self.user,
                    question=self.question(c.question),
                    **c.model_dump(exclude={"question"}),
                )
            )
        return rows

    def interviews(self) -> list[MockInterview]:
        rows = []
        for i in self.file.practice.interviews:
            questions = [self.question(key) for key in i.questions]
            rows.append(
                MockInterview(
                    learner=self.user,
                    questions=[q.pk for q in questions if q is not None],
                    **i.model_dump(exclude={"questions"}),
                )
            )
        return rows

    def answers(self, interviews: int) -> list[tuple[Answer, int | None]]:
        rows = []
        for n, a in enumerate(self.file.practice.answers):
            if a.interview is not None and a.interview >= interviews:
                self.problems.append(
                    f"practice.answers[{n}].interview: no interview #{a.interview} in the file."
                )
            question = self.question(a.question)
            # The rating form's rule: each covered point once, and one the question has.
            points = len(question.key_points) if question is not None else 0
            if question is not None and any(i >= points for i in a.covered_points):
                self.problems.append(
                    f"practice.answers[{n}].covered_points: {a.question} has {points} key "
                    "points, counted from 0."
                )
            a.covered_points = sorted(set(a.covered_points))
            a.qualities = [q for q in Quality.values if q in set(a.qualities)]
            answer = Answer(
                learner=self.user,
                question=question,
                **a.model_dump(exclude={"question", "interview"}),
            )
            rows.append((answer, a.interview))
        Answer.render_rows(answer for answer, _ in rows)  # a text the file repeats: once
        return rows

    def recordings(self, answers: int) -> None:
        """Recordings are described, not carried (the file holds no audio): each must
        name an answer of the file; they are counted for the message."""
        for n, entry in enumerate(self.file.practice.recordings):
            if entry.answer >= answers:
                self.problems.append(
                    f"practice.recordings[{n}].answer: the file has no answer {entry.answer}."
                )
        self.counts["recordings_skipped"] += len(self.file.practice.recordings)

    def reviews(self) -> list[tuple[Review, str]]:
        carded = {c.question for c in self.file.practice.cards}
        rows = []
        for r in self.file.practice.reviews:
            question = self.question(r.question)
            if question is not None and r.question not in carded:
                self.problems.append(
                    f"review of {r.question}: the file has no card for this question."
                )
            r.qualities = [q for q in Quality.values if q in set(r.qualities)]
            rows.append(
                (Review(learner=self.user, **r.model_dump(exclude={"question"})), r.question)
            )
        return rows

    def study_log(self) -> list[StudyLog]:
        rows = []
        for entry in self.file.study_log:
            phase = None
            if entry.phase is not None:
                phase = self.content.get(self.content.phases, entry.phase, f"phase {entry.phase}")
            rows.append(
                StudyLog(
                    learner=self.user,
                    phase=phase,
                    **entry.model_dump(exclude={"phase"}),
                )
            )
        return rows

    def notifications(self) -> list[Notification]:
        rows = []
        for n in self.file.notifications:
            # A link is a path of this site or nothing: a file could hold `javascript:`
            # or another site's address, rendered as a link in the user's inbox.
            url = site_path(n.url)
            self.counts["notification_links_dropped"] += bool(n.url) and not url
            rows.append(
                Notification(
                    user=self.user,
                    kind=n.kind,
                    text=n.text,
                    url=url,
                    created_at=n.created_at,
                    read_at=n.read_at,
                )
            )
        return rows


def _owned_rows(user: User) -> list[str]:
    """What the account already holds that an import would mix with or collide with."""
    found = {
        "a plan": Plan.objects.filter(learner=user),
        "progress": ItemProgress.objects.filter(learner=user),
        "submissions": Submission.objects.filter(learner=user),
        "practice answers": Answer.objects.filter(learner=user),
        "practice cards": Card.objects.filter(learner=user),
        "practice reviews": Review.objects.filter(learner=user),
        "mock interviews": MockInterview.objects.filter(learner=user),
        "assessments": Assessment.objects.filter(learner=user),
        "resume-screen answers": ScreenAnswer.objects.filter(learner=user),
        "a study log": StudyLog.objects.filter(learner=user),
        **{section.label: section.owned(user) for section in sections.registered()},
    }
    return [name for name, rows in found.items() if rows.exists()]


def import_user(user: User, data: Any) -> dict[str, int]:
    """Restore an export (see schema.SCHEMA_DOC) into `user`'s account, which must be
    empty; return counts of what was written and, under NOT_CARRIED, left out.

    All or nothing: the whole file is parsed and checked first (every problem reported
    with its path), then written in one transaction. Merging into an account with data
    is refused: two histories of the same items cannot be merged faithfully. Images are
    not carried (the file holds only their urls, valid on the old site, for the old
    account).
    """
    if not isinstance(data, dict) or data.get("schema") != schema.SCHEMA:
        raise ValidationError("This is not a Rampup export file.")
    if data.get("version") not in schema.READ_VERSIONS:
        raise ValidationError(
            f"This export is version {data.get('version')!r}; this site reads versions "
            f"{' and '.join(map(str, schema.READ_VERSIONS))}."
        )
    file = schema.parse(data)
    roadmap = Roadmap.objects.filter(key=settings.ROADMAP_KEY).first()
    if roadmap is None:
        raise ValidationError("This site has no roadmap loaded yet: import later.")
    with transaction.atomic():
        # Lock the account: a double-clicked import must not run twice side by side.
        User.objects.select_for_update().get(pk=user.pk)
        existing = _owned_rows(user)
        if existing:
            raise ValidationError(
                "An export can only be imported into an empty account; this one already has "
                f"{', '.join(existing)}."
            )
        try:
            return _import(user, _Reader(user, file, _Content(roadmap)))
        except IntegrityError as error:
            # The reader refuses every duplicate the constraints know of; this stays as a
            # backstop for a constraint added later, so it can never be a 500.
            raise ValidationError(
                "This export file lists the same item, milestone or question twice."
            ) from error


def _import(user: User, reader: _Reader) -> dict[str, int]:
    profile = reader.profile()
    plan = reader.plan()
    progress = reader.progress()
    submissions = reader.submissions()
    assessments = reader.assessments()
    screen_answers = reader.screen_answers()
    cards = reader.cards()
    interviews = reader.interviews()
    answers = reader.answers(len(interviews))
    reader.recordings(len(answers))
    reviews = reader.reviews()
    study_log = reader.study_log()
    notifications = reader.notifications()
    problems = list(reader.problems)
    # Other apps' sections (tracker.portability.sections): read here, written below.
    reading = sections.Reading(
        username=reader.file.user.username,
        roadmap=reader.content.roadmap,
        counts=reader.counts,
        missing=reader.content.missing,
    )
    extra = []
    for section in sections.registered():
        value = getattr(reader.file, section.key, [] if section.many else None)
        args = (user, value, reading) if section.with_reading else (user, value)
        rows, found = section.read(*args)
        extra.append((section, rows))
        problems += found
    content = reader.content
    if content.missing:
        problems.insert(
            0,
            f"These items are not in this site's roadmap ({content.roadmap.key}): "
            f"{', '.join(content.missing)}.",
        )
    if problems:
        raise ValidationError(problems)

    counts: Counter[str] = Counter()
    # Nothing below can fail on the file's content any more: it has all been checked.
    # One bulk insert per table (parents first: bulk_create sets their ids, on SQLite as
    # on PostgreSQL), so a three-year history costs a few dozen queries, not hundreds.
    if plan is not None:
        plan.save()
        counts["plan"] = 1
    ItemProgress.objects.bulk_create([row for row, _ in progress])
    item_links = [_child(link, progress=row) for row, links in progress for link in links]
    counts["progress"] = len(progress)
    counts["item_links"] = len(ItemLink.objects.bulk_create(item_links))
    Submission.objects.bulk_create([submission for submission, _, _ in submissions])
    submission_links = [
        _child(link, submission=submission)
        for submission, links, _ in submissions
        for link in links
    ]
    events = [
        (_child(event, submission=submission), created_at)
        for submission, _, thread in submissions
        for event, created_at in thread
    ]
    SubmissionEvent.objects.bulk_create([event for event, _ in events])
    # created_at is auto_now_add: the thread's times are set after the insert.
    for event, created_at in events:
        event.created_at = created_at
    SubmissionEvent.objects.bulk_update([event for event, _ in events], ["created_at"])
    counts["submissions"] = len(submissions)
    counts["submission_links"] = len(SubmissionLink.objects.bulk_create(submission_links))
    counts["submission_events"] = len(events)
    Assessment.objects.bulk_create([assessment for assessment, _ in assessments])
    scores = [
        _child(score, assessment=assessment) for assessment, rows in assessments for score in rows
    ]
    counts["assessments"] = len(assessments)
    counts["scores"] = len(Score.objects.bulk_create(scores))
    counts["screen_answers"] = len(ScreenAnswer.objects.bulk_create(screen_answers))
    counts["cards"] = len(Card.objects.bulk_create(cards))
    counts["interviews"] = len(MockInterview.objects.bulk_create(interviews))
    for answer, index in answers:
        answer.interview = interviews[index] if index is not None else None
    counts["answers"] = len(Answer.objects.bulk_create([answer for answer, _ in answers]))
    card_ids = {card.question.key: card.pk for card in cards}
    for review, question_key in reviews:
        review.card_id = card_ids[question_key]
    counts["reviews"] = len(Review.objects.bulk_create([review for review, _ in reviews]))
    counts["study_log"] = len(StudyLog.objects.bulk_create(study_log))
    counts["notifications"] = len(Notification.objects.bulk_create(notifications))
    for section, rows in extra:
        written = section.write(rows)
        if isinstance(written, dict):
            counts.update(written)
        else:
            counts[section.key] = written
    if reader.file.reminders is not None:
        _import_reminders(user, reader.file.reminders)
        counts["reminders"] = 1
    if profile:
        User.objects.filter(pk=user.pk).update(**profile)
        for name, value in profile.items():
            setattr(user, name, value)
    counts["profile"] = 1
    for name in NOT_CARRIED:
        counts[name] = reader.counts[name]
    # bulk_create and update send no signals: bump the cached fragments by hand.
    bump_learner(user.pk)
    transaction.on_commit(lambda: bump_learner(user.pk))
    return dict(counts)


def _child(row, **parent):
    """`row` with its parent set: the parent's id exists once its bulk insert has run."""
    for name, value in parent.items():
        setattr(row, name, value)
    return row


def _import_reminders(user: User, entry) -> None:
    """Which emails, when, and the notification kinds muted (a mentee's mute is not
    carried: see the schema)."""
    ReminderSettings.objects.update_or_create(
        user=user,
        defaults={"muted": sorted(set(entry.emails_off)), "remind_at": entry.remind_at},
    )
    for kind in sorted(set(entry.muted_notification_kinds)):
        NotificationMute.objects.get_or_create(user=user, kind=kind, about=None)


def import_message(counts: dict[str, int]) -> str:
    """What the import did, for the user: what came in, and what was left out and why."""
    restored = sum(v for k, v in counts.items() if k not in {*NOT_CARRIED, "profile"})
    parts = [f"Imported {restored} records from your export."]
    if n := counts.get("images_skipped"):
        parts.append(f"{n} image(s) (evidence, diagrams) are not in the file: add them again.")
    if n := counts.get("recordings_skipped"):
        parts.append(f"{n} spoken recording(s) are not in the file: record them again.")
    others = []
    if n := counts.get("mentor_assessments_dropped"):
        others.append(f"{n} assessment(s) by a mentor")
    if n := counts.get("credit_reviews_dropped"):
        others.append(f"{n} mentor review(s) of your credits")
    if n := counts.get("others_events_dropped"):
        others.append(f"{n} comment(s) or review step(s) by other people")
    if others:
        parts.append(
            f"Not imported, because only the person who gave them can vouch for them: "
            f"{' and '.join(others)}."
        )
    if n := counts.get("approvals_reopened"):
        parts.append(
            f"{n} milestone(s) approved by a mentor are back to “submitted”, waiting for a "
            "review on this site."
        )
    if n := counts.get("notification_links_dropped"):
        parts.append(f"{n} notification link(s) that did not lead to this site were removed.")
    return " ".join(parts)
