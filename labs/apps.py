from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "labs"
    verbose_name = "GPU-debugging labs"

    def ready(self) -> None:
        from tracker import evidence
        from tracker.portability import sections

        from .evidence import lab_evidence
        from .portability import LABS

        evidence.register(lab_evidence)
        sections.register(LABS)  # the `labs` section of the account's export
