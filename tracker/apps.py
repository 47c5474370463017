from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Rampup tracker"

    def ready(self) -> None:
        from . import cache

        cache.connect()
