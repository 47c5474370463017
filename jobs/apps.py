from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Job search"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tracker import evidence, reminders
        from tracker.portability import sections

        from . import contributions, portability
        from .models import Application, Contribution

        evidence.register(contributions.evidence_for)
        reminders.register_follow_ups(follow_ups_between)
        sections.register(portability.APPLICATIONS)
        sections.register(portability.CONTRIBUTIONS)
        for model in (Application, Contribution):
            # The learner's cached pages (dashboard, portfolio) render again on a change.
            post_save.connect(contributions.bump, sender=model, dispatch_uid=f"jobs-{model}")
            post_delete.connect(contributions.bump, sender=model, dispatch_uid=f"jobs-d-{model}")


def follow_ups_between(user, first, last):
    """The learner's open applications to chase between `first` and `last`, for the
    reminder emails and the calendar feed (tracker.reminders): one query. The title
    names the stage, not the company: the feed opens to whoever holds its link, so it
    carries nothing the learner typed; the link opens the application."""
    from django.urls import reverse

    from tracker.reminders import FollowUp

    from .models import Application

    due = Application.objects.owned_by(user).follow_ups(last).filter(follow_up_on__gte=first)
    return [
        FollowUp(
            day=a.follow_up_on,
            title=f"Job search follow-up ({a.get_stage_display().lower()})",
            url=reverse("jobs:application", args=[a.pk]),
            uid=f"jobs-application-{a.pk}",
        )
        for a in due
    ]
