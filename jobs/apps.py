from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Job search"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tracker import evidence
        from tracker.portability import sections

        from . import contributions, portability
        from .models import Application, Contribution

        evidence.register(contributions.evidence_for)
        sections.register(portability.APPLICATIONS)
        sections.register(portability.CONTRIBUTIONS)
        for model in (Application, Contribution):
            # The learner's cached pages (dashboard, portfolio) render again on a change.
            post_save.connect(contributions.bump, sender=model, dispatch_uid=f"jobs-{model}")
            post_delete.connect(contributions.bump, sender=model, dispatch_uid=f"jobs-d-{model}")
