from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Rampup tracker"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import cache, reminders
        from .models import NotificationMute

        cache.connect()
        for signal in (post_save, post_delete):
            signal.connect(reminders.forget_mutes, sender=NotificationMute, dispatch_uid="mutes")
