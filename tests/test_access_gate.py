"""Access has one gate: views reach learner data only through the QuerySet methods
`owned_by(user)` and `visible_to(user)` (tracker/models/core.py). A hand-written owner
filter in a view is a second rule that can drift from the first, so this test reads
the view modules and fails on one."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tracker.cache import _owners
from tracker.models import Invite, StudyLog, User

ROOT = Path(__file__).resolve().parent.parent
CHECKED = sorted((ROOT / "tracker" / "views").glob("*.py"))  # the account views too

# An owner filter written by hand: `.objects.filter(learner=…)`, `.objects.get(learner=…)`
# (a correlated `OuterRef("learner")` subquery joins rows, it decides no access), and a
# filter on the request's user.
HAND_WRITTEN = re.compile(
    r"\.objects\s*\.\s*(?:filter|get)\(\s*(?:learner|user|mentor)\s*=\s*(?!OuterRef\()"
    r"|(?:filter|get|get_object_or_404)\([^)]*\b(?:learner|user|mentor)\s*=\s*request\.user"
)


def _hits(text: str) -> list[str]:
    return [m.group(0) for m in HAND_WRITTEN.finditer(text)]


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_views_filter_owners_only_through_queryset_methods(path: Path) -> None:
    hits = _hits(path.read_text())
    assert not hits, f"{path.name}: use owned_by(user) or visible_to(user), not {hits}"


@pytest.mark.parametrize(
    "line",
    [
        "StudyLog.objects.filter(learner=request.user)",
        "Answer.objects.filter(learner=user, question=question)",
        "Plan.objects.get(learner=learner)",
        "Notification.objects.filter(user=user)",
        "Mentorship.objects.filter(mentor=user)",
        "get_object_or_404(Invite, pk=pk, learner=request.user)",
        "qs.filter(pk=pk, user=request.user)",
    ],
)
def test_the_guard_catches_hand_written_filters(line: str) -> None:
    assert _hits(line)


@pytest.mark.parametrize(
    "line",
    [
        "StudyLog.objects.owned_by(request.user)",
        "Answer.objects.visible_to(user).filter(learner=learner)",
        'Assessment.objects.filter(learner=OuterRef("learner"), role=role)',
    ],
)
def test_the_guard_lets_the_gate_through(line: str) -> None:
    assert not _hits(line)


@pytest.mark.parametrize(
    "model",
    # Every model whose rows are a learner's (the cache's owner map), and invites.
    sorted({*(m for m in _owners() if m is not User), Invite}, key=lambda m: m.__name__),
    ids=lambda m: m.__name__,
)
def test_every_learner_owned_model_has_both_methods(model) -> None:
    assert callable(getattr(model.objects, "owned_by", None))
    assert callable(getattr(model.objects, "visible_to", None))


@pytest.mark.django_db
def test_owned_by_is_the_owner_and_visible_to_adds_active_mentees(
    learner, mentor, other_learner, former_mentor
) -> None:
    StudyLog.objects.create(learner=learner, date="2026-01-05", minutes=30, what="read")
    StudyLog.objects.create(learner=other_learner, date="2026-01-05", minutes=30, what="x")
    assert list(StudyLog.objects.owned_by(learner).values_list("learner", flat=True)) == [
        learner.pk
    ]
    assert not StudyLog.objects.owned_by(mentor).exists()
    assert [s.learner_id for s in StudyLog.objects.visible_to(mentor)] == [learner.pk]
    assert not StudyLog.objects.visible_to(former_mentor).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("mentor", 200),
        ("former_mentor", 404),
        ("other_mentor", 404),
        ("other_learner", 404),
        ("anonymous", 404),
    ],
)
def test_a_private_avatar_goes_to_its_owner_and_their_mentor_only(
    request, client, settings, tmp_path, learner, persona, status, django_assert_num_queries
) -> None:
    settings.MEDIA_ROOT = tmp_path
    learner.avatar.save("a.png", ContentFile(_png()))
    for fixture in ("mentor", "former_mentor", "other_mentor", "other_learner"):
        request.getfixturevalue(fixture)
    if persona != "anonymous":
        client.force_login(learner if persona == "owner" else request.getfixturevalue(persona))
    client.get("/u/lena/avatar.png")  # warms what a 404 page's header reads
    # One query decides it, whoever asks (the session and the user take two more).
    with django_assert_num_queries(1 if persona == "anonymous" else 3):
        response = client.get("/u/lena/avatar.png")
    assert response.status_code == status


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buf, "PNG")
    return buf.getvalue()
