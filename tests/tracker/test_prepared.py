"""tracker.prepared: a query compiled once runs with each call's own values."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tracker.models import StudyLog, User
from tracker.prepared import Prepared, shaped

pytestmark = pytest.mark.django_db


def test_each_call_binds_its_own_values(django_assert_num_queries):
    from django.db.models import Count, Q

    ann, bob = User.objects.create(username="ann"), User.objects.create(username="bob")
    today = timezone.localdate()
    StudyLog.objects.create(learner=ann, date=today, minutes=30, what="a")
    old = StudyLog.objects.create(learner=ann, date=today, minutes=30, what="b")
    StudyLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))

    def build(user_id, since):
        return (
            User.objects.filter(pk=user_id)
            .annotate(n=Count("study_logs", filter=Q(study_logs__created_at__gte=since)))
            .values_list("pk", "n")
        )

    counted = Prepared(build, ("id", "instant"))
    yesterday = timezone.now() - timedelta(days=1)
    with django_assert_num_queries(3):
        assert counted.row(User, ann.pk, yesterday) == (ann.pk, 1)
        assert counted.row(User, ann.pk, yesterday - timedelta(days=7)) == (ann.pk, 2)
        assert counted.row(User, bob.pk, yesterday) == (bob.pk, 0)
    assert counted.row(User, -1, yesterday) is None


def test_a_value_the_query_does_not_use_is_refused():
    unused = Prepared(lambda user_id, since: User.objects.filter(pk=user_id), ("id", "instant"))
    with pytest.raises(ValueError, match="stand-in"):
        unused.row(User, 1, timezone.now())


def test_rows_come_back_as_the_queryset_returns_them():
    # A username stand-in, and columns the database returns raw (dates on SQLite).
    ann = User.objects.create(username="ann")
    today = timezone.localdate()
    for what in ("a", "b"):
        StudyLog.objects.create(learner=ann, date=today, minutes=30, what=what)

    def build(username):
        return (
            StudyLog.objects.filter(learner__username=username)
            .order_by("what")
            .values_list("date", "created_at", "what")
        )

    logs = Prepared(build, ("text",))
    assert logs.rows(StudyLog, "ann") == list(build("ann"))
    assert logs.rows(StudyLog, "bob") == []


def test_rows_bind_text_and_come_back_as_the_orm_converts_them(django_assert_num_queries):
    ann = User.objects.create(username="ann")
    today = timezone.localdate()
    for what in ("reading", "labs", "reading"):
        StudyLog.objects.create(learner=ann, date=today, minutes=30, what=what)

    def build(user_id, what):
        return (
            StudyLog.objects.filter(learner=user_id, what=what)
            .order_by("pk")
            .values_list("what", "date", "created_at")
        )

    logs = Prepared(build, ("id", "text"))
    with django_assert_num_queries(2):
        reading, labs = logs.rows(StudyLog, ann.pk, "reading"), logs.rows(StudyLog, ann.pk, "labs")
    assert [(w, d) for w, d, _ in reading] == [("reading", today)] * 2
    assert [w for w, _, _ in labs] == ["labs"]
    # A datetime comes back aware on every database, as from the ORM.
    assert all(timezone.is_aware(at) for _, _, at in reading + labs)
    assert logs.rows(StudyLog, ann.pk, "nothing") == []


def test_each_shape_is_compiled_once():
    def build(limit):
        return lambda user_id: User.objects.filter(pk=user_id).values_list("pk")[:limit]

    first = shaped(("test-users", 1), build(1), ("id",))
    assert shaped(("test-users", 1), build(1), ("id",)) is first
    assert shaped(("test-users", 2), build(2), ("id",)) is not first


def test_instances_come_from_the_columns_selected_the_others_deferred():
    from tracker.prepared import columns

    ann = User.objects.create(username="ann", display_name="Ann")
    some = Prepared(
        lambda user_id: User.objects.filter(pk=user_id).values_list(
            *columns(User, only={"id", "username"})
        ),
        ("id",),
    )
    (found,) = some.instances(User, ann.pk)
    assert (found.pk, found.username) == (ann.pk, "ann")
    assert found.get_deferred_fields() >= {"display_name"}
    # Out of field order, a row would fill the wrong fields: refused.
    shuffled = Prepared(
        lambda user_id: User.objects.filter(pk=user_id).values_list("username", "id"), ("id",)
    )
    with pytest.raises(ValueError, match="field order"):
        shuffled.instances(User, ann.pk)
