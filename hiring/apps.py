from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring rounds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import evidence
        from tracker.portability import sections

        from .portability import HIRING
        from .rounds import passed_rounds_evidence

        evidence.register(passed_rounds_evidence)
        sections.register(HIRING)  # the `hiring` section of the account's export
        # The dashboard's readiness panel and the assessment's evidence are cached per
        # learner: a change to an attempt renders them again.
        from django.db.models.signals import post_delete, post_save

        from tracker.cache import bump_learner

        from .models import Attempt, AttemptImage, TrialUpdate
        from .services import delete_files_on_commit

        def bump(sender, instance, **kwargs) -> None:
            attempt = instance if isinstance(instance, Attempt) else instance.attempt
            bump_learner(attempt.learner_id)

        for model in (Attempt, TrialUpdate):
            post_save.connect(bump, sender=model, dispatch_uid=f"hiring-bump-{model.__name__}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"hiring-del-{model.__name__}")
        # A diagram's files go with its row, however the row goes (the account too).
        post_delete.connect(
            delete_files_on_commit, sender=AttemptImage, dispatch_uid="hiring-diagram-files"
        )
