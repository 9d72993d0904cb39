"""The project's own app: roles, health checks, error pages, logs and the operations commands."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PolicybaseConfig(AppConfig):
    name = "policybase"
    verbose_name = "政策文本知识库"

    def ready(self) -> None:
        post_migrate.connect(_roles_after_migrate, sender=self, dispatch_uid="policybase.roles_setup")


def _roles_after_migrate(sender, *, using, plan=None, **kwargs) -> None:
    """Give a fresh install its role groups. This app is installed last, so every app's permissions exist."""
    from django.contrib.auth.models import Group
    from django.db import router

    from policybase.roles import roles_setup

    if router.allow_migrate_model(using, Group):
        roles_setup(using=using)
