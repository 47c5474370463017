from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "labs"
    verbose_name = "GPU-debugging labs"

    def ready(self) -> None:
        from tracker import evidence

        from .evidence import lab_evidence

        evidence.register(lab_evidence)
